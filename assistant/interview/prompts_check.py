"""Reading ``prompts/*.yaml`` and checking each file against the schema, with line numbers.

A typo (``kind: chioce``, ``target: header.untit``) is one Chinese line naming the file, the
line and the allowed values, raised as a JixiaoError when the script is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant import config
from assistant.errors import JixiaoError
from assistant.interview.schema import PromptFile, Prompts
from assistant.pydantic_zh import describe

_FIELD_OF = {"prompt_target": "target", "prompt_choices": "choices", "prompt_default": "default"}


def load(path: Path | str | None = None) -> Prompts:
    """Read the script from a folder of YAML files (or one file); bad files → JixiaoError."""
    root = Path(path) if path is not None else config.prompts_dir()
    files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml")) if root.is_dir() else [root]
    if not files or not all(f.is_file() for f in files):
        raise JixiaoError("找不到对话脚本（prompts/*.yaml）", path=str(root))
    merged: dict[str, Any] = {"questions": [], "activity_types": {}, "slots": {}}
    where: dict[str, tuple[Path, int | None]] = {}  # question id → file, line
    for f in files:
        part, lines = _read(f)
        for i, q in enumerate(part.questions):
            if q.id in where:
                other = where[q.id][0].name
                raise JixiaoError(
                    f"问题编号“{q.id}”重复（{other} 中已有）", path=str(f), line=lines.get(i)
                )
            where[q.id] = (f, lines.get(i))
        merged["questions"].extend(part.questions)
        merged["activity_types"].update(part.activity_types)
        merged["slots"].update(part.slots)
        if part.slot_question is not None:
            merged["slot_question"] = part.slot_question
    prompts = Prompts.model_validate(merged)
    ids = list(where)
    for q in prompts.questions:
        if q.default_from and q.default_from not in where:
            f, line = where[q.id]
            raise JixiaoError(
                f"default_from “{q.default_from}” 不是已有的问题编号（可用：{'、'.join(ids)}）",
                path=str(f),
                line=line,
            )
    return prompts


def _read(f: Path) -> tuple[PromptFile, dict[int, int]]:
    """One file, checked; and the line of each of its questions (by index)."""
    try:
        text = f.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text) or {}
    except UnicodeDecodeError:
        raise JixiaoError("对话脚本不是 UTF-8 文本", path=str(f)) from None
    except OSError as exc:
        raise JixiaoError(f"无法读取对话脚本（{exc.strerror or exc}）", path=str(f)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise JixiaoError(
            "对话脚本不是有效的YAML", path=str(f), line=None if mark is None else mark.line + 1
        ) from None
    if not isinstance(doc, dict):
        raise JixiaoError("对话脚本应是一个映射（键: 值）", path=str(f))
    try:
        part = PromptFile.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = _FIELD_OF.get(err["type"])  # a whole-question check points at its field
        line = _line(node, tuple(err["loc"]) + ((field,) if field else ()))
        raise JixiaoError(f"对话脚本有误：{_message(err, exc)}", path=str(f), line=line) from None
    questions = _child(node, "questions")
    lines = (
        {i: n.start_mark.line + 1 for i, n in enumerate(questions.value)}
        if isinstance(questions, yaml.SequenceNode)
        else {}
    )
    return part, lines


def _message(err: Any, exc: ValidationError) -> str:
    """The field and what is wrong; a literal names the allowed values."""
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    if err["type"] == "literal_error":
        allowed = str(err.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", "、")
        allowed = allowed.replace(", ", "、")
        return f"{loc} 的值“{err['input']}”不可用（可用：{allowed}）"
    if err["type"].startswith("prompt_"):
        return f"{loc}：{err['msg']}" if loc else err["msg"]
    if err["type"] == "extra_forbidden":
        return f"{loc} 是未知的键（拼写错了？）"
    return describe(exc)


def _child(node: yaml.Node | None, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == str(key):
                return v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest node on the error's path."""
    found = node
    for part in loc:
        nxt = _child(found, part)
        if nxt is None:
            break
        found = nxt
    return None if found is None else found.start_mark.line + 1
