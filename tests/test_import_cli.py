"""``jixiao import``: imports land in JIXIAO_HOME, and importing twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import run_cli

from assistant import config
from assistant.corpus import imported_tables
from assistant.importers import import_paths

CHECKOUT = Path(__file__).resolve().parents[1]
SEED = CHECKOUT / "corpus" / "raw" / "000_4da5520f21e577ee.txt"
VARIANT = Path(__file__).resolve().parent / "data" / "seed" / "variant_drift_gbk.txt"


def test_import_writes_into_jixiao_home_and_is_idempotent(capsys, jixiao_home):
    code, out, err = run_cli(capsys, "import", str(VARIANT))
    assert code == 0 and err == ""
    assert "读到 2 张表、22 条指标；新增 2 张" in out
    files = sorted((jixiao_home / "corpus").glob("*.json"))
    assert len(files) == 2
    before = {p.name: p.read_bytes() for p in files}

    code, out, _ = run_cli(capsys, "import", str(VARIANT))
    assert code == 0
    assert "新增 0 张，已在先例库中 2 张" in out
    after = {p.name: p.read_bytes() for p in (jixiao_home / "corpus").glob("*.json")}
    assert after == before


def test_seed_is_already_shipped_so_importing_it_adds_nothing(capsys):
    code, out, _ = run_cli(capsys, "import", "--json", str(SEED))
    doc = json.loads(out)
    assert code == 0
    (f,) = doc["files"]
    assert (f["tables"], f["indicators"], f["added"], f["already_present"]) == (6, 131, 0, 6)
    assert f["format"] == "text" and f["encoding"] == "utf-8"
    assert [p["indicators"] for p in f["projects"]] == [18, 28, 45, 24, 9, 7]


def test_seed_into_an_empty_corpus(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "shipped_corpus_dir", lambda: tmp_path / "no-shipped")
    result = import_paths([SEED])
    assert len(result.added) == 6
    stored = imported_tables()
    assert sum(len(ct.table.indicators) for ct in stored) == 131
    assert all(ct.table.indicators[0].provenance.line for ct in stored)
    assert len(import_paths([SEED]).already_present) == 6


def test_json_output_is_one_document(capsys, jixiao_home):
    code, out, _ = run_cli(capsys, "import", "--json", str(VARIANT))
    doc = json.loads(out)
    assert code == 0
    assert doc["added"] == 2 and doc["corpus"] == str(jixiao_home / "corpus")
    assert "variant_drift_gbk.txt" in doc["files"][0]["path"]
    assert "生态效益：0 / 0（不适用，第31行）" in doc["files"][0]["projects"][0]["notes"]
