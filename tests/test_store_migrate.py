"""Stores written by earlier versions: the one-file layouts are split into one file per draft,
once, with the old file kept as a backup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_store import sample_table

from assistant.errors import JixiaoError
from assistant.store import CorruptStoreError, DraftStore

V1 = Path(__file__).parent / "data" / "store" / "drafts-v1.json"  # written by jixiao bae2b83


def _legacy(home: Path, raw: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "drafts.json"
    path.write_bytes(raw)
    return path


def test_a_version_1_store_written_by_the_old_code_is_split_with_a_backup(jixiao_home):
    old = V1.read_bytes()
    _legacy(jixiao_home, old)

    store = DraftStore()
    listed = {s.id: s for s in store.list()}
    assert set(listed) == {"c75e9c31", "8fd1ac9c", "bf1840f2"}
    assert listed["8fd1ac9c"].project_name == "2025年信创设备购置（改）"
    assert listed["c75e9c31"].revisions == 5 and listed["c75e9c31"].state == {
        "position": "slot5",
        "done": True,
    }
    assert "已升级为新格式" in store.notices[0] and "共 3 份" in store.notices[0]

    history = store.history("c75e9c31")
    assert [r.message for r in history] == [
        "新建",
        "回答第2题",
        "回答第3题",
        "回答第4题",
        "回答第5题",
    ]
    assert [len(r.table.indicators) for r in history] == [2, 3, 4, 5, 6]
    assert history[0].state["answers"] == {"project_name": "2025年监测评估工作经费"}
    assert history[-1].table.header.total.raw == "12.5"
    assert store.get("8fd1ac9c").state == {"position": "total"}  # kept by a save without state

    (backup,) = jixiao_home.glob("drafts.pre-upgrade-*.json")
    assert backup.read_bytes() == old and not (jixiao_home / "drafts.json").exists()
    assert sorted(p.name for p in store.root.glob("*.json")) == [
        "8fd1ac9c.json",
        "bf1840f2.json",
        "c75e9c31.json",
        "index-8.json",
        "index-b.json",
        "index-c.json",
    ]
    assert store.save("bf1840f2", sample_table("干部培训")).number == 2
    again = DraftStore()  # the second start finds nothing to migrate
    assert again.list()[0].id == "bf1840f2" and not list(again.notices)


def test_a_migration_killed_before_the_rename_is_redone_without_duplicates(jixiao_home):
    _legacy(jixiao_home, V1.read_bytes())
    DraftStore()
    (backup,) = jixiao_home.glob("drafts.pre-upgrade-*.json")
    shutil.copy(backup, jixiao_home / "drafts.json")  # as if killed just before the rename
    store = DraftStore()
    assert len(store.list()) == 3 and len(store.history("c75e9c31")) == 5


def test_a_dangling_head_and_a_broken_catalog_entry_in_the_old_file_are_repaired(jixiao_home):
    data = json.loads(V1.read_text(encoding="utf-8"))
    data["drafts"][str(int("c75e9c31", 16))]["head"] = 999  # points at no revision
    data["drafts"][str(int("8fd1ac9c", 16))] = {"id": 7}  # a damaged catalog entry
    _legacy(jixiao_home, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    store = DraftStore()
    assert {s.id for s in store.list()} == {"c75e9c31", "8fd1ac9c", "bf1840f2"}
    assert any("c75e9c31" in n and "第 5 版为准" in n for n in store.notices)
    assert store.get("c75e9c31").number == 5
    assert store.get("8fd1ac9c").table.header.project_name == "2025年信创设备购置（改）"


def _write_v0(path: Path, tables: dict) -> bytes:
    """The first prototype's layout: one overwritten doc per draft in ``_default``."""
    docs = {
        str(n): {
            "draft_id": draft_id,
            "table": table.model_dump(mode="json"),
            "state": {"next": "goal"},
            "saved_at": "2024-01-05T08:00:00+00:00",
        }
        for n, (draft_id, table) in enumerate(tables.items(), start=1)
    }
    return _legacy(
        path.parent, json.dumps({"_default": docs}, ensure_ascii=False).encode()
    ).read_bytes()


def test_version_0_store_is_upgraded_with_a_backup(jixiao_home):
    path = jixiao_home / "drafts.json"
    old = _write_v0(path, {"0a1b2c3d": sample_table("旧项目", rows=2), "ffff0000": sample_table()})

    store = DraftStore()
    assert {s.id for s in store.list()} == {"0a1b2c3d", "ffff0000"}
    rev = store.get("0a1b2c3d")
    assert rev.table == sample_table("旧项目", rows=2)
    assert rev.state == {"next": "goal"} and rev.message == "由旧版草稿库升级"
    assert rev.saved_at.year == 2024
    (backup,) = jixiao_home.glob("drafts.pre-upgrade-*.json")
    assert backup.read_bytes() == old
    assert store.save("0a1b2c3d", sample_table("旧项目", rows=3)).number == 2


def test_a_store_from_a_newer_version_is_left_untouched(jixiao_home):
    raw = json.dumps({"meta": {"1": {"schema_version": 9}}}).encode()
    path = _legacy(jixiao_home, raw)
    with pytest.raises(JixiaoError, match="更新版本"):
        DraftStore()
    assert path.read_bytes() == raw
    newer_index = jixiao_home / "drafts" / "index-3.json"
    path.unlink()
    newer_index.parent.mkdir(exist_ok=True)
    newer_index.write_bytes(raw)
    with pytest.raises(JixiaoError, match="更新版本"):
        DraftStore()
    assert newer_index.read_bytes() == raw


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b'{"meta": {"1"', id="truncated"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[1, 2, 3]", id="not-a-store"),
        pytest.param(b'{"drafts": {"1": {"id": "x"}}}', id="no-meta"),
    ],
)
def test_a_damaged_old_store_is_moved_aside_with_a_chinese_message(jixiao_home, bad):
    path = _legacy(jixiao_home, bad)
    with pytest.raises(CorruptStoreError) as info:
        DraftStore()
    backup = info.value.backup
    assert str(path) in str(info.value) and str(backup) in str(info.value)
    assert backup.read_bytes() == bad and not path.exists()
    fresh = DraftStore()
    assert fresh.list() == []
    fresh.create(sample_table())
