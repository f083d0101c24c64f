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
