"""``jixiao draft --answers FILE [--json]``: the interview headless, saved, reviewed."""

import json
from pathlib import Path

import pytest
from clirun import run_cli

from assistant.store import DraftStore

ANSWERS = Path(__file__).resolve().parent / "data" / "answers"


def run(capsys, *args) -> tuple[int, str, str]:
    return run_cli(capsys, "draft", *args)


def write(tmp_path, text, name="answers.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_xinchuang_reproduces_the_seed_table(capsys):
    code, out, err = run(capsys, "--answers", ANSWERS / "xinchuang.yaml")
    assert code == 0, err
    assert "草稿已保存，编号：" in out
    assert "1.信创非密打印机：5台" in out and "2.信创非密计算机：9400元/套" in out
    assert "2条成本行合计60000元，与年度资金总额一致" in out
    draft_id = out.split("编号：")[1].split()[0]
    saved = DraftStore().get(draft_id)
    assert saved.table.header.project_name == "2024年监测评估中心信创项目"
    assert saved.state["done"] is True


def test_training_json_output_and_the_seed_warning(capsys):
    code, out, _ = run(capsys, "--answers", ANSWERS / "training.yaml", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"draft_id", "table", "findings", "empty_slots"}
    assert doc["empty_slots"] == []
    rows = doc["table"]["indicators"]
    quantity = [r for r in rows if r["level2"] == "数量指标"]
    assert len(quantity) == 11 and quantity[7]["value"] == "2期、100人/期/天、5天"
    assert "共培训1110人" in doc["table"]["goal"] and "共计159万元" in doc["table"]["goal"]
    assert [f["code"] for f in doc["findings"]] == [
        "DUP-002"
    ]  # 550 vs 450 元/人/天, as in the seed
    satisfaction = [r for r in rows if r["level2"] == "服务对象满意度"]
    assert (
        satisfaction[0]["value"] == "≥90%" and satisfaction[0]["provenance"]["kind"] == "precedent"
    )


def test_monitoring_json_answers_with_follow_up_and_top_precedents(capsys):
    code, out, _ = run(capsys, "--answers", ANSWERS / "monitoring.json", "--json")
    assert code == 0
    doc = json.loads(out)
    costs = [r["value"] for r in doc["table"]["indicators"] if r["level2"] == "成本指标"]
    assert costs == ["430元/天/人"] * 3 + ["1480.75元/次", "12058元/台", "3000元/台"]
    assert doc["findings"] == []


def test_reviewer_errors_exit_1(tmp_path, capsys):
    path = write(
        tmp_path,
        "project_name: 2024年办公设备购置项目\ndepartment: 自治区乡村振兴局\n"
        "unit: 监测评估中心\nyear: 2024\ntotal: 6万\n"
        "activities: 买5台电脑，每台9400元\nreconcile: 保持不变\n",
    )
    code, out, _ = run(capsys, "--answers", path)
    assert code == 1
    assert "【错误】" in out and "13000元" in out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("project_name: 测试项目名称\nbudget: 6万\n", "未知的问题编号“budget”"),
        (
            "project_name: 测试项目名称\ndepartment: 乡村振兴局\nunit: 监测中心\nyear: 明年\n",
            "“year”的回答“明年”无法理解",
        ),
        ("project_name: 测试项目名称\ndepartment: 乡村振兴局\n", "缺少“unit”的回答"),
        ("project_name: [unclosed\n", "不是有效的YAML"),
        ("- 只是一个列表\n", "映射"),
    ],
)
def test_bad_answers_file_is_one_chinese_line_naming_file_and_key(tmp_path, capsys, text, expected):
    path = write(tmp_path, text)
    code, out, err = run(capsys, "--answers", path)
    assert code == 2 and out == ""
    assert err.startswith(f"错误：{path}") and expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_slot_items_name_the_slot(tmp_path, capsys):
    base = (ANSWERS / "xinchuang.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, base.replace("质量指标: 采购设备合格率：100%", "质量指标: 合格"))
    code, _, err = run(capsys, "--answers", path)
    assert code == 2 and "“slots.质量指标”中的“合格”无法理解" in err
    path = write(tmp_path, base.replace("  生态效益: 不适用\n", "  绿化指标: 不适用\n"))
    code, _, err = run(capsys, "--answers", path)
    assert code == 2 and "未知的二级指标“绿化指标”" in err


def test_missing_file_is_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "--answers", tmp_path / "none.yaml")
    assert code == 2 and "答案文件不存在" in err


def test_framework_2021_files_may_still_say_cost_indicator(tmp_path, capsys):
    base = (ANSWERS / "xinchuang.yaml").read_text(encoding="utf-8")
    path = write(
        tmp_path, base.replace("year: 2024\n", "year: 2024\nframework: 成本指标为一级指标\n")
    )
    code, out, _ = run(capsys, "--answers", path, "--json")
    assert code == 0
    rows = json.loads(out)["table"]["indicators"]
    assert [(r["level1"], r["level2"], r["value"]) for r in rows if r["level1"] == "成本指标"] == [
        ("成本指标", "经济成本指标", "2600元/台"),
        ("成本指标", "经济成本指标", "9400元/套"),
    ]
    path = write(tmp_path, base.replace("  生态效益: 不适用\n", "  社会成本指标: 不适用\n"))
    code, _, err = run(capsys, "--answers", path)
    assert code == 2 and "“社会成本指标”不在所选指标体系（产出下设成本指标）中" in err


def test_the_example_in_the_help_text_runs(tmp_path, capsys):
    from assistant.cli.draft_cmd import EPILOG

    lines = EPILOG.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  project_name"))
    end = next(i for i, line in enumerate(lines) if i > start and not line.startswith("  "))
    path = write(tmp_path, "\n".join(line[2:] for line in lines[start:end]) + "\n")
    code, out, err = run(capsys, "--answers", path)
    assert code == 0, out
    assert "草稿已保存" in out


def test_funds_as_a_mapping_and_numbers_as_yaml_numbers(tmp_path, capsys):
    path = write(
        tmp_path,
        "project_name: 2025年办公设备更新项目\ndepartment: 自治区乡村振兴局\nunit: 监测评估中心\n"
        "year: 2025\ntotal: 5\nfunds: {财政拨款: 3万, 其他资金: 2万}\n"
        "activities: [买5台电脑，每台6000元, 打印机4台，每台5000元]\n",
    )
    code, out, _ = run(capsys, "--answers", path, "--json")
    doc = json.loads(out)
    funds = doc["table"]["header"]["funds"]
    assert (funds["fiscal"]["value"], funds["other"]["value"]) == ("3", "2")
    assert doc["table"]["header"]["total"]["value"] == "5"
    assert "共计5万元" in doc["table"]["goal"]
    assert code == 1  # no quality, benefit or satisfaction rows: the reviewer says so
    assert {f["code"] for f in doc["findings"]} >= {"STRUCT-002"}


def test_a_slot_the_answers_file_leaves_empty_is_named_not_dropped_silently(tmp_path, capsys):
    text = (ANSWERS / "repair.yaml").read_text(encoding="utf-8")
    gap = "\n".join(
        ln for ln in text.splitlines() if not ln.strip().startswith(("生态效益", "可持续影响"))
    )
    code, out, _ = run(capsys, "--answers", write(tmp_path, gap))
    assert code == 0
    assert "提醒：「生态效益」「可持续影响」没有指标" in out and "不适用的写“不适用”" in out
    code, out, _ = run(capsys, "--answers", write(tmp_path, gap, "a.yaml"), "--json")
    assert json.loads(out)["empty_slots"] == [
        {"level1": "效益指标", "level2": "生态效益"},
        {"level1": "效益指标", "level2": "可持续影响"},
    ]
    code, out, _ = run(capsys, "--answers", ANSWERS / "repair.yaml")
    assert "没有指标" not in out  # every slot answered (不适用 included)
