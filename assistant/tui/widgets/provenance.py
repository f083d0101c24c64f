"""How a precedent's origin is written for a reader: project, unit, department, year, file."""

from __future__ import annotations

from typing import Any

KIND_LABELS = {"precedent": "公开表格", "library": "共性指标库", "user": "用户填写"}


def short_source(prov: Any | None) -> str:
    """One short cell: "项目名（2024）" or the library's name."""
    if prov is None:
        return "（来源不明）"
    if getattr(prov, "kind", "") == "library" and not prov.project:
        return KIND_LABELS["library"]
    project = prov.project or "（未署项目名）"
    return f"{project}（{prov.year}）" if prov.year else project


def full_source(prov: Any | None) -> str:
    """Every provenance field we have, one per line, Chinese labels."""
    if prov is None:
        return "来源：不明"
    lines = [f"类型：{KIND_LABELS.get(prov.kind, prov.kind)}"]
    if prov.project:
        lines.append(f"项目：{prov.project}")
    if prov.unit:
        lines.append(f"实施单位：{prov.unit}")
    if prov.department:
        lines.append(f"主管部门：{prov.department}")
    if prov.year:
        lines.append(f"年度：{prov.year}")
    if prov.source:
        where = f"{prov.source} 第{prov.line}行" if prov.line else prov.source
        lines.append(f"出处：{where}")
    if getattr(prov, "note", None):
        lines.append(f"说明：{prov.note}")
    return "\n".join(lines)


def line_source(prov: Any | None) -> str:
    """All of it on one line, with Chinese commas (no spaces, so it wraps evenly)."""
    if prov is None:
        return "来源：不明"
    bits = [KIND_LABELS.get(prov.kind, prov.kind)]
    if prov.project:
        bits.append(f"{prov.project}（{prov.year}）" if prov.year else prov.project)
    elif prov.year:
        bits.append(f"{prov.year}年")
    bits += [b for b in (prov.unit, prov.department) if b]
    if prov.source:
        bits.append(f"{prov.source}第{prov.line}行" if prov.line else prov.source)
    return "来源：" + "，".join(bits)
