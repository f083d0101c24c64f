"""Run the jixiao command line in-process, as the console script would."""

from __future__ import annotations

from assistant.cli import main


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """Returns (exit code, stdout, stderr) of ``jixiao ARGS...``."""
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, *must: str) -> str:
    """The stderr of a refused command: one line, no traceback, naming what it must."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for part in must:
        assert part in lines[0], lines[0]
    return lines[0]
