"""Domain code never imports the UI: only assistant/tui may import textual."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_imports_textual():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "tui" not in p.relative_to(PACKAGE).parts and "textual" in _imports(p)
    ]
    assert offenders == []


def test_domain_never_imports_tui_package():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] not in ("tui", "cli")
        and any(
            isinstance(n, ast.ImportFrom) and (n.module or "").startswith("assistant.tui")
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    ]
    assert offenders == []
