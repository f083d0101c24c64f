"""A stand-in for the precedent search engine while a worker builds it.

The interview engine gets this object at once, so the first question shows before the
search index (bm25s, numpy) is imported; any search call made before the index is ready
waits for it in the calling (worker) thread. The UI thread only looks at ``ready``.
"""

from __future__ import annotations

import threading
from typing import Any

BUILD_TIMEOUT_S = 120.0


class DeferredSearcher:
    """Forwards attribute access to the real engine once ``set`` was called."""

    def __init__(self, engine: Any | None = None) -> None:
        self._engine = engine
        self._error: str | None = None
        self._done = threading.Event()
        if engine is not None:
            self._done.set()

    @property
    def ready(self) -> bool:
        """True once the engine is there (lexical search works)."""
        return self._engine is not None

    @property
    def engine(self) -> Any | None:
        return self._engine

    @property
    def error(self) -> str | None:
        return self._error

    def set(self, engine: Any) -> None:
        self._engine = engine
        self._done.set()

    def fail(self, message: str) -> None:
        """The index could not be built: callers get a Chinese error instead of waiting."""
        self._error = message
        self._done.set()

    def wait(self, timeout: float = BUILD_TIMEOUT_S) -> Any:
        if not self._done.wait(timeout):
            raise RuntimeError("先例检索索引仍在加载，请稍后再试。")
        if self._engine is None:
            raise RuntimeError(self._error or "先例检索不可用。")
        return self._engine

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.wait(), name)
