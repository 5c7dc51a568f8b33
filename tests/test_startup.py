"""Lean start-up: the commands people type often import neither pandas nor jinja2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from hardship_cli.cli import progress
from hardship_cli.cli.main import app

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "jinja2", "numpy")

PROBE = """
import json, sys
from hardship_cli.cli.main import run
try:
    run(sys.argv[1:])
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)),
      file=sys.stderr)
"""


def imported_by(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(heavy)), *args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def registered() -> set[str]:
    return set(getattr(typer.main.get_command(app), "commands", {}))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("cache", "--help"),
        ("validate", "--help"),
        ("--root", "records", "validate", "--today", "2026-11-29"),
        ("--root", "records", "--no-cache", "validate", "--today", "2026-11-29"),
    ],
)
def test_heavy_libraries_are_not_imported(args: tuple[str, ...]) -> None:
    assert imported_by(*args) == []


@pytest.mark.parametrize("command", ["add", "review", "pay"])
def test_casework_commands_start_lean(command: str) -> None:
    assert command in registered()
    assert imported_by(command, "--help") == []


def test_budget_starts_without_pandas() -> None:
    """`hardship budget` needs no frames: report/budgeting.py and the report package it
    sits in import neither pandas nor jinja2."""
    assert imported_by("--root", "records", "budget", "--today", "2026-11-29") == []


def test_help_does_not_build_the_record_model() -> None:
    """The add commands take their flags from the enums, not from the pydantic model."""
    assert imported_by("--help", heavy=("pydantic",)) == []


def test_no_progress_bar_on_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    class Pipe:
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stderr", Pipe())
    assert progress.progress_bar() is None


def test_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = progress.progress_bar()
    assert bar is not None
    bar.start(3000, "reading records")
    bar.advance(1500)
    bar.advance(1500)
    bar.stop()
    assert "reading records" in terminal.getvalue()


def test_help_reads_no_yaml() -> None:
    """`--help` parses no record: neither YAML library nor the loader is imported for it
    (they cost a sixth of its start-up)."""
    assert imported_by("--help", heavy=("yaml", "ruamel", "hardship_cli.load.strict")) == []
