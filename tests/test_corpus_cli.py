"""``jixiao corpus``: projects, indicator counts, origins, sources, library size."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import run_cli

VARIANT = Path(__file__).resolve().parent / "data" / "seed" / "variant_drift_gbk.txt"


def test_corpus_json_lists_shipped_projects(capsys):
    code, out, _ = run_cli(capsys, "corpus", "--json")
    doc = json.loads(out)
    assert code == 0
    totals = doc["totals"]
    assert totals["shipped"] == 59 and totals["imported"] == 0
    assert totals["indicators"] == sum(p["indicators"] for p in doc["projects"])
    assert 40 <= totals["library_entries"] <= 80
    seed = [p for p in doc["projects"] if p["file"].endswith("seed_ningxia_2024.json")]
    assert [p["indicators"] for p in seed] == [18, 28, 45, 24, 9, 7]
    assert all(p["year"] == 2024 and p["origin"] == "shipped" for p in seed)
    assert all("宁夏回族自治区乡村振兴监测评估中心" in p["source"] for p in seed)
    others = [p for p in doc["projects"] if p["file"].endswith("precedents_other_units.json")]
    assert len(others) == 18 and all(p["source"].startswith("http") for p in others)


def test_corpus_text_shows_imports(capsys):
    run_cli(capsys, "import", str(VARIANT))
    code, out, _ = run_cli(capsys, "corpus")
    assert code == 0
    assert "[导入] 2025年乡村振兴监测评估工作经费（变体）" in out
    assert "（随附 59，导入 2）" in out
    assert "共性指标库" in out
