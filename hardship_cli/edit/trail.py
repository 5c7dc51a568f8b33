"""Reading the audit trail back: the commits that changed a record, what each did to
it, and what is wrong with it, if anything; a record's history.

Every field of a commit comes from git NUL-separated (no commit message can hold a NUL),
so no free text in a subject can pose as another field or another commit. A commit
without trailers was made outside the tool (a hand edit); one whose trailers name another
record, whose author is not its `By:` officer, whose change is not what its action does,
whose steps are dated after the commit, or (where hardship.yaml requires signing) whose
signature is not its officer's key, is flagged.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hardship_cli.edit.gitlog import (
    TRAILERS,
    has_commits,
    is_fingerprint,
    key_body,
    last_words,
    require_repo,
    run_git,
)
from hardship_cli.load import fastyaml
from hardship_cli.problems import HardshipError

if TYPE_CHECKING:
    from hardship_cli.domain.model import Config


# Values shown in a history line; other fields are named, never shown (they may be
# sensitive: ID numbers, phones, accounts, diagnoses). A key the model declares sensitive
# in any record (domain/sensitive.py) is never shown, listed here or not.
SHOWN_FIELDS = frozenset(
    {"status", "level", "amount", "kind", "fund", "case", "review_due", "target", "occasion"}
)
# Actions that create a record; `init` is `hardship init` creating the root.
CREATING = frozenset({"file", "propose", "open", "visit", "init"})
# What each action changes in its record (top-level fields), and what it must change.
# An action not listed here (a newer one) is judged by its trailers and author only.
ACTION_FIELDS: dict[str, tuple[frozenset[str], str | None]] = {
    "check": (frozenset({"checks", "status"}), "checks"),
    "review": (frozenset({"checks", "review_due"}), "checks"),
    "notice": (frozenset({"notice", "status"}), "notice"),
    "object": (frozenset({"notice"}), "notice"),
    "approve": (
        frozenset({"approvals", "status", "review_due", "notice", "override"}),
        "approvals",
    ),
    "reject": (frozenset({"approvals", "status", "notice", "ended"}), "status"),
    "cancel": (frozenset({"status", "ended"}), "status"),
    "pay": (frozenset({"paid", "status"}), "paid"),
    "close": (frozenset({"closed", "status"}), "closed"),
    "donation": (frozenset({"contributions"}), "contributions"),
    "refer": (frozenset({"referrals"}), "referrals"),
    "referral": (frozenset({"referrals"}), "referrals"),
}
# The keys of a record that date a step (approvals[].on, paid.on, notice.from, ...).
STEP_DATE_KEYS = frozenset({"on", "from"})


# ---------------------------------------------------------------------------------------
# Signatures: each officer's public SSH key is in hardship.yaml; git checks signatures
# against them through an allowed-signers file written for the occasion.


@dataclass
class Signers:
    """The officers' keys as git's allowed-signers principals (officer-1, ...)."""

    args: list[str]  # `-c gpg.ssh.allowedSignersFile=...` for git
    names: dict[str, str]  # principal (SSH) or fingerprint (OpenPGP) -> officer name


@contextmanager
def signers(config: Config | None) -> Iterator[Signers | None]:
    """Where the root requires signing: an allowed-signers file of the officers' keys, for
    as long as the caller reads the log. None where signing is not required."""
    if config is None or config.git.sign != "required":
        yield None
        return
    lines: list[str] = []
    names: dict[str, str] = {}
    for number, officer in enumerate(config.officers, 1):
        if is_fingerprint(officer.signing_key):
            names[officer.signing_key or ""] = officer.name
        elif officer.signing_key:
            principal = f"officer-{number}"
            names[principal] = officer.name
            lines.append(f'{principal} namespaces="git" {key_body(officer.signing_key)}')
    with tempfile.TemporaryDirectory(prefix="hardship-signers-") as folder:
        path = Path(folder) / "allowed_signers"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield Signers(["-c", f"gpg.ssh.allowedSignersFile={path}"], names)


# ---------------------------------------------------------------------------------------
# Reading commits back


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
        raise HardshipError(f"git log failed: {last_words(result)}")
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


# ---------------------------------------------------------------------------------------
# Judging a commit's change to one record


@dataclass
class Change:
    """What a commit did to a record's file."""

    words: list[str]  # `status: proposed -> approved`, `approvals: +1`, ...
    fields: set[str] = field(default_factory=set)  # top-level fields changed
    created: bool = False
    deleted: bool = False
    dates: list[date] = field(default_factory=list)  # step dates new in this change


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


OUTSIDE = frozenset({"no-trailers", "other-record"})


def judge(
    commit: Commit,
    record_id: str,
    change: Change,
    config: Config | None,
    checked: Signers | None,
) -> list[Flag]:
    """What is wrong with this commit's change to this record, if anything."""
    if not commit.has_trailers:
        return [Flag("no-trailers", "no trailers: changed outside hardship (a hand edit)")]
    flags: list[Flag] = []
    if commit.records and record_id not in commit.records:
        flags.append(
            Flag(
                "other-record",
                f"an action on {', '.join(commit.records)} that also changed {record_id}",
            )
        )
    action = commit.action or ""
    if action == "init":
        # `hardship init` makes the repository's first commit, and only creates files.
        if commit.parents:
            flags.append(Flag("action-change", "an init commit that is not the repository's first"))
        elif not change.created:
            flags.append(Flag("action-change", "an init commit that changed an existing record"))
        return flags
    if not commit.records:
        flags.append(Flag("trailers", "no Record: trailer"))
    flags += _judge_author(commit, config)
    flags += _judge_change(action, change)
    for day in change.dates:
        if day > commit.day:
            flags.append(
                Flag(
                    "dated-after-commit",
                    f"a step dated {day} was committed on {commit.day}, before that date",
                )
            )
    if checked is not None:
        flags += _judge_signature(commit, checked)
    return flags


def _judge_author(commit: Commit, config: Config | None) -> list[Flag]:
    if len(commit.by) != 1:
        said = f"several By: trailers ({', '.join(commit.by)})" if commit.by else "no By: trailer"
        return [Flag("trailers", said)]
    name = commit.by[0]
    if config is None:
        return [] if commit.author == name else [_author_flag(commit, name, None)]
    officer = config.officer(name)
    if officer is None:
        return [Flag("not-officer", f"By: {name}, who is not an officer in hardship.yaml")]
    email_differs = bool(officer.email) and commit.email.lower() != (officer.email or "").lower()
    if commit.author != name or email_differs:
        return [_author_flag(commit, name, officer.email)]
    return []


def _author_flag(commit: Commit, name: str, email: str | None) -> Flag:
    them = f"{name} <{email}>" if email else name
    return Flag(
        "author",
        f"authored by {commit.author} <{commit.email}>, not by {them} whom its By: trailer names",
    )


def _judge_change(action: str, change: Change) -> list[Flag]:
    if action == "import":
        return []
    if action in CREATING:
        existed = Flag("action-change", f"{action} of a record that existed")
        return [] if change.created else [existed]
    if change.created:
        return [Flag("action-change", f"{action} that created the record")]
    if change.deleted:
        return [Flag("action-change", f"{action} that deleted the record")]
    if action not in ACTION_FIELDS:
        return []
    allowed, must = ACTION_FIELDS[action]
    flags: list[Flag] = []
    if must is not None and must not in change.fields:
        flags.append(Flag("action-change", f"{action} that did not change {must}"))
    others = sorted(change.fields - allowed)
    if others:
        flags.append(
            Flag(
                "action-change",
                f"{action} that also changed {', '.join(others)} (no {action} does)",
            )
        )
    return flags


_SIGNATURE_WORDS = {
    "N": "not signed",
    "B": "its signature does not verify (the commit was altered after signing?)",
    "E": "its signature cannot be checked (OpenPGP: import the officers' public keys into "
    "this machine's GnuPG keyring)",
    "X": "signed with an expired signature",
    "Y": "signed with an expired key",
    "R": "signed with a revoked key",
}


def _judge_signature(commit: Commit, checked: Signers) -> list[Flag]:
    name = commit.by[0] if len(commit.by) == 1 else None
    status = commit.signature or "N"
    if status in ("G", "U"):  # a good signature; U: of a key nobody vouched for to git
        if commit.key.startswith("SHA256:"):  # SSH: the allowed-signers principal
            signer = checked.names.get(commit.signer) if status == "G" else None
        else:  # OpenPGP: hardship.yaml's fingerprint is the trust
            signer = checked.names.get(commit.primary) or checked.names.get(commit.key)
        if signer is not None and signer == name:
            return []
        if signer is not None:
            return [Flag("signature", f"signed with {signer}'s key, not {name}'s")]
        return [
            Flag(
                "signature",
                f"signed with a key hardship.yaml lists for nobody ({commit.key}), not {name}'s",
            )
        ]
    return [Flag("signature", _SIGNATURE_WORDS.get(status, f"signature status {status}"))]


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
    top = require_repo(root, "there is no history to read")
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
        specs = [f"{c.sha}:{p}" for c, p, _ in found]
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


def describe_change(before: bytes | None, after: bytes | None) -> list[str]:
    """The fields a commit changed, in words: `status: proposed -> approved`,
    `approvals: +1`, `paid added`, `worker.phone changed` (values of sensitive fields are
    never shown: only the fields in SHOWN_FIELDS that are not sensitive show their values)."""
    return compare(before, after).words


def compare(before: bytes | None, after: bytes | None) -> Change:
    """What a commit did to a record's file: in words, which fields, the step dates."""
    if after is None:
        return Change(["file deleted"], deleted=True)
    new = fastyaml.parse(after, "new").data
    if before is None:
        return Change(["created"], created=True, dates=_new_dates({}, new))
    old = fastyaml.parse(before, "old").data
    if not isinstance(old, dict) or not isinstance(new, dict):
        return Change(["changed (the file did not parse as a record)"], {"?"})
    changes: list[str] = []
    fields: set[str] = set()
    for key in _ordered_union(old, new):
        a, b = old.get(key), new.get(key)
        if a != b:
            fields.add(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for sub in _ordered_union(a, b):
                _compare(f"{key}.{sub}", a.get(sub), b.get(sub), changes)
        else:
            _compare(key, a, b, changes)
    return Change(changes, fields, dates=_new_dates(old, new))


def _new_dates(old: Any, new: Any) -> list[date]:
    """The step dates (`on`, `from` at any depth) that are new or changed in `new`."""
    before = dict(_step_dates(old, ""))
    found: list[date] = []
    for where, value in _step_dates(new, ""):
        if before.get(where) != value:
            try:
                found.append(date.fromisoformat(str(value)))
            except ValueError:
                continue  # validate names a malformed date
    return found


def _step_dates(tree: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in STEP_DATE_KEYS and isinstance(value, str | date):
                yield f"{where}.{key}", value
            else:
                yield from _step_dates(value, f"{where}.{key}")
    elif isinstance(tree, list):
        for number, item in enumerate(tree):
            yield from _step_dates(item, f"{where}[{number}]")


def _compare(key: str, a: Any, b: Any, changes: list[str]) -> None:
    if a == b:
        return
    from hardship_cli.domain.model import KINDS
    from hardship_cli.domain.sensitive import sensitive_keys

    leaf = key.rsplit(".", 1)[-1]
    shown = leaf in SHOWN_FIELDS and leaf not in sensitive_keys(KINDS.values())
    if isinstance(a, list) or isinstance(b, list):
        la = a if isinstance(a, list) else []
        lb = b if isinstance(b, list) else []
        if lb[: len(la)] == la and len(lb) > len(la):
            changes.append(f"{key}: +{len(lb) - len(la)}")
        else:
            changes.append(f"{key} changed")
    elif a is None:
        changes.append(f"{key} added" + (f": {b}" if shown else ""))
    elif b is None:
        changes.append(f"{key} removed")
    elif shown and isinstance(a, str) and isinstance(b, str):
        changes.append(f"{key}: {a} -> {b}")
    else:
        changes.append(f"{key} changed")


def _ordered_union(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    keys = list(b)
    keys += [k for k in a if k not in b]
    return keys
