"""The whole shipped corpus after the harvest: every table has a known kind and an address,
no suggested name carries template residue, harvested rows point at their raw page, and no
raw page keeps a phone number."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.corpus import shipped_tables
from assistant.knowledge.kinds import all_kinds
from assistant.knowledge.names import has_residue

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_every_shipped_table_has_a_kind_and_residue_free_names():
    codes = {k.code for k in all_kinds()}
    tables = [ct.table for ct in shipped_tables()]
    assert len(tables) == 59
    assert {t.kind for t in tables} <= codes
    assert len({t.kind for t in tables}) >= 20
    residue = [i.name for t in tables for i in t.indicators if has_residue(i.bare_name)]
    assert residue == []


def test_harvested_tables_cite_their_page_and_keep_raw_names():
    doc = json.loads((CORPUS / "harvested.json").read_text(encoding="utf-8"))
    for table in doc["tables"]:
        assert table["provenance"]["source"].startswith("http")
        assert len(table["indicators"]) >= 4
        assert any(n.startswith("原文：corpus/raw/harvest/") for n in table["notes"])
        for row in table["indicators"]:
            assert row["provenance"]["source"] == table["provenance"]["source"]
    renamed = [
        r
        for t in doc["tables"]
        for r in t["indicators"]
        if "原名：" in (r["provenance"].get("note") or "")
    ]
    assert any("(≥**%)" in r["provenance"]["note"] for r in renamed)


def test_raw_pages_have_no_mobile_numbers_and_every_page_has_its_meta():
    folder = CORPUS / "raw" / "harvest"
    pages = sorted(folder.glob("[0-9]*.txt"))
    assert pages
    for page in pages:
        if page.name.endswith(".rows.txt"):
            continue
        assert not PHONE.search(page.read_text(encoding="utf-8")), page.name
        meta = json.loads((folder / page.name.replace(".txt", ".meta.json")).read_text("utf-8"))
        assert meta["kind"] in {k.code for k in all_kinds()}
        assert meta["source"].startswith("http")
