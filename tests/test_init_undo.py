"""`hardship init` that fails leaves the disk as it found it (issue 14: "leaves an empty
folder behind"): a full disk half-way, git refusing the first commit, Ctrl-C; a folder it
created goes, a folder that was there stays with exactly what it held."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from hardship_cli.cli import setup
from tests.clirun import hardship


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under folder."""
    found: dict[str, bytes | None] = {}
    for top, folders, files in os.walk(folder):
        for name in folders:
            found[os.path.relpath(os.path.join(top, name), folder)] = None
        for name in files:
            path = os.path.join(top, name)
            found[os.path.relpath(path, folder)] = Path(path).read_bytes()
    return found


@pytest.fixture
def disk_full_at_the_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up after the demo is copied, as the schemas are written."""

    def full(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "case.schema.json"))

    monkeypatch.setattr(setup, "write_schemas", full)


@pytest.mark.parametrize("demo", [["--demo"], []], ids=["demo", "plain"])
def test_a_full_disk_half_way_leaves_no_folder_behind(
    tmp_path: Path, disk_full_at_the_schemas: None, demo: list[str]
) -> None:
    target = tmp_path / "unit" / "hardship"  # its parent is made by init too
    result = hardship("init", target, *demo, "--no-git")
    schema = target / ".hardship" / "schema" / "case.schema.json"
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot write {schema}: the disk is full; nothing was written\n"
        "    hint: free some space, then run the command again\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_failure_in_a_folder_that_was_there_keeps_the_folder_and_what_it_held(
    tmp_path: Path, disk_full_at_the_schemas: None
) -> None:
    target = tmp_path / "shared"
    (target / "cases").mkdir(parents=True)
    (target / "cases" / "note.txt").write_text("mine\n")
    (target / "README").write_text("the unit's folder\n")
    (target / ".git").mkdir()  # an existing repository is never walked nor touched
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = snapshot(target)
    result = hardship("init", target, "--demo", "--no-git")
    assert result.code == 2
    assert result.err.endswith("the disk is full; nothing was written\n"
                               "    hint: free some space, then run the command again\n")
    assert snapshot(target) == before


def test_an_empty_folder_that_was_there_stays(tmp_path: Path, disk_full_at_the_schemas: None):
    target = tmp_path / "empty"
    target.mkdir()
    assert hardship("init", target, "--demo", "--no-git").code == 2
    assert target.is_dir() and list(target.iterdir()) == []


def test_git_refusing_the_first_commit_takes_the_root_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text("#!/bin/sh\necho 'no commits on Sundays' >&2\nexit 1\n")
    (hooks / "pre-commit").chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\thooksPath = {hooks}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "new"
    result = hardship("init", target, "--demo")
    assert result.code == 2
    assert result.err == (
        f"hardship: git could not make the first commit of the new root {target}: "
        "no commits on Sundays\n"
        "    hint: the root was not made: fix what git says and run init again, or make a "
        "root without git on purpose: hardship init --no-git\n"
    )
    assert not target.exists()
    monkeypatch.delenv("GIT_CONFIG_GLOBAL")
    again = hardship("init", target, "--demo")  # the same folder, once git agrees
    assert again.code == 0, again.err
    assert (target / ".git").is_dir()


def test_ctrl_c_during_init_takes_the_root_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(path: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(setup, "_git_init", interrupted)
    target = tmp_path / "new"
    result = hardship("init", target, "--demo")
    assert result.code == 130
    assert result.err == "hardship: interrupted; nothing half-written (writes are atomic)\n"
    assert not target.exists()


def test_what_cannot_be_taken_away_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk_full_at_the_schemas: None
) -> None:
    monkeypatch.setattr(setup.shutil, "rmtree", lambda path, ignore_errors=False: None)
    target = tmp_path / "new"
    result = hardship("init", target, "--no-git")
    assert result.code == 2
    assert result.err.startswith(
        f"hardship: init failed and could not take away what it made: remove {target} by hand\n"
        f"hardship: cannot write {target}/.hardship/schema/case.schema.json: the disk is full\n"
    )
    assert target.is_dir()  # the rmtree that would not
