"""The CLI's one way to register commands: each command module attaches its commands with
register(app), main lists the modules, and no command module imports main back."""

from __future__ import annotations

import ast
from pathlib import Path

import typer.main

from hardship_cli.cli import main

CLI = Path(main.__file__).parent


def test_every_command_module_registers_through_register() -> None:
    for module in main.COMMANDS:
        assert callable(getattr(module, "register", None)), module.__name__


def test_no_module_of_cli_imports_main() -> None:
    for path in sorted(CLI.glob("*.py")):
        if path.name == "main.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                assert node.module != "hardship_cli.cli.main", path.name
                assert not (node.module == "hardship_cli.cli" and "main" in names), path.name


def test_no_command_is_attached_at_import() -> None:
    """Commands are attached in register(), never by a decorator when a module is imported
    (an import order would then decide the order of `--help`)."""
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                assert not node.decorator_list or path.name == "main.py", (path.name, node.name)


def test_the_groups_and_their_commands() -> None:
    group = typer.main.get_command(main.app)
    commands = group.commands  # type: ignore[attr-defined]
    assert list(commands["add"].commands) == [
        "referral", "case", "grant", "campaign", "donation", "visit",
    ]  # fmt: skip
    assert list(commands["review"].commands) == [
        "check", "notice", "object", "approve", "reject", "cancel", "list", "referral",
    ]  # fmt: skip
