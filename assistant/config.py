"""Where jixiao keeps its files. ``JIXIAO_HOME`` relocates everything (tests use tmp_path)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    """A data folder shipped beside the package (corpus/, prompts/)."""
    return CHECKOUT_DIR / name


def home() -> Path:
    """The user's data folder: ``$JIXIAO_HOME``, else ``store/`` of the checkout."""
    env = os.environ.get("JIXIAO_HOME")
    path = Path(env).expanduser() if env else CHECKOUT_DIR / "store"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shipped_corpus_dir() -> Path:
    return _shipped("corpus")


def prompts_dir() -> Path:
    return _shipped("prompts")


def user_corpus_dir() -> Path:
    """Tables the user imported (``jixiao import``)."""
    path = home() / "corpus"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    path = home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_override() -> Path | None:
    """``$JIXIAO_MODEL``: a local sentence-transformers folder to use instead of the default."""
    env = os.environ.get("JIXIAO_MODEL")
    return Path(env).expanduser() if env else None
