"""The records an import writes, checked together: a row whose record would make
`validate` report a new error is refused with its problems, and the others are checked
again without it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hardship_cli.casework import intake
from hardship_cli.casework.actions import verify
from hardship_cli.casework.importing.case_text import new_case_text
from hardship_cli.casework.importing.plan import Action
from hardship_cli.domain.kinds import CASE
from hardship_cli.domain.model import Case
from hardship_cli.edit import atomic
from hardship_cli.i18n import _
from hardship_cli.load import files
from hardship_cli.load.errors import explain
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem, Refused, UsageError


@dataclass(eq=False)
class Write:
    action: Action
    case_id: str
    rel: str
    text: str
    record: Case
    source: files.Source
    file: atomic.RecordFile | None = None  # an update: the file as it was read
    old: tuple[Case, files.Source] | None = None  # an update: the record as it was


class _RowRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def checked(root: Path, records: Records, actions: list[Action], day: date) -> list[Write]:
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
                reason = reason.replace(w.case_id, _("the new case"))
            w.action.what, w.action.reason = "refused", reason
        wanted = [a for a in wanted if a.what != "refused"]
    by_path = {w.rel: w for w in writes}
    for problem in fresh:
        if problem.severity == WARNING and problem.path in by_path:
            by_path[problem.path].action.warnings.append(_short(problem))
    return writes


def _drafts(root: Path, records: Records, actions: list[Action], day: date) -> list[Write]:
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
    root: Path, records: Records, year: int, after: list[Write] | None = None
) -> Iterator[str]:
    """The free case IDs of the year in order, from the one after the highest file name
    (under the lock no other command takes one)."""
    first = intake.next_id(root, "case", year)
    prefix, number = first.rsplit("-", 1)
    taken = {w.case_id for w in after or []}
    width = CASE.width
    current = int(number)
    while True:
        case_id = f"{prefix}-{current:0{width}d}"
        if len(str(current)) > max(width, 6):
            raise UsageError(_("no free case number left in {year}").format(year=year))
        if case_id not in taken and case_id not in records.cases:
            yield case_id
        current += 1


def _typed(data: dict[str, Any]) -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as exc:  # the plan validated it; a record that changed since
        first = exc.errors(include_url=False, include_input=False)[0]
        raise _RowRefused(explain(Case, first).message) from None


def _create(action: Action, case_id: str) -> Write:
    assert action.data is not None
    rel = intake.record_path("case", case_id)
    record = _typed({**action.data, "id": case_id})
    text = new_case_text(record, intake.schema_ref("case", rel))
    return Write(action, case_id, rel, text, record, verify(text, rel, Case, record))


def _update(root: Path, records: Records, action: Action) -> Write:
    assert action.data is not None and action.case_id is not None
    case_id = action.case_id
    current = records.cases[case_id]
    rel = records.sources[case_id].path
    file = atomic.RecordFile(root / rel, rel)
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(action.data)
    record = _typed(data)
    text = file.edit(current, record)
    source = verify(text, rel, Case, record)
    old = (current, records.sources[case_id])
    return Write(action, case_id, rel, text, record, source, file, old)


def _unapply(records: Records, write: Write) -> None:
    if write.old is None:
        records.cases.pop(write.case_id, None)
        records.sources.pop(write.case_id, None)
    else:
        records.cases[write.case_id], records.sources[write.case_id] = write.old


_ID_RE = re.compile(rf"\b{CASE.prefix}-\d{{4}}-\d+\b")


def _blame(problems: list[Problem], writes: list[Write]) -> dict[Write, list[Problem]]:
    """The rows each new error comes from: the file it is in, else a row's case it names
    (two files of one household). An error no row explains refuses the whole sheet."""
    by_path = {w.rel: w for w in writes}
    by_id = {w.case_id: w for w in writes}
    blamed: dict[Write, list[Problem]] = {}
    for problem in problems:
        write = by_path.get(problem.path)
        if write is None:
            named = [by_id[i] for i in _ID_RE.findall(problem.message) if i in by_id]
            write = named[0] if named else None
        if write is None:
            raise Refused(
                _("refused: importing the sheet would make validate report\n{problem}").format(
                    problem=problem.format()
                ),
                _("nothing was written; correct the sheet or the records, then import again"),
                [problem],
            )
        blamed.setdefault(write, []).append(problem)
    return blamed


def _key(p: Problem) -> tuple[str, str, str, str]:
    return (p.path, p.code, p.message, p.severity)


def _short(problem: Problem) -> str:
    return f"{problem.code} {problem.message}"
