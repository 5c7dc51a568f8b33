"""No step is dated after today: a step is recorded on the day it happened or later."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from hardship_cli.domain.model import Config
from hardship_cli.i18n import _
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem


def steps_not_after_today(records: Records, config: Config, today: date) -> list[Problem]:
    """Every dated step of every record (filing, checks, notice, approvals, payments,
    closing, donations, visits) is on or before today; days ahead by design (a notice's
    end, a review due, a follow-up, a drive's planned close) are not steps."""
    ahead: list[Any] = []
    # Cases and grants by their facts first: a city's 100,000 grants need no rebuilding
    # unless one of them is dated ahead.
    if any(f.last_on > today for f in records.case_facts().values()):
        ahead.extend(c for c in records.cases.values() if c.facts().last_on > today)
    if any(f.last_on > today for f in records.grant_facts().values()):
        ahead.extend(g for g in records.grants.values() if g.facts().last_on > today)
    ahead.extend(records.campaigns.values())
    ahead.extend(records.visits.values())
    return _dated_ahead(records, ahead, today)


def _dated_ahead(records: Records, items: Iterable[Any], today: date) -> list[Problem]:
    problems = []
    for record in items:
        src = records.source(record.id)
        for loc, day in record.dates():
            if day > today:
                problems.append(
                    Problem(
                        src.path,
                        src.line(*loc),
                        "dated-ahead",
                        _("{id}: `{field}` is {day}, after today ({today})").format(
                            id=record.id,
                            field=".".join(str(p) for p in loc),
                            day=day,
                            today=today,
                        ),
                        _("a step is dated the day it happened, never ahead: correct the date"),
                    )
                )
    return problems
