"""Build the harvested tables (corpus/raw/harvest) with the project's importers.

Each page is ``NNN_<region>_<short>_<year>.txt`` (the page text as the search tool returned
it, names and phone numbers removed) with ``.meta.json`` {source, region, province, year,
title, kind, notes}. The page goes through ``assistant.importers.read_file`` first; a table
read with at least four rows is taken as is. Otherwise the hand-made ``.rows.txt`` record is
used (each row marked 手工整理), and without one the page is listed as refused, with the
importer's reason. A page that repeats a table already shipped (same address and project,
or the same content) is dropped as a duplicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import JixiaoError
from assistant.knowledge.kinds import kind_label
from assistant.knowledge.names import clean_name
from assistant.knowledge.records import clean_table, read_meta, table_from_record
from assistant.model import Provenance, TargetTable
from assistant.search.text import value_key

MIN_ROWS = 4


@dataclass
class HarvestResult:
    tables: list[TargetTable] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    misread: list[tuple[str, str]] = field(default_factory=list)  # (file, how)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, of what)
    by_importer: int = 0
    hand_made: int = 0
    provinces: dict[str, str] = field(default_factory=dict)  # content key -> province


def _importer_tables(txt: Path, rel: str) -> tuple[list[TargetTable], str]:
    from assistant.importers import read_file

    try:
        res = read_file(txt, rel)
    except JixiaoError as exc:
        return [], str(exc).removeprefix(f"{rel}：").removeprefix(f"{rel} ")
    good = [t for t in res.tables if len(t.indicators) >= MIN_ROWS]
    if not good:
        return [], f"导入器读出的表少于{MIN_ROWS}行"
    return good, ""


def _rows(tables: list[TargetTable]) -> list[tuple[str, str, str]]:
    return [
        (i.level2, clean_name(i.name), value_key(i.value)) for t in tables for i in t.indicators
    ]


def _agrees(tables: list[TargetTable], record: TargetTable) -> bool:
    """The importer read the page as the hand-made record does (same rows, same values)."""
    return sorted(_rows(tables)) == sorted(_rows([record]))


def _difference(tables: list[TargetTable], record: TargetTable) -> str:
    got, want = set(_rows(tables)), set(_rows([record]))
    wrong, missed = sorted(got - want)[:3], sorted(want - got)[:3]
    parts = []
    if wrong:
        parts.append("读成 " + "；".join(f"{l2}/{n}={v}" for l2, n, v in wrong))
    if missed:
        parts.append("漏读 " + "；".join(f"{l2}/{n}={v}" for l2, n, v in missed))
    return (
        f"导入器读出{len(got)}行，与手工整理稿{len(want)}行不符（{'；'.join(parts)}），用手工整理稿"
    )


def _finish(table: TargetTable, meta: dict, rel: str) -> TargetTable:
    src = meta["source"]
    rows = []
    for i in table.indicators:
        prov = i.provenance or Provenance(source=src)
        # the line counts in the file kept here, not in the page at the address: say so
        where = f"{rel} 第{prov.line}行" if prov.line and not prov.note else None
        note = "；".join(n for n in (prov.note, where) if n) or None
        prov = prov.model_copy(update={"source": src, "line": None, "note": note})
        rows.append(i.model_copy(update={"provenance": prov}))
    header = table.header
    if header.year is None and meta.get("year"):
        header = header.model_copy(update={"year": meta["year"]})
    notes = [*table.notes, f"地区：{meta.get('province', '')}{meta.get('region', '')}"]
    notes.append(f"原文：{rel}；原题：{meta.get('title', '')}")
    prov = Provenance(
        source=src,
        project=header.project_name,
        unit=header.unit,
        department=header.department,
        year=header.year,
        note=meta.get("notes"),
    )
    out = table.model_copy(
        update={"indicators": rows, "header": header, "notes": notes, "provenance": prov}
    )
    return clean_table(out).model_copy(update={"kind": meta["kind"]})


def build_harvest(folder: Path, shipped: list[TargetTable]) -> HarvestResult:
    """Every harvested page as tables, in file order; see the module docstring."""
    result = HarvestResult()
    seen_sources = {
        (t.provenance.source if t.provenance else "", t.header.project_name) for t in shipped
    }
    seen_keys = {t.content_key() for t in shipped}
    for meta_path in sorted(folder.glob("*.meta.json")):
        stem = meta_path.name.removesuffix(".meta.json")
        rel = f"corpus/raw/harvest/{stem}.txt"
        meta = read_meta(meta_path)
        tables, reason = _importer_tables(folder / f"{stem}.txt", rel)
        hand = folder / f"{stem}.rows.txt"
        record = (
            table_from_record(hand, meta, f"corpus/raw/harvest/{stem}.rows.txt")
            if hand.exists()
            else None
        )
        if tables and (record is None or _agrees(tables, record)):
            result.by_importer += len(tables)
        elif record is not None:
            if tables:
                result.misread.append((rel, _difference(tables, record)))
            else:
                result.refused.append((rel, f"{reason}（用手工整理稿）"))
            tables = [record]
            result.hand_made += 1
        else:
            result.refused.append((rel, reason))
            continue
        for raw in tables:
            table = _finish(raw, meta, rel)
            ident = (meta["source"], table.header.project_name)
            if ident in seen_sources or table.content_key() in seen_keys:
                result.duplicates.append((rel, table.header.project_name))
                continue
            seen_sources.add(ident)
            seen_keys.add(table.content_key())
            result.tables.append(table)
            result.provinces[table.content_key()] = meta.get("province", "")
    return result


def _province(table: TargetTable, result: HarvestResult) -> str:
    if table.content_key() in result.provinces:
        return result.provinces[table.content_key()]
    text = " ".join([*(table.notes or []), table.provenance.source if table.provenance else ""])
    for name in (
        "宁夏",
        "湖北",
        "湖南",
        "四川",
        "安徽",
        "天津",
        "内蒙古",
        "云南",
        "重庆",
        "山西",
        "新疆",
        "广东",
        "河北",
        "河南",
        "浙江",
        "甘肃",
    ):
        if name in text:
            return name
    return "不详"


def _table(title: str, counts: Counter, rows: Counter) -> list[str]:
    lines = [f"| {title} | 表 | 指标行 |", "| --- | ---: | ---: |"]
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        lines.append(f"| {key} | {n} | {rows[key]} |")
    return lines


def stats_markdown(tables: list[TargetTable], result: HarvestResult) -> str:
    """Tables and rows per kind, province and year, plus the harvest's refusals: STATS.md."""
    from assistant.knowledge.kinds import all_kinds

    by_kind: Counter[str] = Counter()
    rows_kind: Counter[str] = Counter()
    by_prov: Counter[str] = Counter()
    rows_prov: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    rows_year: Counter[str] = Counter()
    for t in tables:
        n = len(t.indicators)
        k = f"{t.kind} {kind_label(t.kind)}"
        by_kind[k] += 1
        rows_kind[k] += n
        p = _province(t, result)
        by_prov[p] += 1
        rows_prov[p] += n
        y = str(t.header.year or "不详")
        by_year[y] += 1
        rows_year[y] += n
    thin = [f"{k.code} {k.label}" for k in all_kinds() if by_kind[f"{k.code} {k.label}"] < 3]
    out = [
        "# Corpus statistics (written by `python -m assistant.importers.build_corpus`)",
        "",
        f"{len(tables)} tables, {sum(len(t.indicators) for t in tables)} indicator rows "
        f"(library entries not counted). Harvest: {len(result.tables)} tables "
        f"({result.by_importer} read by the importers, {result.hand_made} from hand-made "
        f"records; the importers refused {len(result.refused)} pages and misread "
        f"{len(result.misread)}), {len(result.duplicates)} duplicates dropped.",
        "",
        *_table("支出类别", by_kind, rows_kind),
        "",
        *_table("省份", by_prov, rows_prov),
        "",
        *_table("年度", by_year, rows_year),
        "",
        "Kinds with fewer than three tables (the public pool did not fill them): "
        + ("、".join(thin) or "none"),
        "",
    ]
    if result.misread:
        out += ["Pages the importers misread (the hand-made record was used instead):", ""]
        out += [f"- `{f}`: {why}" for f, why in result.misread]
        out.append("")
    if result.refused:
        out += ["Pages the importers refused (hand-made record used where there is one):", ""]
        out += [f"- `{f}`: {why}" for f, why in result.refused]
        out.append("")
    if result.duplicates:
        out += ["Duplicates dropped:", ""]
        out += [f"- `{f}`: {what}" for f, what in result.duplicates]
        out.append("")
    return "\n".join(out)
