"""``jixiao suggest --answers FILE``: what the interview would suggest for the project in the
answers file — the inferred kind shown and changeable, each row with its reason and source."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import one_line, run_cli

from assistant.interview.headless import answers_facts
from assistant.knowledge.suggester import KindSuggester
from assistant.search import SearchEngine

REPAIR = Path(__file__).resolve().parent / "data" / "answers" / "repair.yaml"


def test_suggest_answers_json_gives_the_interviews_lists(capsys):
    """The rows are the gate's for the facts the interview reads from the file, as the
    interview offers them (tests/test_kind_interview.py compares with a real draft)."""
    code, out, _ = run_cli(capsys, "suggest", "--answers", REPAIR, "--lexical", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["kind"]["code"] == "works" and doc["kind"]["chosen"] is False
    assert doc["activities"][0].startswith("维修改造村小学教学楼")
    gate = KindSuggester(SearchEngine(semantic=False), top=3)
    project = answers_facts(REPAIR, suggester=gate)
    expected = []
    for l1, l2 in gate.advisor.slots():
        gate.suggest(project, l1, l2)
        expected.append(gate.shown(l2))
    assert [s["level2"] for s in doc["slots"]] == [a.level2 for a in expected]
    for slot, adv in zip(doc["slots"], expected, strict=True):
        assert [h["indicator"]["name"] for h in slot["hits"]] == [
            s.indicator.name for s in adv.suggestions
        ]
        for hit in slot["hits"]:
            assert hit["indicator"]["value"] is not None and hit["indicator"]["provenance"]
            assert hit["reasons"]
    eco = next(s for s in doc["slots"] if s["level2"] == "生态效益")
    assert eco["usually_not_applicable"] is False  # works are never steered to 不适用


def test_suggest_text_shows_kind_reasons_and_sources(capsys):
    code, out, _ = run_cli(capsys, "suggest", "--answers", REPAIR, "--lexical", "--top", "2")
    assert code == 0
    assert "项目类别：工程建设与维修改造（依据：" in out and "可用 --kind 更改" in out
    assert "理由：同类项目：工程建设与维修改造" in out and "来源：" in out


def test_the_user_can_change_the_kind(capsys):
    args = ("suggest", "--answers", REPAIR, "--kind", "education", "--lexical", "--json")
    code, out, _ = run_cli(capsys, *args)
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == {
        "code": "education",
        "label": "教育与学生资助",
        "words": ["用户选择"],
        "chosen": True,
    }


def test_an_unrelated_project_is_told_there_is_no_close_precedent(capsys):
    code, out, _ = run_cli(capsys, "suggest", "--name", "量子通信卫星地面站", "--lexical")
    assert code == 0
    assert "项目类别：未分类" in out and "（没有相近的先例）" in out
    assert "理由：同类项目" not in out


def test_unknown_kind_and_missing_name_are_one_chinese_line(capsys, tmp_path):
    code, _, err = run_cli(capsys, "suggest", "--name", "x", "--kind", "nope", "--lexical")
    assert code == 2
    one_line(err, "未知的项目类别：nope", "works（工程建设与维修改造）")
    empty = tmp_path / "a.yaml"
    empty.write_text("goal: 起草\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "suggest", "--answers", empty, "--lexical")
    assert code == 2
    one_line(err, "答案文件里没有项目名称", str(empty))


def test_the_interview_takes_the_gate_as_its_suggester():
    """Wiring is one argument: run_answers(…, suggester=KindSuggester(engine)) (as jixiao
    draft does); the repair answers file then drafts from same-kind precedents, reasons kept."""
    from assistant.interview import headless

    engine = SearchEngine(semantic=False)
    gate = KindSuggester(engine)
    iv = headless.run_answers(REPAIR, searcher=engine, suggester=gate)
    assert iv.table.indicators
    quantity = gate.last_advice["数量指标"]  # 全部采纳 in the file: the suggestions were asked
    assert quantity.kind == "works" and not quantity.silent
    rows = gate.suggest(iv.facts(), "产出指标", "质量指标")
    assert rows and rows[0].origin == "precedent"
    assert rows[0].provenance.note.startswith("理由：同类项目：工程建设与维修改造")
