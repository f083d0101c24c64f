"""``jixiao validate``: human output, the JSON document, drafts, and the exit codes
(0 clean or warnings only, 1 errors, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import run_cli

from assistant.model import TargetTable

ROOT = Path(__file__).resolve().parents[1]
SEED_TXT = ROOT / "corpus" / "raw" / "000_4da5520f21e577ee.txt"  # the published text, shipped
SEED_JSON = ROOT / "corpus" / "seed_ningxia_2024.json"


def run(capsys, *args) -> tuple[int, str, str]:
    return run_cli(capsys, "validate", *args)


def seed_tables() -> list[TargetTable]:
    doc = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    return [TargetTable.model_validate(t) for t in doc["tables"]]


def write_tables(path: Path, tables: list[TargetTable]) -> Path:
    doc = {"title": "测试", "tables": [t.model_dump(mode="json") for t in tables]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def broken_training(tmp_path: Path) -> Path:
    training = seed_tables()[1]
    training.indicators[-1 - 4 - 1].value = "9500元/期"  # 10.师资费: 9000 → 9500
    assert training.indicators[-6].name == "10.师资费"
    return write_tables(tmp_path / "broken.json", [training])


def test_seed_text_file_validates_all_six_tables_with_warnings_only(capsys):
    code, out, _ = run(capsys, str(SEED_TXT))
    assert code == 0
    assert out.count("项目：") == 6
    assert "[GOAL-001]" in out and "1010人" in out and "1110人" in out
    assert "[DUP-002]" in out and "550元/人/天" in out
    assert "合计 1590000 元；年度资金总额 1590000 元；差额 0 元（0 万元）：一致" in out
    assert "5次×5天/次×5人/次" in out and "53750" in out
    assert "共检查 6 张表：错误 0 条" in out


def test_json_document_lists_each_table_with_findings_and_breakdown(capsys):
    code, out, _ = run(capsys, str(SEED_JSON), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["file"] == str(SEED_JSON) and doc["draft"] is None
    assert [t["project"] for t in doc["tables"]][0] == "2024年乡村振兴监测评估工作经费"
    training = doc["tables"][1]
    assert {f["code"] for f in training["findings"]} == {"GOAL-001", "DUP-002"}
    goal = next(f for f in training["findings"] if f["code"] == "GOAL-001")
    assert goal["severity"] == "warning" and goal["numbers"]["rows_total"] == "1110"
    assert goal["location"]["field"] == "年度总体绩效目标"
    assert training["breakdown"]["balanced"] is True
    assert training["breakdown"]["sum_yuan"] == "1590000"
    assert all(not t["has_errors"] for t in doc["tables"])
    assert "\\u" not in out


def test_money_error_exits_1_and_shows_the_gap(capsys, tmp_path):
    code, out, _ = run(capsys, str(broken_training(tmp_path)))
    assert code == 1
    assert "错误（1）" in out and "[MONEY-001]" in out
    assert "多出5000元（0.5万元）" in out
    assert "差额 5000 元（0.5 万元）：不一致" in out


def test_money_error_in_json_exits_1(capsys, tmp_path):
    code, out, _ = run(capsys, str(broken_training(tmp_path)), "--json")
    assert code == 1
    (table,) = json.loads(out)["tables"]
    (money,) = [f for f in table["findings"] if f["code"] == "MONEY-001"]
    assert money["numbers"]["gap_yuan"] == "5000" and money["numbers"]["gap_wan"] == "0.5"
    assert table["breakdown"]["gap_yuan"] == "5000"


def test_flat_csv_file_is_validated(capsys, tmp_path):
    head = (
        "项目名称,主管部门,实施单位,年度,项目总额（万元）,年度总体绩效目标,"
        "一级指标,二级指标,三级指标,指标值"
    )
    common = "2024年会议项目,某局,某中心,2024,1,召开2次会议,"
    rows = [
        "产出指标,数量指标,1.召开会议,2次",
        "产出指标,质量指标,会议完成率,100%",
        "产出指标,时效指标,2024年12月31日前完成率,100%",
        "产出指标,成本指标,1.召开会议,6000元/次",
        "效益指标,社会效益,政策知晓度,有效提高",
        "满意度指标,服务对象满意度,参会人员满意度,≥90%",
    ]
    path = tmp_path / "会议.csv"
    path.write_text("\n".join([head, *(common + r for r in rows)]) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 1, out
    assert "多出2000元（0.2万元）" in out
    # a one-year flat table gives one amount: that is not a missing 年度资金总额
    assert "[FUND-007]" not in out


def test_missing_file_is_bad_input(capsys, tmp_path):
    code, out, err = run(capsys, str(tmp_path / "nope.xlsx"))
    assert code == 2 and out == ""
    assert "文件不存在" in err and "nope.xlsx" in err and "Traceback" not in err


def test_unreadable_file_is_bad_input(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, str(path))
    assert code == 2 and err.startswith("错误：") and "Traceback" not in err


def test_file_and_draft_together_or_neither_is_usage_error(capsys):
    assert run(capsys, str(SEED_JSON), "--draft", "abc")[0] == 2
    code, _, err = run(capsys)
    assert code == 2 and "二者选一" in err


def test_draft_from_the_store(capsys):
    from assistant.store import DraftStore

    store = DraftStore()
    tables = seed_tables()
    clean = store.create(tables[0]).draft_id
    code, out, _ = run(capsys, "--draft", clean)
    # the seed's only remark: 经济效益 written as "有利于", which nobody can measure
    assert code == 0 and "错误 0" in out and "[VALUE-010]" in out

    broken = tables[1]
    broken.indicators[-6].value = "9500元/期"
    draft = store.create(broken).draft_id
    code, out, _ = run(capsys, "--draft", draft[:6], "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["draft"] == draft[:6] and doc["file"] is None
    assert "MONEY-001" in {f["code"] for f in doc["tables"][0]["findings"]}


def test_unknown_draft_is_bad_input(capsys):
    code, _, err = run(capsys, "--draft", "ffffffff")
    assert code == 2 and err.startswith("错误：")


def test_rules_lists_every_code(capsys):
    from assistant.rules import RULES

    code, out, _ = run(capsys, "--rules")
    assert code == 0 and out.count("\n") == 2 * len(RULES) + 3  # each rule, its basis; legend
    assert "MONEY-001   错误  成本测算合计与年度资金总额不一致" in out
    assert "依据：101号指引：" in out and "101号指引：财预〔2021〕101号" in out
    code, out, _ = run(capsys, "--rules", "--json")
    rules = json.loads(out)["rules"]
    assert {r["code"] for r in rules} == {r.code for r in RULES}
    assert {"code", "severity", "zh", "en", "cites"} == set(rules[0])
    assert all(r["cites"] for r in rules)
