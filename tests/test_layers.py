"""The layer order holds: the import-linter contracts in pyproject.toml ([tool.importlinter]).

cli → tui → knowledge → interview → rules | search | export | store | importers → corpus →
flat_table → model → values, and only the TUI imports textual (domain code never imports the UI).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command(['--no-cache']))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
