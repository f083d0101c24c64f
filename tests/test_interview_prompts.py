"""The prompt script is checked when it is read: a typo in a file staff edit is one Chinese line
naming the file, the line and the allowed values, never a traceback later."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import JixiaoError
from assistant.interview import Interview
from assistant.interview.schema import load_prompts

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"


def _copy_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _line_of(folder: Path, file: str, needle: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if needle in line)


def test_the_shipped_script_loads_and_choices_are_value_label_pairs():
    prompts = load_prompts()
    framework = prompts.question("framework")
    assert [(c.value, c.label) for c in framework.choices] == [
        ("pre2021", "产出下设成本指标"),
        ("2021", "成本指标为一级指标"),
    ]
    assert prompts.activity_types["subsidy"].label == "补助发放"


def test_a_typo_in_kind_names_file_line_and_allowed_kinds(tmp_path):
    folder = _copy_with(tmp_path, "20_money.yaml", "kind: money", "kind: mony")
    with pytest.raises(JixiaoError) as err:
        load_prompts(folder)
    message = str(err.value)
    line = _line_of(folder, "20_money.yaml", "kind: mony")
    assert message.startswith(f"{folder / '20_money.yaml'} 第{line}行：")
    assert "“mony”" in message and "text、choice、year、money、funds、goal、activities" in message
    assert "\n" not in message


def test_a_typo_in_target_names_file_line_and_allowed_targets(tmp_path):
    folder = _copy_with(tmp_path, "10_header.yaml", "target: header.unit", "target: header.untit")
    with pytest.raises(JixiaoError) as err:
        load_prompts(folder)
    message = str(err.value)
    assert f"{folder / '10_header.yaml'} 第" in message
    assert "header.untit" in message and "header.unit" in message and "header.period" in message
    assert "\n" not in message


def test_a_wrong_when_condition_lists_the_activity_kinds(tmp_path):
    folder = _copy_with(tmp_path, "40_activities.yaml", "when: training", "when: trainings")
    with pytest.raises(JixiaoError) as err:
        load_prompts(folder)
    line = _line_of(folder, "40_activities.yaml", "when: trainings")
    assert f"第{line}行" in str(err.value)
    assert "training、fieldwork、equipment" in str(err.value)


@pytest.mark.parametrize(
    "file, old, new, words",
    [
        (
            "10_header.yaml",
            "default: 产出下设成本指标",
            "default: 产出指标",
            ["default", "产出指标"],
        ),
        (
            "40_activities.yaml",
            "{value: keep, label: 保持不变}",
            "{value: stay, label: 保持不变}",
            ["adjust、more、keep"],
        ),
        ("40_activities.yaml", "- field: periods", "- field: period", ["period", "periods"]),
        ("50_slots.yaml", "  质量指标:\n", "  质量目标:\n", ["质量目标", "二级指标"]),
        ("30_goal.yaml", "optional: true", "optinal: true", ["optinal", "未知的键"]),
        ("20_money.yaml", "default_from: total", "default_from: totl", ["totl", "project_name"]),
    ],
)
def test_other_mistakes_are_one_chinese_line(tmp_path, file, old, new, words):
    folder = _copy_with(tmp_path, file, old, new)
    with pytest.raises(JixiaoError) as err:
        load_prompts(folder)
    message = str(err.value)
    assert "\n" not in message and str(folder / file) in message
    for word in words:
        assert word in message


def test_the_cli_reports_a_bad_prompt_file_with_exit_code_2(tmp_path, capsys, monkeypatch):
    from clirun import run_cli

    folder = _copy_with(tmp_path, "20_money.yaml", "kind: money", "kind: mony")
    monkeypatch.setattr("assistant.config.prompts_dir", lambda: folder)
    answers = Path(__file__).resolve().parent / "data" / "answers" / "xinchuang.yaml"
    code, out, err = run_cli(capsys, "draft", "--answers", answers)
    assert code == 2 and "mony" in err and "Traceback" not in err


def test_an_interview_reads_choice_values_not_labels():
    iv = Interview(autosave=False, searcher=None)
    for text in ["2024年某项目", "某局", "某中心", "跳过", "跳过", "2024"]:
        assert iv.answer(text).ok
    assert iv.answer("成本指标为一级指标").ok
    assert iv.framework == "2021"
