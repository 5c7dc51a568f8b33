"""Carry out a planned import of the collection sheet: new case files and in-place updates,
row by row, then one commit for the whole sheet.

A row whose record would make `validate` report a new error is refused with its row
number, and the other rows are written all the same: good rows are never lost because of
a bad one. Everything happens under the root's lock, as every other change does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import gitlog, intake, yamlio
from .actions import load, lock, new_errors, verify
from .model import Case
from .problems import Problem
from .sheets import Action
from .store import Records


def apply_import(
    root: Path,
    actions: list[Action],
    by: str,
    day: date,
    sheet_name: str,
    commit: bool = True,
) -> dict[int, str]:
    """Write the creates and updates of the plan. Returns row -> case ID written; rows
    refused now (their record would break a rule) are marked refused in the plan."""
    written: dict[int, str] = {}
    paths: list[Path] = []
    with lock(root):
        records = load(root)
        for action in actions:
            if action.what not in ("create", "update") or action.data is None:
                continue
            try:
                if action.what == "create":
                    done = _create(root, records, action, day)
                else:
                    done = _update(root, records, action, day)
            except _RowRefused as refusal:
                action.what, action.reason = "refused", refusal.reason
                continue
            written[action.row] = done[0]
            paths.append(root / done[1])
        if commit and paths:
            _commit(root, records, actions, written, paths, by, sheet_name)
    return written


class _RowRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check(records: Records, day: date, apply: Any, action: Action) -> None:
    errors, warnings = new_errors(records, day, apply)
    if errors:
        raise _RowRefused("; ".join(_short(p) for p in errors))
    action.warnings = [_short(p) for p in warnings]


def _short(problem: Problem) -> str:
    return f"{problem.code} {problem.message}"


def _typed(data: dict[str, Any]) -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as exc:  # the plan validated it; a record that changed since
        raise _RowRefused(str(exc.errors(include_url=False)[0]["msg"])) from None


def _create(root: Path, records: Records, action: Action, day: date) -> tuple[str, str]:
    assert action.data is not None
    case_id = intake.next_id(root, "case", day.year)
    rel = intake.record_path("case", case_id)
    record = _typed({**action.data, "id": case_id})
    text = yamlio.new_record_text(record, intake.schema_ref("case", rel))
    source = verify(text, rel, Case, record)

    def apply() -> None:
        records.cases[case_id] = record
        records.sources[case_id] = source

    try:
        _check(records, day, apply, action)
    except _RowRefused:
        records.cases.pop(case_id, None)
        records.sources.pop(case_id, None)
        raise
    yamlio.atomic_create(root / rel, text)
    return case_id, rel


def _update(root: Path, records: Records, action: Action, day: date) -> tuple[str, str]:
    assert action.data is not None and action.case_id is not None
    case_id = action.case_id
    current = records.cases[case_id]
    source = records.sources[case_id]
    rel = source.path
    file = yamlio.RecordFile(root / rel, rel)
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(action.data)
    record = _typed(data)
    text = file.edit(current, record)
    new_source = verify(text, rel, Case, record)

    def apply() -> None:
        records.cases[case_id] = record
        records.sources[case_id] = new_source

    try:
        _check(records, day, apply, action)
    except _RowRefused:
        records.cases[case_id] = current
        records.sources[case_id] = source
        raise
    file.save(text)
    return case_id, rel


def _commit(
    root: Path,
    records: Records,
    actions: list[Action],
    written: dict[int, str],
    paths: list[Path],
    by: str,
    sheet_name: str,
) -> None:
    assert records.config is not None
    officer = records.config.officer(by)
    created = sum(1 for a in actions if a.what == "create" and a.row in written)
    updated = sum(1 for a in actions if a.what == "update" and a.row in written)
    refused = [a.row for a in actions if a.what == "refused"]
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
    sha, warning = gitlog.commit(root, paths, message, by, officer.email if officer else None)
    if warning:
        import sys

        print(warning, file=sys.stderr)
