"""Run the `hardship` command in-process, as the console script does, and capture it."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hardship_cli.cli.main import app, run

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    code: int
    out: str
    err: str


def hardship(*args: str | Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return Result(code, out.getvalue(), err.getvalue())


def hardship_process(*args: str | Path, cwd: Path | None = None) -> Result:
    """The real console script in its own process (what a user and cron see)."""
    done = subprocess.run(
        [sys.executable, "-m", "hardship_cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or REPO, check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def command_paths() -> list[list[str]]:
    """Every command and group of `hardship`, as the words that name it."""
    import typer

    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found
