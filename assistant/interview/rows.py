"""The indicator rows: drafted from the activities, accepted from suggestions, typed, edited,
removed; drafted rows follow the activities when these change.

Every change goes through here so the state remembers which suggestion became which row
(accepted suggestions are not offered again; a deleted row's suggestion is).
"""

from __future__ import annotations

import hashlib

from assistant.interview.flow import cost_slot, slot_id
from assistant.interview.money import draft_rows
from assistant.interview.schema import Reask, Suggestion
from assistant.interview.state import Draft, RowKey
from assistant.model import (
    L1_BENEFIT,
    L1_OUTPUT,
    L2_QUANTITY,
    L2_TIME,
    Indicator,
    Provenance,
    split_number,
)
from assistant.provenance_text import chat_source

USER_ROW = Provenance(source="对话：用户填写", kind="user")
VALUE_EXAMPLES = "例如：≥95%、5台、{year}年12月31日前、有效提升"


def sid(prefix: str, *parts: str) -> str:
    """A suggestion's stable id: the same row drafted again has the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}:{digest}"


def key_of(ind: Indicator) -> RowKey:
    return RowKey(ind.level1, ind.level2, ind.name, ind.value)


def unmeasurable(value: str) -> str | None:
    """Why a typed 指标值 is not a value at all (the value grammar reads it as plain text)."""
    from assistant.values import parse_value

    if parse_value(value).kind == "text":
        return f"“{value}”不像指标值（应是数量、比率、金额、日期或“有效提升”这类等级）"
    return None


def examples(d: Draft) -> str:
    """The value examples, in the draft's own budget year."""
    return VALUE_EXAMPLES.format(year=d.table.header.year or 2024)


def checked(d: Draft, name: str, value: str) -> tuple[str, str]:
    """A row as typed, stripped; Reask when a part is missing or the value is not a value."""
    name, value = (name or "").strip(), (value or "").strip()
    if not name or not value:
        raise Reask("三级指标和指标值都要写，例如：采购设备合格率：100%")
    reason = unmeasurable(value)
    if reason:
        raise Reask(f"{reason}。{examples(d)}")
    return name, value


def drafted(d: Draft, level1: str, level2: str) -> list[Suggestion]:
    """Rows drafted from the activities (数量, 成本) or the budget year (时效)."""
    out: list[Indicator] = []
    slot = (level1, level2)
    year = d.table.header.year
    if slot == (L1_OUTPUT, L2_QUANTITY) or slot == cost_slot(d.state.framework):
        quantity, cost = draft_rows(d.activities, *cost_slot(d.state.framework))
        out = quantity if slot == (L1_OUTPUT, L2_QUANTITY) else cost
    elif slot == (L1_OUTPUT, L2_TIME) and year:
        out = [
            Indicator(
                level1=level1,
                level2=level2,
                name=f"{year}年12月31日前完成率",
                value="100%",
                provenance=Provenance(
                    source="对话：按预算年度起草", kind="user", note="按预算年度年底完成起草"
                ),
            )
        ]
    return [
        Suggestion(
            id=sid("drafted", level2, i.name, i.value),
            level1=level1,
            level2=level2,
            name=i.name,
            value=i.value,
            provenance=i.provenance,
            origin="drafted",
        )
        for i in out
    ]


def still_open(d: Draft, slot: tuple[str, str], offered: list[Suggestion]) -> list[Suggestion]:
    """The suggestions not taken, rejected or already in the slot (by row, or by name for a
    precedent)."""
    here = d.rows_in(slot)
    present = {(i.name, i.value) for i in here}
    present_names = {split_number(i.name)[1] for i in here}
    st = d.state
    return [
        s
        for s in offered
        if s.id not in st.accepted
        and s.id not in st.rejected
        and (s.name, s.value) not in present
        and (s.origin == "drafted" or s.name not in present_names)
        and not (s.origin == "not_applicable" and ("0", "0") in present)
    ]


def accept(d: Draft, s: Suggestion, value: str | None, name: str | None) -> list[str]:
    """Put a suggestion into the table, optionally edited (the provenance notes the edit)."""
    if s.origin == "not_applicable":
        return mark_not_applicable(d, s.level1, s.level2)
    new_name = (name or s.name).strip()
    new_value = (value or s.value).strip()
    prov = s.provenance
    if prov is not None and (new_name != s.name or new_value != s.value):
        prov = prov.model_copy(update={"note": ((prov.note or "") + " 采纳后已修改").strip()})
    ind = Indicator(
        level1=s.level1, level2=s.level2, name=new_name, value=new_value, provenance=prov
    )
    d.table.indicators.append(ind)
    d.state.accepted[s.id] = key_of(ind)
    if s.origin == "drafted" and (s.level1, s.level2) in (
        (L1_OUTPUT, L2_QUANTITY),
        cost_slot(d.state.framework),
    ):
        d.state.drafted_slots.add(slot_id(s.level1, s.level2))
    return [f"已采纳：{new_name}：{new_value}" + source(s)]


def mark_not_applicable(d: Draft, level1: str, level2: str) -> list[str]:
    """Write the 0 / 0 row and finish the slot."""
    if not any(i.name == "0" and i.value == "0" for i in d.rows_in((level1, level2))):
        d.table.indicators.append(
            Indicator(level1=level1, level2=level2, name="0", value="0", provenance=USER_ROW)
        )
    finish(d, slot_id(level1, level2))
    return [f"「{level2}」不适用，按惯例写作 0 / 0。"]


def empty_slot_reason(d: Draft, slot: tuple[str, str], example: str = "") -> str:
    """Why a slot without rows cannot be closed, and the ways on: a row of one's own (like
    ``example``), a suggestion, or (an effect dimension only, as the convention allows)
    不适用 written 0 / 0."""
    level1, level2 = slot
    own = [s for s in drafted(d, *slot) if s.origin == "drafted"]
    if own:  # the project's own drafted row is the better example than the prompt's
        example = f"{own[0].name}：{own[0].value}"
    like = f"（例如：{example}）" if example else ""
    ways = f"写一条“三级指标：指标值”{like}，或回答建议的序号"
    if own:
        ways += "（“全部采纳”采纳起草的行）"
    if level1 == L1_BENEFIT:
        ways += "；这一维度不适用的，回答“不适用”（按惯例写作 0 / 0）"
    return f"「{level2}」还没有指标，不能直接完成：请{ways}。"


def finish(d: Draft, qid: str) -> None:
    d.state.slots_done.add(qid)
    if d.state.pointer == qid:
        d.state.pointer = None


def add(
    d: Draft, level1: str, level2: str, name: str, value: str, provenance: Provenance | None
) -> list[str]:
    """One row of the user's own (or taken from the search screen, keeping its source)."""
    name, value = checked(d, name, value)
    d.table.indicators.append(
        Indicator(
            level1=level1, level2=level2, name=name, value=value, provenance=provenance or USER_ROW
        )
    )
    src = chat_source(provenance) if provenance is not None and provenance.kind != "user" else ""
    return [f"已添加：{name}：{value}{src}"]


def remove(d: Draft, index: int) -> Indicator:
    """Delete ``table.indicators[index]``; the suggestion it came from may be offered again."""
    if not 0 <= index < len(d.table.indicators):
        raise Reask(f"没有第{index + 1}行指标。")
    ind = d.table.indicators.pop(index)
    key = key_of(ind)
    for s_id, row in list(d.state.accepted.items()):
        if row == key:
            del d.state.accepted[s_id]
            break
    return ind


def edit(d: Draft, index: int, name: str | None, value: str | None) -> Indicator:
    """Change the name and/or value of any row (an accepted one too); provenance kept, noted."""
    if not 0 <= index < len(d.table.indicators):
        raise Reask(f"没有第{index + 1}行指标。")
    ind = d.table.indicators[index]
    new_name, new_value = checked(
        d, name if name is not None else ind.name, value if value is not None else ind.value
    )
    key = key_of(ind)
    for s_id, row in d.state.accepted.items():
        if row == key:
            d.state.accepted[s_id] = RowKey(ind.level1, ind.level2, new_name, new_value)
            break
    prov = ind.provenance
    if prov is not None and prov.kind != "user" and "已修改" not in (prov.note or ""):
        prov = prov.model_copy(update={"note": ((prov.note or "") + " 采纳后已修改").strip()})
    new = ind.model_copy(update={"name": new_name, "value": new_value, "provenance": prov})
    d.table.indicators[index] = new
    return new


def sync_drafted(d: Draft) -> list[str]:
    """Slots whose drafted rows were accepted follow the activities when these change."""
    out = []
    for slot in ((L1_OUTPUT, L2_QUANTITY), cost_slot(d.state.framework)):
        if slot_id(*slot) not in d.state.drafted_slots:
            continue
        fresh = drafted(d, *slot)
        fresh_ids = {s.id for s in fresh}
        stale = [
            s_id
            for s_id, row in d.state.accepted.items()
            if s_id.startswith("drafted:")
            and (row.level1, row.level2) == slot
            and s_id not in fresh_ids
        ]
        stale_keys = {d.state.accepted.pop(s_id) for s_id in stale}
        if stale_keys:
            d.table.indicators = [i for i in d.table.indicators if key_of(i) not in stale_keys]
        added = [s for s in fresh if s.id not in d.state.accepted and s.id not in d.state.rejected]
        for s in added:
            accept(d, s, None, None)
        if stale or added:
            out.append(
                f"活动有变化，已按新的测算更新「{slot[1]}」：去掉{len(stale)}行，加入{len(added)}行。"
            )
    return out


def source(s: Suggestion) -> str:
    p = s.provenance
    if s.origin == "drafted":
        return "（按您描述的活动起草）"
    return chat_source(p) if p is not None else ""
