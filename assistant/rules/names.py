"""What an indicator's name itself states: a target such as ``培训合格率(≥95%)`` or
``配套变压器3台``, so the reviewer can compare it with the value."""

from __future__ import annotations

import re
from decimal import Decimal

NAME_UNITS = (
    "%|人次|人|名|次|期|个|台|套|项|份|场|批|班|辆|所|户|家|篇|册|本|门|课时|学时|亩|公里|吨|株"
    "|件|处|平方米|立方米|米|座|条|栋|间|村|元|万元"
)
_NAME_QUANTITY = re.compile(rf"(?<![\d.第\-~至])(\d+(?:\.\d+)?)\s*({NAME_UNITS})(?![\d年月日号])")


def name_quantities(name: str) -> list[tuple[Decimal, str]]:
    """Numbers with units a name states (``1250KVA变压器3台`` → [(3, 台)]); dates, ordinals
    (第1期) and ranges (1-6期) are not targets."""
    text = (name or "").replace("％", "%")
    return [(Decimal(m.group(1)), m.group(2)) for m in _NAME_QUANTITY.finditer(text)]
