"""A year's budget at a glance: its lines, the reserve, the funds behind it, the drives.

Built on `money`: a line's use is `money.line_uses` (help from the union's own sources,
approved or paid, proposed in the year); a drive's is `money.campaign_use`. Nothing here
imports pandas, so `hardship budget` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from hardship_cli.domain.model import Budget, Campaign
from hardship_cli.domain.money import (
    ZERO,
    CampaignUse,
    FundUse,
    LineUse,
    campaign_use,
    fund_uses,
    line_uses,
    year_end,
)
from hardship_cli.i18n import _
from hardship_cli.load.records import Records


@dataclass(frozen=True, slots=True)
class LineStatus:
    use: LineUse
    runs_out_on: date | None
    runs_out_early: bool  # projected to be used up before the year ends (not yet overdrawn)

    @property
    def overdrawn(self) -> bool:
        return self.use.overdrawn


@dataclass
class BudgetStatus:
    year: int
    today: date
    budget: Budget | None
    lines: list[LineStatus]
    funds: list[FundUse]
    campaigns: list[CampaignUse]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.budget.total if self.budget else ZERO

    @property
    def reserve(self) -> Decimal:
        return self.budget.reserve if self.budget else ZERO

    @property
    def allocated(self) -> Decimal:
        return sum((line.use.allocated for line in self.lines), ZERO)

    @property
    def unallocated(self) -> Decimal:
        return self.total - self.allocated - self.reserve

    @property
    def committed(self) -> Decimal:
        return sum((line.use.committed for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.use.spent for line in self.lines), ZERO)

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.used

    @property
    def percent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.used * 100 / self.allocated).quantize(Decimal("0.1"))

    @property
    def overdrawn(self) -> list[LineStatus]:
        return [line for line in self.lines if line.overdrawn]

    @property
    def running_out(self) -> list[LineStatus]:
        return [line for line in self.lines if line.runs_out_early]

    @property
    def overspent(self) -> list[FundUse]:
        """Fund sources spent (and committed) beyond what the budget plans from them."""
        return [f for f in self.funds if f.overspent]

    @property
    def problems(self) -> bool:
        """What makes `hardship budget` exit 1: a line overdrawn or a source overspent."""
        return bool(self.overdrawn or self.overspent)

    def to_json(self) -> dict[str, Any]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:.2f}"

        return {
            "year": self.year,
            "today": self.today.isoformat(),
            "has_budget": self.budget is not None,
            "total": money(self.total),
            "allocated": money(self.allocated),
            "reserve": money(self.reserve),
            "unallocated": money(self.unallocated),
            "committed": money(self.committed),
            "spent": money(self.spent),
            "remaining": money(self.remaining),
            "percent": None if self.percent is None else str(self.percent),
            "overdrawn": bool(self.overdrawn),
            "overspent": bool(self.overspent),
            "lines": [
                {
                    "kind": line.use.kind.value,
                    "allocated": money(line.use.allocated),
                    "committed": money(line.use.committed),
                    "spent": money(line.use.spent),
                    "remaining": money(line.use.remaining),
                    "percent": None if line.use.percent is None else str(line.use.percent),
                    "runs_out_on": line.runs_out_on.isoformat() if line.runs_out_on else None,
                    "overdrawn": line.overdrawn,
                    "runs_out_before_year_end": line.runs_out_early,
                }
                for line in self.lines
            ],
            "funds": [
                {
                    "fund": f.fund,
                    "planned": money(f.planned),
                    "committed": money(f.committed),
                    "spent": money(f.spent),
                    "remaining": money(f.remaining),
                    "overspent": f.overspent,
                }
                for f in self.funds
            ],
            "campaigns": [
                {
                    "id": c.campaign.id,
                    "title": c.campaign.title,
                    "beneficiary": c.campaign.beneficiary,
                    "opened": c.campaign.opened.isoformat(),
                    "closed": c.campaign.closed.isoformat() if c.campaign.closed else None,
                    "target": money(c.campaign.target),
                    "raised": money(c.raised),
                    "committed": money(c.committed),
                    "paid": money(c.spent),
                    "balance": money(c.balance),
                }
                for c in self.campaigns
            ],
            "notes": self.notes,
        }


def campaigns_of_year(campaigns: dict[str, Campaign], year: int) -> list[Campaign]:
    """Drives that were open at some time in the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return [
        campaigns[cid]
        for cid in sorted(campaigns)
        if campaigns[cid].opened <= end
        and (campaigns[cid].closed is None or campaigns[cid].closed >= start)  # type: ignore[operator]
    ]


def budget_status(
    records: Records, year: int, today: date, upto: date | None = None
) -> BudgetStatus:
    """The year's budget lines, funds and drives as recorded now.

    `upto` counts only the help proposed on or before that day (a monthly report shows the
    budget as it stood at the end of its month); the pace of use is measured to that day.
    """
    # Over the grants' facts: a budget of a city's 100,000 grants needs no grant rebuilt.
    grants = [g for g in records.grant_facts().values() if upto is None or g.proposed_on <= upto]
    pace_day = upto or today
    budget = records.budgets.get(year)
    end = year_end(year)
    lines = []
    for use in line_uses(budget, grants, year):
        out = use.runs_out_on(year, pace_day)
        early = not use.overdrawn and out is not None and out < end and use.allocated > 0
        lines.append(LineStatus(use, out, early))
    funds = fund_uses(budget, grants, year)
    drives = [campaign_use(c, grants) for c in campaigns_of_year(records.campaigns, year)]
    notes = []
    if budget is None:
        notes.append(
            _("no budget for {year} (budgets/{year}.yaml): every line is unbudgeted").format(
                year=year
            )
        )
    return BudgetStatus(year, today, budget, lines, funds, drives, notes)
