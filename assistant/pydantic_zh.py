"""Chinese for pydantic's validation errors.

pydantic words its errors in English ("Input should be a valid decimal"); users read
Chinese, so every place that turns a ``ValidationError`` into a user message goes through
``describe``: the field path and a Chinese reason chosen by the error's ``type`` code.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

# pydantic error type → what is wrong, in Chinese
_REASONS = {
    "missing": "缺少此字段",
    "extra_forbidden": "是未知的字段",
    "decimal_parsing": "应是数字（金额），例如 159 或 10.5",
    "decimal_type": "应是数字（金额），例如 159 或 10.5",
    "decimal_max_digits": "数字位数太多",
    "decimal_max_places": "小数位数太多",
    "decimal_whole_digits": "整数位数太多",
    "finite_number": "应是有限的数字",
    "int_parsing": "应是整数",
    "int_type": "应是整数",
    "int_from_float": "应是整数",
    "float_parsing": "应是数字",
    "float_type": "应是数字",
    "bool_parsing": "应是 true 或 false",
    "bool_type": "应是 true 或 false",
    "string_type": "应是文字",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "list_type": "应是列表",
    "tuple_type": "应是列表",
    "dict_type": "应是对象（键: 值）",
    "model_type": "应是对象（键: 值）",
    "model_attributes_type": "应是对象（键: 值）",
    "literal_error": "不是可选的取值",
    "enum": "不是可选的取值",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than": "数值太大",
    "less_than_equal": "数值太大",
    "too_short": "条目太少",
    "too_long": "条目太多",
    "datetime_parsing": "应是日期时间，例如 2024-01-31T08:00:00",
    "datetime_type": "应是日期时间，例如 2024-01-31T08:00:00",
    "date_parsing": "应是日期，例如 2024-01-31",
    "date_type": "应是日期，例如 2024-01-31",
    "value_error": "取值不符合要求",
    "assertion_error": "取值不符合要求",
}


def field_path(loc: tuple[Any, ...] | list[Any], prefix: str = "") -> str:
    """``("indicators", 0, "value")`` → ``indicators[0].value`` (after ``prefix``)."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out and not out.endswith(".") else str(part)
    return out or "（文档）"


def reason(error: ErrorDetails) -> str:
    """The Chinese reason for one entry of ``ValidationError.errors()``."""
    return _REASONS.get(error["type"], "取值不符合要求")


def describe(exc: ValidationError, prefix: str = "") -> str:
    """``字段 header.total.value 应是数字（金额），例如 159 或 10.5（共 1 处）``: the first error,
    in Chinese, with how many there are in all."""
    first = exc.errors()[0]
    count = exc.error_count()
    more = f"（共 {count} 处）" if count > 1 else ""
    value = first.get("input")
    shown = ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        shown = f"，读到“{text if len(text) <= 30 else text[:29] + '…'}”"
    where = f"字段 {field_path(tuple(first['loc']), prefix)}" if first["loc"] or prefix else "内容"
    return f"{where} {reason(first)}{shown}{more}"
