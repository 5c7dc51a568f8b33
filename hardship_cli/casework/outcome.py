"""What a transition returns, and the rules every transition keeps when it dates a step.

A transition (`case_transitions`, `grant_transitions`, `referrals`) is a plain function:
it takes the records as loaded, the acting officer's name, the day and the options, and
returns an `Outcome` holding the changed copy of the record; or it raises `Refused`
naming the rule and the figures. Nothing in them reads or writes a file (see `actions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hardship_cli.domain.model import (
    Campaign,
    Case,
    Decision,
    Grant,
    Role,
    Step,
    StepName,
    Visit,
)
from hardship_cli.problems import UsageError


@dataclass(frozen=True)
class Outcome:
    """What an action did: the record as it is now, and how to tell it."""

    record: Case | Grant | Campaign | Visit
    action: str  # file | check | review | notice | object | approve | reject | ...
    by: str
    role: Role | None
    subject: str  # one line, as the union's register would read
    says: list[str] = field(default_factory=list)  # more lines for the person at the terminal
    override: bool = False
    on: date = field(kw_only=True)  # the day the step is dated (never after today)
    # Changes to other records the action makes first, each its own commit (a case's
    # closing cancels its approved, unpaid grants): see actions.change_many.
    first: tuple[Outcome, ...] = field(default=(), kw_only=True)

    @property
    def record_id(self) -> str:
        return self.record.id


def not_after_today(what: str, day: date, today: date) -> None:
    """An action is never dated after the day it is recorded (today, or --today): a
    notice, an approval or a payment cannot be dated ahead to pass a rule. Back-dating
    (a paper approval recorded later) is kept to the order of the steps (not_before)."""
    if day > today:
        raise UsageError(
            f"{what} dated {day}, after today ({today}): an action is never dated in the future",
            "date it the day it happened (--on), today or earlier",
        )


def not_before(day: date, earliest: date, what: str, since: str) -> None:
    """A step is not dated before the step it follows (`since`: what happened on
    `earliest`)."""
    if day < earliest:
        raise UsageError(
            f"{what} on {day} would come before {since} on {earliest}",
            f"date it {earliest} or later (--on)",
        )


def rejection(by: str, role: Role, day: date, reason: str) -> Step:
    """The step that rejects a case in intake or a proposed grant."""
    return Step(
        step=StepName.reject,
        by=by,
        role=role,
        on=day,
        decision=Decision.rejected,
        note=reason.strip(),
    )
