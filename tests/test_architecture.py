"""The core never imports typer or rich: commands are thin, the rules live in the core."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hardship_cli"


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_core_does_not_import_the_terminal_libraries():
    core = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    assert len(core) > 20
    offenders = {str(p.relative_to(PACKAGE)): sorted(imported(p) & {"typer", "rich", "click"})
                 for p in core}
    assert {k: v for k, v in offenders.items() if v} == {}
