"""What every report shares: its header (its stamp: stamp.py), the year's charts, a file's
next review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hardship_cli.domain.case import Case, CaseFacts
from hardship_cli.domain.model import Level
from hardship_cli.domain.money import budget_grants
from hardship_cli.domain.policy import review_due_on
from hardship_cli.load.records import Records
from hardship_cli.report import charts
from hardship_cli.report.budgeting import BudgetStatus
from hardship_cli.report.frames import Frames
from hardship_cli.report.periods import month_of, months_of_year
from hardship_cli.report.stats import stats


def report_header(
    records: Records, kind: str, today: date, stamp: dict[str, Any]
) -> dict[str, Any]:
    """The context every report starts from: who reports, when, from which records."""
    assert records.config is not None
    org = records.config.organisation
    return {
        "kind": kind,
        "org": org.name,
        "parent": org.parent,
        "today": today,
        "stamp": stamp,
        "title": f"report.{kind}",
    }


def review_due(case: Case | CaseFacts, cycle_days: int) -> date | None:
    """When an active file is next due for review (动态管理)."""
    return review_due_on(case, cycle_days)


# ---------------------------------------------------------------------------------------
# The charts of the monthly and the annual report


def help_by_month(frames: Frames, year: int, upto: str | None = None) -> list[tuple[str, Decimal]]:
    """Help given (approved or paid) in each month of the year, up to the month `upto`."""
    result = stats(frames, "grants", ["month"], year=year)
    amounts = {r["month"]: r["amount"] for r in result.rows}
    return [
        (str(int(m[5:])), amounts.get(m, Decimal("0.00")))
        for m in months_of_year(year)
        if upto is None or m <= upto
    ]


def report_charts(
    records: Records,
    frames: Frames,
    status: BudgetStatus,
    year: int,
    upto: date,
    households: Any,
) -> dict[str, Any]:
    """Help by month, the budget's use against its total, and the households by tier."""
    upto_month = month_of(upto) if upto.year == year else None
    return {
        "help_by_month": charts.column_chart(help_by_month(frames, year, upto_month)),
        "burn": charts.burn_chart(_budget_use_by_month(records, year, upto), status.allocated),
        "burn_budget": status.allocated,
        "tiers": charts.bar_chart(_households_by_tier(households)),
    }


def _budget_use_by_month(records: Records, year: int, upto: date) -> list[Decimal | None]:
    """Use of the budget lines (approved or paid) at the end of each month of the year
    (from the grants' facts: no grant is rebuilt)."""
    by_month = [Decimal("0.00")] * 13
    for g in budget_grants(records.grant_facts().values(), year):
        if g.proposed_on <= upto:
            by_month[g.proposed_on.month] += g.amount
    out: list[Decimal | None] = []
    used = Decimal("0.00")
    for m in range(1, 13):
        used += by_month[m]
        out.append(None if date(year, m, 1) > upto else used)
    return out


def _households_by_tier(cases_on_file: Any) -> list[tuple[str, int]]:
    counts = cases_on_file["tier"].astype(str).value_counts()
    return [(lv.value, int(counts.get(lv.value, 0))) for lv in Level]
