"""The draft store: revisions, lookups, corruption handling, schema upgrades."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from assistant.errors import JixiaoError
from assistant.model import Amount, FundSources, Header, Indicator, Provenance, TargetTable
from assistant.store import SCHEMA_VERSION, CorruptStoreError, DraftStore


def sample_table(name: str = "2024年乡村振兴监测评估工作经费", rows: int = 3) -> TargetTable:
    header = Header(
        project_name=name,
        department="自治区乡村振兴局",
        unit="宁夏回族自治区乡村振兴监测评估中心",
        attribute="0101-一年期项目",
        period="1年",
        year=2024,
        total=Amount.parse("10.015119"),
        annual_total=Amount.parse("10.015119"),
        funds=FundSources(fiscal=Amount.parse("10.015119")),
    )
    indicators = [
        Indicator(
            level1="产出指标",
            level2="数量指标",
            name=f"{i}.调研督导",
            value=f"{i}次, 5天/次, 5人/次",
            provenance=Provenance(source="seed.txt", line=20 + i, kind="precedent"),
        )
        for i in range(1, rows + 1)
    ]
    indicators.append(
        Indicator(level1="满意度指标", level2="服务对象满意度", name="满意度", value="≥95%")
    )
    return TargetTable(header=header, goal="开展调研、督导。", indicators=indicators)


def test_every_save_is_a_revision_and_history_lists_them():
    store = DraftStore()
    first = store.create(sample_table(), state={"next": "q2"})
    assert len(first.draft_id) == 8 and first.number == 1 and first.message == "新建"

    changed = sample_table(rows=4)
    second = store.save(first.draft_id, changed, state={"next": "q3"}, message="回答第2题")
    assert second.number == 2

    latest = store.get(first.draft_id)
    assert latest.table == changed
    assert latest.table.header.total.raw == "10.015119"
    assert latest.state == {"next": "q3"}
    assert [(r.number, r.message) for r in store.history(first.draft_id)] == [
        (1, "新建"),
        (2, "回答第2题"),
    ]
    assert store.history(first.draft_id)[0].table == sample_table()


def test_save_without_state_keeps_the_previous_state():
    store = DraftStore()
    rev = store.create(sample_table(), state={"answers": {"q1": "甲"}})
    store.save(rev.draft_id, sample_table(rows=2))
    assert store.get(rev.draft_id).state == {"answers": {"q1": "甲"}}


def test_callers_mutating_their_state_do_not_change_saved_revisions():
    store = DraftStore()
    state = {"answers": ["甲"]}
    rev = store.create(sample_table(), state=state)
    state["answers"].append("乙")
    rev.state["answers"].append("丙")
    assert store.get(rev.draft_id).state == {"answers": ["甲"]}


def test_restore_appends_a_copy_of_an_old_revision():
    store = DraftStore()
    rev = store.create(sample_table(rows=1), state={"step": 1})
    store.save(rev.draft_id, sample_table(rows=5), state={"step": 2})
    restored = store.restore(rev.draft_id, 1)
    assert restored.number == 3 and "第 1 版" in restored.message
    assert store.get(rev.draft_id).table == sample_table(rows=1)
    assert store.get(rev.draft_id).state == {"step": 1}
    assert len(store.history(rev.draft_id)) == 3
    with pytest.raises(JixiaoError, match="没有第 9 版"):
        store.restore(rev.draft_id, 9)


def test_unique_prefix_works_unknown_and_ambiguous_ids_are_clear_errors():
    store = DraftStore()
    rev = store.create(sample_table())
    assert store.get(rev.draft_id[:4].upper()).draft_id == rev.draft_id
    with pytest.raises(JixiaoError, match="找不到草稿"):
        store.get("zzzz")
    others = [store.create(sample_table()).draft_id for _ in range(40)]
    first_chars = [d[0] for d in others + [rev.draft_id]]
    shared = next(c for c in first_chars if first_chars.count(c) > 1)
    with pytest.raises(JixiaoError, match="不唯一"):
        store.get(shared)


def test_list_is_newest_first_and_delete_removes_everything():
    store = DraftStore()
    a = store.create(sample_table("项目甲"))
    b = store.create(sample_table("项目乙"))
    store.save(a.draft_id, sample_table("项目甲（改）"), state={"s": 1})
    summaries = store.list()
    assert [s.id for s in summaries] == [a.draft_id, b.draft_id]
    assert summaries[0].project_name == "项目甲（改）" and summaries[0].revisions == 2
    assert summaries[0].state == {"s": 1}

    store.delete(a.draft_id)
    assert [s.id for s in store.list()] == [b.draft_id]
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert all(r["draft"] == b.draft_id for r in data["revisions"].values())
    assert all(blob["draft"] == b.draft_id for blob in data["blobs"].values())
    with pytest.raises(JixiaoError, match="找不到草稿"):
        store.get(a.draft_id)


def test_identical_rows_are_stored_once_across_revisions():
    store = DraftStore()
    rev = store.create(sample_table(rows=10))
    for _ in range(5):
        store.save(rev.draft_id, sample_table(rows=10))
    data = json.loads(store.path.read_text(encoding="utf-8"))
    kinds = [blob["kind"] for blob in data["blobs"].values()]
    assert kinds.count("row") == 11 and kinds.count("body") == 1
    assert len(data["revisions"]) == 6


def test_the_file_is_exactly_the_json_of_the_data():
    """Reused text of unchanged documents must equal a fresh serialisation."""
    store = DraftStore()
    a = store.create(sample_table("项目甲", rows=3))
    b = store.create(sample_table("项目乙", rows=2))
    for i in range(4):
        store.save(a.draft_id, sample_table("项目甲", rows=3 + i), state={"i": i})
        store.save(b.draft_id, sample_table("项目乙", rows=2 + i))
    store.delete(b.draft_id)
    store.save(a.draft_id, sample_table("项目甲", rows=1))
    raw = store.path.read_bytes()
    fresh = json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":"))
    assert raw == fresh.encode("utf-8")


def test_two_store_objects_see_each_others_saves():
    one, two = DraftStore(), DraftStore()
    rev = one.create(sample_table())
    two.save(rev.draft_id, sample_table(rows=2), message="另一窗口")
    one.save(rev.draft_id, sample_table(rows=3), message="本窗口")
    assert [r.message for r in one.history(rev.draft_id)] == ["新建", "另一窗口", "本窗口"]


def test_threads_saving_at_once_lose_nothing():
    store = DraftStore()
    rev = store.create(sample_table())

    def work(tag: str) -> None:
        for i in range(10):
            store.save(rev.draft_id, sample_table(rows=i % 4 + 1), message=f"{tag}{i}")

    threads = [threading.Thread(target=work, args=(t,)) for t in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history = store.history(rev.draft_id)
    assert [r.number for r in history] == list(range(1, 22))
    assert {r.message for r in history[1:]} == {f"{t}{i}" for t in "AB" for i in range(10)}


async def test_save_async_runs_off_the_event_loop_thread():
    store = DraftStore()
    rev = store.create(sample_table())
    seen: list[int] = []
    original = store.save

    def recording_save(*args, **kwargs):
        seen.append(threading.get_ident())
        return original(*args, **kwargs)

    store.save = recording_save  # type: ignore[method-assign]
    saved = await store.save_async(rev.draft_id, sample_table(rows=2), message="自动保存")
    assert saved.number == 2 and seen and seen[0] != threading.get_ident()
    created = await store.create_async(sample_table("新项目"))
    assert store.get(created.draft_id).table.header.project_name == "新项目"
    await asyncio.sleep(0)


def test_a_store_locked_by_another_process_is_a_clear_error_not_a_hang(monkeypatch):
    from filelock import FileLock

    import assistant.store.storage as storage

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.2)
    store = DraftStore()
    rev = store.create(sample_table())
    other = FileLock(str(store.path) + ".lock")  # as another process would hold it
    with other:
        with pytest.raises(JixiaoError, match="另一个 jixiao 进程占用"):
            DraftStore().save(rev.draft_id, sample_table(rows=2))
        assert store.get(rev.draft_id).number == 1  # reading needs no lock
    assert DraftStore().save(rev.draft_id, sample_table(rows=2)).number == 2


def test_temp_files_of_a_killed_writer_are_swept_on_the_next_write():
    store = DraftStore()
    rev = store.create(sample_table())
    leftover = store.path.with_name(f".{store.path.name}.abc123.tmp")
    leftover.write_bytes(b'{"half": ')
    DraftStore().save(rev.draft_id, sample_table(rows=2))
    assert not leftover.exists()


# --- damaged files ---------------------------------------------------------------


def _store_with_two_drafts() -> DraftStore:
    store = DraftStore()
    store.create(sample_table("项目甲"))
    store.create(sample_table("项目乙"))
    return store


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"\xff\xfe" + raw, id="not-utf8"),
        pytest.param(lambda raw: b"[1, 2, 3]", id="not-a-store"),
        pytest.param(lambda raw: b'{"drafts": {"1": {"id": "x"}}}', id="no-meta"),
    ],
)
def test_damaged_file_is_moved_aside_with_a_chinese_message(damage):
    path = _store_with_two_drafts().path
    bad = damage(path.read_bytes())
    path.write_bytes(bad)

    with pytest.raises(CorruptStoreError) as info:
        DraftStore()
    message = str(info.value)
    backup = info.value.backup
    assert "已损坏" in message or "无法使用" in message
    assert str(path) in message and str(backup) in message
    assert backup.read_bytes() == bad and ".corrupt-" in backup.name
    assert not path.exists()  # moved, not overwritten

    fresh = DraftStore()  # the next start begins with an empty store
    assert fresh.list() == []
    fresh.create(sample_table())
    assert backup.read_bytes() == bad


def test_a_broken_revision_is_reported_without_touching_others():
    store = _store_with_two_drafts()
    data = json.loads(store.path.read_text(encoding="utf-8"))
    victim = next(iter(data["revisions"].values()))
    victim["rows"] = ["nonexistent"]
    store.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(JixiaoError, match="已损坏"):
        store.get(victim["draft"])
    other = next(s.id for s in store.list() if s.id != victim["draft"])
    assert store.get(other).table.header.project_name in {"项目甲", "项目乙"}


# --- schema versions ---------------------------------------------------------------


def _write_v0(path, tables: dict[str, TargetTable]) -> bytes:
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
    raw = json.dumps({"_default": docs}, ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return raw


def test_version_0_store_is_upgraded_with_a_backup(jixiao_home):
    path = jixiao_home / "drafts.json"
    old = _write_v0(path, {"0a1b2c3d": sample_table("旧项目", rows=2), "ffff0000": sample_table()})

    store = DraftStore()
    assert {s.id for s in store.list()} == {"0a1b2c3d", "ffff0000"}
    rev = store.get("0a1b2c3d")
    assert rev.table == sample_table("旧项目", rows=2)
    assert rev.state == {"next": "goal"} and rev.message == "由旧版草稿库升级"
    assert rev.saved_at.year == 2024

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    (backup,) = jixiao_home.glob("drafts.pre-upgrade-*.json")
    assert backup.read_bytes() == old

    assert store.save("0a1b2c3d", sample_table("旧项目", rows=3)).number == 2


def test_a_store_from_a_newer_version_is_left_untouched(jixiao_home):
    path = jixiao_home / "drafts.json"
    raw = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    with pytest.raises(JixiaoError, match="更新版本"):
        DraftStore()
    assert path.read_bytes() == raw
