"""The store across processes: a SIGKILL mid-save and two processes saving at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.store import DraftStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")

CHECKOUT = Path(__file__).resolve().parents[1]

# A child that saves revision after revision and says so after each completed save.
# With a fifth argument "slow" it announces each store write just before flushing the
# temp file to disk and then pauses, so the parent can kill it inside the write.
SAVER = """
import os, stat, sys, time
from pathlib import Path
from assistant.model import Header, Indicator, TargetTable
from assistant.store import DraftStore

draft_id, tag, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
if sys.argv[5:] == ["slow"]:
    real_fsync = os.fsync

    def slow_fsync(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            print("writing", flush=True)
            time.sleep(0.2)
        real_fsync(fd)

    os.fsync = slow_fsync
store = DraftStore()
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    rows = [
        Indicator(level1="产出指标", level2="数量指标", name=f"{k}.{tag}第{i}次保存",
                  value=f"{k}次")
        for k in range(1, 41)
    ]
    table = TargetTable(header=Header(project_name=f"{tag}-{i}"), indicators=rows)
    rev = store.save(draft_id, table, state={"i": i}, message=f"{tag}{i}")
    print("saved", rev.number, flush=True)
"""


def _spawn(draft_id: str, tag: str, count: int, go: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, draft_id, tag, str(count), str(go), *extra],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=CHECKOUT,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _new_draft() -> str:
    from assistant.model import Header, TargetTable

    return DraftStore().create(TargetTable(header=Header(project_name="起点"))).draft_id


def test_sigkill_in_the_middle_of_saves_keeps_every_completed_revision(tmp_path):
    draft_id = _new_draft()
    go = tmp_path / "go"
    go.touch()
    proc = _spawn(draft_id, "K", 10_000, go)
    completed = 1
    while completed < 25:
        line = proc.stdout.readline()
        assert line.startswith("saved"), line
        completed = int(line.split()[1])
    # The child is now somewhere in its next save: kill it without warning.
    time.sleep(random.uniform(0, 0.02))
    os.kill(proc.pid, signal.SIGKILL)
    completed = _last_reported(proc, completed)
    assert proc.returncode == -signal.SIGKILL
    _check_history(draft_id, completed)


def _last_reported(proc: subprocess.Popen, completed: int) -> int:
    """After the kill: the last save the child reported, counting lines still in the pipe."""
    rest, _ = proc.communicate(timeout=10)
    numbers = [int(ln.split()[1]) for ln in rest.splitlines() if ln.startswith("saved")]
    return max([completed, *numbers])


def _check_history(draft_id: str, completed: int) -> int:
    """Every revision the child reported (and maybe the one in flight) loads intact;
    returns how many there were, after checking the store still takes a save."""
    store = DraftStore()
    history = store.history(draft_id)
    numbers = [r.number for r in history]
    assert numbers == list(range(1, len(numbers) + 1))
    assert completed <= len(numbers) <= completed + 1
    for rev in history[1:]:
        i = rev.state["i"]
        assert rev.message == f"K{i}" and len(rev.table.indicators) == 40
        assert rev.table.indicators[0].name == f"1.K第{i}次保存"
    assert store.save(draft_id, history[-1].table).number == len(numbers) + 1
    return len(numbers)


def test_sigkill_inside_the_file_write_loses_only_the_unfinished_save(tmp_path, jixiao_home):
    draft_id = _new_draft()
    go = tmp_path / "go"
    go.touch()
    proc = _spawn(draft_id, "K", 10_000, go, "slow")
    completed = 1
    while True:
        line = proc.stdout.readline()
        assert line, "the saving child died on its own"
        if line.startswith("saved"):
            completed = int(line.split()[1])
        elif line.startswith("writing") and completed >= 4:
            break  # the temp file is written but not yet flushed or renamed
    os.kill(proc.pid, signal.SIGKILL)
    completed = _last_reported(proc, completed)
    leftovers = list((jixiao_home / "drafts").glob(".*.json.*.tmp"))
    assert leftovers, "the kill should have landed inside the write"
    assert _check_history(draft_id, completed) == completed == 4
    assert not any(p.exists() for p in leftovers)  # swept by the next write


def test_two_processes_saving_at_once_both_keep_all_their_revisions(tmp_path):
    draft_id = _new_draft()
    go = tmp_path / "go"
    procs = [_spawn(draft_id, tag, 15, go) for tag in ("A", "B")]
    go.touch()  # both start saving now
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        assert out.count("saved") == 15

    history = DraftStore().history(draft_id)
    assert [r.number for r in history] == list(range(1, 32))
    assert {r.message for r in history[1:]} == {f"{t}{i}" for t in "AB" for i in range(15)}
    # Each process's own saves stay in its order.
    for tag in "AB":
        mine = [int(r.message[1:]) for r in history if r.message.startswith(tag)]
        assert mine == list(range(15))


def test_processes_saving_different_drafts_keep_every_draft_and_the_index_right(tmp_path):
    drafts = [_new_draft() for _ in range(3)]
    go = tmp_path / "go"
    procs = [_spawn(d, tag, 10, go) for d, tag in zip(drafts, "ABC", strict=True)]
    go.touch()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.count("saved") == 10

    store = DraftStore()
    listed = {s.id: s for s in store.list()}
    assert set(listed) == set(drafts) and store.notices == []  # the index needed no repair
    for d, tag in zip(drafts, "ABC", strict=True):
        assert listed[d].revisions == 11 and listed[d].project_name == f"{tag}-9"
        assert [r.message for r in store.history(d)[1:]] == [f"{tag}{i}" for i in range(10)]
