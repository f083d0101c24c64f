"""Damage inside the store stays with one draft: it is repaired from what still reads, or named."""

from __future__ import annotations

import json

import pytest
from test_store import sample_table

from assistant.errors import JixiaoError
from assistant.store import CorruptStoreError, DraftStore


def _three_drafts() -> tuple[DraftStore, list[str]]:
    store = DraftStore()
    ids = [store.create(sample_table(name)).draft_id for name in ("项目甲", "项目乙", "项目丙")]
    return store, ids


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"\xff\xfe" + raw, id="not-utf8"),
        pytest.param(lambda raw: b"[1, 2, 3]", id="not-a-store"),
    ],
)
def test_a_damaged_draft_file_is_moved_aside_and_costs_only_that_draft(damage):
    store, (a, b, c) = _three_drafts()
    path = store.root / f"{b}.json"
    bad = damage(path.read_bytes())
    path.write_bytes(bad)

    fresh = DraftStore()
    with pytest.raises(CorruptStoreError) as info:
        fresh.get(b)
    message, backup = str(info.value), info.value.backup
    assert b in message and str(backup) in message and "其他草稿不受影响" in message
    assert backup.read_bytes() == bad and not path.exists()
    assert {s.id for s in fresh.list()} == {a, c}  # the index follows the files
    assert fresh.get(a).table.header.project_name == "项目甲"
    fresh.save(c, sample_table("项目丙", rows=2))


def test_a_bad_catalog_entry_is_rebuilt_from_its_draft_file():
    store, (a, b, c) = _three_drafts()
    store.save(b, sample_table("项目乙（改）"), state={"done": True})
    path = store.index.shard(b).path
    data = json.loads(path.read_text(encoding="utf-8"))
    key = str(int(b, 16))
    data["drafts"][key] = {"id": b, "project_name": None}  # a damaged entry
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    fresh = DraftStore()
    listed = {s.id: s for s in fresh.list()}
    assert set(listed) == {a, b, c}
    assert listed[b].project_name == "项目乙（改）" and listed[b].revisions == 2
    assert listed[b].state == {"done": True}
    assert any(b in n and "重建" in n for n in fresh.notices)


def test_a_damaged_index_file_is_set_aside_and_rebuilt():
    store, ids = _three_drafts()
    path = store.index.shard(ids[0]).path
    path.write_bytes(b'{"meta": {"1": ')
    fresh = DraftStore()
    assert {s.id for s in fresh.list()} == set(ids)
    assert any("草稿目录文件" in n and "重建" in n for n in fresh.notices)
    assert list(store.root.glob("index-*.corrupt-*.json"))


def test_files_and_index_out_of_step_after_a_crash_are_reconciled():
    store, (a, b, c) = _three_drafts()
    before = {p: p.read_bytes() for p in store.root.glob("index-*.json")}
    d = store.create(sample_table("项目丁")).draft_id
    for p in store.root.glob("index-*.json"):  # as if killed after writing d's file
        if p in before:
            p.write_bytes(before[p])
        else:
            p.unlink()
    (store.root / f"{a}.json").unlink()  # as if killed after deleting a's file
    assert {s.id for s in DraftStore().list()} == {b, c, d}


def _drop_blob(store: DraftStore, draft_id: str, number: int, what: str) -> None:
    path = store.root / f"{draft_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rev = data["revisions"][str(number)]
    key = rev["body"] if what == "body" else rev["rows"][-2]
    del data["blobs"][str(key)]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_missing_row_blob_loses_only_the_revisions_that_use_it_and_says_which():
    store = DraftStore()
    rev = store.create(sample_table(rows=1))
    store.save(rev.draft_id, sample_table(rows=2), message="第二版")
    store.save(rev.draft_id, sample_table(rows=3), message="第三版")
    _drop_blob(store, rev.draft_id, 3, "row")  # "3.调研督导" is used by revision 3 only

    fresh = DraftStore()
    latest = fresh.get(rev.draft_id)
    assert latest.number == 2 and latest.message == "第二版"
    (notice,) = fresh.notices
    assert "第 3 版已损坏" in notice and "第 2 版" in notice and "--restore 2" in notice
    assert [r.number for r in fresh.history(rev.draft_id)] == [1, 2]
    assert "第 3 版" in fresh.notices[0] and "其余 2 个版本完好" in fresh.notices[0]
    with pytest.raises(JixiaoError, match="第 3 版已损坏"):
        fresh.revision(rev.draft_id, 3)
    # repaired from the newest readable revision: restore makes it the head again
    assert fresh.restore(rev.draft_id, 2).number == 4
    assert fresh.get(rev.draft_id).number == 4 and fresh.notices == []


def test_a_draft_whose_every_revision_is_damaged_is_named_and_others_still_work():
    store, (a, b, c) = _three_drafts()
    _drop_blob(store, b, 1, "body")
    fresh = DraftStore()
    with pytest.raises(JixiaoError, match=f"草稿 {b} 的全部版本都已损坏") as info:
        fresh.get(b)
    assert "其他草稿不受影响" in str(info.value)
    assert fresh.get(a).number == 1 and {s.id for s in fresh.list()} == {a, b, c}
