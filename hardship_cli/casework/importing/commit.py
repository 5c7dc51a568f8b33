"""Writing an import's files, all of them or none: staged beside their places, put in
place one by one, committed once; whatever stops it half-way (a failed write, git
refusing the commit, Ctrl-C, SIGTERM) takes back what was done."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardship_cli import portable
from hardship_cli.casework.importing.drafts import Write
from hardship_cli.casework.importing.plan import Action
from hardship_cli.edit import atomic, commits, gitrepo
from hardship_cli.edit.commits import Pending
from hardship_cli.i18n import N_, _, gettext_in, normalize
from hardship_cli.load.records import Records
from hardship_cli.problems import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    HardshipError,
    Refused,
    UsageError,
    os_error,
)


class _NotCommitted(Exception):
    def __init__(self, said: str) -> None:
        self.reason = said or _("no reason given")  # git's own last words
        super().__init__(self.reason)


class _Stopped(KeyboardInterrupt):
    """SIGTERM (a timeout, a kill) during the writes: undone as Ctrl-C is."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise _Stopped()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: nothing to catch there
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """A second Ctrl-C (or SIGTERM) waits until the import is undone."""
    try:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass
class _Undo:
    """What the import has done to the root so far, to take back exactly."""

    root: Path
    temps: list[Path] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)
    updated: list[tuple[Path, bytes]] = field(default_factory=list)  # the old bytes
    staged: list[Path] = field(default_factory=list)  # given to git

    def run(self) -> list[str]:
        """Take everything back; the files that could not be, said."""
        failed: list[str] = []
        for path in self.temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        for path in reversed(self.created):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                failed.append(
                    _("{path} (remove it: {reason})").format(
                        path=self._rel(path), reason=exc.strerror
                    )
                )
        for path, raw in reversed(self.updated):
            try:
                atomic.atomic_write(path, raw)
            except OSError as exc:
                failed.append(
                    _("{path} (git checkout it: {reason})").format(
                        path=self._rel(path), reason=exc.strerror
                    )
                )
        if self.staged:
            _unstage(self.root, self.staged)
        return failed

    def said(self) -> str:
        return _(
            "{created} new file(s) removed, {updated} file(s) given back their old content"
        ).format(created=len(self.created), updated=len(self.updated))

    def _rel(self, path: Path) -> str:
        return os.path.relpath(path, self.root)


def _unstage(root: Path, paths: list[Path]) -> None:
    """Git's index for these paths as at HEAD again (a failed commit had added them)."""
    top = gitrepo.repo_top(root)
    if top is None:
        return
    listed = "\0".join(os.path.relpath(p.resolve(), top.resolve()) for p in paths)
    subprocess.run(
        ["git", "reset", "-q", "--pathspec-from-file=-", "--pathspec-file-nul"],
        cwd=top,
        input=listed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def _head(root: Path) -> str | None:
    top = gitrepo.repo_top(root)
    if top is None:
        return None
    done = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", "HEAD"],
        cwd=top,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def write_and_commit(
    root: Path,
    records: Records,
    actions: list[Action],
    writes: list[Write],
    by: str,
    sheet_name: str,
    pending: Pending | None,
) -> tuple[str | None, list[str]]:
    undo = _Undo(root)
    commit = pending is not None
    head = _head(root) if commit else None
    with _terminate_as_interrupt():
        try:
            for write in writes:
                undo.temps.append(_stage(root / write.rel, write))
            os.sync()  # every temporary file on disk before any is put in place: one flush
            for write, temp in zip(writes, list(undo.temps), strict=True):
                place(root / write.rel, temp, write, undo)
            for folder in {(root / w.rel).parent for w in writes}:
                atomic.fsync_dir(folder)
            if pending is None:
                return None, []
            undo.staged = [root / w.rel for w in writes]
            try:
                sha = pending.commit(_message(records, actions, writes, by, sheet_name))
            except commits.GitFailed as exc:
                raise _NotCommitted(gitrepo.last_words(exc.result)) from None
            return sha, []
        except BaseException as exc:
            if commit and undo.staged and _head(root) != head:
                # The commit was made before the stop: the import is whole, nothing to undo.
                if isinstance(exc, KeyboardInterrupt):
                    raise HardshipError(
                        _("interrupted after the import was committed; it is complete"),
                        exit_code=EXIT_INTERRUPTED,
                    ) from None
                raise
            raise _undone(exc, undo) from None


def _undone(exc: BaseException, undo: _Undo) -> BaseException:
    """The error to report once the import has been taken back, saying so truthfully."""
    with _signals_held():
        failed = undo.run()
    if failed:
        return HardshipError(
            _("the import stopped and could not be undone entirely: {files}").format(
                files="; ".join(failed)
            ),
            _("put these files right by hand (git status shows them)"),
        )
    back = _(
        "the import was undone ({undone}); the records are as they were and nothing was committed"
    ).format(undone=undo.said())
    if isinstance(exc, KeyboardInterrupt):
        return HardshipError(
            _("interrupted: {undone}").format(undone=back), exit_code=EXIT_INTERRUPTED
        )
    if isinstance(exc, _NotCommitted):
        return HardshipError(
            _("git did not commit the import ({reason}): {undone}").format(
                reason=exc.reason, undone=back
            ),
            _("see why git refused (a hook, the repository's state), then import again"),
            exit_code=EXIT_PROBLEMS,
        )
    if isinstance(exc, HardshipError):
        return HardshipError(f"{exc.message.split(chr(10))[0]}\n{back}", exit_code=exc.exit_code)
    if isinstance(exc, OSError):  # a full disk, a read-only folder: said as everywhere
        said = os_error(exc, "write")
        return HardshipError(
            _("{error}; {undone}").format(error=said.message, undone=back),
            said.hint,
            exit_code=said.exit_code,
        )
    return exc  # a failure of our own: the top handler says it, and nothing was written


def _stage(path: Path, write: Write) -> Path:
    """The file's new text in a temporary file beside it (with the mode of the file it
    replaces); flushed to disk with the others (a flush a file: a minute for 10,000 rows)."""
    mode = os.stat(path).st_mode & 0o7777 if write.file is not None else 0o666  # less umask
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.O_NOFOLLOW | portable.O_CLOEXEC
    for attempt in itertools.count():
        temp = path.with_name(f".{path.name}.{os.getpid()}-{attempt}.tmp")
        try:
            fd = os.open(temp, flags, mode)
            break
        except FileExistsError:
            continue
        except OSError as exc:  # said of the record's file, not of a temporary name
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        if write.file is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(write.text.encode("utf-8"))
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def place(path: Path, temp: Path, write: Write, undo: _Undo) -> None:
    """Put one staged file in its place, noting it so that it can be taken back."""
    if write.file is None:
        try:
            os.link(temp, path)  # appears whole, and never over a file that exists
        except FileExistsError:
            raise UsageError(
                _("{path} already exists; it was not overwritten").format(path=write.rel),
                _("another command created it a moment ago: run the import again"),
            ) from None
        undo.created.append(path)
        os.unlink(temp)
    else:
        if write.file.changed_on_disk():
            raise Refused(
                _("{path} changed on disk since it was read; it was not overwritten").format(
                    path=write.rel
                ),
                _("someone else edited it: run the import again to act on their version"),
            )
        undo.updated.append((path, write.file.raw))
        os.replace(temp, path)
    undo.temps.remove(temp)


def _message(
    records: Records,
    actions: list[Action],
    writes: list[Write],
    by: str,
    sheet_name: str,
) -> commits.Message:
    assert records.config is not None
    officer = records.config.officer(by)
    created = sum(1 for w in writes if w.file is None)
    updated = len(writes) - created
    refused = [a.row for a in actions if a.what == "refused"]
    written = {w.action.row: w.case_id for w in writes}
    # In the language of the records (the repository's history reads in one language),
    # whatever the terminal speaks; the trailers stay English (programs read them).
    lang = normalize(records.config.locale.value) or "zh"
    row_line = gettext_in(lang, N_("row {row}: {case}"))
    body = [row_line.format(row=row, case=written[row]) for row in sorted(written)]
    if refused:
        body.append(
            gettext_in(lang, N_("refused rows: {rows}")).format(rows=", ".join(map(str, refused)))
        )
    subject = gettext_in(
        lang, N_("import of {sheet} by {by}: {created} new, {updated} updated, {refused} refused")
    ).format(sheet=sheet_name, by=by, created=created, updated=updated, refused=len(refused))
    message = commits.Message(
        subject=subject,
        record=", ".join(written[row] for row in sorted(written)),
        action="import",
        by=by,
        role=officer.role.value if officer else None,
        body=body,
    )
    return message
