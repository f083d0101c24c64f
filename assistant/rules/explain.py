"""Findings as plain Chinese sentences for the chat, most serious first."""

from __future__ import annotations

from assistant.rules.report import Report

SEVERITY_ZH = {"error": "错误", "warning": "提醒", "info": "说明"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def explain(report: Report) -> list[str]:
    """One sentence per finding (errors, then warnings, then notes), then the money summary."""
    out: list[str] = []
    for f in sorted(report.findings, key=lambda f: _ORDER[f.severity]):
        where = f.location.describe()
        out.append(f"【{SEVERITY_ZH[f.severity]}】{where}：{f.message}")
    b = report.breakdown
    if b is not None and b.total_yuan:
        if b.balanced:
            out.append(f"成本测算：{len(b.lines)}条成本行合计{b.sum_yuan}元，与年度资金总额一致。")
        else:
            out.append(
                f"成本测算：{len(b.lines)}条成本行合计{b.sum_yuan}元，年度资金总额{b.total_yuan}元，"
                f"相差{b.gap_yuan}元（{b.gap_wan}万元）。"
            )
    if not report.findings:
        out.insert(0, "没有发现问题。")
    return out
