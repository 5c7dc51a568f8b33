"""Git as the audit trail: one commit per action, and a record's history read back.

Each action commits only the files it touched, authored by the acting officer, with a
subject that reads like the union's register and trailers a program can query:

    grant GR-2026-0042 approved by 王芳 (chair): medical 2,000.00 for HS-2026-0007

    Record: GR-2026-0042
    Action: approve
    By: 王芳
    Role: chair

An action is checked before anything is written (`prepare`: git present, the root in a
repository, no lock, no merge or rebase under way, an identity, the record's file as last
committed, a signing key where the root requires one); then its files are written and
committed together, or put back as they were (`Pending.land`).

Reading back, each commit that changed a record is judged (`judge`): a commit without
trailers was made outside the tool (a hand edit); one whose trailers name another record,
whose author is not its `By:` officer, whose change is not what its action does, whose
steps are dated after the commit, or (where signing is required) whose signature is not
its officer's, is flagged, so that an auditor sees it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import yamlio
from .problems import ConfigError, HardshipError, Refused

if TYPE_CHECKING:
    from .model import Config

TRAILERS = ("Record", "Action", "By", "Role")
# Values shown in a history line; other fields are named, never shown (they may be
# sensitive: ID numbers, phones, accounts, diagnoses).
SHOWN_FIELDS = frozenset(
    {"status", "level", "amount", "kind", "fund", "case", "review_due", "target", "occasion"}
)
# Where the acting officer's private key is on this machine (else git's user.signingkey).
SIGNING_KEY_ENV = "HARDSHIP_SIGNING_KEY"
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

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
        errors="replace",
        check=False,
    )


def git_installed() -> bool:
    return shutil.which("git") is not None


def repo_top(root: Path) -> Path | None:
    """The top of the git work tree holding `root`, or None (not a repository, no git)."""
    if not git_installed():
        return None
    result = _git(["rev-parse", "--show-toplevel"], root)
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


def has_commits(top: Path) -> bool:
    return _git(["rev-parse", "--verify", "-q", "HEAD"], top).returncode == 0


def require_repo(root: Path, what: str) -> Path:
    """The top of the repository holding `root`; a plain error when git is missing or the
    root is not in a repository (`what` says what could not be done)."""
    if not git_installed():
        raise ConfigError(
            f"git is not installed (no git on PATH): {what}",
            "install git; to run a root without an audit trail on purpose, set "
            "`git: {commit: false}` in hardship.yaml (or pass --no-commit)",
        )
    top = repo_top(root)
    if top is None:
        raise ConfigError(
            f"{root} is not inside a git repository: {what}",
            "git init the root and commit it (hardship init does this); to run without an "
            "audit trail on purpose, set `git: {commit: false}` in hardship.yaml (or pass "
            "--no-commit)",
        )
    return top


def one_line(text: str) -> str:
    """A subject or trailer value on one line: a control character in free text (a voucher,
    a reason) never reaches git as a line break, a separator or a trailer of its own."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
        parts = [one_line(self.subject)]
        if self.body:
            parts.append("\n".join(one_line(line) for line in self.body))
        trailers = [
            f"Record: {one_line(self.record)}",
            f"Action: {one_line(self.action)}",
            f"By: {one_line(self.by)}",
        ]
        if self.role:
            trailers.append(f"Role: {one_line(self.role)}")
        trailers.extend(f"{k}: {one_line(v)}" for k, v in self.extra.items())
        parts.append("\n".join(trailers))
        return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class Author:
    """Who an action's commit is by: the acting officer, as hardship.yaml lists them."""

    name: str
    email: str | None = None
    signing_key: str | None = None  # their public key, where listed


@dataclass
class Pending:
    """An action's commit, checked before anything is written. Write the files, then
    `land` commits them; a commit that fails puts the files back as they were."""

    top: Path
    paths: list[Path]
    rels: list[str]  # relative to the top of the repository
    shown: list[str]  # as the person at the terminal knows them (relative to the root)
    before: dict[Path, bytes | None]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    sign_key: str | None = None
    author: Author | None = None

    def identify(self, author: Author, sign: bool = False) -> None:
        """Check that git can commit as `author` (and sign as them, where required)."""
        env = dict(os.environ)
        configured = _git(["config", "user.email"], self.top).stdout.strip()
        email = author.email or configured
        if not email:
            raise ConfigError(
                f"git has no identity for {author.name}: hardship.yaml gives them no email "
                "and git has no user.email; nothing was written",
                f"add `email:` to {author.name} under officers in hardship.yaml "
                "(or git config user.email ADDRESS)",
            )
        env["GIT_AUTHOR_NAME"] = author.name
        env["GIT_AUTHOR_EMAIL"] = email
        if not configured:
            # No identity configured on this machine: the officer commits as themselves.
            env.setdefault("GIT_COMMITTER_NAME", author.name)
            env.setdefault("GIT_COMMITTER_EMAIL", email)
        self.env = env
        self.author = author
        self.sign_key = signing_key_for(self.top, author) if sign else None

    def land(self, write: Callable[[], None], message: Message) -> str:
        """Write (the caller's atomic writes), then commit exactly these files. If the
        commit fails or is interrupted, the files are put back and the error says so."""
        write()
        try:
            return self._commit(message)
        except BaseException:
            self.restore()
            raise

    def _commit(self, message: Message) -> str:
        added = _git(["add", "--", *self.rels], self.top, self.env)
        if added.returncode != 0:
            raise self._failed("git add", added)
        sign = (
            ["-c", "gpg.format=ssh", "-c", f"user.signingkey={self.sign_key}"]
            if self.sign_key
            else []
        )
        done = _git(
            [*sign, "commit", *(["-S"] if self.sign_key else []), "-q", "-F", "-", "--only",
             "--", *self.rels],
            self.top,
            self.env,
            stdin=message.text(),
        )  # fmt: skip
        if done.returncode != 0:
            raise self._failed("git commit", done)
        head = _git(["rev-parse", "--short=12", "HEAD"], self.top)
        return head.stdout.strip()

    def restore(self) -> list[str]:
        """Put every file back as it was before the action (its bytes as last committed;
        a new file removed), and out of git's index. Files already committed (the commit
        landed) are left alone. Returns what could not be undone, in words."""
        left: list[str] = []
        status = file_status(self.top, self.rels)
        if not status:
            return left  # clean: committed, or as it was
        new = [r for p, r in zip(self.paths, self.rels, strict=True) if self.before[p] is None]
        old = [r for p, r in zip(self.paths, self.rels, strict=True) if self.before[p] is not None]
        if new:
            done = _git(["rm", "--cached", "-q", "--ignore-unmatch", "--", *new], self.top)
            if done.returncode != 0:
                left.append(f"git rm --cached failed: {_last_words(done)}")
        if old:
            done = _git(["reset", "-q", "--", *old], self.top)
            if done.returncode != 0:
                left.append(f"git reset failed: {_last_words(done)}")
        for path, raw in self.before.items():
            if raw is None:
                path.unlink(missing_ok=True)
            else:
                yamlio.atomic_write(path, raw)
        return left

    def _failed(self, step: str, result: subprocess.CompletedProcess[str]) -> Refused:
        left = self.restore()
        where = ", ".join(self.shown)
        message = (
            f"{step} failed, so the action was not recorded: {_last_words(result)}\n"
            f"{where} {'is' if len(self.shown) == 1 else 'are'} back as before; nothing changed"
        )
        if left:
            message += " in the files, but " + "; ".join(left)
        return Refused(message, "correct what git says, then run the command again")


def _last_words(result: subprocess.CompletedProcess[str], lines: int = 3) -> str:
    said = [ln.strip() for ln in (result.stderr or result.stdout).splitlines() if ln.strip()]
    return " / ".join(said[-lines:]) if said else f"exit status {result.returncode}"


def prepare(root: Path, paths: Iterable[Path]) -> Pending:
    """Before an action writes `paths`: check that git can commit them, and that each is
    as last committed (a hand edit is never swept into an officer's commit). Raises a plain
    error naming the cause; nothing has been written. Call `identify` once the acting
    officer is known, then `land`."""
    top = require_repo(root, "this root keeps its audit trail in git; nothing was written")
    files = [Path(p) for p in paths]
    rels = [os.path.relpath(p.resolve(), top.resolve()) for p in files]
    shown = [os.path.relpath(p.resolve(), root.resolve()) for p in files]
    check_can_commit(top)
    dirty = file_status(top, rels)
    for rel, show in zip(rels, shown, strict=True):
        if rel in dirty:
            raise _not_as_committed(show, dirty[rel])
    before = {p: (p.read_bytes() if p.exists() else None) for p in files}
    return Pending(top, files, rels, shown, before)


def check_can_commit(top: Path) -> None:
    """No lock on git's index, and no merge, rebase, cherry-pick or revert under way."""
    names = ["index.lock", "MERGE_HEAD", "rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD",
             "REVERT_HEAD"]  # fmt: skip
    args = [a for name in names for a in ("--git-path", name)]
    found = _git(["rev-parse", *args], top)
    if found.returncode != 0:
        raise HardshipError(f"git rev-parse failed: {_last_words(found)}")
    where = {name: top / line for name, line in zip(names, found.stdout.splitlines(), strict=False)}
    lock = where.get("index.lock")
    if lock is not None and lock.exists():
        raise Refused(
            f"git's index is locked ({lock} exists): another git command is running, or one "
            "was stopped halfway; nothing was written",
            f"wait for it to finish; if no git command is running, delete {lock}",
        )
    doing = {
        "MERGE_HEAD": ("a merge", "git commit to finish it, or git merge --abort"),
        "rebase-merge": ("a rebase", "git rebase --continue or git rebase --abort"),
        "rebase-apply": ("a rebase", "git rebase --continue or git rebase --abort"),
        "CHERRY_PICK_HEAD": ("a cherry-pick", "git cherry-pick --continue or --abort"),
        "REVERT_HEAD": ("a revert", "git revert --continue or --abort"),
    }
    for name, (what, how) in doing.items():
        path = where.get(name)
        if path is not None and path.exists():
            raise Refused(
                f"{what} is in progress in {top}: an action cannot be committed on its own "
                "during it; nothing was written",
                f"finish or abandon it first ({how}), then run the command again",
            )


def file_status(top: Path, rels: list[str]) -> dict[str, str]:
    """git's two-letter status of each of these files that differs from HEAD."""
    if not rels:
        return {}
    done = _git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rels], top)
    if done.returncode != 0:
        raise HardshipError(f"git status failed: {_last_words(done)}")
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


def describe_status(code: str) -> str:
    if code == "??":
        return "is a new file that was never committed"
    if "D" in code:
        return "is deleted, and the deletion is not committed"
    if code[0] not in " ?" and code[1] == " ":
        return "has changes staged in git but not committed"
    return "was changed and the change is not committed"


def _not_as_committed(path: str, code: str) -> Refused:
    how = (
        f"commit it (git add {path} && git commit) or move it out of the root"
        if code == "??"
        else f"look at it (git diff HEAD -- {path}); commit it (git commit {path}) or "
        f"restore it (git checkout HEAD -- {path})"
    )
    return Refused(
        f"{path} {describe_status(code)}: an action commits only its own change, so it "
        "was refused; nothing was written",
        how,
    )


def commit(
    root: Path, paths: Iterable[Path], message: Message, author: str, email: str | None
) -> tuple[str | None, str | None]:
    """Commit files already written (import, reports): (short hash, None), or (None,
    warning) when the root is not inside a git repository. Actions use `prepare` and
    `Pending.land`, which check before writing and put the files back on failure."""
    top = repo_top(root)
    if top is None:
        said = (
            "git is not installed"
            if not git_installed()
            else ("the records root is not inside a git repository")
        )
        return None, (
            f"warning: {said}: the change is written but not committed, so it has no audit "
            "trail (install git; git init the root)"
        )
    files = [Path(p) for p in paths]
    rels = [os.path.relpath(p.resolve(), top.resolve()) for p in files]
    pending = Pending(top, files, rels, rels, {})
    pending.identify(Author(author, email))
    env = pending.env
    added = _git(["add", "--", *rels], top, env)
    if added.returncode != 0:
        raise _failed(rels, added)
    done = _git(["commit", "-F", "-", "--only", "--", *rels], top, env, stdin=message.text())
    if done.returncode != 0:
        raise _failed(rels, done)
    head = _git(["rev-parse", "--short=12", "HEAD"], top)
    return head.stdout.strip() or None, None


def has_changes(path: Path) -> bool:
    """Would committing this file record anything (new, or changed since the last commit)?"""
    top = repo_top(path.resolve().parent)
    if top is None:
        return False
    rel = os.path.relpath(path.resolve(), top.resolve())
    return bool(_git(["status", "--porcelain", "--", rel], top).stdout.strip())


def _failed(rels: list[str], result: subprocess.CompletedProcess[str]) -> HardshipError:
    return HardshipError(
        f"the change was written to {', '.join(rels)} but git did not commit it: "
        f"{_last_words(result)}",
        "commit it by hand (git commit), with the same trailers, or undo it (git checkout)",
    )


# ---------------------------------------------------------------------------------------
# Signing: each officer's public SSH key is in hardship.yaml; git checks signatures
# against them through an allowed-signers file written for the occasion.


def signing_key_for(top: Path, author: Author) -> str:
    """The key git signs this officer's commit with: $HARDSHIP_SIGNING_KEY, else git's
    user.signingkey; refused when it is not the key hardship.yaml lists for them."""
    who = author.name
    if not author.signing_key:
        raise ConfigError(
            f"hardship.yaml requires signed commits (git: sign: required) but lists no "
            f"signing_key for {who}; nothing was written",
            f"add `signing_key: ssh-ed25519 AAAA...` (the public key of {who}) to {who} "
            "under officers",
        )
    if shutil.which("ssh-keygen") is None:
        raise ConfigError(
            "hardship.yaml requires signed commits, and signing needs ssh-keygen (OpenSSH), "
            "which is not installed; nothing was written",
            "install OpenSSH's client (apt-get install openssh-client)",
        )
    key = os.environ.get(SIGNING_KEY_ENV, "").strip()
    source = f"${SIGNING_KEY_ENV}"
    if not key:
        key = _git(["config", "user.signingkey"], top).stdout.strip()
        source = "git's user.signingkey"
    if not key:
        raise ConfigError(
            f"hardship.yaml requires signed commits, and no signing key for {who} is set on "
            "this machine; nothing was written",
            f"set {SIGNING_KEY_ENV} to the file of {who}'s private SSH key "
            "(or git config user.signingkey FILE)",
        )
    literal = key.startswith(("key::", "ssh-", "ecdsa-", "sk-"))
    if not literal and not Path(key).expanduser().exists():
        raise ConfigError(
            f"{source} names {key}, which does not exist; nothing was written",
            f"point {SIGNING_KEY_ENV} at the file of {who}'s private SSH key",
        )
    public = _public_key(key)
    if public is not None and key_body(public) != key_body(author.signing_key):
        raise Refused(
            f"the signing key on this machine ({source}) is not the one hardship.yaml lists "
            f"for {who}: only {who}'s key signs {who}'s actions; nothing was written",
            f"act as yourself (--as), or use {who}'s key",
        )
    return str(Path(key).expanduser()) if not literal else key


def key_body(key: str) -> str:
    """`type base64` of a public key, without its comment."""
    parts = key.removeprefix("key::").split()
    return " ".join(parts[:2])


def _public_key(key: str) -> str | None:
    """The public half of a signing key, where it can be known without a passphrase."""
    if key.startswith(("key::", "ssh-", "ecdsa-", "sk-")):
        return key.removeprefix("key::")
    path = Path(key).expanduser()
    candidates = [path] if path.suffix == ".pub" else [Path(f"{path}.pub")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace").strip()
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-P", "", "-f", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return derived.stdout.strip() if derived.returncode == 0 and derived.stdout.strip() else None


@dataclass
class Signers:
    """The officers' keys as git's allowed-signers principals (officer-1, ...)."""

    args: list[str]  # `-c gpg.ssh.allowedSignersFile=...` for git
    names: dict[str, str]  # principal -> officer name


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
        if officer.signing_key:
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
_SIGNATURE = ["%G?", "%GS", "%GF"]
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
    result = _git([*extra, "log", "-z", f"--format={fmt}", *names, *args], top)
    if result.returncode != 0:
        raise HardshipError(f"git log failed: {_last_words(result)}")
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
        commit.signature, commit.signer, commit.key = values[11:14]
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
        if not change.created:
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
    "E": "its signature cannot be checked",
    "X": "signed with an expired signature",
    "Y": "signed with an expired key",
    "R": "signed with a revoked key",
}


def _judge_signature(commit: Commit, checked: Signers) -> list[Flag]:
    name = commit.by[0] if len(commit.by) == 1 else None
    status = commit.signature or "N"
    if status == "G":
        signer = checked.names.get(commit.signer)
        if signer is not None and signer == name:
            return []
        said = f"{signer}'s" if signer else f"an unknown ({commit.signer})"
        return [Flag("signature", f"signed with {said} key, not {name}'s")]
    if status == "U":
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
                )
            )
    events.reverse()
    return events


def _renamed_from(top: Path, commit: Commit, path: str) -> str | None:
    """The path this commit renamed to `path` (rename detection only), or None."""
    if len(commit.parents) != 1:
        return None
    done = _git(
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
    never shown: only the fields in SHOWN_FIELDS show their values)."""
    return compare(before, after).words


def compare(before: bytes | None, after: bytes | None) -> Change:
    """What a commit did to a record's file: in words, which fields, the step dates."""
    if after is None:
        return Change(["file deleted"], deleted=True)
    new = yamlio.parse(after, "new").data
    if before is None:
        return Change(["created"], created=True, dates=_new_dates({}, new))
    old = yamlio.parse(before, "old").data
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
