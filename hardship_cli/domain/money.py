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
from typing import TypeVar

from hardship_cli.domain.budget import Budget
from hardship_cli.domain.campaign import Campaign
from hardship_cli.domain.config import Config
from hardship_cli.domain.enums import FIXED_FUNDS, GrantKind, GrantStatus
from hardship_cli.domain.grant import GrantLike
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _

ZERO = Decimal("0")
G = TypeVar("G", bound=GrantLike)
COUNTING = frozenset({GrantStatus.approved, GrantStatus.paid})


def yuan(amount: Decimal) -> str:
    """1234.5 -> '1,234.50': how money is written in messages and reports."""
    return f"{amount:,.2f}"


def counts(grant: GrantLike) -> bool:
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


def budget_grants(grants: Iterable[G], year: int) -> list[G]:
    """The grants that draw on the year's budget lines (not on a donation drive)."""
    return [g for g in grants if g.year == year and g.campaign is None and counts(g)]


def line_uses(budget: Budget | None, grants: Iterable[GrantLike], year: int) -> list[LineUse]:
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


def line_use(
    budget: Budget | None, grants: Iterable[GrantLike], year: int, kind: GrantKind
) -> LineUse:
    for use in line_uses(budget, grants, year):
        if use.kind == kind:
            return use
    return LineUse(kind, ZERO, ZERO, ZERO)


@dataclass(frozen=True, slots=True)
class FundUse:
    """What one fund source gives in a year: planned in the budget's `sources`, and what
    the year's help (approved or paid, proposed in the year) takes from it."""

    fund: str
    planned: Decimal | None  # what the budget expects from this source (None: not planned)
    committed: Decimal
    spent: Decimal

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal | None:
        return None if self.planned is None else self.planned - self.used

    @property
    def overspent(self) -> bool:
        """Spent (and committed) beyond its plan; a source the budget does not plan is
        not held to one (a drive is held to what it raised instead)."""
        return self.planned is not None and self.used > self.planned


def fund_uses(budget: Budget | None, grants: Iterable[GrantLike], year: int) -> list[FundUse]:
    """Use of every fund source in a year: those the budget plans, then any other that
    gave help (the fixed funds first, then the drives)."""
    return fund_uses_by_year({year: budget} if budget else {}, grants, {year}).get(year, [])


def fund_uses_by_year(
    budgets: dict[int, Budget], grants: Iterable[GrantLike], years: set[int]
) -> dict[int, list[FundUse]]:
    """fund_uses of each of `years` in one pass over the grants (a city's 100,000)."""
    committed: dict[tuple[int, str], Decimal] = {}
    spent: dict[tuple[int, str], Decimal] = {}
    paid = GrantStatus.paid
    for g in grants:
        if g.year not in years or g.status not in COUNTING:
            continue
        bucket = spent if g.status == paid else committed
        key = (g.year, g.fund)
        bucket[key] = bucket.get(key, ZERO) + g.amount
    found: dict[int, list[FundUse]] = {}
    for year in sorted(years):
        budget = budgets.get(year)
        planned = dict(budget.sources) if budget else {}
        used = set(planned) | {f for y, f in (*committed, *spent) if y == year}
        if not used:
            continue
        order = [f for f in FIXED_FUNDS if f in used] + sorted(used - set(FIXED_FUNDS))
        found[year] = [
            FundUse(f, planned.get(f), committed.get((year, f), ZERO), spent.get((year, f), ZERO))
            for f in order
        ]
    return found


def case_year_total(
    grants: Iterable[GrantLike],
    case_id: str,
    kind: GrantKind,
    year: int,
    exclude: str | None = None,
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
    campaign: Campaign, grants: Iterable[GrantLike], exclude: str | None = None
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


# ---------------------------------------------------------------------------------------
# The budget guard: what a grant would break if it were approved now. Approval refuses
# with these figures; validate reports the same breaches of what is already approved.


@dataclass(frozen=True, slots=True)
class Breach:
    """One rule a grant would break, in words with the figures."""

    # budget-line | no-budget | fund-source | cap-per-grant | cap-per-case-year | raised |
    # earmark
    rule: str
    message: str
    overridable: bool  # budget lines and caps may be passed by override; earmarks never


def per_grant_breach(config: Config, grant: GrantLike) -> Breach | None:
    per_grant, _per_year = cap_limits(config, grant.kind)
    if per_grant is None or grant.amount <= per_grant:
        return None
    return Breach(
        "cap-per-grant",
        _("{grant} gives {amount} of {kind}, over the cap of {cap} a grant").format(
            grant=grant.id,
            amount=yuan(grant.amount),
            kind=label("kind", grant.kind.value),
            cap=yuan(per_grant),
        ),
        True,
    )


def per_case_year_breach(config: Config, grant: GrantLike, before: Decimal) -> Breach | None:
    """Would this grant, counted with what the household already had of its kind that
    year (`before`: approved or paid, this grant excluded), pass the yearly cap?"""
    _per_grant, per_case_year = cap_limits(config, grant.kind)
    if per_case_year is None:
        return None
    total = before + grant.amount
    if total <= per_case_year:
        return None
    return Breach(
        "cap-per-case-year",
        _(
            "{grant} would bring {case}'s {kind} in {year} to {total}, over the cap of {cap} "
            "a household a year (received {received}, remaining {remaining}, this grant "
            "{amount})"
        ).format(
            grant=grant.id,
            case=grant.case,
            kind=label("kind", grant.kind.value),
            year=grant.year,
            total=yuan(total),
            cap=yuan(per_case_year),
            received=yuan(before),
            remaining=yuan(max(per_case_year - before, ZERO)),
            amount=yuan(grant.amount),
        ),
        True,
    )


def earmark_breach(campaign: Campaign | None, campaign_id: str, grant: GrantLike) -> Breach | None:
    """专款专用: money raised for a named colleague goes to that colleague only."""
    if campaign is None:
        return Breach(
            "earmark",
            _("{grant} is paid from {campaign}, which does not exist").format(
                grant=grant.id, campaign=campaign_id
            ),
            False,
        )
    if campaign.beneficiary is not None and grant.case != campaign.beneficiary:
        return Breach(
            "earmark",
            _("{grant} gives money raised for {beneficiary} ({campaign}) to {case}").format(
                grant=grant.id,
                beneficiary=campaign.beneficiary,
                campaign=campaign.id,
                case=grant.case,
            ),
            False,
        )
    return None


def raised_breach(
    campaign: Campaign, grants: Iterable[GrantLike], grant: GrantLike
) -> Breach | None:
    use = campaign_use(campaign, grants, exclude=grant.id)
    if grant.amount <= use.balance:
        return None
    return Breach(
        "raised",
        _(
            "{grant} would spend more than {campaign} raised: raised {raised}, spent {spent}, "
            "committed {committed}, remaining {remaining}, this grant {amount}"
        ).format(
            grant=grant.id,
            campaign=campaign.id,
            raised=yuan(use.raised),
            spent=yuan(use.spent),
            committed=yuan(use.committed),
            remaining=yuan(use.balance),
            amount=yuan(grant.amount),
        ),
        False,
    )


def line_breach(
    budget: Budget | None, grants: Iterable[GrantLike], grant: GrantLike
) -> Breach | None:
    others = [g for g in grants if g.id != grant.id]
    if budget is None:
        return Breach(
            "no-budget",
            _(
                "{grant} ({kind} {amount}) would draw on the budget of {year}, which has none "
                "(budgets/{year}.yaml)"
            ).format(
                grant=grant.id,
                kind=label("kind", grant.kind.value),
                amount=yuan(grant.amount),
                year=grant.year,
            ),
            True,
        )
    use = line_use(budget, others, grant.year, grant.kind)
    if use.used + grant.amount <= use.allocated:
        return None
    return Breach(
        "budget-line",
        _(
            "{grant} would overdraw the budget line {kind} {year}: allocated {allocated}, "
            "spent {spent}, committed {committed}, remaining {remaining}, this grant {amount}"
        ).format(
            grant=grant.id,
            kind=label("kind", grant.kind.value),
            year=grant.year,
            allocated=yuan(use.allocated),
            spent=yuan(use.spent),
            committed=yuan(use.committed),
            remaining=yuan(use.remaining),
            amount=yuan(grant.amount),
        ),
        True,
    )


def fund_breach(
    budget: Budget | None, grants: Iterable[GrantLike], grant: GrantLike
) -> Breach | None:
    """Would this grant take more from its fund source than the year's budget plans
    (`sources`)? A source the budget does not plan is not held to a plan."""
    if budget is None or grant.fund not in budget.sources:
        return None
    others = [g for g in grants if g.id != grant.id and g.fund == grant.fund]
    use = next(u for u in fund_uses(budget, others, grant.year) if u.fund == grant.fund)
    assert use.planned is not None and use.remaining is not None
    if use.used + grant.amount <= use.planned:
        return None
    return Breach(
        "fund-source",
        _(
            "{grant} would spend more from {fund} in {year} than the budget plans: "
            "planned {planned}, spent {spent}, committed {committed}, remaining {remaining}, "
            "this grant {amount}"
        ).format(
            grant=grant.id,
            fund=label("fund", grant.fund),
            year=grant.year,
            planned=yuan(use.planned),
            spent=yuan(use.spent),
            committed=yuan(use.committed),
            remaining=yuan(use.remaining),
            amount=yuan(grant.amount),
        ),
        True,
    )


def grant_breaches(
    config: Config,
    budgets: dict[int, Budget],
    campaigns: dict[str, Campaign],
    grants: Iterable[GrantLike],
    grant: GrantLike,
) -> list[Breach]:
    """Everything approving `grant` now would break: its fund (the budget line of its year
    and the plan of its fund source, or what its campaign raised and for whom) and the
    caps of its kind."""
    grants = list(grants)
    found: list[Breach | None] = []
    campaign_id = grant.campaign
    if campaign_id is not None:
        campaign = campaigns.get(campaign_id)
        found.append(earmark_breach(campaign, campaign_id, grant))
        if campaign is not None:
            found.append(raised_breach(campaign, grants, grant))
    else:
        found.append(line_breach(budgets.get(grant.year), grants, grant))
        found.append(fund_breach(budgets.get(grant.year), grants, grant))
    found.append(per_grant_breach(config, grant))
    before = case_year_total(grants, grant.case, grant.kind, grant.year, exclude=grant.id)
    found.append(per_case_year_breach(config, grant, before))
    return [b for b in found if b is not None]
