"""The plan of an import: what each row of the sheet would create, update or refuse."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from hardship_cli.casework.sheets.columns import CASE_COLUMNS
from hardship_cli.casework.sheets.reading import Row
from hardship_cli.domain.model import OPEN_CASE_STATUSES, Case
from hardship_cli.i18n import _
from hardship_cli.load.errors import explain
from hardship_cli.rules.id_numbers import id_number_findings


@dataclass
class Action:
    row: int
    sheet: str
    what: str  # create | update | unchanged | refused
    case_id: str | None = None
    reason: str = ""
    data: dict[str, Any] | None = None  # a new case's full record, or an update's fields
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what validate warns of, once written


def plan_import(
    rows: list[Row],
    cases: Iterable[Case],
    filed_by: str,
    filed_on: date,
    validate: Callable[[dict[str, Any]], list[str]] | None = None,
) -> list[Action]:
    """Match each row to an open file (by employee number, else ID number) and decide."""
    open_cases = [c for c in cases if c.status in OPEN_CASE_STATUSES]
    by_employee = {c.worker.employee_id: c for c in open_cases}
    by_id_number = {c.worker.id_number: c for c in open_cases if c.worker.id_number}
    seen: dict[str, int] = {}
    actions = []
    check = validate or _validate_case
    for row in rows:
        existing: Case | None = None
        reason = _row_refusal(row, seen)
        if reason is None:
            existing, reason = _match(row, by_employee, by_id_number)
        if reason is not None:
            actions.append(Action(row.number, row.sheet, "refused", reason=reason))
            continue
        incoming = dict(row.data)
        if row.members:
            incoming["household"] = row.members
        if existing is None:
            actions.append(_plan_new(row, incoming, filed_by, filed_on, check))
        else:
            actions.append(_plan_update(row, existing, incoming, check))
    return actions


def _row_refusal(row: Row, seen: dict[str, int]) -> str | None:
    """Why the row is refused before it is matched (its cells, no key, a household already
    on the sheet); None, and its keys noted as seen, when it goes on."""
    if row.errors:
        return "; ".join(row.errors)
    worker = row.data.get("worker", {})
    employee, number = worker.get("employee_id"), worker.get("id_number")
    if not employee and not number:
        return _("has neither 工号 nor 身份证号")
    earlier = next((seen[k] for k in (employee, number) if k and k in seen), None)
    if earlier is not None:
        return _("repeats the household of row {row}").format(row=earlier)
    for k in (employee, number):
        if k:
            seen[k] = row.number
    return None


def _match(
    row: Row, by_employee: dict[str, Case], by_id_number: dict[str, Case]
) -> tuple[Case | None, str | None]:
    """The open file the row is of (None: a new household), or why it cannot be told."""
    worker = row.data.get("worker", {})
    employee, number = worker.get("employee_id"), worker.get("id_number")
    match_e = by_employee.get(employee) if employee else None
    match_n = by_id_number.get(number) if number else None
    if match_e and match_n and match_e.id != match_n.id:
        return None, _(
            "its 工号 is filed in {case} but its 身份证号 in {other}: settle which household "
            "this is by hand"
        ).format(case=match_e.id, other=match_n.id)
    return match_e or match_n, None


def _plan_new(
    row: Row,
    incoming: dict[str, Any],
    filed_by: str,
    filed_on: date,
    check: Callable[[dict[str, Any]], list[str]],
) -> Action:
    """A new household: created, unless its record would not be valid."""
    record = _new_case(incoming, filed_by, filed_on)
    problems = check(record)
    if problems:
        return Action(row.number, row.sheet, "refused", reason="; ".join(problems))
    return Action(row.number, row.sheet, "create", data=record)


def _plan_update(
    row: Row,
    existing: Case,
    incoming: dict[str, Any],
    check: Callable[[dict[str, Any]], list[str]],
) -> Action:
    """A household on file: updated with the fields that change, unchanged, or refused
    when the file after the sheet's values would not be valid."""
    current = existing.model_dump(mode="json", by_alias=True, exclude_none=True)
    merged, changed = _merge(current, incoming)
    if not changed:
        return Action(row.number, row.sheet, "unchanged", case_id=existing.id)
    problems = check(merged)
    if problems:
        return Action(
            row.number,
            row.sheet,
            "refused",
            case_id=existing.id,
            reason="; ".join(problems),
        )
    return Action(
        row.number,
        row.sheet,
        "update",
        case_id=existing.id,
        data={k: merged[k] for k in {c.split(".")[0] for c in changed}},
        changed=changed,
    )


def _new_case(data: dict[str, Any], filed_by: str, filed_on: date) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "HS-0000-0000", "status": "applied"}
    record.update(data)
    record.setdefault("worker", {})
    record.setdefault("income", {})
    record["filed"] = {"by": filed_by, "on": filed_on.isoformat()}
    return record


def _merge(current: dict[str, Any], incoming: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The file as it would be after the sheet's values, and the dotted fields that change."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in current.items()}
    changed = []
    for key, value in incoming.items():
        if isinstance(value, dict) and key != "causes":
            base = dict(merged.get(key) or {})
            for sub, sub_value in value.items():
                if _norm(base.get(sub)) != _norm(sub_value):
                    changed.append(f"{key}.{sub}")
                    base[sub] = sub_value
            merged[key] = base
        elif key == "household":
            # The sheet says who lives in the household; what it has no column for (a
            # member's diagnosis) is kept from the file, matched by name.
            before = merged.get(key) or []
            known = {m.get("name"): m for m in before}
            members = [{**known.get(m.get("name"), {}), **m} for m in value]
            if _norm(_members(before)) != _norm(_members(members)):
                changed.append(key)
                merged[key] = members
        elif _norm(merged.get(key)) != _norm(value):
            changed.append(key)
            merged[key] = value
    return merged, changed


def _members(members: Any) -> list[dict[str, Any]]:
    defaults = {"health": "healthy", "monthly_income": "0.00"}
    return [{**defaults, **m} for m in members]


def _norm(value: Any) -> Any:
    """Compare the sheet's text with the record's values as the model would type them."""
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"[0-9]+\.[0-9]{1,2}", value):
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


def _validate_case(record: dict[str, Any]) -> list[str]:
    try:
        case = Case.model_validate(record)
    except ValidationError as exc:
        messages = []
        for err in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in err["loc"])
            heading = _heading_for(err["loc"])
            if err["type"] == "missing":
                messages.append(_("{field} is missing").format(field=heading or loc))
            else:  # in our words (load/errors.explain), never pydantic's
                messages.append(
                    _("{heading}: {problem}").format(
                        heading=heading or loc, problem=explain(Case, err).message
                    )
                )
        return messages
    return _id_number_refusals(case)


def _id_number_refusals(case: Case) -> list[str]:
    """What the ID numbers of the row get wrong (check digit, birth date, sex), under
    their column's heading, as `validate` would find it after the import."""
    worker = case.worker
    people: list[tuple[tuple[str | int, ...], str, str | None, date | None, str | None]]
    people = [(("worker", "id_number"), _("the worker's"), worker.id_number, worker.birth_date,
               worker.sex.value)]
    people += [
        (("household", i, "id_number"), _("member {n}'s ({name})").format(n=i + 1, name=m.name),
         m.id_number, m.birth_date, None)
        for i, m in enumerate(case.household)
    ]
    return [
        _("{heading}: {problem}").format(
            heading=_heading_for(path) or ".".join(map(str, path)), problem=message
        )
        for path, whose, number, born, sex in people if number
        for _code, message, _hint in id_number_findings(whose, number, born, sex)
    ]


def _heading_for(loc: tuple[Any, ...]) -> str | None:
    for column in CASE_COLUMNS:
        if tuple(loc[: len(column.path)]) == column.path:
            return column.heading
    return None
