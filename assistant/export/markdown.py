"""Markdown for pasting into documents, and plain text for ``jixiao show``."""

from __future__ import annotations

from assistant.export.official import title_of
from assistant.export.rows import has_actual
from assistant.model import FUND_LABELS, Amount, TargetTable

# 本级资金 before its parts, then 转移市县(区)资金 before its parts, as on the form.
FUND_ORDER = ("local_level", "fiscal", "other", "carryover", "transfer", "central", "regional")


def _money(amount: Amount | None) -> str:
    """The amount in 万元 as a plain number ("854 万元"): the raw text may carry its own unit
    ("854万元"), which would read "854万元 万元" and not import again."""
    if amount is None:
        return ""
    return f"{amount.value.normalize():f} 万元"


def _cell(text: str | None) -> str:
    """A Markdown table cell: pipes escaped, line breaks kept as <br>."""
    text = (text or "").replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.splitlines()) if text else ""


def header_fields(table: TargetTable) -> list[tuple[str, str]]:
    """(label, text) for every header field that has a value, in the official order."""
    h = table.header
    fields = [
        ("项目名称", h.project_name),
        ("主管部门", h.department or ""),
        ("实施单位", h.unit or ""),
        ("项目属性", h.attribute or ""),
        ("项目期", h.period or ""),
        ("项目总额", _money(h.total)),
        ("其中：年度资金总额", _money(h.annual_total)),
    ]
    for key in FUND_ORDER:
        label = FUND_LABELS[key]
        amount = getattr(h.funds, key)
        if amount is not None:
            fields.append((f"资金来源：{label}", _money(amount)))
    return [(label, text) for label, text in fields if text]


def to_markdown(table: TargetTable) -> str:
    """The table as Markdown: header fields, the goal, then the indicator table."""
    h = table.header
    lines = [f"# {title_of(table)}", ""]
    if h.year:
        lines += [f"（{h.year}年度）　单位：万元", ""]
    else:
        lines += ["单位：万元", ""]
    lines += ["| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {label} | {_cell(text)} |" for label, text in header_fields(table)]
    lines += ["", "## 年度总体绩效目标", "", table.goal.strip() or "（未填写）", ""]
    lines += ["## 绩效指标", ""]
    actual = has_actual(table)
    head = ["一级指标", "二级指标", "三级指标", "指标值"] + (["实际完成值"] if actual else [])
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for level1, level2s in table.tree().items():
        shown1 = level1
        for level2, rows in level2s.items():
            shown2 = level2
            for ind in rows:
                cells = [shown1, shown2, ind.name, ind.value] + ([ind.actual] if actual else [])
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
                shown1 = shown2 = ""
    if not table.indicators:
        lines.append("| " + " | ".join([""] * len(head)) + " |")
    return "\n".join(lines) + "\n"


def to_text(table: TargetTable) -> str:
    """The table as readable plain text (the indicator tree indented)."""
    lines = [title_of(table)]
    lines += [f"{label}：{text}" for label, text in header_fields(table)]
    lines += ["年度总体绩效目标：", f"  {table.goal.strip() or '（未填写）'}"]
    lines.append(f"绩效指标（共 {len(table.indicators)} 项）：")
    for level1, level2s in table.tree().items():
        lines.append(f"  {level1}")
        for level2, rows in level2s.items():
            lines.append(f"    {level2}")
            for ind in rows:
                extra = f"（实际完成：{ind.actual}）" if ind.actual else ""
                lines.append(f"      {ind.name}：{ind.value}{extra}")
    if table.notes:
        lines.append("说明：")
        lines += [f"  {note}" for note in table.notes]
    return "\n".join(lines)
