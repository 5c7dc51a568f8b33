"""A notice is counted in working days: warn where nobody knows a year's holidays (the
calendar package does not know it yet, and hardship.yaml lists none of its days)."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import CaseStatus, Config
from hardship_cli.domain.workdays import unknown_years, year_known
from hardship_cli.i18n import _
from hardship_cli.load.files import CONFIG_FILE
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem


def unknown_holidays_hint() -> str:
    return _(
        "update the calendar package (pip install -U chinesecalendar) or list the year's "
        "holidays and adjusted workdays in hardship.yaml"
    )


def holidays_known(records: Records, config: Config, today: date) -> list[Problem]:
    """A warning for this year when its holidays are unknown (a notice begun now would
    be counted Monday to Friday), and one for each notice running into such a year."""
    problems = []
    if not year_known(config, today.year):
        problems.append(
            Problem(
                CONFIG_FILE,
                None,
                "holidays-unknown",
                _("{year}'s holidays are unknown: notices are counted Monday to Friday").format(
                    year=today.year
                ),
                unknown_holidays_hint(),
                WARNING,
            )
        )
    on_notice = [f.id for f in records.case_facts().values() if f.status == CaseStatus.on_notice]
    for case_id in on_notice:
        case = records.cases[case_id]
        if case.notice is None:
            continue
        years = unknown_years(config, case.notice.from_, case.notice.until)
        if years:
            src = records.source(case_id)
            problems.append(
                Problem(
                    src.path,
                    src.line("notice", "until"),
                    "holidays-unknown",
                    _(
                        "{case}: its notice is counted in {years}, whose holidays are unknown"
                    ).format(case=case_id, years=", ".join(map(str, years))),
                    unknown_holidays_hint(),
                    WARNING,
                )
            )
    return problems
