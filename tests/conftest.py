"""Every test gets its own JIXIAO_HOME, so no test touches the user's store."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def jixiao_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    monkeypatch.delenv("JIXIAO_MODEL", raising=False)
    return home
