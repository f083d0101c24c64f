"""``jixiao parse-value TEXT... [--json]``: show how each 指标值 is understood."""

from __future__ import annotations

import re
from typing import Any

import click

from assistant.cli.common import echo_json, echo_jsonl, json_option, stdin_lines
from assistant.values import FormalFields, ParsedValue, formal_fields, parse_value

_COMPARATOR_NAMES = {
    "≥": "≥（不低于）",
    "≤": "≤（不高于）",
    ">": "＞（高于）",
    "<": "＜（低于）",
    "=": "＝（等于）",
}


def _quantity_text(pv: ParsedValue) -> str:
    parts = []
    for q in pv.quantities:
        number = format(q.number, "f")
        if q.upper is not None:
            number += "—" + format(q.upper, "f")
        prefix = q.comparator + " " if q.comparator and pv.is_compound else ""
        parts.append(f"{prefix}{number} {q.unit or '（无单位）'}".rstrip())
    return "；".join(parts) if parts else "—"


def _formal_text(ff: FormalFields) -> str:
    text = f"计算符号 {ff.symbol} · 度量值 {ff.measure or '—'} · 计量单位 {ff.unit or '—'}"
    if ff.needs_split:
        text += "（一体化系统每行只填一组，需拆分为多行）"
    return text


def describe(pv: ParsedValue) -> str:
    """The Chinese explanation printed for one value."""
    kind = pv.kind_name
    if pv.is_compound:
        kind += f"（复合，{len(pv.quantities)} 项）"
    elif pv.quantities and pv.quantities[0].upper is not None:
        kind += "（区间）"
    lines = [f"原文：{pv.raw}", f"  类型：{kind}"]
    lines.append(f"  比较符：{_COMPARATOR_NAMES[pv.comparator] if pv.comparator else '未写明'}")
    lines.append(f"  数值与单位：{_quantity_text(pv)}")
    if pv.kind == "money" and not pv.is_compound:
        yuan = pv.money_yuan()
        if yuan is not None:
            lines.append(f"  折合：{format(yuan, 'f')} 元")
    if pv.date is not None:
        date_text = f"{pv.date.year}年{pv.date.month}月{pv.date.day}日"
    elif pv.kind == "date":
        date_text = "未能确定具体日期（周期性安排或未写年份）"
    else:
        date_text = "—"
    lines.append(f"  日期：{date_text}")
    if pv.grade:
        lines.append(f"  等级/定性表述：{pv.grade}")
    if pv.direction:
        lines.append(f"  指标方向：{pv.direction}")
    if pv.change:
        lines.append(f"  变化：{pv.change}（数值是变化量，不是水平值）")
    if pv.kind == "placeholder":
        lines.append("  说明：占位，表示该项不适用（不是一个指标）")
    if pv.kind == "text":
        lines.append("  说明：未能识别为数量、比率、金额、日期或等级，按原文保留")
    lines.append(f"  填报字段：{_formal_text(formal_fields(pv))}")
    return "\n".join(lines)


def to_json(pv: ParsedValue) -> dict[str, Any]:
    """One ParsedValue as JSON (Decimal as string), with its formal fields added."""
    doc = pv.model_dump(mode="json")
    doc["kind_name"] = pv.kind_name
    doc["formal"] = formal_fields(pv).model_dump(mode="json")
    return doc


# a value may start with a minus (-5%, -10万元: 下降); only "-x" / "--xx" are taken as options
@click.command("parse-value", context_settings={"ignore_unknown_options": True})
@click.argument("texts", nargs=-1, metavar="指标值...")
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="从标准输入逐行读取指标值（配合 --json 输出 JSON Lines）",
)
@click.option("--year", type=int, default=None, help="未写年份的日期（如 12月15日前）按此年份解析")
@json_option
def command(texts: tuple[str, ...], from_stdin: bool, year: int | None, as_json: bool) -> None:
    """显示每个指标值如何被理解：类型、比较符、数值与单位、日期。

    例：jixiao parse-value "5次, 5天/次, 5人/次" "≥95%" "2024年12月15日前"
    """
    unknown = [t for t in texts if re.match(r"-(-|[A-Za-z])", t)]
    if unknown:
        raise click.NoSuchOption(unknown[0])
    if from_stdin:
        if texts:
            raise click.UsageError("--stdin 与命令行里的指标值不能同时使用")
        for line in stdin_lines():
            pv = parse_value(line, default_year=year)
            if as_json:
                echo_jsonl(to_json(pv))
            else:
                click.echo(describe(pv) + "\n")
        return
    if not texts:
        raise click.UsageError("请给出至少一个指标值，或使用 --stdin")
    parsed = [parse_value(text, default_year=year) for text in texts]
    if as_json:
        echo_json([to_json(pv) for pv in parsed])
        return
    click.echo("\n\n".join(describe(pv) for pv in parsed))
