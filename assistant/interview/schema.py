"""What the interview exchanges with a UI: questions, suggestions, turns; and the prompt script.

The script lives in ``prompts/*.yaml`` (read in file-name order) so wording, help text,
examples and follow-ups can be edited without touching code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant import config
from assistant.errors import JixiaoError
from assistant.model import Provenance
from assistant.pydantic_zh import describe


class Question(BaseModel):
    """One question the assistant asks; ``kind`` tells the UI how answers are understood."""

    id: str
    text: str
    help: str = ""
    example: str = ""
    kind: str = "text"  # text, choice, year, money, funds, goal, activities, number, slot
    choices: list[str] = []
    slot: tuple[str, str] | None = None  # (level1, level2) for indicator slot questions
    optional: bool = False
    default: str | None = None  # what skipping means, when optional
    answer: str | None = None  # the answer given earlier (after ``back`` or on resume)


class Suggestion(BaseModel):
    """A candidate indicator row for a slot: drafted from the activities, or from precedents."""

    id: str
    level1: str
    level2: str
    name: str
    value: str
    provenance: Provenance | None = None
    typical_values: list[tuple[str, int]] = []
    used_in: int = 1
    origin: Literal["drafted", "precedent", "library", "not_applicable"] = "precedent"


class Turn(BaseModel):
    """The assistant's reply to one user action."""

    ok: bool
    messages: list[str] = []  # Chinese chat lines: what was understood, findings in plain words
    reask: str | None = None  # Chinese, with an example, when the answer was not understood
    next: Question | None = None


class Validation(BaseModel):
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str | None = None


class QuestionSpec(BaseModel):
    """A question as written in the prompt script."""

    id: str
    kind: str = "text"
    target: str = ""
    text: str
    help: str = ""
    example: str = ""
    choices: list[str] = []
    allow_other: bool = False
    optional: bool = False
    default: str | None = None
    default_from: str | None = None
    when: str | None = None  # "training": asked only when an activity is a training
    validation: Validation = Field(default_factory=Validation)


class FollowUp(BaseModel):
    """A detail an activity type needs before its rows can be drafted."""

    field: str
    kind: Literal["number", "money"]
    unit: str
    text: str
    help: str = ""
    example: str = ""


class ActivityType(BaseModel):
    label: str
    keywords: list[str] = []
    units: list[str] = []
    follow_ups: list[FollowUp] = []
    topic: list[str] = []  # words that name this kind of work in indicator names (设备, 培训)


class SlotQuestion(BaseModel):
    text: str
    help: str = ""
    done_words: list[str] = []
    not_applicable_words: list[str] = []
    accept_all_words: list[str] = []


class SlotPrompt(BaseModel):
    ask: str
    example: str = ""
    # how precedents are looked up for this slot: by the activities' names, by the kinds of
    # work (采购, 培训 …) plus ``words``, or by the project's purpose (name, goal) plus ``words``
    query: Literal["activities", "kinds", "purpose"] = "purpose"
    words: str = ""
    # "不适用" is offered first unless the project mentions one of these words
    not_applicable_unless: list[str] = []


class Prompts(BaseModel):
    """The whole interview script."""

    questions: list[QuestionSpec]
    activity_types: dict[str, ActivityType] = {}
    slot_question: SlotQuestion | None = None
    slots: dict[str, SlotPrompt] = {}

    def question(self, qid: str) -> QuestionSpec:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


def load_prompts(path: Path | None = None) -> Prompts:
    """Read the script from a folder of YAML files (or one file); bad files → JixiaoError."""
    path = Path(path) if path is not None else config.prompts_dir()
    files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise JixiaoError("找不到对话脚本（prompts/*.yaml）", path=str(path))
    merged: dict[str, Any] = {"questions": [], "activity_types": {}, "slots": {}}
    for f in files:
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise JixiaoError(
                "对话脚本不是有效的YAML", path=str(f), line=None if line is None else line + 1
            ) from exc
        if not isinstance(doc, dict):
            raise JixiaoError("对话脚本应是一个映射（键: 值）", path=str(f))
        merged["questions"].extend(doc.get("questions") or [])
        merged["activity_types"].update(doc.get("activity_types") or {})
        merged["slots"].update(doc.get("slots") or {})
        if doc.get("slot_question"):
            merged["slot_question"] = doc["slot_question"]
    try:
        prompts = Prompts.model_validate(merged)
    except ValidationError as exc:
        raise JixiaoError(f"对话脚本有误：{describe(exc)}", path=str(path)) from None
    ids = [q.id for q in prompts.questions]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise JixiaoError(f"对话脚本中问题编号重复：{'、'.join(sorted(dup))}", path=str(path))
    return prompts
