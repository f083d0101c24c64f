"""Where jixiao keeps its files. ``JIXIAO_HOME`` relocates everything (tests use tmp_path)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    """A data folder shipped beside the package (corpus/, prompts/)."""
    return CHECKOUT_DIR / name


def _folder(path: Path) -> Path:
    """Create ``path`` if needed; a file in the way or no permission is a JixiaoError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from assistant.errors import JixiaoError, os_reason

        hint = "（可用环境变量 JIXIAO_HOME 指定另一个文件夹）"
        raise JixiaoError(f"无法使用数据文件夹 {path}：{os_reason(exc)}{hint}") from None
    return path


def home() -> Path:
    """The user's data folder: ``$JIXIAO_HOME``, else ``store/`` of the checkout."""
    env = os.environ.get("JIXIAO_HOME")
    return _folder(Path(env).expanduser() if env else CHECKOUT_DIR / "store")


def shipped_corpus_dir() -> Path:
    return _shipped("corpus")


def prompts_dir() -> Path:
    return _shipped("prompts")


def user_corpus_dir() -> Path:
    """Tables the user imported (``jixiao import``)."""
    return _folder(home() / "corpus")


def cache_dir() -> Path:
    return _folder(home() / "cache")


def model_cache_dir() -> Path:
    """The semantic model's folder, one per machine and shared by every ``JIXIAO_HOME``:
    ``$JIXIAO_MODEL_CACHE``, else ``models`` in the user cache folder (platformdirs)."""
    env = os.environ.get("JIXIAO_MODEL_CACHE")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("jixiao", appauthor=False)) / "models"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from assistant.errors import JixiaoError, os_reason

        hint = "（可用环境变量 JIXIAO_MODEL_CACHE 指定另一个文件夹）"
        raise JixiaoError(f"无法使用模型缓存文件夹 {path}：{os_reason(exc)}{hint}") from None
    return path


def model_override() -> Path | None:
    """``$JIXIAO_MODEL``: a local sentence-transformers folder to use instead of the default."""
    env = os.environ.get("JIXIAO_MODEL")
    return Path(env).expanduser() if env else None
