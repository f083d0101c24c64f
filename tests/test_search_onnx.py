"""The light query path as a user meets it: ``jixiao search`` in a fresh process, with the
model cache shared by every JIXIAO_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.search.model_build import MODEL_NAME

pytestmark = pytest.mark.model

CHECKOUT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn")

SEARCH = r"""
import json, sys
from assistant.cli import main
try:
    main(["search", *sys.argv[1:]])
finally:
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    print(json.dumps({"heavy": heavy}), file=sys.stderr)
""".replace("HEAVY", repr(HEAVY))


def search(home: Path, *args: str) -> tuple[dict, list[str], str]:
    """(JSON output, heavy modules imported, stderr) of ``jixiao search ARGS --json``."""
    env = dict(os.environ, JIXIAO_HOME=str(home), PYTHONPATH=str(CHECKOUT))
    proc = subprocess.run(
        [sys.executable, "-c", SEARCH, *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=CHECKOUT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    *notes, last = proc.stderr.strip().splitlines()
    return json.loads(proc.stdout), json.loads(last)["heavy"], "\n".join(notes)


def test_a_plain_search_imports_neither_torch_nor_sentence_transformers(e5_folder, tmp_path):
    doc, heavy, notes = search(tmp_path / "home", "添置电脑", "--top", "3")
    assert doc["semantic"] is True and doc["notice"] is None
    assert doc["hits"] and all(h["semantic"] is not None for h in doc["hits"])
    assert heavy == []
    assert "正在计算" in notes  # a new home embeds the corpus once, saying so


def test_two_homes_share_one_model_and_keep_their_own_embeddings(e5_folder, tmp_path, model_cache):
    before = sorted(p.name for p in model_cache.iterdir())
    first, _, _ = search(tmp_path / "a", "培训满意度", "--top", "2")
    second, _, notes = search(tmp_path / "b", "培训满意度", "--top", "2")
    assert first["hits"] == second["hits"] and first["semantic"] and second["semantic"]
    assert sorted(p.name for p in model_cache.iterdir()) == before
    assert MODEL_NAME in before and "首次使用" not in notes  # not built again
    for home in ("a", "b"):
        cache = tmp_path / home / "cache"
        assert not (cache / "models").exists()
        assert [p.name for p in (cache / "embeddings").iterdir()]  # per home
    again, _, notes = search(tmp_path / "a", "按期完成", "--top", "1")
    assert again["semantic"] and notes == ""  # warm: nothing to build or embed
