"""The shipped corpus: the seed with source lines, 18 real precedents with their addresses,
the harvested tables (kind, address, residue-free names), and a library of common
indicators that never pretends to be a precedent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.corpus import library_indicators, shipped_tables
from assistant.importers import build_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_rebuilding_gives_the_shipped_files(tmp_path):
    shutil.copytree(CORPUS / "raw", tmp_path / "raw")
    shutil.copytree(CORPUS / "library", tmp_path / "library")
    shutil.copyfile(CORPUS / "table_kinds.yaml", tmp_path / "table_kinds.yaml")
    counts = build_corpus.build(tmp_path)
    assert counts["seed_tables"] == 6 and counts["seed_indicators"] == 131
    assert counts["precedent_tables"] == 18
    assert counts["harvest_tables"] == 35
    for name in (
        build_corpus.SEED_OUT,
        build_corpus.PRECEDENTS_OUT,
        build_corpus.HARVEST_OUT,
        "kind_templates.json",
        "STATS.md",
    ):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_seed_rows_cite_lines_of_the_shipped_raw_text():
    lines = (CORPUS / "raw" / build_corpus.SEED_FILE).read_text(encoding="utf-8").splitlines()
    seed = [ct.table for ct in shipped_tables() if ct.file.name == build_corpus.SEED_OUT]
    assert [len(t.indicators) for t in seed] == [18, 28, 45, 24, 9, 7]
    for table in seed:
        for ind in table.indicators:
            assert ind.provenance.source == build_corpus.SEED_SOURCE
            assert ind.provenance.kind == "precedent"
            assert ind.name in lines[ind.provenance.line - 1]


def test_precedents_keep_address_unit_year_and_actuals():
    tables = [ct.table for ct in shipped_tables() if ct.file.name == build_corpus.PRECEDENTS_OUT]
    assert len(tables) == 18
    raw = sorted((CORPUS / "raw" / "precedents").glob("*.json"))
    for table, path in zip(tables, raw, strict=True):
        rec = json.loads(path.read_text(encoding="utf-8"))
        assert table.provenance.source == rec["source"]
        assert table.header.project_name == rec["project_name"]
        assert table.header.year == rec["year"]
        assert all(i.provenance.source == rec["source"] for i in table.indicators)
        assert ("原文不完整" in " ".join(table.notes)) == bool(rec["truncated"])
        assert any(path.name in n for n in table.notes)
        actuals = [r.get("actual") for r in rec["indicators"] if r.get("actual")]
        assert [i.actual for i in table.indicators if i.actual] == actuals
    kinds = {t.header.project_name: t.table_type for t in tables}
    assert kinds["校园维修改造及设备购置"] == "self_evaluation"
    assert kinds["主体班"] == "target"


@pytest.fixture(scope="module")
def library():
    return library_indicators()


def test_library_size_and_marking(library):
    assert 40 <= len(library) <= 80
    for ind in library:
        assert ind.provenance.kind == "library"
        assert ind.provenance.source == "共性指标库（jixiao）"
        assert ind.provenance.note  # where the wording comes from, or "通行写法"
        assert ind.provenance.project == "" and ind.provenance.line is None


def test_library_covers_every_second_level_slot(library):
    slots = {(i.level1, i.level2) for i in library}
    for l2 in ("数量指标", "质量指标", "时效指标", "成本指标"):
        assert ("产出指标", l2) in slots
    for l2 in ("经济效益", "社会效益", "生态效益", "可持续影响"):
        assert ("效益指标", l2) in slots
    assert ("满意度指标", "服务对象满意度") in slots


def test_library_citations_are_checked(tmp_path):
    """check_library refuses an entry that cites a line not holding its wording."""
    shutil.copytree(CORPUS / "raw", tmp_path / "raw")
    (tmp_path / "library").mkdir()
    doc = json.loads((CORPUS / "library" / "common_indicators.json").read_text(encoding="utf-8"))
    assert len(build_corpus.check_library(CORPUS.parent / "corpus")) == len(doc["indicators"])
    doc["indicators"][0]["provenance"]["note"] = (
        f"见于 corpus/raw/{build_corpus.SEED_FILE} 第1行“培训期数”"
    )
    (tmp_path / "library" / "common_indicators.json").write_text(
        json.dumps(doc, ensure_ascii=False), encoding="utf-8"
    )
    with pytest.raises(SystemExit):
        build_corpus.check_library(tmp_path)
