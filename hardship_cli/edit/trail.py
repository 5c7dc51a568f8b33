"""A record's audit trail read back: the commits that changed its file (renames followed),
what each did to it, and what is wrong with it, if anything.

Reading the log is ``commit_log``'s, describing a change ``changes``', judging a commit
``judging``'s, checking signatures ``signing``'s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hardship_cli.edit.changes import compare
from hardship_cli.edit.commit_log import Commit, read_blobs, read_log
from hardship_cli.edit.gitrepo import has_commits, require_repo, run_git
from hardship_cli.edit.judging import OUTSIDE, Flag, judge
from hardship_cli.edit.signing import signers
from hardship_cli.i18n import N_

if TYPE_CHECKING:
    from hardship_cli.domain.model import Config


@dataclass
class Event:
    commit: str
    when: str  # ISO date-time of the commit's author date
    author: str
    subject: str
    path: str
    record: str | None
    action: str | None
    by: str | None
    role: str | None
    changes: list[str]
    outside: bool  # made outside the tool: no trailers, or the trailers name another record
    email: str = ""
    committed: str = ""
    flags: list[Flag] = field(default_factory=list)
    dated: list[date] = field(default_factory=list)  # the steps' own dates, when not the commit's

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "when": self.when,
            "committed": self.committed,
            "author": self.author,
            "email": self.email,
            "action": self.action,
            "by": self.by,
            "role": self.role,
            "record": self.record,
            "path": self.path,
            "subject": self.subject,
            "changes": self.changes,
            "outside_tool": self.outside,
            "flags": [f.to_json() for f in self.flags],
            "dated": [d.isoformat() for d in self.dated],
        }


def history(root: Path, rel: str, record_id: str, config: Config | None = None) -> list[Event]:
    """Every commit that changed the record's file, oldest first, each judged. Renames are
    followed, copies never: a new record is never taken for a copy of a similar one."""
    top = require_repo(root, N_("there is no history to read"))
    if not has_commits(top):
        return []
    path = os.path.relpath((root / rel).resolve(), top.resolve())
    found: list[tuple[Commit, str, str | None]] = []
    start, current = "HEAD", path
    with signers(config) as checked:
        while True:
            commits = read_log(top, [start, "--", current], checked)
            renamed: tuple[Commit, str] | None = None
            for c in commits:
                found.append((c, current, None))
                old = _renamed_from(top, c, current)
                if old is not None:
                    found[-1] = (c, current, old)
                    renamed = (c, old)
                    break
            if renamed is None or not renamed[0].parents:
                break
            start, current = renamed[0].parents[0], renamed[1]
        specs = [f"{c.sha}:{p}" for c, p, _unused in found]
        specs += [f"{c.sha}^:{old or p}" for c, p, old in found]
        blobs = read_blobs(top, specs)
        events = []
        for c, p, old in found:
            change = compare(blobs.get(f"{c.sha}^:{old or p}"), blobs.get(f"{c.sha}:{p}"))
            flags = judge(c, record_id, change, config, checked)
            events.append(
                Event(
                    commit=c.sha,
                    when=c.authored,
                    author=c.author,
                    subject=c.subject,
                    path=p,
                    record=", ".join(c.records) or None,
                    action=c.action,
                    by=", ".join(c.by) or None,
                    role=c.role,
                    changes=change.words,
                    outside=any(f.code in OUTSIDE for f in flags),
                    email=c.email,
                    committed=c.committed,
                    flags=flags,
                    # init takes in a whole existing archive: its dates are its history
                    dated=sorted({d for d in change.dates if d != c.day})
                    if c.action != "init"
                    else [],
                )
            )
    events.reverse()
    return events


def _renamed_from(top: Path, commit: Commit, path: str) -> str | None:
    """The path this commit renamed to `path` (rename detection only), or None."""
    if len(commit.parents) != 1:
        return None
    done = run_git(
        ["diff-tree", "-r", "-z", "-M", "--no-commit-id", "--name-status", "--diff-filter=AR",
         commit.parents[0], commit.sha, "--"],
        top,
    )  # fmt: skip
    tokens = done.stdout.split("\0")
    i = 0
    while i < len(tokens):
        status = tokens[i].strip()
        if status.startswith("R") and i + 2 < len(tokens):
            if tokens[i + 2] == path:
                return tokens[i + 1]
            i += 3
        elif status:
            if status == "A" and i + 1 < len(tokens) and tokens[i + 1] == path:
                return None
            i += 2
        else:
            i += 1
    return None
