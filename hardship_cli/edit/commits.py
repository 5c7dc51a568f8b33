"""Git as the audit trail: one commit per action, checked before anything is written.

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

Running git is ``gitrepo``'s, signing ``signing``'s; reading the trail back (a record's
history, each commit judged) is ``trail``'s.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hardship_cli.edit.atomic import atomic_write
from hardship_cli.edit.gitrepo import (
    describe_status,
    file_status,
    git_installed,
    last_words,
    repo_top,
    require_repo,
    run_git,
)
from hardship_cli.edit.signing import is_fingerprint, signing_key_for
from hardship_cli.i18n import N_, _, ngettext
from hardship_cli.problems import ConfigError, HardshipError, Refused

# The trailers of an action's commit (a program can query them).
TRAILERS = ("Record", "Action", "By", "Role")

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """A subject or trailer value on one line: a control character in free text (a voucher,
    a reason) never reaches git as a line break, a separator or a trailer of its own."""
    return _CONTROL.sub(_shown_control, text)


def _shown_control(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in _BREAKS else f"\\x{ord(char):02x}"


_BREAKS = frozenset("\t\n\r\v\f\x85\u2028\u2029")


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
    sign_format: str = "ssh"  # or openpgp
    author: Author | None = None

    def identify(self, author: Author, sign: bool = False) -> None:
        """Check that git can commit as `author` (and sign as them, where required)."""
        env = dict(os.environ)
        configured = run_git(["config", "user.email"], self.top).stdout.strip()
        email = author.email or configured
        if not email:
            raise ConfigError(
                _(
                    "git has no identity for {name}: hardship.yaml gives them no email and "
                    "git has no user.email; nothing was written"
                ).format(name=author.name),
                _(
                    "add `email:` to {name} under officers in hardship.yaml "
                    "(or git config user.email ADDRESS)"
                ).format(name=author.name),
            )
        env["GIT_AUTHOR_NAME"] = author.name
        env["GIT_AUTHOR_EMAIL"] = email
        if not configured:
            # No identity configured on this machine: the officer commits as themselves.
            env.setdefault("GIT_COMMITTER_NAME", author.name)
            env.setdefault("GIT_COMMITTER_EMAIL", email)
        self.env = env
        self.author = author
        self.sign_key = (
            signing_key_for(self.top, author.name, author.signing_key) if sign else None
        )
        self.sign_format = "openpgp" if is_fingerprint(author.signing_key) else "ssh"

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
        try:
            return self.commit(message)
        except GitFailed as failed:
            raise self._failed(failed.step, failed.result) from None

    def commit(self, message: Message) -> str:
        """Commit exactly these files (written already) as the identified officer, signed
        where required; the short hash. Raises GitFailed, leaving the files as they are
        (an import puts its own files back). The paths go to git on its standard input,
        not its command line, so that an import of any number of files fits."""
        listed = "\0".join(self.rels)
        paths = ["--pathspec-from-file=-", "--pathspec-file-nul"]
        added = run_git(["add", *paths], self.top, self.env, stdin=listed)
        if added.returncode != 0:
            raise GitFailed("git add", added)
        sign = (
            ["-c", f"gpg.format={self.sign_format}", "-c", f"user.signingkey={self.sign_key}"]
            if self.sign_key
            else []
        )
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as text:
            text.write(message.text())
            text.flush()
            done = run_git(
                [*sign, "commit", *(["-S"] if self.sign_key else []), "-q", "-F", text.name,
                 "--only", *paths],
                self.top,
                self.env,
                stdin=listed,
            )  # fmt: skip
        if done.returncode != 0:
            raise GitFailed("git commit", done)
        head = run_git(["rev-parse", "--short=12", "HEAD"], self.top)
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
            done = run_git(["rm", "--cached", "-q", "--ignore-unmatch", "--", *new], self.top)
            if done.returncode != 0:
                left.append(_step_failed("git rm --cached", last_words(done)))
        if old:
            done = run_git(["reset", "-q", "--", *old], self.top)
            if done.returncode != 0:
                left.append(_step_failed("git reset", last_words(done)))
        for path, raw in self.before.items():
            if raw is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, raw)
        return left

    def _failed(self, step: str, result: subprocess.CompletedProcess[str]) -> Refused:
        left = self.restore()
        where = ", ".join(self.shown)
        count = len(self.shown)
        if left:
            back = ngettext(
                "{files} is back as before; nothing changed in the files, but {left}",
                "{files} are back as before; nothing changed in the files, but {left}",
                count,
            ).format(files=where, left="; ".join(left))
        else:
            back = ngettext(
                "{files} is back as before; nothing changed",
                "{files} are back as before; nothing changed",
                count,
            ).format(files=where)
        message = (
            _("{step} failed, so the action was not recorded: {said}").format(
                step=step, said=last_words(result)
            )
            + "\n"
            + back
        )
        return Refused(message, _("correct what git says, then run the command again"))


class GitFailed(HardshipError):
    """A git step of a commit failed: which step, and what git said."""

    def __init__(self, step: str, result: subprocess.CompletedProcess[str]) -> None:
        super().__init__(_step_failed(step, last_words(result)))
        self.step = step
        self.result = result


def prepare(root: Path, paths: Iterable[Path]) -> Pending:
    """Before an action writes `paths`: check that git can commit them, and that each is
    as last committed (a hand edit is never swept into an officer's commit). Raises a plain
    error naming the cause; nothing has been written. Call `identify` once the acting
    officer is known, then `land`."""
    top = require_repo(root, N_("this root keeps its audit trail in git; nothing was written"))
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
    found = run_git(["rev-parse", *args], top)
    if found.returncode != 0:
        raise HardshipError(
            _step_failed("git rev-parse", last_words(found))
        )
    where = {name: top / line for name, line in zip(names, found.stdout.splitlines(), strict=False)}
    lock = where.get("index.lock")
    if lock is not None and lock.exists():
        raise Refused(
            _(
                "git's index is locked ({lock} exists): another git command is running, or "
                "one was stopped halfway; nothing was written"
            ).format(lock=lock),
            _("wait for it to finish; if no git command is running, delete {lock}").format(
                lock=lock
            ),
        )
    for name, (what, how) in _UNDER_WAY.items():
        path = where.get(name)
        if path is not None and path.exists():
            raise Refused(
                _(
                    "{what} is in progress in {top}: an action cannot be committed on its own "
                    "during it; nothing was written"
                ).format(what=_(what), top=top),
                _("finish or abandon it first ({how}), then run the command again").format(
                    how=_(how)
                ),
            )


# What git may have under way (the file that says so: what it is, how to end it).
_UNDER_WAY = {
    "MERGE_HEAD": (N_("a merge"), N_("git commit to finish it, or git merge --abort")),
    "rebase-merge": (N_("a rebase"), N_("git rebase --continue or git rebase --abort")),
    "rebase-apply": (N_("a rebase"), N_("git rebase --continue or git rebase --abort")),
    "CHERRY_PICK_HEAD": (N_("a cherry-pick"), N_("git cherry-pick --continue or --abort")),
    "REVERT_HEAD": (N_("a revert"), N_("git revert --continue or --abort")),
}


def _step_failed(step: str, said: str) -> str:
    """`git add failed: what git said`, in the terminal's language."""
    return _("{step} failed: {said}").format(step=step, said=said)


def _not_as_committed(path: str, code: str) -> Refused:
    how = (
        _("commit it (git add {path} && git commit) or move it out of the root")
        if code == "??"
        else _(
            "look at it (git diff HEAD -- {path}); commit it (git commit {path}) or "
            "restore it (git checkout HEAD -- {path})"
        )
    ).format(path=path)
    return Refused(
        _(
            "{path} {state}: an action commits only its own change, so it was refused; "
            "nothing was written"
        ).format(path=path, state=describe_status(code)),
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
            _("git is not installed: the change is written but not committed, so it has no "
              "audit trail (install git; git init the root)")
            if not git_installed()
            else _("the records root is not inside a git repository: the change is written "
                   "but not committed, so it has no audit trail (git init the root)")
        )
        return None, _("warning: {said}").format(said=said)
    files = [Path(p) for p in paths]
    rels = [os.path.relpath(p.resolve(), top.resolve()) for p in files]
    pending = Pending(top, files, rels, rels, {})
    pending.identify(Author(author, email))
    env = pending.env
    added = run_git(["add", "--", *rels], top, env)
    if added.returncode != 0:
        raise _failed(rels, added)
    done = run_git(["commit", "-F", "-", "--only", "--", *rels], top, env, stdin=message.text())
    if done.returncode != 0:
        raise _failed(rels, done)
    head = run_git(["rev-parse", "--short=12", "HEAD"], top)
    return head.stdout.strip() or None, None


def _failed(rels: list[str], result: subprocess.CompletedProcess[str]) -> HardshipError:
    return HardshipError(
        _("the change was written to {files} but git did not commit it: {said}").format(
            files=", ".join(rels), said=last_words(result)
        ),
        _("commit it by hand (git commit), with the same trailers, or undo it (git checkout)"),
    )
