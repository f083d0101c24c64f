"""What the interview exchanges with a UI (questions, suggestions, turns) and the prompt script.

The script lives in ``prompts/*.yaml`` (read in file-name order) so wording, help text,
examples and follow-ups can be edited without touching code. Each file is checked against the
schema below when it is read (``prompts_check.py``): a typo in ``kind:`` or ``target:`` is one
Chinese line naming the file, the line and the allowed values, never a traceback later.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from assistant.interview.kinds import ActivityKind
from assistant.model import FRAMEWORKS, Header, Provenance

QuestionKind = Literal["text", "choice", "year", "money", "funds", "goal", "activities"]
# where each kind of answer may be written in the table (targets checked against the model)
_TEXT_HEADER = tuple(
    f"header.{name}" for name, f in Header.model_fields.items() if f.annotation in (str, str | None)
)
TARGETS: dict[str, tuple[str, ...]] = {
    "text": _TEXT_HEADER,
    "choice": (*_TEXT_HEADER, "framework", "reconcile", "kind"),
    "year": ("header.year",),
    "money": ("header.total", "header.annual_total"),
    "funds": ("header.funds",),
    "goal": ("goal",),
    "activities": ("activities", "extras", "activities_more"),
}
# the values the engine acts on for its own choice questions
CHOICE_VALUES: dict[str, tuple[str, ...]] = {
    "framework": tuple(FRAMEWORKS),
    "reconcile": ("adjust", "more", "keep"),
}
LEVEL2_NAMES = tuple(
    dict.fromkeys(l2 for fw in FRAMEWORKS.values() for l2s in fw.values() for l2 in l2s)
)
# choice lists the engine fills in when the question is asked (``choices_from``): the project
# kinds come from whoever the interview was given (``Interview(kinds=…)``), not from the YAML
ChoicesFrom = Literal["kinds"]
FollowUpField = Literal["periods", "people", "days", "rate", "times", "count", "price", "amount"]


def _allowed(values: tuple[str, ...] | list[str]) -> str:
    return "、".join(values)


class Question(BaseModel):
    """One question the assistant asks; ``kind`` tells the UI how answers are understood."""

    id: str
    text: str
    help: str = ""
    example: str = ""
    kind: str = "text"  # a QuestionKind, "number"/"money" for follow-ups, or "slot"
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Validation(_Strict):
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str | None = None


class Choice(_Strict):
    """One option: ``value`` is what the engine acts on, ``label`` what the user reads."""

    value: str
    label: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"value": data, "label": data} if isinstance(data, str) else data


class QuestionSpec(_Strict):
    """A question as written in the prompt script."""

    id: str
    kind: QuestionKind = "text"
    target: str = ""
    text: str
    help: str = ""
    example: str = ""
    choices: list[Choice] = []
    choices_from: ChoicesFrom | None = None  # the choices are filled in when asked
    allow_other: bool = False
    optional: bool = False
    default: str | None = None
    default_from: str | None = None
    when: ActivityKind | None = None  # asked only when an activity is of this kind
    validation: Validation = Field(default_factory=Validation)

    @model_validator(mode="after")
    def _fits(self) -> QuestionSpec:
        allowed = TARGETS[self.kind]
        target = self.target or self.id
        if target not in allowed:
            raise PydanticCustomError(
                "prompt_target",
                "target “{target}” 不能用于 kind: {kind}（可用：{allowed}）",
                {"target": target, "kind": self.kind, "allowed": _allowed(allowed)},
            )
        if (target == "kind") != (self.choices_from == "kinds"):
            raise PydanticCustomError(
                "prompt_choices",
                "target: kind 的问题要写 choices_from: kinds（选项由项目类别表给出），反之亦然",
                {},
            )
        if self.kind == "choice" and self.choices_from is not None:
            if self.choices:
                raise PydanticCustomError(
                    "prompt_choices", "写了 choices_from 就不要再写 choices", {}
                )
        elif self.kind == "choice":
            if not self.choices:
                raise PydanticCustomError("prompt_choices", "kind: choice 的问题要写 choices", {})
            need = CHOICE_VALUES.get(target)
            values = [c.value for c in self.choices]
            if need is not None and sorted(values) != sorted(need):
                raise PydanticCustomError(
                    "prompt_choices",
                    "choices 的 value 应正好是：{allowed}",
                    {"allowed": _allowed(need)},
                )
            labels = [c.label for c in self.choices]
            if self.default is not None and self.default not in labels and not self.allow_other:
                raise PydanticCustomError(
                    "prompt_default",
                    "default “{default}” 不是选项之一（可用：{allowed}）",
                    {"default": self.default, "allowed": _allowed(labels)},
                )
        return self

    def value_of(self, label: str) -> str:
        """The value behind a chosen label (an "other" answer is its own value)."""
        return next((c.value for c in self.choices if c.label == label), label)


class FollowUp(_Strict):
    """A detail an activity type needs before its rows can be drafted."""

    field: FollowUpField
    kind: Literal["number", "money"]
    unit: str
    text: str
    help: str = ""
    example: str = ""


class ActivityType(_Strict):
    label: str
    keywords: list[str] = []
    units: list[str] = []
    follow_ups: list[FollowUp] = []
    topic: list[str] = []  # words that name this kind of work in indicator names (设备, 培训)


class SlotQuestion(_Strict):
    text: str
    help: str = ""
    done_words: list[str] = []
    not_applicable_words: list[str] = []
    accept_all_words: list[str] = []


class SlotPrompt(_Strict):
    ask: str
    example: str = ""
    # how precedents are looked up for this slot: by the activities' names, by the kinds of
    # work (采购, 培训 …) plus ``words``, or by the project's purpose (name, goal) plus ``words``
    query: Literal["activities", "kinds", "purpose"] = "purpose"
    words: str = ""
    # "不适用" is offered first unless the project mentions one of these words
    not_applicable_unless: list[str] = []


class PromptFile(_Strict):
    """One file of the script; every part is optional, the files together make the script."""

    questions: list[QuestionSpec] = []
    activity_types: dict[ActivityKind, ActivityType] = {}
    slot_question: SlotQuestion | None = None
    slots: dict[str, SlotPrompt] = {}

    @field_validator("slots")
    @classmethod
    def _known_slots(cls, value: dict[str, SlotPrompt]) -> dict[str, SlotPrompt]:
        bad = [k for k in value if k not in LEVEL2_NAMES]
        if bad:
            raise PydanticCustomError(
                "prompt_slot",
                "slots 中的“{name}”不是二级指标（可用：{allowed}）",
                {"name": bad[0], "allowed": _allowed(LEVEL2_NAMES)},
            )
        return value


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

    def find(self, qid: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.id == qid), None)


def load_prompts(path: Any = None) -> Prompts:
    """Read and check the script (see ``prompts_check.load``); bad files → JixiaoError."""
    from assistant.interview.prompts_check import load

    return load(path)


class Reask(Exception):
    """An answer the interview did not understand: ``reason`` is said back, in Chinese, with
    the question's example. The one error convention inside the interview; the ``Interview``
    front turns it into ``Turn(ok=False, reask=…)``. (Environment failures are JixiaoError.)"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check(reason: str | None) -> None:
    """Raise ``Reask`` when a parser gave a reason."""
    if reason:
        raise Reask(reason)
