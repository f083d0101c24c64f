"""The draft store: revisions, lookups, corruption handling, schema upgrades."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from assistant.errors import EnvError, JixiaoError
from assistant.model import Amount, FundSources, Header, Indicator, Provenance, TargetTable
from assistant.store import DraftStore


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
    store.save(a.draft_id, sample_table("项目甲（改）"), state={"done": True, "answers": {"q": 1}})
    summaries = store.list()
    assert [s.id for s in summaries] == [a.draft_id, b.draft_id]
    assert summaries[0].project_name == "项目甲（改）" and summaries[0].revisions == 2
    assert summaries[0].head == 2
    assert summaries[0].state == {"done": True}  # the list keeps the status; get() the rest
    assert store.get(a.draft_id).state["answers"] == {"q": 1}

    store.delete(a.draft_id)
    assert [s.id for s in store.list()] == [b.draft_id]
    assert [p.name for p in store.root.glob("*.json") if not p.name.startswith("index-")] == [
        f"{b.draft_id}.json"
    ]
    with pytest.raises(JixiaoError, match="找不到草稿"):
        store.get(a.draft_id)


def test_identical_rows_are_stored_once_across_revisions():
    store = DraftStore()
    rev = store.create(sample_table(rows=10))
    for _ in range(5):
        store.save(rev.draft_id, sample_table(rows=10))
    data = json.loads((store.root / f"{rev.draft_id}.json").read_text(encoding="utf-8"))
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
    for path in (store.root / f"{a.draft_id}.json", store.index.shard(a.draft_id).path):
        raw = path.read_bytes()
        fresh = json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":"))
        assert raw == fresh.encode("utf-8")


def test_a_save_touches_only_its_own_draft_file_and_the_index():
    store = DraftStore()
    a = store.create(sample_table("项目甲"))
    b = store.create(sample_table("项目乙"))
    before = {p.name: p.stat().st_mtime_ns for p in store.root.glob("*.json")}
    store.save(a.draft_id, sample_table("项目甲", rows=5))
    after = {p.name: p.stat().st_mtime_ns for p in store.root.glob("*.json")}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"{a.draft_id}.json", store.index.shard(a.draft_id).path.name}
    assert after[f"{b.draft_id}.json"] == before[f"{b.draft_id}.json"]


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
    other = FileLock(str(store.root / ".lock"))  # as another process would hold it
    with other:
        with pytest.raises(EnvError, match="另一个 jixiao 进程占用") as info:
            DraftStore().save(rev.draft_id, sample_table(rows=2))
        assert info.value.exit_code == 3
        assert store.get(rev.draft_id).number == 1  # reading needs no lock
    assert DraftStore().save(rev.draft_id, sample_table(rows=2)).number == 2


def test_temp_files_of_a_killed_writer_are_swept_on_the_next_write():
    store = DraftStore()
    rev = store.create(sample_table())
    leftover = store.root / f".{rev.draft_id}.json.abc123.tmp"
    leftover.write_bytes(b'{"half": ')
    DraftStore().save(rev.draft_id, sample_table(rows=2))
    assert not leftover.exists()


def test_a_save_based_on_an_old_revision_is_refused_not_overwritten():
    """What the TUI uses to notice the CLI (or another window) changed or deleted its draft."""
    from assistant.store import DraftChanged, DraftDeleted

    tui, cli = DraftStore(), DraftStore()
    mine = tui.create(sample_table(), state={"position": "goal"})
    cli.restore(mine.draft_id, 1)  # another process saves revision 2
    assert tui.head(mine.draft_id) == 2
    with pytest.raises(DraftChanged, match="第 2 版") as info:
        tui.save(mine.draft_id, sample_table(rows=5), expect=mine.number)
    assert info.value.head == 2 and len(tui.history(mine.draft_id)) == 2
    assert tui.save(mine.draft_id, sample_table(rows=5), expect=2).number == 3

    cli.delete(mine.draft_id)
    assert tui.head(mine.draft_id) is None
    with pytest.raises(DraftDeleted):
        tui.save(mine.draft_id, sample_table(rows=6), expect=3)
    assert tui.list() == []
