"""How a precedent's origin is written for a reader: project, unit, department, year, file.

The one home for provenance text: the TUI's cells and detail lines, the chat's "（先例：…）",
and the command line's search listing all write it from here.
"""

from __future__ import annotations

import re

from assistant.model import Provenance

_CODE = re.compile(r"^\s*[\[［【]\d+[\]］】]\s*")  # a budget system's code: "[077]淮北市…"


def _department(prov: Provenance) -> str | None:
    """The department as a reader needs it: without a budget code, and not at all when it
    is the unit itself (many tables name the same office twice)."""
    dept = _CODE.sub("", prov.department or "").strip()
    return dept if dept and dept != (prov.unit or "").strip() else None


KIND_LABELS = {"precedent": "公开表格", "library": "共性指标库", "user": "用户填写"}


def short_source(prov: Provenance | None) -> str:
    """One short cell: "项目名（2024）" or the library's name."""
    if prov is None:
        return "（来源不明）"
    if prov.kind == "library" and not prov.project:
        return KIND_LABELS["library"]
    project = prov.project or "（未署项目名）"
    return f"{project}（{prov.year}）" if prov.year else project


def full_source(prov: Provenance | None) -> str:
    """Every provenance field we have, one per line, Chinese labels."""
    if prov is None:
        return "来源：不明"
    lines = [f"类型：{KIND_LABELS.get(prov.kind, prov.kind)}"]
    if prov.project:
        lines.append(f"项目：{prov.project}")
    if prov.unit:
        lines.append(f"实施单位：{prov.unit}")
    if dept := _department(prov):
        lines.append(f"主管部门：{dept}")
    if prov.year:
        lines.append(f"年度：{prov.year}")
    if prov.source:
        where = f"{prov.source} 第{prov.line}行" if prov.line else prov.source
        lines.append(f"出处：{where}")
    if prov.note:
        lines.append(f"说明：{prov.note}")
    return "\n".join(lines)


def line_source(prov: Provenance | None) -> str:
    """All of it on one line, with Chinese commas (no spaces, so it wraps evenly)."""
    if prov is None:
        return "来源：不明"
    bits = [KIND_LABELS.get(prov.kind, prov.kind)]
    if prov.project:
        bits.append(f"{prov.project}（{prov.year}）" if prov.year else prov.project)
    elif prov.year:
        bits.append(f"{prov.year}年")
    bits += [b for b in (prov.unit, _department(prov)) if b]
    if prov.source:
        bits.append(f"{prov.source}第{prov.line}行" if prov.line else prov.source)
    return "来源：" + "，".join(bits)


def labelled_line(prov: Provenance | None) -> str:
    """The command line's form: every field labelled, "—" where the table did not say."""
    if prov is None:
        return "来源：未知"
    if prov.kind == "library":
        return f"来源：{prov.source or '共性指标库'}（库条目，不是真实先例）" + (
            f"；说明：{prov.note}" if prov.note else ""
        )
    src = prov.source or "—"
    if prov.line:
        src += f" 第{prov.line}行"
    return "；".join(
        [
            f"项目：{prov.project or '—'}",
            f"单位：{prov.unit or '—'}",
            f"部门：{_department(prov) or ('同单位' if prov.department else '—')}",
            f"年度：{prov.year or '—'}",
            f"来源：{src}",
        ]
    )


def chat_source(prov: Provenance) -> str:
    """Where a taken row comes from, as the chat says it: （先例：项目，单位，2024年）."""
    bits = [b for b in (prov.project, prov.unit, f"{prov.year}年" if prov.year else None) if b]
    label = "共性指标库" if prov.kind == "library" else "先例"
    return f"（{label}：{'，'.join(bits) or prov.source}）"
