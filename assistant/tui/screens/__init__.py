"""Screens of the jixiao TUI: the interview, precedent search, drafts, and small dialogs."""
