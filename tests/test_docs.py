"""Docs from the code: every command has help with an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import typer

from hardship_cli.cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, object]]:
    found = []

    def walk(command: object, prefix: str) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                walk(sub, f"{prefix} {name}".strip())
        else:
            found.append((prefix, command))

    walk(typer.main.get_command(app), "")
    return found


def test_every_command_has_help_and_an_example():
    missing = [name for name, command in commands()
               if "Example:" not in (getattr(command, "help", None) or "")]
    assert missing == []


def test_readme_names_every_command():
    reference = README.split("## Commands", 1)[1]
    missing = [name for name, _ in commands() if f"  {name} " not in reference
               and f"  {name}\n" not in reference]
    assert missing == []


def test_readme_opens_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
