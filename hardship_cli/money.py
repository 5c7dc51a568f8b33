"""Budgets, caps and earmarks: what is allocated, committed, spent and left.

Committed means approved and not yet paid; spent means paid. Budget lines cover the help
paid from the union's own sources (union, higher_union, employer); help from a donation
drive (`campaign:X`) is covered by what X raised instead. Caps cover every fund.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .model import Budget, Campaign, Config, Grant, GrantKind, GrantStatus

ZERO = Decimal("0")
COUNTING = frozenset({GrantStatus.approved, GrantStatus.paid})


def yuan(amount: Decimal) -> str:
    """1234.5 -> '1,234.50': how money is written in messages and reports."""
    return f"{amount:,.2f}"


def counts(grant: Grant) -> bool:
    """Does this grant use money (approved or paid)?"""
    return grant.status in COUNTING


@dataclass(frozen=True, slots=True)
class LineUse:
    kind: GrantKind
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.used

    @property
    def overdrawn(self) -> bool:
        return self.used > self.allocated

    @property
    def percent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.used * 100 / self.allocated).quantize(Decimal("0.1"))

    def runs_out_on(self, year: int, today: date) -> date | None:
        """At this year's pace of use, the day the line is used up (None: not this year)."""
        start = date(year, 1, 1)
        if today < start or not self.used:
            return None
        elapsed = (min(today, date(year, 12, 31)) - start).days + 1
        per_day = self.used / elapsed
        if per_day <= 0:
            return None
        days = int(self.allocated / per_day)
        return start + timedelta(days=max(days - 1, 0))


def budget_grants(grants: Iterable[Grant], year: int) -> list[Grant]:
    """The grants that draw on the year's budget lines (not on a donation drive)."""
    return [g for g in grants if g.year == year and g.campaign is None and counts(g)]


def line_uses(budget: Budget | None, grants: Iterable[Grant], year: int) -> list[LineUse]:
    """Use of every line of the year's budget (and of kinds with help but no line)."""
    committed: dict[GrantKind, Decimal] = {}
    spent: dict[GrantKind, Decimal] = {}
    for g in budget_grants(grants, year):
        bucket = spent if g.status == GrantStatus.paid else committed
        bucket[g.kind] = bucket.get(g.kind, ZERO) + g.amount
    lines = dict(budget.lines) if budget else {}
    kinds = [k for k in GrantKind if k in lines or k in committed or k in spent]
    return [
        LineUse(k, lines.get(k, ZERO), committed.get(k, ZERO), spent.get(k, ZERO)) for k in kinds
    ]


def line_use(budget: Budget | None, grants: Iterable[Grant], year: int, kind: GrantKind) -> LineUse:
    for use in line_uses(budget, grants, year):
        if use.kind == kind:
            return use
    return LineUse(kind, ZERO, ZERO, ZERO)


def case_year_total(
    grants: Iterable[Grant], case_id: str, kind: GrantKind, year: int, exclude: str | None = None
) -> Decimal:
    """What a household received (approved or paid) of one kind of help in one year."""
    return sum(
        (
            g.amount
            for g in grants
            if g.case == case_id
            and g.kind == kind
            and g.year == year
            and counts(g)
            and g.id != exclude
        ),
        ZERO,
    )


@dataclass(frozen=True, slots=True)
class CampaignUse:
    campaign: Campaign
    raised: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        return self.raised - self.committed - self.spent


def campaign_use(
    campaign: Campaign, grants: Iterable[Grant], exclude: str | None = None
) -> CampaignUse:
    committed = spent = ZERO
    for g in grants:
        if g.campaign == campaign.id and counts(g) and g.id != exclude:
            if g.status == GrantStatus.paid:
                spent += g.amount
            else:
                committed += g.amount
    return CampaignUse(campaign, campaign.raised, committed, spent)


def cap_limits(config: Config, kind: GrantKind) -> tuple[Decimal | None, Decimal | None]:
    cap = config.caps.get(kind)
    if cap is None:
        return None, None
    return cap.per_grant, cap.per_case_year


def year_end(year: int) -> date:
    return date(year, 12, calendar.monthrange(year, 12)[1])
