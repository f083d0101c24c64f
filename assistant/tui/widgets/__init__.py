"""Reusable widgets of the jixiao TUI; each carries its own DEFAULT_CSS."""
