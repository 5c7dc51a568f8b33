"""动态管理: each active file is reviewed at least once a cycle."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import CaseStatus, Config
from hardship_cli.domain.policy import review_due_on
from hardship_cli.i18n import _, ngettext
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem


def reviews_not_overdue(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    for case in records.case_facts().values():
        if case.status != CaseStatus.active:
            continue
        due = review_due_on(case, config.policy.review_cycle_days)
        if due is not None and due < today:
            src = records.source(case.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("review_due") if case.review_due else src.line("status"),
                    "review-overdue",
                    ngettext(
                        "{id} was due for review on {due} ({days} day ago)",
                        "{id} was due for review on {due} ({days} days ago)",
                        (today - due).days,
                    ).format(id=case.id, due=due, days=(today - due).days),
                    _("review the household and set a new review_due, or close the file"),
                    WARNING,
                )
            )
    return problems
