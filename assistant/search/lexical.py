"""Lexical search: BM25 (the ``bm25s`` library) over character uni- and bigrams.

Good on exact terms (租车, 师资费, 等级保护) where a sentence model may drift. The index is
saved under the cache folder keyed by a hash of the indexed texts, so a large corpus loads
memory-mapped instead of being re-indexed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from assistant.search.text import char_ngrams

_INDEX_VERSION = "bm25-char12-v1"


def texts_digest(texts: list[str], salt: str = "") -> str:
    """A hash of a list of texts in order (the identity of an index built over them)."""
    h = hashlib.sha1(salt.encode("utf-8"))
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


class LexicalIndex:
    """BM25 scores of a query against each text, in the order the texts were given."""

    def __init__(self, texts: list[str], *, cache_dir: Path | None = None):
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.ERROR)
        self.size = len(texts)
        self._retriever = None
        if not texts:
            return
        folder = cache_dir / texts_digest(texts, _INDEX_VERSION) if cache_dir else None
        if folder is not None and (folder / "params.index.json").is_file():
            try:
                self._retriever = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
            except (OSError, ValueError):
                self._retriever = None  # a damaged cache is rebuilt below
        if self._retriever is None:
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index([char_ngrams(t) or [""] for t in texts], show_progress=False)
            self._retriever = retriever
            if folder is not None:
                _save_atomic(retriever, folder)
        self._vocab = self._retriever.vocab_dict

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of ``query`` for every text (zeros when nothing matches)."""
        if self._retriever is None:
            return np.zeros(self.size, dtype=np.float32)
        tokens = [t for t in dict.fromkeys(char_ngrams(query)) if t in self._vocab and t]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)


def _save_atomic(retriever, folder: Path) -> None:
    """Save into a temporary folder and rename it into place; failures only cost speed."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".tmp-", dir=folder.parent))
        retriever.save(str(tmp), show_progress=False)
        try:
            os.rename(tmp, folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process saved it first
    except OSError:
        return
