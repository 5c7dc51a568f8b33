"""Running git, and what the repository says: where its top is, whether a file differs
from its last commit, when files last changed. Committing is ``commits``'; reading commits
back is ``commit_log``'s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

from hardship_cli.i18n import N_, _
from hardship_cli.problems import ConfigError, HardshipError


def run_git(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )


def git_installed() -> bool:
    return shutil.which("git") is not None


def repo_top(root: Path) -> Path | None:
    """The top of the git work tree holding `root`, or None (not a repository, no git)."""
    if not git_installed():
        return None
    result = run_git(["rev-parse", "--show-toplevel"], root)
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


def has_commits(top: Path) -> bool:
    return run_git(["rev-parse", "--verify", "-q", "HEAD"], top).returncode == 0


def require_repo(root: Path, what: str) -> Path:
    """The top of the repository holding `root`; a plain error when git is missing or the
    root is not in a repository (`what` says what could not be done: a message marked
    with `N_`, translated here; one translated already is shown as it is)."""
    if not git_installed():
        raise ConfigError(
            _("git is not installed (no git on PATH): {what}").format(what=_(what)),
            _(
                "install git; to run a root without an audit trail on purpose, set "
                "`git: {{commit: false}}` in hardship.yaml (or pass --no-commit)"
            ).format(),
        )
    top = repo_top(root)
    if top is None:
        raise ConfigError(
            _("{root} is not inside a git repository: {what}").format(root=root, what=_(what)),
            _(
                "git init the root and commit it (hardship init does this); to run without "
                "an audit trail on purpose, set `git: {{commit: false}}` in hardship.yaml "
                "(or pass --no-commit)"
            ).format(),
        )
    return top


def last_words(result: subprocess.CompletedProcess[str], lines: int = 3) -> str:
    said = [ln.strip() for ln in (result.stderr or result.stdout).splitlines() if ln.strip()]
    if said:
        return " / ".join(said[-lines:])
    return _("exit status {code}").format(code=result.returncode)


def file_status(top: Path, rels: list[str]) -> dict[str, str]:
    """git's two-letter status of each of these files that differs from HEAD."""
    if not rels:
        return {}
    done = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rels], top)
    if done.returncode != 0:
        raise HardshipError(_("git status failed: {said}").format(said=last_words(done)))
    found: dict[str, str] = {}
    tokens = done.stdout.split("\0")
    i = 0
    while i < len(tokens):
        entry = tokens[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        found[path] = code
        if code[0] in "RC":
            i += 1  # the old path of a rename
    return found


# How a file differs from its last commit, said of the file (`PATH is a new file ...`).
_STATUS_WORDS = {
    "new": N_("is a new file that was never committed"),
    "deleted": N_("is deleted, and the deletion is not committed"),
    "staged": N_("has changes staged in git but not committed"),
    "changed": N_("was changed and the change is not committed"),
}


def describe_status(code: str) -> str:
    """git's two-letter status of a file in words, in the terminal's language: what is
    said of the file after its path."""
    if code == "??":
        return _(_STATUS_WORDS["new"])
    if "D" in code:
        return _(_STATUS_WORDS["deleted"])
    if code[0] not in " ?" and code[1] == " ":
        return _(_STATUS_WORDS["staged"])
    return _(_STATUS_WORDS["changed"])


def has_changes(path: Path) -> bool:
    """Would committing this file record anything (new, or changed since the last commit)?"""
    top = repo_top(path.resolve().parent)
    if top is None:
        return False
    rel = os.path.relpath(path.resolve(), top.resolve())
    return bool(run_git(["status", "--porcelain", "--", rel], top).stdout.strip())


# ---------------------------------------------------------------------------------------
# When files last changed (for `due`: files unchanged for a year)


def last_changed(root: Path, folder: str) -> dict[str, date]:
    """The day of the last commit that touched each file under `folder` (paths relative
    to the root). Files never committed are absent."""
    top = repo_top(root)
    if top is None:
        return {}
    base = os.path.relpath((root / folder).resolve(), top.resolve())
    result = run_git(["log", "--format=%x1e%cI", "--name-only", "--", base], top)
    if result.returncode != 0:
        return {}
    prefix = os.path.relpath(root.resolve(), top.resolve())
    seen: dict[str, date] = {}
    for chunk in result.stdout.split("\x1e"):
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        day = datetime.fromisoformat(lines[0].strip()).date()
        for name in lines[1:]:
            rel = name if prefix == "." else os.path.relpath(name, prefix)
            seen.setdefault(rel, day)  # newest first: the first seen is the last change
    return seen
