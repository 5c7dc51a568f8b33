"""动态管理: each active file is reviewed at least once a cycle."""

from __future__ import annotations

from datetime import date, timedelta

from hardship_cli.domain.model import CaseStatus, Config
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem


def review_due_on(case_review_due: date | None, since: date | None, cycle_days: int) -> date | None:
    if case_review_due is not None:
        return case_review_due
    if since is not None:
        return since + timedelta(days=cycle_days)
    return None


def reviews_not_overdue(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    for case in records.case_facts().values():
        if case.status != CaseStatus.active:
            continue
        due = review_due_on(case.review_due, case.since, config.policy.review_cycle_days)
        if due is not None and due < today:
            src = records.source(case.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("review_due") if case.review_due else src.line("status"),
                    "review-overdue",
                    f"{case.id} was due for review on {due} ({(today - due).days} days ago)",
                    "review the household and set a new review_due, or close the file",
                    WARNING,
                )
            )
    return problems
