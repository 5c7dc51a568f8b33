"""Git as the audit trail: one commit per action, and a record's history read back.

Each action commits only the files it touched, authored by the acting officer, with a
subject that reads like the union's register and trailers a program can query:

    grant GR-2026-0042 approved by 王芳 (chair): medical 2,000.00 for HS-2026-0007

    Record: GR-2026-0042
    Action: approve
    By: 王芳
    Role: chair

A change to a record file whose commit carries no such trailers was made outside the
tool (a hand edit); `history` shows it, flagged, so that an auditor sees it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import yamlio
from .problems import HardshipError

TRAILERS = ("Record", "Action", "By", "Role")
# Values shown in a history line; other fields are named, never shown (they may be
# sensitive: ID numbers, phones, accounts, diagnoses).
SHOWN_FIELDS = frozenset(
    {"status", "level", "amount", "kind", "fund", "case", "review_due", "target", "occasion"}
)


def _git(
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
        check=False,
    )


def repo_top(root: Path) -> Path | None:
    """The top of the git work tree holding `root`, or None (not a repository, no git)."""
    if shutil.which("git") is None:
        return None
    result = _git(["rev-parse", "--show-toplevel"], root)
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


# ---------------------------------------------------------------------------------------
# Committing an action


@dataclass(frozen=True)
class Message:
    subject: str
    record: str
    action: str
    by: str
    role: str | None
    extra: dict[str, str] = field(default_factory=dict)  # more trailers (Override: ...)
    body: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [self.subject.replace("\n", " ")]
        if self.body:
            parts.append("\n".join(self.body))
        trailers = [f"Record: {self.record}", f"Action: {self.action}", f"By: {self.by}"]
        if self.role:
            trailers.append(f"Role: {self.role}")
        trailers.extend(f"{k}: {v}" for k, v in self.extra.items())
        parts.append("\n".join(trailers))
        return "\n\n".join(parts) + "\n"


def commit(
    root: Path, paths: Iterable[Path], message: Message, author: str, email: str | None
) -> tuple[str | None, str | None]:
    """Commit exactly `paths` as `author`. Returns (short hash, None), or (None, warning)
    when the root is not inside a git repository."""
    top = repo_top(root)
    if top is None:
        return None, (
            "warning: the records root is not inside a git repository: the change is "
            "written but not committed, so it has no audit trail (git init the root)"
        )
    rels = [os.path.relpath(Path(p).resolve(), top.resolve()) for p in paths]
    env = dict(os.environ)
    env["GIT_AUTHOR_NAME"] = author
    env["GIT_AUTHOR_EMAIL"] = email or ""
    if _git(["config", "user.email"], top).returncode != 0:
        # No identity configured on this machine: the officer commits as themselves.
        env.setdefault("GIT_COMMITTER_NAME", author)
        env.setdefault("GIT_COMMITTER_EMAIL", email or "")
    added = _git(["add", "--", *rels], top, env)
    if added.returncode != 0:
        raise _failed(rels, added)
    done = _git(["commit", "-F", "-", "--only", "--", *rels], top, env, stdin=message.text())
    if done.returncode != 0:
        raise _failed(rels, done)
    match = re.search(r"\[[^\]]*?([0-9a-f]{7,40})\]", done.stdout)
    return (match.group(1) if match else None), None


def has_changes(path: Path) -> bool:
    """Would committing this file record anything (new, or changed since the last commit)?"""
    top = repo_top(path.resolve().parent)
    if top is None:
        return False
    rel = os.path.relpath(path.resolve(), top.resolve())
    return bool(_git(["status", "--porcelain", "--", rel], top).stdout.strip())


def _failed(rels: list[str], result: subprocess.CompletedProcess[str]) -> HardshipError:
    said = (result.stderr or result.stdout).strip().splitlines()
    return HardshipError(
        f"the change was written to {', '.join(rels)} but git did not commit it"
        + (f": {said[-1]}" if said else ""),
        "commit it by hand (git commit), with the same trailers, or undo it (git checkout)",
    )


# ---------------------------------------------------------------------------------------
# A record's history


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

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "when": self.when,
            "author": self.author,
            "action": self.action,
            "by": self.by,
            "role": self.role,
            "record": self.record,
            "path": self.path,
            "subject": self.subject,
            "changes": self.changes,
            "outside_tool": self.outside,
        }


_LOG_FORMAT = "%x1e%H%x1f%aN%x1f%aI%x1f%s%x1f" + "%x1f".join(
    f"%(trailers:key={key},valueonly,separator=%x2C)" for key in TRAILERS
)


def history(root: Path, rel: str, record_id: str) -> list[Event]:
    """Every commit that changed the record's file (following renames), oldest first."""
    top = repo_top(root)
    if top is None:
        raise HardshipError(
            "the records root is not inside a git repository: there is no history",
            "git init the root; from then on every action is a commit",
            exit_code=2,
        )
    path = os.path.relpath((root / rel).resolve(), top.resolve())
    result = _git(["log", "--follow", f"--format={_LOG_FORMAT}", "--name-status", "--", path], top)
    if result.returncode != 0:
        raise HardshipError(f"git log failed: {result.stderr.strip()[:200]}")
    events: list[Event] = []
    wanted: list[tuple[str, str | None]] = []
    for chunk in result.stdout.split("\x1e"):
        if not chunk.strip():
            continue
        header, _, rest = chunk.partition("\n")
        sha, author, when, subject, rec, action, by, role = (header.split("\x1f") + [""] * 8)[:8]
        new_path, old_path = path, None
        for line in rest.splitlines():
            cols = line.split("\t")
            if len(cols) >= 2 and cols[0]:
                status = cols[0][0]
                if status == "R" and len(cols) >= 3:
                    old_path, new_path = cols[1], cols[2]
                elif status == "A":
                    new_path, old_path = cols[1], None
                else:
                    new_path = old_path = cols[1]
        events.append(
            Event(
                commit=sha,
                when=when,
                author=author,
                subject=subject,
                path=new_path,
                record=rec or None,
                action=action or None,
                by=by or None,
                role=role or None,
                changes=[],
                outside=not action or (bool(rec) and rec != record_id),
            )
        )
        wanted.append((new_path, old_path))
    blobs = _blobs(
        top,
        [f"{e.commit}:{new}" for e, (new, _old) in zip(events, wanted, strict=True)]
        + [f"{e.commit}^:{old}" for e, (_new, old) in zip(events, wanted, strict=True) if old],
    )
    for event, (new, old) in zip(events, wanted, strict=True):
        after = blobs.get(f"{event.commit}:{new}")
        before = blobs.get(f"{event.commit}^:{old}") if old else None
        event.changes = describe_change(before, after)
    events.reverse()
    return events


def _blobs(top: Path, specs: list[str]) -> dict[str, bytes | None]:
    """Many `commit:path` contents in one git process."""
    if not specs:
        return {}
    proc = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input=("\n".join(specs) + "\n").encode("utf-8"),
        capture_output=True,
        check=False,
    )
    out = proc.stdout
    found: dict[str, bytes | None] = {}
    pos = 0
    for spec in specs:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].decode("utf-8", "replace")
        pos = end + 1
        parts = header.split()
        if len(parts) == 3 and parts[1] == "blob":
            size = int(parts[2])
            found[spec] = out[pos : pos + size]
            pos += size + 1
        else:
            found[spec] = None
    return found


def describe_change(before: bytes | None, after: bytes | None) -> list[str]:
    """The fields a commit changed, in words: `status: proposed -> approved`,
    `approvals: +1`, `paid added`, `worker.phone changed` (values of sensitive fields are
    never shown: only the fields in SHOWN_FIELDS show their values)."""
    if after is None:
        return ["file deleted"]
    if before is None:
        return ["created"]
    old = yamlio.parse(before, "old").data
    new = yamlio.parse(after, "new").data
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["changed (the file did not parse as a record)"]
    changes: list[str] = []
    for key in _ordered_union(old, new):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for sub in _ordered_union(a, b):
                _compare(f"{key}.{sub}", a.get(sub), b.get(sub), changes)
        else:
            _compare(key, a, b, changes)
    return changes


def _compare(key: str, a: Any, b: Any, changes: list[str]) -> None:
    if a == b:
        return
    leaf = key.rsplit(".", 1)[-1]
    if isinstance(a, list) or isinstance(b, list):
        la = a if isinstance(a, list) else []
        lb = b if isinstance(b, list) else []
        if lb[: len(la)] == la and len(lb) > len(la):
            changes.append(f"{key}: +{len(lb) - len(la)}")
        else:
            changes.append(f"{key} changed")
    elif a is None:
        changes.append(f"{key} added" + (f": {b}" if leaf in SHOWN_FIELDS else ""))
    elif b is None:
        changes.append(f"{key} removed")
    elif leaf in SHOWN_FIELDS and isinstance(a, str) and isinstance(b, str):
        changes.append(f"{key}: {a} -> {b}")
    else:
        changes.append(f"{key} changed")


def _ordered_union(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    keys = list(b)
    keys += [k for k in a if k not in b]
    return keys


# ---------------------------------------------------------------------------------------
# When files last changed (for `due`: files unchanged for a year)


def last_changed(root: Path, folder: str) -> dict[str, date]:
    """The day of the last commit that touched each file under `folder` (paths relative
    to the root). Files never committed are absent."""
    top = repo_top(root)
    if top is None:
        return {}
    base = os.path.relpath((root / folder).resolve(), top.resolve())
    result = _git(["log", "--format=%x1e%cI", "--name-only", "--", base], top)
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
