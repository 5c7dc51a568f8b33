"""Carry out an import of the collection sheet: new case files and in-place updates, all
in one commit, or none of them.

The steps, each once whatever the sheet's length (so that 10,000 rows take seconds):
the sheet is checked against the limits and read, streamed; under the root's lock the root
is loaded once, the rows planned, every new or changed record put in place and the rules
run once over the result. A row whose record would make `validate` report a new error is
refused with its row number (the rules then run once more without it), and the good rows
are imported all the same. Then every file is written to a temporary file beside it, the
temporary files are renamed into place one by one, and the whole is one commit.

Whatever stops the import half-way (a failed write, git refusing the commit, Ctrl-C or
a kill with SIGTERM) undoes it: every file it created is removed, every file it changed
gets its old bytes back, and git's index is as it was; the message says what was undone.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hardship_cli.casework import intake, sheets
from hardship_cli.casework.actions import load, lock, verify
from hardship_cli.casework.sheets import Action
from hardship_cli.domain.model import Case, Config, ImportLimits
from hardship_cli.edit import gitlog
from hardship_cli.edit.gitlog import Pending
from hardship_cli.load import store, yamlio
from hardship_cli.load.store import Records
from hardship_cli.problems import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    WARNING,
    ConfigError,
    HardshipError,
    Problem,
    Refused,
    UsageError,
    os_error,
)


@dataclass
class Imported:
    actions: list[Action]  # row by row: create | update | unchanged | refused
    written: dict[int, str] = field(default_factory=dict)  # row -> case ID written
    commit: str | None = None
    notes: list[str] = field(default_factory=list)


def read_config(root: Path) -> Config:
    """hardship.yaml alone: who may import, and the sheet's limits, before the root is
    loaded."""
    config, _source, problems = store.load_config(root)
    if config is None:
        first = problems[0] if problems else None
        raise ConfigError(
            "hardship.yaml has problems" + (f": {first.format()}" if first else ""),
            "run hardship validate and correct hardship.yaml",
        )
    return config


def limits_of(config: Config, **given: int | None) -> ImportLimits:
    """The root's limits (hardship.yaml `imports:`), with those given on the command line
    instead."""
    chosen = {name: value for name, value in given.items() if value is not None}
    return config.imports.model_copy(update=chosen)


def import_cases(
    root: Path,
    sheet: Path,
    mapping: dict[str, str],
    by: str,
    day: date,
    limits: ImportLimits,
    dry_run: bool = False,
    commit: bool = True,
) -> Imported:
    """Plan the sheet's rows against the root and, unless a dry run, write them: one load,
    one plan, one check of the whole result, one batch of writes, one commit."""
    with _collector_off():
        rows = sheets.read_rows(sheet, mapping, limits)
        if dry_run:
            records = load(root)
            return Imported(sheets.plan_import(rows, records.cases.values(), by, day))
        return _import(root, rows, by, day, sheet.name, commit)


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """The collector off while a sheet's records are made: with the root's records alive
    it would walk the heap again and again (10,000 rows: twice the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import(
    root: Path, rows: list[sheets.Row], by: str, day: date, sheet_name: str, commit: bool
) -> Imported:
    with lock(root):
        records = load(root)
        actions = sheets.plan_import(rows, records.cases.values(), by, day)
        writes = _checked(root, records, actions, day)
        done = Imported(actions, {w.action.row: w.case_id for w in writes})
        if writes:
            pending = _prepare(root, records, writes, by) if commit else None
            done.commit, done.notes = _write_and_commit(
                root, records, actions, writes, by, sheet_name, pending
            )
    return done


def _prepare(root: Path, records: Records, writes: list[_Write], by: str) -> Pending | None:
    """Can the import be committed, by this officer (signed where the root asks)? Asked
    before a file is written, as for every action: a root runs without git only by its
    own choice (`git: {commit: false}`), never because git is missing. None when the
    root runs without git."""
    config = records.config
    assert config is not None
    if not config.git.commit:
        return None
    pending = gitlog.prepare(root, [root / w.rel for w in writes])
    officer = config.officer(by)
    pending.identify(
        gitlog.Author(
            by, officer.email if officer else None, officer.signing_key if officer else None
        ),
        sign=config.git.sign == "required",
    )
    return pending


# ---------------------------------------------------------------------------------------
# The records to write, checked together


@dataclass(eq=False)
class _Write:
    action: Action
    case_id: str
    rel: str
    text: str
    record: Case
    source: store.Source
    file: yamlio.RecordFile | None = None  # an update: the file as it was read
    old: tuple[Case, store.Source] | None = None  # an update: the record as it was


class _RowRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _checked(root: Path, records: Records, actions: list[Action], day: date) -> list[_Write]:
    """The creates and updates that validate accepts, their records in `records`. Rows
    whose record would bring a new error are marked refused, with the problems."""
    from hardship_cli import rules

    before = {_key(p) for p in rules.check(records, day)}
    wanted = [a for a in actions if a.what in ("create", "update") and a.data is not None]
    while True:
        writes = _drafts(root, records, wanted, day)
        for w in writes:
            records.cases[w.case_id] = w.record
            records.sources[w.case_id] = w.source
        fresh = [p for p in rules.check(records, day) if _key(p) not in before]
        refused = _blame([p for p in fresh if p.is_error], writes)
        if not refused:
            break
        for w in writes:  # back to the root as it is, and again without the refused rows
            _unapply(records, w)
        for w, problems in refused.items():
            reason = "; ".join(_short(p) for p in problems)
            if w.file is None:  # its number goes to the next new case: not named for it
                reason = reason.replace(w.case_id, "the new case")
            w.action.what, w.action.reason = "refused", reason
        wanted = [a for a in wanted if a.what != "refused"]
    by_path = {w.rel: w for w in writes}
    for problem in fresh:
        if problem.severity == WARNING and problem.path in by_path:
            by_path[problem.path].action.warnings.append(_short(problem))
    return writes


def _drafts(root: Path, records: Records, actions: list[Action], day: date) -> list[_Write]:
    """Each row's record and the text of its file; new cases numbered in the sheet's order."""
    writes = []
    numbers = _numbers(root, records, day.year)
    for action in actions:
        try:
            if action.what == "create":
                writes.append(_create(action, next(numbers)))
            else:
                writes.append(_update(root, records, action))
        except _RowRefused as refusal:
            action.what, action.reason = "refused", refusal.reason
            numbers = _numbers(root, records, day.year, after=writes)
    return writes


def _numbers(
    root: Path, records: Records, year: int, after: list[_Write] | None = None
) -> Iterator[str]:
    """The free case IDs of the year in order, from the one after the highest file name
    (under the lock no other command takes one)."""
    first = intake.next_id(root, "case", year)
    prefix, number = first.rsplit("-", 1)
    taken = {w.case_id for w in after or []}
    width = intake.ID_WIDTH["case"]
    current = int(number)
    while True:
        case_id = f"{prefix}-{current:0{width}d}"
        if len(str(current)) > max(width, 6):
            raise UsageError(f"no free case number left in {year}")
        if case_id not in taken and case_id not in records.cases:
            yield case_id
        current += 1


def _typed(data: dict[str, Any]) -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as exc:  # the plan validated it; a record that changed since
        raise _RowRefused(str(exc.errors(include_url=False)[0]["msg"])) from None


def _create(action: Action, case_id: str) -> _Write:
    assert action.data is not None
    rel = intake.record_path("case", case_id)
    record = _typed({**action.data, "id": case_id})
    text = new_case_text(record, intake.schema_ref("case", rel))
    return _Write(action, case_id, rel, text, record, verify(text, rel, Case, record))


def _update(root: Path, records: Records, action: Action) -> _Write:
    assert action.data is not None and action.case_id is not None
    case_id = action.case_id
    current = records.cases[case_id]
    rel = records.sources[case_id].path
    file = yamlio.RecordFile(root / rel, rel)
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(action.data)
    record = _typed(data)
    text = file.edit(current, record)
    source = verify(text, rel, Case, record)
    old = (current, records.sources[case_id])
    return _Write(action, case_id, rel, text, record, source, file, old)


def _unapply(records: Records, write: _Write) -> None:
    if write.old is None:
        records.cases.pop(write.case_id, None)
        records.sources.pop(write.case_id, None)
    else:
        records.cases[write.case_id], records.sources[write.case_id] = write.old


_ID_RE = re.compile(r"\bHS-\d{4}-\d+\b")


def _blame(problems: list[Problem], writes: list[_Write]) -> dict[_Write, list[Problem]]:
    """The rows each new error comes from: the file it is in, else a row's case it names
    (two files of one household). An error no row explains refuses the whole sheet."""
    by_path = {w.rel: w for w in writes}
    by_id = {w.case_id: w for w in writes}
    blamed: dict[_Write, list[Problem]] = {}
    for problem in problems:
        write = by_path.get(problem.path)
        if write is None:
            named = [by_id[i] for i in _ID_RE.findall(problem.message) if i in by_id]
            write = named[0] if named else None
        if write is None:
            raise Refused(
                "refused: importing the sheet would make validate report\n" + problem.format(),
                "nothing was written; correct the sheet or the records, then import again",
                [problem],
            )
        blamed.setdefault(write, []).append(problem)
    return blamed


def _key(p: Problem) -> tuple[str, str, str, str]:
    return (p.path, p.code, p.message, p.severity)


def _short(problem: Problem) -> str:
    return f"{problem.code} {problem.message}"


# ---------------------------------------------------------------------------------------
# Writing all of it, or none


class _NotCommitted(Exception):
    def __init__(self, said: str) -> None:
        self.reason = said or "no reason given"  # git's own last words
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
                failed.append(f"{self._rel(path)} (remove it: {exc.strerror})")
        for path, raw in reversed(self.updated):
            try:
                yamlio.atomic_write(path, raw)
            except OSError as exc:
                failed.append(f"{self._rel(path)} (git checkout it: {exc.strerror})")
        if self.staged:
            _unstage(self.root, self.staged)
        return failed

    def said(self) -> str:
        return (
            f"{len(self.created)} new file(s) removed, {len(self.updated)} file(s) "
            "given back their old content"
        )

    def _rel(self, path: Path) -> str:
        return os.path.relpath(path, self.root)


def _unstage(root: Path, paths: list[Path]) -> None:
    """Git's index for these paths as at HEAD again (a failed commit had added them)."""
    top = gitlog.repo_top(root)
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
    top = gitlog.repo_top(root)
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


def _write_and_commit(
    root: Path,
    records: Records,
    actions: list[Action],
    writes: list[_Write],
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
                yamlio._fsync_dir(folder)
            if pending is None:
                return None, []
            undo.staged = [root / w.rel for w in writes]
            try:
                sha = pending.commit(_message(records, actions, writes, by, sheet_name))
            except gitlog.GitFailed as exc:
                raise _NotCommitted(gitlog.last_words(exc.result)) from None
            return sha, []
        except BaseException as exc:
            if commit and undo.staged and _head(root) != head:
                # The commit was made before the stop: the import is whole, nothing to undo.
                if isinstance(exc, KeyboardInterrupt):
                    raise HardshipError(
                        "interrupted after the import was committed; it is complete",
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
            "the import stopped and could not be undone entirely: " + "; ".join(failed),
            "put these files right by hand (git status shows them)",
        )
    back = f"the import was undone ({undo.said()}); the records are as they were and "
    back += "nothing was committed"
    if isinstance(exc, KeyboardInterrupt):
        return HardshipError(f"interrupted: {back}", exit_code=EXIT_INTERRUPTED)
    if isinstance(exc, _NotCommitted):
        return HardshipError(
            f"git did not commit the import ({exc.reason}): {back}",
            "see why git refused (a hook, the repository's state), then import again",
            exit_code=EXIT_PROBLEMS,
        )
    if isinstance(exc, HardshipError):
        return HardshipError(f"{exc.message.split(chr(10))[0]}\n{back}", exit_code=exc.exit_code)
    if isinstance(exc, OSError):  # a full disk, a read-only folder: said as everywhere
        said = os_error(exc, "write")
        return HardshipError(f"{said.message}; {back}", said.hint, exit_code=said.exit_code)
    return exc  # a failure of our own: the top handler says it, and nothing was written


def _stage(path: Path, write: _Write) -> Path:
    """The file's new text in a temporary file beside it (with the mode of the file it
    replaces); flushed to disk with the others (a flush a file: a minute for 10,000 rows)."""
    mode = os.stat(path).st_mode & 0o7777 if write.file is not None else 0o666  # less umask
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
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


def place(path: Path, temp: Path, write: _Write, undo: _Undo) -> None:
    """Put one staged file in its place, noting it so that it can be taken back."""
    if write.file is None:
        try:
            os.link(temp, path)  # appears whole, and never over a file that exists
        except FileExistsError:
            raise UsageError(
                f"{write.rel} already exists; it was not overwritten",
                "another command created it a moment ago: run the import again",
            ) from None
        undo.created.append(path)
        os.unlink(temp)
    else:
        if write.file.changed_on_disk():
            raise Refused(
                f"{write.rel} changed on disk since it was read; it was not overwritten",
                "someone else edited it: run the import again to act on their version",
            )
        undo.updated.append((path, write.file.raw))
        os.replace(temp, path)
    undo.temps.remove(temp)


def _message(
    records: Records,
    actions: list[Action],
    writes: list[_Write],
    by: str,
    sheet_name: str,
) -> gitlog.Message:
    assert records.config is not None
    officer = records.config.officer(by)
    created = sum(1 for w in writes if w.file is None)
    updated = len(writes) - created
    refused = [a.row for a in actions if a.what == "refused"]
    written = {w.action.row: w.case_id for w in writes}
    body = [f"row {row}: {written[row]}" for row in sorted(written)]
    if refused:
        body.append("refused rows: " + ", ".join(str(r) for r in refused))
    message = gitlog.Message(
        subject=f"import of {sheet_name} by {by}: {created} new, {updated} updated, "
        f"{len(refused)} refused",
        record=", ".join(written[row] for row in sorted(written)),
        action="import",
        by=by,
        role=officer.role.value if officer else None,
        body=body,
    )
    return message


# ---------------------------------------------------------------------------------------
# A new case's text, fast


# Text ruamel writes plainly for sure: no indicator first, no character it escapes or
# breaks lines at, no flow indicator or comment sign (it may quote those; ruamel is used
# then).
_ODD = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\U0010ffff"
_PLAIN_SAFE = re.compile(rf"[^\s{_ODD}\-?:,\[\]{{}}#&*!|>'\"%@`.][^{_ODD},\[\]{{}}#]*")


def new_case_text(record: Case, schema_ref: str) -> str:
    """The text `yamlio.new_record_text` writes for a new case, made without ruamel's
    emitter (5 ms a record, a minute for a large sheet) when every value is one it writes
    plainly or in single quotes; otherwise ruamel's. tests/test_import_limits.py holds the
    two to the same text."""
    lines = [f"# yaml-language-server: $schema={schema_ref}"]
    if not _emit(yamlio.record_tree(record, only_set=True), 0, lines):
        return yamlio.new_record_text(record, schema_ref)
    return "\n".join(lines) + "\n"


def _emit(tree: dict[str, Any], indent: int, lines: list[str], first: str = "") -> bool:
    pad = " " * indent
    lead = first
    for key, value in tree.items():
        if value is None or (isinstance(value, (list, dict)) and not value):
            continue
        prefix = (lead or pad) + key + ":"
        lead = ""
        if isinstance(value, dict):
            lines.append(prefix)
            if not _emit(value, indent + 2, lines):
                return False
        elif isinstance(value, list):
            lines.append(prefix)
            for item in value:
                if isinstance(item, dict):
                    if not item or not _emit(item, indent + 4, lines, " " * (indent + 2) + "- "):
                        return False
                elif isinstance(item, list):
                    return False
                else:
                    scalar = _scalar(item)
                    if scalar is None:
                        return False
                    lines.append(" " * (indent + 2) + "- " + scalar)
        else:
            scalar = _scalar(value)
            if scalar is None:
                return False
            lines.append(f"{prefix} {scalar}")
    return True


def _scalar(value: str) -> str | None:
    """The value as ruamel writes it, or None where its choice is not this simple."""
    if isinstance(value, yamlio.Plain):
        return str(value)
    if len(value) > 1000 or not _PLAIN_SAFE.fullmatch(value) or value != value.strip():
        return None
    if yamlio._TYPED_LOOKING_RE.match(value):
        return "'" + value.replace("'", "''") + "'"
    if ": " in value or value.endswith(":"):
        return None
    return value
