"""``jixiao validate (FILE | --draft ID) [--json]``: check tables the way a reviewer would.

Exit 0 when clean or warnings only, 1 when any table has errors, 2 for bad input.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from assistant.cli.common import echo_json, json_option
from assistant.errors import JixiaoError
from assistant.model import TargetTable

SEVERITY_TITLES = (("error", "错误"), ("warning", "提醒"), ("info", "说明"))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns (with …) and padded to exactly that width."""
    if _width(text) > width:
        out = ""
        for c in text:
            if _width(out + c) > width - 1:
                break
            out += c
        text = out + "…"
    return text + " " * (width - _width(text))


def _load_precedents():
    from assistant.corpus import precedents
    from assistant.rules import PrecedentStats

    return PrecedentStats.from_indicators(precedents())


def _tables_from(file: str | None, draft: str | None) -> list[TargetTable]:
    if (file is None) == (draft is None):
        raise JixiaoError("请给出一个文件，或用 --draft 编号 指定草稿（二者选一）。")
    if draft is not None:
        from assistant.store import DraftStore

        return [DraftStore().get(draft).table]
    from assistant.importers import load_file

    path = Path(file)  # type: ignore[arg-type]

    tables = load_file(path)
    if not tables:
        raise JixiaoError("文件中没有找到绩效目标表。", path=file)
    return tables


def _print_report(table: TargetTable, report) -> None:
    from assistant.rules.explain import SEVERITY_ZH

    counts = "，".join(
        f"{SEVERITY_ZH[sev]} {sum(f.severity == sev for f in report.findings)}"
        for sev, _ in SEVERITY_TITLES
    )
    click.echo(f"项目：{table.header.project_name or '（未填写项目名称）'}（{counts}）")
    if not report.findings:
        click.echo("  没有发现问题。")
    for sev, title in SEVERITY_TITLES:
        group = [f for f in report.findings if f.severity == sev]
        if not group:
            continue
        click.echo(f"{title}（{len(group)}）")
        for f in group:
            click.echo(f"  [{f.code}] {f.location.describe()}：{f.message}")
    _print_breakdown(table, report.breakdown)


def _print_breakdown(table: TargetTable, b) -> None:
    if b is None:
        return
    inds = table.indicators
    click.echo("成本测算（成本行 ↔ 数量行）")
    header = (
        f"  {_cell('成本行', 26)} {_cell('数量行', 26)} {_cell('数量因子', 22)} "
        f"{_cell('单价', 14)} {'小计（元）'}"
    )
    click.echo(header)
    for line in b.lines:
        cost = inds[line.cost_row].name
        qty = inds[line.quantity_row].name if line.quantity_row is not None else "（无）"
        factors = "×".join(line.factors) or "—"
        note = f"  [{line.reading}{'；' + line.note if line.note else ''}]"
        click.echo(
            f"  {_cell(cost, 26)} {_cell(qty, 26)} {_cell(factors, 22)} "
            f"{_cell(line.unit_cost, 14)} {line.product}{note}"
        )
    if b.total_yuan:
        mark = "一致" if b.balanced else "不一致"
        click.echo(
            f"  合计 {b.sum_yuan} 元；年度资金总额 {b.total_yuan} 元；"
            f"差额 {b.gap_yuan} 元（{b.gap_wan} 万元）：{mark}"
        )
    else:
        click.echo(f"  合计 {b.sum_yuan} 元；未填写年度资金总额，无法核对。")


def _print_rules(as_json: bool) -> None:
    from assistant.rules import RULES
    from assistant.rules.explain import SEVERITY_ZH

    if as_json:
        echo_json({"rules": [r._asdict() for r in RULES]})
        return
    from assistant.rules.codes import G10, G101

    short = {G101: "101号指引", G10: "10号办法"}
    for r in RULES:
        cites = r.cites
        for full, abbr in short.items():
            cites = cites.replace(full, abbr)
        click.echo(f"{r.code:<11} {SEVERITY_ZH[r.severity]}  {r.zh}")
        click.echo(f"{'':<11} 依据：{cites}")
    click.echo("")
    for full, abbr in short.items():
        click.echo(f"{abbr}：{full}（取用内容见 docs/guidance.md）")


@click.command("validate")
@click.argument("file", required=False, metavar="FILE")
@click.option("--draft", "draft", metavar="ID", help="检查本机保存的草稿（编号可只写前几位）")
@click.option("--rules", "list_rules", is_flag=True, help="列出全部检查规则及其代码")
@json_option
def command(file: str | None, draft: str | None, list_rules: bool, as_json: bool) -> None:
    """按财政审核的口径检查绩效目标表：完整性、指标值、成本测算、资金来源、目标与时限。

    有错误时退出码为1；只有提醒时为0；输入有误时为2。
    """
    from assistant.rules import validate

    if list_rules:
        _print_rules(as_json)
        return
    tables = _tables_from(file, draft)
    stats = _load_precedents()
    reports = [validate(t, precedents=stats) for t in tables]
    if as_json:
        echo_json(
            {
                "file": file,
                "draft": draft,
                "tables": [
                    {
                        "project": t.header.project_name,
                        "has_errors": r.has_errors,
                        "errors": len(r.errors),
                        "warnings": len(r.warnings),
                        "findings": [f.model_dump(mode="json") for f in r.findings],
                        "breakdown": r.breakdown.model_dump(mode="json") if r.breakdown else None,
                    }
                    for t, r in zip(tables, reports, strict=True)
                ],
            }
        )
    else:
        for i, (t, r) in enumerate(zip(tables, reports, strict=True)):
            if i:
                click.echo("")
            _print_report(t, r)
        n_err = sum(len(r.errors) for r in reports)
        n_warn = sum(len(r.warnings) for r in reports)
        click.echo("")
        click.echo(f"共检查 {len(tables)} 张表：错误 {n_err} 条，提醒 {n_warn} 条。")
    if any(r.has_errors for r in reports):
        # sys.exit, not ctx.exit: the entry point runs click with standalone_mode=False,
        # which would swallow a click Exit's code
        sys.exit(1)
