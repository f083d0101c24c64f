"""``jixiao corpus [--json]``: what the precedent corpus holds, project by project."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import click

from assistant.cli.common import echo_json, json_option

if TYPE_CHECKING:
    from assistant.corpus import CorpusTable

ORIGIN_ZH = {"shipped": "随附", "imported": "导入"}


class _Row(TypedDict):
    """One project line of the listing (also the ``--json`` shape)."""

    project: str
    unit: str | None
    department: str | None
    year: int | None
    indicators: int
    table_type: str
    origin: str
    source: str
    file: str


def _source(ct: CorpusTable) -> str:
    prov = ct.table.provenance
    return (prov.source if prov and prov.source else "") or str(ct.file)


@click.command("corpus")
@json_option
def command(as_json: bool) -> None:
    """列出先例库中的项目：名称、单位、年度、指标数、来源（随附或导入）。"""
    from assistant import config
    from assistant.corpus import library_indicators, load_tables

    tables = load_tables()
    library = library_indicators()
    rows: list[_Row] = [
        {
            "project": ct.table.header.project_name,
            "unit": ct.table.header.unit,
            "department": ct.table.header.department,
            "year": ct.table.header.year,
            "indicators": len(ct.table.indicators),
            "table_type": ct.table.table_type,
            "origin": ct.origin,
            "source": _source(ct),
            "file": str(ct.file),
        }
        for ct in tables
    ]
    totals = {
        "projects": len(rows),
        "indicators": sum(r["indicators"] for r in rows),
        "shipped": sum(r["origin"] == "shipped" for r in rows),
        "imported": sum(r["origin"] == "imported" for r in rows),
        "library_entries": len(library),
    }
    if as_json:
        echo_json(
            {"projects": rows, "totals": totals, "user_corpus": str(config.user_corpus_dir())}
        )
        return
    for r in rows:
        year = f"{r['year']}年" if r["year"] else "年度不详"
        kind = "，自评表" if r["table_type"] == "self_evaluation" else ""
        unit = r["unit"] or "单位不详"
        click.echo(
            f"[{ORIGIN_ZH[r['origin']]}] {r['project']}（{unit}，{year}{kind}）："
            f"{r['indicators']} 条指标"
        )
        click.echo(f"    来源：{r['source']}")
    click.echo(
        f"合计 {totals['projects']} 个项目、{totals['indicators']} 条指标"
        f"（随附 {totals['shipped']}，导入 {totals['imported']}）；"
        f"共性指标库 {totals['library_entries']} 条（库条目，不是真实先例）。"
    )
    click.echo(f"导入的表格保存在：{config.user_corpus_dir()}")
