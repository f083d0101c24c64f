"""What the reviewer returns: findings with locations and numbers, and the money breakdown."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from assistant.rules.codes import Severity, severity_of
from assistant.value_text import decimal_text


class Location(BaseModel):
    """Where a finding points: the level names, the row (index in ``table.indicators``),
    the indicator name, or a header field such as 年度总体绩效目标 / 项目总额."""

    level1: str | None = None
    level2: str | None = None
    row: int | None = None
    name: str | None = None
    field: str | None = None

    def describe(self) -> str:
        """Chinese text such as ``产出指标/成本指标，第5行「5.乡村建设示范培训班第1期」``.

        Parts are joined with Chinese commas, not spaces: the TUI drops spaces next to
        Chinese text, which would run the parts together."""
        parts: list[str] = []
        levels = "/".join(x for x in (self.level1, self.level2) if x)
        if levels:
            parts.append(levels)
        if self.row is not None:
            parts.append(f"第{self.row + 1}行")
        if self.name:
            parts.append(f"「{self.name}」")
        if self.field:
            parts.append(self.field)
        return "，".join(parts) or "整张表"


def row_list(rows: list[int]) -> str:
    """``第3、5、9行`` (1-based) for a message naming several rows."""
    return "第" + "、".join(str(r + 1) for r in rows) + "行"


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str = Field(description="中文说明")
    location: Location = Field(default_factory=Location)
    numbers: dict[str, str] = Field(default_factory=dict, description="相关数字（Decimal 文本）")
    rows: list[int] = Field(
        default_factory=list,
        description="同一原因涉及的全部行（``table.indicators`` 下标）；单行发现为空或一项",
    )


class CostLine(BaseModel):
    """One cost row worked out: its quantity row, the factors multiplied, the product in 元."""

    cost_row: int
    quantity_row: int | None
    factors: list[str]
    unit_cost: str
    product: str
    reading: str = Field(description="单价 / 总额 / 单价（按1计） …")
    note: str = ""


class MoneyBreakdown(BaseModel):
    lines: list[CostLine]
    total_yuan: str = Field(description="年度资金总额（元）；未填写时为空")
    sum_yuan: str
    gap_yuan: str = Field(description="合计减总额（元），正数表示超出")
    gap_wan: str
    balanced: bool


class Report(BaseModel):
    findings: list[Finding] = Field(default_factory=list)
    breakdown: MoneyBreakdown | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]


def finding(
    code: str,
    message: str,
    location: Location | None = None,
    *,
    rows: list[int] | None = None,
    **numbers: object,
) -> Finding:
    """Build a finding with the code's default severity; numbers become Decimal text.
    ``rows`` lists every row one cause covers (a template hint left in ten names)."""
    nums = {
        k: (
            decimal_text(v) if isinstance(v, (Decimal, int)) and not isinstance(v, bool) else str(v)
        )
        for k, v in numbers.items()
        if v is not None
    }
    return Finding(
        code=code,
        severity=severity_of(code),
        message=message,
        location=location or Location(),
        numbers=nums,
        rows=list(rows or []),
    )
