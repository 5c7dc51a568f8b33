"""Reading commits back from git's log: each commit's author, dates, subject, trailers,
signature (where checked) and files.

Every field of a commit comes from git NUL-separated (no commit message can hold a NUL),
so no free text in a subject can pose as another field or another commit.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from hardship_cli.edit.commits import TRAILERS
from hardship_cli.edit.gitrepo import last_words, run_git
from hardship_cli.edit.signing import Signers
from hardship_cli.i18n import _
from hardship_cli.problems import HardshipError


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    authored: str  # ISO date-time
    committed: str  # ISO date-time, in the committer's zone
    subject: str
    records: list[str]  # Record: trailers (an import names several)
    action: str | None
    by: list[str]
    role: str | None
    signature: str = ""  # git's %G? (where signatures are checked)
    signer: str = ""  # the allowed-signers principal
    key: str = ""  # the signing key's fingerprint
    primary: str = ""  # its primary key's fingerprint (OpenPGP)
    files: list[tuple[str, str | None, str]] = field(default_factory=list)  # path, old, status

    @property
    def day(self) -> date:
        return datetime.fromisoformat(self.committed).date()

    @property
    def has_trailers(self) -> bool:
        return bool(self.action or self.records or self.by)


_HEADER = ["%H", "%P", "%aN", "%aE", "%aI", "%cI", "%s"] + [
    f"%(trailers:key={key},valueonly,unfold,separator=%x1f)" for key in TRAILERS
]


_SIGNATURE = ["%G?", "%GS", "%GF", "%GP"]


_STATUS = re.compile(r"^[ACDMRTUXB][0-9]*$")


def read_log(
    top: Path, args: list[str], checked: Signers | None = None, files: bool = False
) -> list[Commit]:
    """Commits of `git log ARGS`, newest first. Every field comes NUL-separated (no commit
    message can hold a NUL), so no text in a subject can pose as another field."""
    fields = _HEADER + (_SIGNATURE if checked else [])
    fmt = "%x00".join(fields)
    extra = checked.args if checked else []
    names = ["--name-status", "-M"] if files else []
    result = run_git([*extra, "log", "-z", f"--format={fmt}", *names, *args], top)
    if result.returncode != 0:
        raise HardshipError(
            _("{step} failed: {said}").format(step="git log", said=last_words(result))
        )
    tokens = result.stdout.split("\0")
    commits: list[Commit] = []
    i, n = 0, len(fields)
    while i < len(tokens):
        if not tokens[i].strip():
            i += 1
            continue
        values = tokens[i : i + n]
        i += n
        if len(values) < n:
            break
        commit = _commit_of(values, checked is not None)
        while files and i < len(tokens):
            token = tokens[i].lstrip("\n")
            if not token:
                i += 1
                continue
            if not _STATUS.match(token):
                break  # the next commit
            if token[0] in "RC" and i + 2 < len(tokens):
                commit.files.append((tokens[i + 2], tokens[i + 1], token[0]))
                i += 3
            else:
                commit.files.append((tokens[i + 1], None, token[0]))
                i += 2
        commits.append(commit)
    return commits


def _values(field_text: str) -> list[str]:
    return [v.strip() for part in field_text.split("\x1f") for v in part.split(",") if v.strip()]


def _commit_of(values: list[str], signed: bool) -> Commit:
    sha, parents, author, email, authored, committed, subject, rec, action, by, role = values[:11]
    commit = Commit(
        sha=sha,
        parents=parents.split(),
        author=author,
        email=email,
        authored=authored,
        committed=committed,
        subject=subject,
        records=_values(rec),
        action=(action.split("\x1f")[0].strip() or None) if action else None,
        by=[v.strip() for v in by.split("\x1f") if v.strip()],
        role=(role.split("\x1f")[0].strip() or None) if role else None,
    )
    if signed:
        commit.signature, commit.signer, commit.key, commit.primary = values[11:15]
    return commit


def read_blobs(top: Path, specs: list[str]) -> dict[str, bytes | None]:
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
