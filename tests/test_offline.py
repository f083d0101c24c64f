"""No network, ever: building, loading and searching with the semantic model run in a fresh
interpreter in which every socket connect raises (the build is the run's one build, made by
the ``e5_build`` fixture in conftest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import OFFLINE, run_offline

from assistant.search.model_build import MODEL_NAME

pytestmark = pytest.mark.model

SEARCH = (
    OFFLINE
    + r"""
from assistant.search import SearchEngine
engine = SearchEngine()                 # the shipped corpus
ready = engine.load_semantic(progress=lambda m: print(m, file=sys.stderr))
hits = engine.search("买电脑", top=3)
print(json.dumps({"ready": ready, "notice": engine.notice, "attempts": attempts,
                  "top": [h.indicator.bare_name for h in hits],
                  "semantic": [h.semantic for h in hits]}, ensure_ascii=False))
"""
)


def test_the_first_build_never_connects_and_shows_progress(e5_build):
    assert e5_build["attempts"] == []
    assert e5_build["encoder"] == "OnnxEncoder" and e5_build["notice"] is None
    assert "首次使用：正在生成语义模型" in e5_build["stderr"]  # progress while it builds
    assert "语义模型已生成" in e5_build["stderr"]
    cache = Path(e5_build["cache"])
    assert sorted(p.name for p in cache.iterdir()) == [".build.lock", MODEL_NAME]
    manifest = json.loads((cache / MODEL_NAME / "manifest.json").read_text())
    assert manifest["onnx"]["ok"] and manifest["onnx"]["min_cosine"] >= 0.999


def test_load_and_search_never_connect(e5_folder, model_cache, tmp_path):
    env = {"JIXIAO_HOME": str(tmp_path / "home"), "JIXIAO_MODEL_CACHE": str(model_cache)}
    result, stderr = run_offline(SEARCH, env)
    assert result["attempts"] == []
    assert result["ready"], result["notice"]
    assert result["top"] and all(s is not None for s in result["semantic"])
    assert "正在计算" in stderr  # the new home embeds the corpus once
    assert not (tmp_path / "home" / "cache" / "models").exists()
