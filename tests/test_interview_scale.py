"""A long list of activities costs work in proportion to its length (issue 14 item 6: 200 lines
took 31 s, 1,000 more than 10 minutes). Counted, not timed: the number of times an activity's
subtotal is worked out grows linearly with the number of lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.interview.activity import Activity
from assistant.interview.headless import run_answers
from assistant.interview.parse import parse_activities
from assistant.interview.schema import load_prompts
from assistant.search import SearchEngine
from assistant.store import DraftStore


def _answers(tmp_path: Path, n: int) -> Path:
    lines = "\n".join(f"  第{i}类办公设备采购{i % 7 + 1}台，每台{1000 + i}元" for i in range(n))
    path = tmp_path / f"big{n}.yaml"
    path.write_text(
        "project_name: 2024年办公设备项目\ndepartment: 某局\nunit: 某中心\nyear: 2024\n"
        f"total: 100万\nactivities: |\n{lines}\n",
        encoding="utf-8",
    )
    return path


def _subtotals(tmp_path: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    original = Activity.subtotal

    def counted(self: Activity):  # noqa: ANN202 - a thin counting wrapper
        nonlocal calls
        calls += 1
        return original(self)

    monkeypatch.setattr(Activity, "subtotal", counted)
    iv = run_answers(
        _answers(tmp_path, n), store=DraftStore(), searcher=SearchEngine([], semantic=False)
    )
    monkeypatch.setattr(Activity, "subtotal", original)
    assert len(iv.activities) == n and iv.done
    return calls


def test_work_grows_linearly_with_the_number_of_activities(tmp_path, monkeypatch):
    small = _subtotals(tmp_path, 50, monkeypatch)
    large = _subtotals(tmp_path, 400, monkeypatch)
    # 8× the lines: linear work is ~8× the subtotals; the old engine did ~60×
    assert large < 12 * small, (small, large)


def test_parsing_a_thousand_lines_is_linear_in_their_length():
    types = load_prompts().activity_types
    line = "举办第{i}期乡村振兴干部培训班，每期100人2天，450元/人/天；"
    acts = parse_activities("".join(line.format(i=i) for i in range(1000)), types)
    assert len(acts) == 1000 and all(a.complete for a in acts)
    long_line = "采购" + "办公设备" * 5000 + "5台，每台9400元"  # one 20 KB phrase
    (act,) = parse_activities(long_line, types)
    assert (act.count, act.price) == (5, 9400)
