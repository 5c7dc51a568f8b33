"""One household, one file (一户一档)."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import OPEN_CASE_STATUSES, Config
from hardship_cli.i18n import N_, _
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem

ONE_FILE = N_("one household has one file: merge them and close or delete the other")


def one_household_one_file(records: Records, config: Config, today: date) -> list[Problem]:
    """Two open cases for the same employee number or ID number are one household twice."""
    problems = []
    by_employee: dict[str, str] = {}
    by_id_number: dict[str, str] = {}
    # Over the cases' facts (employee number, ID number, status): a city union's 10,000
    # cases are not rebuilt for it.
    for case in sorted(records.case_facts().values(), key=lambda c: c.id):
        if case.status not in OPEN_CASE_STATUSES:
            continue
        first = by_employee.get(case.employee_id)
        if first is not None:
            src = records.source(case.id)  # made for a problem only: 10,000 cases
            problems.append(
                Problem(
                    src.path,
                    src.line("worker", "employee_id"),
                    "duplicate-household",
                    _("{id} and {other} are both open for employee {employee}").format(
                        id=case.id, other=first, employee=case.employee_id
                    ),
                    _(ONE_FILE),
                )
            )
        else:
            by_employee[case.employee_id] = case.id
        number = case.id_number
        if number:
            first = by_id_number.get(number)
            # The ID number itself is sensitive: never print it.
            if first is not None and by_employee.get(case.employee_id) != first:
                src = records.source(case.id)
                problems.append(
                    Problem(
                        src.path,
                        src.line("worker", "id_number"),
                        "duplicate-household",
                        _("{id} and {other} are both open for the same ID number").format(
                            id=case.id, other=first
                        ),
                        _(ONE_FILE),
                    )
                )
            elif first is None:
                by_id_number[number] = case.id
    return problems
