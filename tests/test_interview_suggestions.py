"""Which precedents a slot question suggests, and rows that keep where they came from."""

from __future__ import annotations

import pytest

from assistant.interview import Interview
from assistant.model import Indicator, Provenance
from assistant.search import SearchEngine
from assistant.store import DraftStore

XC = "2024年监测评估中心信创项目"
ZW = "2024年电子政务外网安全服务项目"
PX = "2024年乡村振兴干部培训项目"
LZ = "2023年荒山植树造林项目"


def _row(level1: str, level2: str, name: str, value: str, project: str) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        value=value,
        provenance=Provenance(source="seed.txt", line=1, project=project, year=2024),
    )


def _library(level1: str, level2: str, name: str, value: str) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        value=value,
        provenance=Provenance(source="共性指标库（jixiao）", kind="library"),
    )


CORPUS = [
    _row("产出指标", "质量指标", "数据分析报告全面性", "95%以上", ZW),
    _row("产出指标", "质量指标", "第三方数据分析服务验收通过率", "100%", ZW),
    _library("产出指标", "质量指标", "设备验收合格率", "100%"),
    _library("产出指标", "质量指标", "培训合格率", "≥95%"),
    _row("效益指标", "生态效益", "有效减少应数据泄露事件导致的人员活动和设备运行", "优", ZW),
    _row("效益指标", "生态效益", "荒山造林面积增加", "≥500亩", LZ),
    _row("效益指标", "社会效益", "提高数据安全，降低数据泄露风险", "优", ZW),
    _row("效益指标", "社会效益", "设备利用率", "≥90%", XC),
    _row("效益指标", "社会效益", "干部业务能力", "有效提高", PX),
    _row("满意度指标", "服务对象满意度", "信创办公设备使用人员满意度", "≥95%", XC),
    _row("满意度指标", "服务对象满意度", "参训学员满意度", "≥95%", PX),
]

HEADER = [
    "",
    "自治区乡村振兴局",
    "宁夏回族自治区乡村振兴监测评估中心",
    "跳过",
    "跳过",
    "2024",
    "跳过",
    "20万",
    "跳过",
    "跳过",
    "跳过",
]
PURCHASE = (
    "2024年办公设备购置项目",
    "采购电脑10台，每台6000元；采购打印机2台，每台3000元；调研4次，每次3天4人，"
    "400元/天/人；第三方数据分析服务1项，共50000元",
)
TRAINING = ("2024年乡村振兴干部培训项目", "举办干部培训班2期，每期50人2天，450元/人/天")
FORESTRY = ("2024年荒山植树造林项目", "植树造林服务1项，共200000元")


@pytest.fixture
def searcher() -> SearchEngine:
    return SearchEngine(CORPUS, semantic=False)


def interview(searcher: SearchEngine, project: tuple[str, str]) -> Interview:
    iv = Interview(store=DraftStore(), searcher=searcher)
    name, activities = project
    for text in [name, *HEADER[1:], activities]:
        assert iv.answer(text).ok, text
    while iv.current().slot is None:  # extras, the money check: the defaults
        assert iv.skip().ok
    return iv


def go_to(iv: Interview, level2: str) -> None:
    while iv.current().slot[1] != level2:
        assert iv.skip().ok


def names(iv: Interview) -> list[str]:
    return [s.name for s in iv.suggestions()]


def test_quality_suggestions_follow_the_kind_of_work_library_first(searcher):
    iv = interview(searcher, PURCHASE)
    go_to(iv, "质量指标")
    shown = iv.suggestions()
    # the purchase's library entry leads; the training one is not offered to a purchase
    assert shown[0].name == "设备验收合格率" and shown[0].origin == "library"
    assert "培训合格率" not in names(iv)


def test_unrelated_benefit_rows_are_not_offered_and_not_applicable_comes_first(searcher):
    iv = interview(searcher, PURCHASE)
    go_to(iv, "生态效益")
    shown = iv.suggestions()
    assert shown[0].origin == "not_applicable" and shown[0].name == "不适用"
    assert "有效减少应数据泄露事件导致的人员活动和设备运行" not in names(iv)
    turn = iv.answer("1")  # taking it writes 0 / 0 and moves on
    assert turn.ok and turn.next.slot[1] != "生态效益"
    assert any((i.level2, i.name, i.value) == ("生态效益", "0", "0") for i in iv.table.indicators)


def test_an_ecological_project_is_not_told_ecology_does_not_apply(searcher):
    iv = interview(searcher, FORESTRY)
    go_to(iv, "生态效益")
    shown = iv.suggestions()
    assert all(s.origin != "not_applicable" for s in shown)
    assert shown[0].name == "荒山造林面积增加"


def test_social_benefit_and_satisfaction_fit_the_project(searcher):
    iv = interview(searcher, TRAINING)
    go_to(iv, "社会效益")
    assert names(iv)[0] == "干部业务能力"
    assert "提高数据安全，降低数据泄露风险" not in names(iv)
    go_to(iv, "服务对象满意度")
    assert names(iv)[0] == "参训学员满意度"


def test_headless_top_pick_is_a_precedent_never_not_applicable(searcher):
    from assistant.interview.headless import _accept  # noqa: PLC2701 - the headless picker

    iv = interview(searcher, PURCHASE)
    go_to(iv, "生态效益")
    assert iv.suggestions()[0].origin == "not_applicable"
    _accept(iv, "top", None, None, "k", "answers.yaml", required=False)
    assert all(i.name != "0" for i in iv.table.indicators if i.level2 == "生态效益")


def test_a_row_taken_from_a_precedent_keeps_where_it_came_from(searcher):
    iv = interview(searcher, PURCHASE)
    go_to(iv, "社会效益")
    precedent = _row("效益指标", "社会效益", "3.2024年设备利用率", "≥90%", XC)
    name, value, prov = iv.from_precedent(precedent)
    assert (name, value) == ("2024年设备利用率", "≥90%")  # numbering dropped; same year
    turn = iv.add_row("效益指标", "社会效益", name, value, provenance=prov)
    assert turn.ok and "先例：2024年监测评估中心信创项目" in turn.messages[0]
    row = iv.table.indicators[-1]
    assert (row.name, row.provenance.project, row.provenance.kind) == (name, XC, "precedent")
    own = iv.add_row("效益指标", "社会效益", "群众知晓率", "≥80%")
    assert own.ok and iv.table.indicators[-1].provenance.kind == "user"
    bad = iv.add_row("效益指标", "社会效益", "群众知晓率", "见附件")
    assert not bad.ok and "不像指标值" in bad.reask


class CountingSearcher:
    """The search engine, counting look-ups (as if the model became ready in between)."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine, self.calls = engine, 0
        self.precedents = engine.precedents

    def search(self, *args, **kwargs):
        self.calls += 1
        return self.engine.search(*args, **kwargs)


def test_refresh_suggestions_looks_up_again_and_keeps_choices(searcher):
    counting = CountingSearcher(searcher)
    iv = interview(counting, PURCHASE)
    go_to(iv, "服务对象满意度")
    first = iv.suggestions()
    calls = counting.calls
    assert iv.suggestions() == first and counting.calls == calls  # cached per question
    assert iv.answer("不要1").ok and iv.answer("1").ok
    rejected, accepted = first[0], first[1]
    iv.refresh_suggestions()
    again = iv.suggestions()
    assert counting.calls > calls
    assert rejected.id not in {s.id for s in again} and accepted.id not in {s.id for s in again}
    assert accepted.name in [i.name for i in iv.table.indicators]


def test_a_skipped_question_says_its_default_once(searcher):
    iv = Interview(store=DraftStore(), searcher=searcher)
    for text in [PURCHASE[0], *HEADER[1:3]]:
        assert iv.answer(text).ok
    turn = iv.skip()  # 项目属性, optional with a default
    assert len([m for m in turn.messages if "0101-一年期项目" in m]) == 1
    assert turn.messages[0] == "项目属性：0101-一年期项目（默认）"
    for text in ["", "2024", "", "20万"]:  # 项目期 (default), 年度, 指标体系 (default), 总额
        assert iv.answer(text).ok
    turn = iv.skip()  # 年度资金总额: the project total
    assert turn.messages == ["年度资金总额：20万元（200000元）（默认）"]
    turn = iv.skip()  # 资金来源: all fiscal; what it means is said, once
    assert turn.messages == ["资金来源：财政拨款20万元，均为本级资金（默认）"]
