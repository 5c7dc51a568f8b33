"""The stamp of a report or a sheet: the git commit of the records, whether they hold
changes not yet committed, and the lines that say whose a sheet is and when.

Only the records count: the record folders, the budgets and hardship.yaml. A report, an
export or anything else written inside the root (`-o build/annual-2026.xlsx`) neither
moves the commit named nor marks the records as changed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from hardship_cli.domain.kinds import KINDS
from hardship_cli.load.files import CONFIG_FILE
from hardship_cli.report.labels import label

# What the records are, as git pathspecs relative to the root.
RECORD_PATHS = (CONFIG_FILE, "budgets", *(kind.folder for kind in KINDS.values()))


def records_stamp(root: Path) -> dict[str, Any]:
    """The git commit of the records (the last one that touched a record file), and
    whether a record file has changes not yet committed."""
    if shutil.which("git") is None:
        return {"commit": None, "dirty": False, "git_missing": True}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return {"commit": None, "dirty": False}
    spec = list(RECORD_PATHS)
    last = git("log", "-1", "--format=%H", "--", *spec)
    commit = last.stdout.strip() or None
    dirty = bool(git("status", "--porcelain", "--", *spec).stdout.strip())
    return {"commit": commit[:12] if commit else None, "dirty": dirty}


def stamp_text(stamp: dict[str, Any], lang: str) -> str:
    """The records' commit on one line, `git 1a2b3c4d5e6f (含未提交的修改)`, or why none."""
    if stamp.get("commit"):
        text = f"git {stamp['commit']}"
    elif stamp.get("git_missing"):
        text = label(lang, "stamp.git_missing")
    else:
        text = label(lang, "stamp.not_in_git")
    if stamp.get("dirty"):
        text += f" ({label(lang, 'stamp.dirty')})"
    return text


def about_rows(
    org: str, period: str, stamp: dict[str, Any], today: date, lang: str
) -> list[list[str]]:
    """Whose the sheet is and when: the unit, the period, the records' commit, the date;
    one [label, value] row each, for the top of a csv or the first rows of a sheet."""
    return [
        [label(lang, "sheet.unit"), org],
        [label(lang, "sheet.period"), period],
        [label(lang, "stamp.records"), stamp_text(stamp, lang)],
        [label(lang, "stamp.generated"), today.isoformat()],
    ]
