"""Precedent search: lexical (character n-gram BM25) + semantic (sentence-transformers), fused.

``SearchEngine`` is the entry point; importing this package does not import torch.
"""

from assistant.search.engine import Hit, SearchEngine, SlotSuggestion, typical_values

__all__ = ["Hit", "SearchEngine", "SlotSuggestion", "typical_values"]
