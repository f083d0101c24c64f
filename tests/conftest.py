"""Every test gets its own JIXIAO_HOME, so no test touches the user's store; the semantic
model cache is one temporary folder per test run (built at most once, never the user's)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """The machine-wide model cache of this test run."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def jixiao_home(tmp_path, monkeypatch, model_cache) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(model_cache))
    monkeypatch.delenv("JIXIAO_MODEL", raising=False)
    return home
