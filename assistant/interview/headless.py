"""Run the interview without a person, from an answers file (``jixiao draft --answers``).

The file is YAML or JSON: a mapping of question id → answer, exactly what a person would
type, plus an optional ``slots`` mapping for the indicator slots::

    project_name: 2024年监测评估中心信创项目
    year: 2024
    total: 6万                      # 万元 or 元; a bare number is 万元
    goal: 起草                      # or the goal text itself
    activities: |                   # one activity a line (or a YAML list)
      信创非密打印机5台，2600元/台
      信创非密计算机5套，单价9400元
    activity.1.days: 2天            # answers to follow-ups, when the description lacks them
    kind: training                  # or 项目类别: 培训与会议 (the project kind; inferred if absent,
                                    # asked only when the caller offers kinds, as jixiao draft does)
    slot_default: drafted           # slots not listed: drafted (default), top, or none
    slots:                          # key: 二级指标 (数量指标) or 一级/二级 (产出指标/数量指标)
      数量指标: 全部采纳             # accept every row drafted from the activities
      质量指标:
        - accept: top               # the best precedent; or accept: 2 (the 2nd suggestion)
        - 采购设备合格率：100%       # a row of your own: 三级指标：指标值
      生态效益: 不适用               # written 0 / 0
      服务对象满意度:
        - {accept: top, value: ≥95%}   # accept and edit the value (or name)

Optional questions not in the file take their defaults (项目属性 0101-一年期项目, 项目期 1年,
年度资金总额 = 项目总额, 全部财政拨款, goal drafted); a required one missing, an unknown key,
or an answer the engine cannot understand is a JixiaoError naming the file and key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from assistant.errors import JixiaoError
from assistant.fileio import check_yaml_aliases, read_limited, reading
from assistant.interview.engine import Interview
from assistant.interview.schema import Question
from assistant.interview.suggestions import KindCatalog, ProjectFacts, Suggester
from assistant.model import FRAMEWORKS, L2_COST, L2_ECON_COST, normalize_level2

if TYPE_CHECKING:
    from assistant.search import SearchEngine
    from assistant.store import DraftStore

SLOT_DEFAULTS = ("drafted", "top", "none")
_FOLLOW_UP = re.compile(r"activity\.\d+\.[a-z_]+")
_ACCEPT_TEXT = re.compile(r"^\s*(?:accept|采纳)\s*[:：]\s*(\S+)\s*$", re.I)


MAX_ANSWERS_BYTES = 2_000_000  # an answers file is a few KB; anything this big is a mistake
_MULTI_KINDS = ("activities", "funds", "goal")  # answers that may be a list (or a mapping)
_ITEM_KEYS = ("accept", "value", "name")
ALIASES = {"项目类别": "kind"}  # Chinese keys an answers file may use for a question id


class _DuplicateKey(Exception):
    """A key written twice in one mapping: YAML and JSON keep the last one without a word."""

    def __init__(self, key: Any, line: int | None = None):
        super().__init__(key)
        self.key, self.line = key, line


def _unique_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base loader reports it
                break
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_answers(path: Path) -> dict[str, Any]:
    """Read the answers file (UTF-8, GBK/GB18030 or with a BOM); anything but a mapping is a
    JixiaoError naming the file."""
    from assistant.importers.encoding import decode_bytes
    from assistant.importers.json_tables import json_error_reason

    where = str(path)
    with reading(where, "答案文件"):
        data = read_limited(Path(path), MAX_ANSWERS_BYTES, where)  # no FIFO, device, 2 GB
    if len(data) > MAX_ANSWERS_BYTES:
        raise JixiaoError(
            f"答案文件过大（{len(data) / 1e6:.1f} MB）；答案文件应是几 KB 的 YAML 或 JSON",
            path=where,
        )
    try:
        text, _ = decode_bytes(data, where) if data.strip() else ("", "utf-8")
    except JixiaoError:
        raise JixiaoError(
            "答案文件不是文本文件（应是 UTF-8 或 GBK 编码的 YAML 或 JSON）", path=where
        ) from None
    try:
        if where.lower().endswith(".json"):
            doc = json.loads(text, object_pairs_hook=_unique_json_keys)
        else:
            check_yaml_aliases(text, where)  # alias bombs
            doc = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except _DuplicateKey as exc:
        line = exc.line
        raise JixiaoError(
            f"“{exc.key}”写了不止一次（只能写一次，请删去多余的一处）", path=where, line=line
        ) from None
    except json.JSONDecodeError as exc:
        raise JixiaoError(
            f"不是有效的JSON（第{exc.colno}列附近：{json_error_reason(exc)}）",
            path=where,
            line=exc.lineno,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        column = "" if mark is None else f"（第{mark.column + 1}列附近）"
        raise JixiaoError(
            f"不是有效的YAML{column}", path=where, line=None if mark is None else mark.line + 1
        ) from None
    except RecursionError:
        raise JixiaoError("答案文件的嵌套层数过多，不是问题编号与回答的映射", path=where) from None
    if not isinstance(doc, dict):
        raise JixiaoError("答案文件应是“问题编号: 回答”的映射", path=where)
    return doc


def _shown(raw: str | None, limit: int = 60) -> str:
    """An answer quoted in an error message: one line, not too long."""
    one = " / ".join(part.strip() for part in (raw or "").splitlines() if part.strip())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _scalar(value: Any, key: str, where: str) -> str:
    """A single answer: text, number, yes/no or empty; a list or mapping is an error."""
    if isinstance(value, (list, dict)):
        kind = "列表" if isinstance(value, list) else "映射"
        raise JixiaoError(f"“{key}”应是一段文字，不能是{kind}", path=where)
    return _as_text(value)


def _answer_text(value: Any, key: str, multi: bool, where: str) -> str:
    """The text for one question: a list (one item a line) or a mapping (key + value) only
    where the question takes several parts; never nested."""
    if not multi or not isinstance(value, (list, dict)):
        text = _scalar(value, key, where)
        if not multi and "\n" in text.strip():
            raise JixiaoError(f"“{key}”的回答应写在一行：“{_shown(text)}”", path=where)
        return text
    if isinstance(value, list):
        return "\n".join(_scalar(v, f"{key}[{n + 1}]", where) for n, v in enumerate(value))
    return "，".join(f"{k}{_scalar(v, f'{key}.{k}', where)}" for k, v in value.items())


def _as_text(value: Any) -> str:
    """A scalar from the file → the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _with_aliases(doc: dict[str, Any], where: str) -> dict[str, Any]:
    """``项目类别: 培训与会议`` read as ``kind: 培训与会议`` (both at once is an error)."""
    out = dict(doc)
    for alias, key in ALIASES.items():
        if alias in out:
            if key in out:
                raise JixiaoError(f"“{alias}”与“{key}”是同一个问题，只能写一个", path=where)
            out[key] = out.pop(alias)
    return out


def answers_facts(
    path: Path,
    *,
    suggester: Suggester | None = None,
    kinds: KindCatalog | None = None,
    prompts_path: Path | None = None,
) -> ProjectFacts:
    """What the interview would tell its suggester about the project in the answers file
    (name, year, goal, activities, kind), read the way ``run_answers`` reads it, without
    drafting or saving; questions the file leaves out are passed over (only the project name
    is needed). ``jixiao suggest --answers`` asks with these facts, so it prints what the
    interview offers."""
    doc = _with_aliases(load_answers(path), str(path))
    for extra in ("slots", "指标", "slot_default"):
        doc.pop(extra, None)
    iv = Interview(
        prompts_path=prompts_path, autosave=False, review=False, suggester=suggester, kinds=kinds
    )
    while (q := iv.current()) is not None and q.slot is None:
        raw = doc.pop(q.id, None)
        text = "" if raw is None else _answer_text(raw, q.id, q.kind in _MULTI_KINDS, str(path))
        turn = iv.answer(text) if text.strip() else iv.skip()
        if not turn.ok and text.strip():
            raise JixiaoError(
                f"“{q.id}”的回答“{_shown(text)}”无法理解：{_shown(turn.reask, 200)}",
                path=str(path),
            )
        if not turn.ok:
            iv.pass_over()  # required but absent: what it would say does not change the facts
    return iv.facts()


def run_answers(
    path: Path,
    *,
    store: DraftStore | None = None,
    searcher: SearchEngine | None = None,
    prompts_path: Path | None = None,
    suggester: Suggester | None = None,
    kinds: KindCatalog | None = None,
) -> Interview:
    """Drive a new interview from the answers file to the end and save the draft once, at the
    end: a file the engine cannot follow leaves nothing in the store. ``suggester`` swaps the
    precedent lookup (``jixiao draft`` passes the knowledge layer's gate, which also offers
    the project kinds; ``kinds`` overrides that)."""
    where = str(path)
    doc = _with_aliases(load_answers(path), where)
    slots_doc = doc.pop("slots", None)
    if slots_doc is None:
        slots_doc = doc.pop("指标", None)
    slots_doc = slots_doc or {}
    if not isinstance(slots_doc, dict):
        raise JixiaoError("“slots”应是“二级指标: 回答”的映射", path=where)
    slot_default = _scalar(doc.pop("slot_default", "drafted"), "slot_default", where).strip()
    if slot_default not in SLOT_DEFAULTS:
        raise JixiaoError(
            f"“slot_default”只能是 {'、'.join(SLOT_DEFAULTS)}，不能是“{slot_default}”", path=where
        )

    iv = Interview(
        store=store,
        searcher=searcher,
        prompts_path=prompts_path,
        autosave=False,
        review=False,
        suggester=suggester,
        kinds=kinds,
    )
    known = {q.id for q in iv.prompts.questions}
    for key in doc:
        if str(key) not in known and not _FOLLOW_UP.fullmatch(str(key)):
            raise JixiaoError(
                f"未知的问题编号“{key}”（可用：{'、'.join(sorted(known))}）", path=where
            )
    slot_items = _slot_items(slots_doc, iv, where)

    steps = 0
    while (q := iv.current()) is not None:
        steps += 1
        if steps > 1000 + 10 * len(iv.activities):
            raise JixiaoError("答案文件没有让对话走到结尾（问题在循环）", path=where)
        if q.slot is not None:
            key = q.slot[1]
            if key not in slot_items and key == L2_ECON_COST:
                key = L2_COST  # "成本指标" in a file means the cost rows, in either framework
            _fill_slot(iv, q, slot_items.pop(key, None), slot_default, where)
            continue
        if q.id in doc:
            raw = _answer_text(doc.pop(q.id), q.id, q.kind in _MULTI_KINDS, where)
            turn = iv.answer(raw) if raw.strip() else iv.skip()
            if not turn.ok:
                raise JixiaoError(
                    f"“{q.id}”的回答“{_shown(raw)}”无法理解：{_shown(turn.reask, 200)}",
                    path=where,
                )
        elif q.optional:
            turn = iv.skip()
            if not turn.ok:
                raise JixiaoError(f"“{q.id}”无法采用默认值：{_shown(turn.reask, 200)}", path=where)
        else:
            raise JixiaoError(f"缺少“{q.id}”的回答（{q.text} 例如：{q.example}）", path=where)
    if slot_items:
        label = "成本指标为一级指标" if iv.framework == "2021" else "产出下设成本指标"
        raise JixiaoError(
            f"“slots”中的“{next(iter(slot_items))}”不在所选指标体系（{label}）中", path=where
        )
    unused = [k for k in doc if _FOLLOW_UP.fullmatch(str(k))]
    if unused:
        raise JixiaoError(f"没有用到的追问回答“{unused[0]}”（对话中没有问到这一项）", path=where)
    iv.save(f"按答案文件 {Path(path).name} 起草")
    return iv


def _slot_items(slots_doc: dict, iv: Interview, where: str) -> dict[str, list]:
    """Slot key (二级指标, or 一级/二级) → list of items; unknown slots are an error."""
    level2s = {l2 for _, l2 in iv.slots()} | {
        l2 for fw in ("pre2021", "2021") for l2 in _all_level2(fw)
    }
    out: dict[str, list] = {}
    for key, value in slots_doc.items():
        text = str(key)
        l2 = normalize_level2(text.rsplit("/", 1)[-1])
        if l2 not in level2s:
            raise JixiaoError(f"“slots”中未知的二级指标“{key}”", path=where)
        out[l2] = value if isinstance(value, list) else [value]
    return out


def _all_level2(framework: str) -> list[str]:
    return [l2 for l2s in FRAMEWORKS[framework].values() for l2 in l2s]


def _fill_slot(
    iv: Interview, q: Question, items: list[Any] | None, slot_default: str, where: str
) -> None:
    key = f"slots.{q.slot[1] if q.slot else q.id}"
    if items is None:
        # rows drafted from the activities; with "top", the best precedent where none were drafted
        drafted = slot_default in ("drafted", "top") and _accept(
            iv, "drafted", None, None, key, where, required=False
        )
        if slot_default == "top" and not drafted:
            _accept(iv, "top", None, None, key, where, required=False)
        iv.skip()
        return
    for item in items:
        if (cur := iv.current()) is None or cur.id != q.id:
            raise JixiaoError(f"“{key}”在“不适用”或“完成”之后还有内容", path=where)
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        if isinstance(item, dict):
            unknown = [str(k) for k in item if k not in _ITEM_KEYS]
            if unknown:
                raise JixiaoError(
                    f"“{key}”中的条目有未知的键“{unknown[0]}”（可用：{'、'.join(_ITEM_KEYS)}）",
                    path=where,
                )
            fields = {k: _opt(v, f"{key}.{k}", where) for k, v in item.items()}
            if "accept" in item:
                _accept(
                    iv,
                    fields["accept"],
                    fields.get("value"),
                    fields.get("name"),
                    key,
                    where,
                    required=True,
                )
            elif "name" in item and "value" in item:
                _answer(iv, f"{fields['name']}：{fields['value']}", key, where)
            else:
                raise JixiaoError(f"“{key}”中的条目应写 accept，或 name 和 value", path=where)
            continue
        text = _scalar(item, key, where).strip()
        m = _ACCEPT_TEXT.match(text)
        if m:
            _accept(iv, m.group(1), None, None, key, where, required=True)
        else:
            _answer(iv, text, key, where)
    if (cur := iv.current()) is not None and cur.id == q.id:
        iv.skip()


def _opt(value: Any, key: str, where: str) -> str | None:
    return None if value is None else _scalar(value, key, where)


def _answer(iv: Interview, text: str, key: str, where: str) -> None:
    turn = iv.answer(text)
    if not turn.ok:
        raise JixiaoError(
            f"“{key}”中的“{_shown(text)}”无法理解：{_shown(turn.reask, 200)}", path=where
        )


def _accept(
    iv: Interview,
    which: Any,
    value: str | None,
    name: str | None,
    key: str,
    where: str,
    *,
    required: bool,
) -> bool:
    """accept: drafted (all drafted rows) | top (best precedent) | N (the N-th suggestion).

    True when something was accepted."""
    shown = iv.suggestions()
    pick = str(which).strip().lower()
    if pick in ("drafted", "起草"):
        chosen = [s for s in shown if s.origin == "drafted"]
    elif pick in ("全部采纳", "all"):  # the drafted rows; where none were drafted, all shown
        offered = [s for s in shown if s.origin != "not_applicable"]
        chosen = [s for s in offered if s.origin == "drafted"] or offered
    elif pick in ("top", "最佳", "第一"):
        chosen = [s for s in shown if s.origin in ("precedent", "library")][:1]
    elif pick.isdigit() and 1 <= int(pick) <= len(shown):
        chosen = [shown[int(pick) - 1]]
    else:
        raise JixiaoError(
            f"“{key}”中的 accept: {which} 无法理解（可写 drafted、top 或建议序号1–{len(shown)}）",
            path=where,
        )
    if not chosen:
        if required:
            raise JixiaoError(f"“{key}”没有可采纳的建议（accept: {which}）", path=where)
        return False
    if value is None and name is None:
        turns = [iv.accept_many([s.id for s in chosen])]
    else:
        turns = [iv.accept(s.id, value=value, name=name) for s in chosen]
    for turn in turns:
        if not turn.ok:
            raise JixiaoError(f"“{key}”采纳建议失败：{turn.reask}", path=where)
    return True
