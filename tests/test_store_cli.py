"""``jixiao drafts``, ``show`` and ``delete`` as a user runs them."""

from __future__ import annotations

import json

import pytest
from clirun import run_cli

from assistant.model import Amount, Header, Indicator, TargetTable
from assistant.store import DraftStore


def table(name: str, rows: int) -> TargetTable:
    return TargetTable(
        header=Header(project_name=name, year=2024, total=Amount.parse("20")),
        goal="完成调研。",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name=f"{i}.调研", value=f"{i}次")
            for i in range(1, rows + 1)
        ],
    )


@pytest.fixture
def draft_id() -> str:
    store = DraftStore()
    rev = store.create(table("监测评估工作经费", 1), state={"position": "goal", "done": False})
    store.save(rev.draft_id, table("监测评估工作经费", 2), message="补充指标")
    return rev.draft_id


def test_drafts_lists_id_name_revisions_and_time(capsys, draft_id):
    code, out, _ = run_cli(capsys, "drafts")
    assert code == 0
    assert draft_id in out and "监测评估工作经费" in out and "修订数" in out
    code, out, _ = run_cli(capsys, "drafts", "--json")
    (doc,) = json.loads(out)["drafts"]
    assert doc["id"] == draft_id and doc["revisions"] == 2 and doc["head"] == 2
    assert doc["state"] == {"position": "goal", "done": False}


def test_drafts_when_there_are_none(capsys):
    code, out, _ = run_cli(capsys, "drafts")
    assert code == 0 and "还没有草稿" in out


def test_show_prints_the_latest_table_as_text_and_json(capsys, draft_id):
    code, out, _ = run_cli(capsys, "show", draft_id[:5])
    assert code == 0
    assert f"草稿 {draft_id} · 第 2 版" in out and "补充指标" in out
    assert "项目名称：监测评估工作经费" in out and "2.调研：2次" in out
    code, out, _ = run_cli(capsys, "show", draft_id, "--json")
    doc = json.loads(out)
    assert doc["number"] == 2 and doc["table"]["header"]["total"]["value"] == "20"
    assert len(doc["table"]["indicators"]) == 2


def test_show_history_revision_and_restore(capsys, draft_id):
    code, out, _ = run_cli(capsys, "show", draft_id, "--history")
    assert code == 0 and "第 1 版" in out and "第 2 版" in out and "补充指标" in out
    code, out, _ = run_cli(capsys, "show", draft_id, "--revision", "1", "--json")
    assert len(json.loads(out)["table"]["indicators"]) == 1
    code, out, _ = run_cli(capsys, "show", draft_id, "--restore", "1")
    assert code == 0 and "恢复到第 1 版" in out and "第 3 版" in out
    assert len(DraftStore().get(draft_id).table.indicators) == 1
    code, _, err = run_cli(capsys, "show", draft_id, "--history", "--restore", "1")
    assert code == 2 and "不能同时使用" in err


def test_show_unknown_id_is_one_chinese_line(capsys):
    code, out, err = run_cli(capsys, "show", "abcdef12")
    assert code == 2 and out == ""
    assert err.startswith("错误：找不到草稿") and err.count("\n") == 1


def test_delete_needs_yes(capsys, draft_id):
    code, _, err = run_cli(capsys, "delete", draft_id)
    assert code == 2 and "--yes" in err and "监测评估工作经费" in err
    assert DraftStore().get(draft_id)
    code, out, _ = run_cli(capsys, "delete", draft_id, "--yes")
    assert code == 0 and "已删除" in out
    assert DraftStore().list() == []


def test_a_corrupt_draft_file_is_reported_not_a_traceback(capsys, draft_id):
    other = DraftStore().create(table("另一个项目", 1)).draft_id
    path = DraftStore().root / f"{draft_id}.json"
    path.write_bytes(path.read_bytes()[:100])
    code, _, err = run_cli(capsys, "show", draft_id)
    assert code == 2 and "已损坏" in err and ".corrupt-" in err and "Traceback" not in err
    code, out, _ = run_cli(capsys, "drafts")
    assert code == 0 and other in out and draft_id not in out


def test_a_damaged_revision_is_named_on_stderr_and_the_newest_good_one_shown(
    capsys, draft_id, tmp_path
):
    path = DraftStore().root / f"{draft_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["revisions"]["2"]["rows"] = [123]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "show", draft_id)
    assert code == 0 and f"草稿 {draft_id} · 第 1 版" in out
    assert "第 2 版已损坏" in err and "--restore 1" in err and "Traceback" not in err
    # every command that reads the draft says so, not only show
    code, _, err = run_cli(capsys, "export", draft_id, "-f", "md", "-o", tmp_path / "d.md")
    assert code == 0 and err.startswith("提醒：") and "第 2 版已损坏" in err


def test_compact_is_a_dry_run_until_apply(capsys, draft_id):
    store = DraftStore()
    for i in range(6):
        store.save(draft_id, table("监测评估工作经费", 3), message=f"第{i}次")
    code, out, _ = run_cli(capsys, "compact", "--keep", "2")
    assert code == 0 and "可精简" in out and "--apply" in out
    assert len(DraftStore().history(draft_id)) == 8
    code, out, _ = run_cli(capsys, "compact", "--keep", "2", "--apply", "--json")
    (doc,) = json.loads(out)["drafts"]
    assert doc["id"] == draft_id and doc["removed"]
    kept = [r.number for r in DraftStore().history(draft_id)]
    assert kept[0] == 1 and kept[-2:] == [7, 8] and len(kept) == 8 - len(doc["removed"])
    code, _, err = run_cli(capsys, "show", draft_id, "--revision", str(doc["removed"][0]))
    assert code == 2 and "精简" in err
