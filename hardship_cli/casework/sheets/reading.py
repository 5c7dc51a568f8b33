"""Rows to households: each row of the main sheet a household (or one more member of the
household above it), and the members of a separate members sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardship_cli.casework.sheets.columns import (
    CASE_COLUMNS,
    MEMBER_COLUMNS,
    MEMBER_SHEET_HEADINGS,
    MEMBERS_SHEET,
    Column,
)
from hardship_cli.casework.sheets.convert import CellError, convert
from hardship_cli.casework.sheets.headings import cell_text, headed
from hardship_cli.casework.sheets.opening import Sheet, open_workbook
from hardship_cli.domain.model import ImportLimits
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError


@dataclass
class Row:
    number: int
    sheet: str
    data: dict[str, Any] = field(default_factory=dict)  # the case's fields from this row
    members: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def read_rows(path: Path, mapping: dict[str, str], limits: ImportLimits | None = None) -> list[Row]:
    """Every household row of the sheet, with its members and the cells it could not read.
    The sheet is checked against the limits before it is parsed, then streamed."""
    with open_workbook(path, limits or ImportLimits()) as sheets:
        return _read_rows(sheets, mapping)


def _read_rows(sheets: list[Sheet], mapping: dict[str, str]) -> list[Row]:
    by_heading = {c.heading: c for c in CASE_COLUMNS}
    member_by_heading = {c.heading: c for c in MEMBER_COLUMNS}
    known = set(by_heading) | set(member_by_heading)
    main = sheets[0]
    columns, below = headed(main, known, mapping)
    if "工号" not in columns.values() and "身份证号" not in columns.values():
        raise UsageError(
            _("sheet {sheet}: neither 工号 nor 身份证号 is a column").format(sheet=main.name),
            _("a household is matched by employee number or ID number"),
        )
    rows: dict[str, Row] = {}
    ordered: list[Row] = []
    for number, cells in below:
        if all(cell_text(c) == "" for c in cells):
            continue  # a blank row
        row = Row(number, main.name)
        member: dict[str, Any] = {}
        for col, heading in columns.items():
            value = cells[col] if col < len(cells) else None
            column = by_heading.get(heading) or member_by_heading[heading]
            try:
                converted = convert(column, value)
            except CellError as exc:
                row.errors.append(exc.say(column, value))
                continue
            if converted is None:
                continue
            if heading in member_by_heading:
                _put(member, column.path, converted)
            else:
                _put(row.data, column.path, converted)
        if member:
            row.members.append(member)
        key = _key(row)
        if member and key and key in rows and not row.errors:
            # Repeated rows of one household, one member each.
            first = rows[key]
            if _household_part(first.data) != _household_part(row.data):
                row.errors.append(
                    _("repeats the household of row {row} with different household figures").format(
                        row=first.number
                    )
                )
                ordered.append(row)
            else:
                first.members.extend(row.members)
            continue
        if key:
            rows.setdefault(key, row)
        ordered.append(row)
    if len(sheets) > 1:
        _read_member_sheet(sheets[1:], rows, mapping, member_by_heading)
    return ordered


def _household_part(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("notes",)}


def _key(row: Row) -> str | None:
    worker = row.data.get("worker", {})
    return worker.get("employee_id") or worker.get("id_number")


def _read_member_sheet(
    sheets: list[Sheet],
    rows: dict[str, Row],
    mapping: dict[str, str],
    member_by_heading: dict[str, Column],
) -> None:
    sheet = next((s for s in sheets if s.name == MEMBERS_SHEET), None)
    if sheet is None:
        return
    mapping = {**MEMBER_SHEET_HEADINGS, **mapping}
    columns, below = headed(sheet, set(member_by_heading) | {"工号"}, mapping)
    for number, cells in below:
        if all(cell_text(c) == "" for c in cells):
            continue
        member: dict[str, Any] = {}
        employee = None
        errors = []
        for col, heading in columns.items():
            value = cells[col] if col < len(cells) else None
            if heading == "工号":
                employee = cell_text(value)
                continue
            column = member_by_heading[heading]
            try:
                converted = convert(column, value)
            except CellError as exc:
                errors.append(exc.say(column, value))
                continue
            if converted is not None:
                _put(member, column.path, converted)
        owner = rows.get(employee or "")
        if owner is None:
            # A member whose household is not on the main sheet: refuse it visibly.
            orphan = Row(number, sheet.name)
            orphan.errors.append(
                _("member of employee '{employee}', who is not on the main sheet").format(
                    employee=employee or ""
                )
            )
            rows[f"orphan:{sheet.name}:{number}"] = orphan
            continue
        if errors:
            owner.errors.extend(
                _("{sheet} row {row}: {problem}").format(sheet=sheet.name, row=number, problem=e)
                for e in errors
            )
        else:
            owner.members.append(member)
