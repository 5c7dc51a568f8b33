"""The annual statistical report for the higher union (also CSV and Excel tables)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from hardship_cli.domain.model import CloseReason
from hardship_cli.load.records import Records
from hardship_cli.report.budgeting import budget_status
from hardship_cli.report.common import report_charts, report_header
from hardship_cli.report.frames import Frames, between, on_file, to_yuan
from hardship_cli.report.periods import months_of_year
from hardship_cli.report.stats import stats
from hardship_cli.report.tables import (
    FIELD_COLS,
    Col,
    Label,
    Table,
    budget_table,
    campaigns_table,
    stats_table,
)


def annual_tables(
    records: Records, frames: Frames, year: int, today: date, duplicates: Sequence[Any] = ()
) -> tuple[list[Table], dict[str, Any]]:
    """The tables of the annual report (also its CSV and Excel sheets), and its charts.
    In a roll-up of several units (records.orgs), first a table per unit, and the
    households filed in two units."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    tables: list[Table] = []
    if records.orgs:
        tables.extend(_rollup_tables(frames, year, duplicates))
    tables.extend(_households_tables(frames, year))
    tables.extend(_help_tables(frames, year))
    tables.append(_help_by_month_table(frames, year))
    tables.append(_files_table(frames, year))
    tables.append(_closed_by_reason_table(frames, year))
    tables.append(_comparison(frames, year))
    status = budget_status(records, year, today)
    tables.append(budget_table(status))
    tables.append(campaigns_table(status, records))
    tables.append(_visits_table(frames, year))
    households = on_file(frames.cases, start, end)
    extra = {
        "charts": report_charts(records, frames, status, year, min(today, end), households),
        "budget_status": status,
    }
    return tables, extra


def _households_tables(frames: Frames, year: int) -> list[Table]:
    """The households on file in the year, by tier, cause, unit, employment, sex, age."""
    return [
        stats_table(f"by_{by}", f"sec.by_{by}", stats(frames, "cases", [by], year=year))
        for by in ("tier", "cause", "unit", "employment", "sex", "age_band")
    ]


def _help_tables(frames: Frames, year: int) -> list[Table]:
    """The year's help by kind and by the fund that paid it."""
    return [
        stats_table(
            "help_by_kind", "sec.help_by_kind", stats(frames, "grants", ["kind"], year=year)
        ),
        stats_table(
            "help_by_fund", "sec.help_by_fund", stats(frames, "grants", ["fund"], year=year)
        ),
    ]


def _help_by_month_table(frames: Frames, year: int) -> Table:
    by_month = stats(frames, "grants", ["month"], year=year)
    found = {r["month"]: r for r in by_month.rows}
    empty = {"households": 0, "grants": 0, "amount": Decimal("0.00")}
    return Table(
        "help_by_month",
        "sec.help_by_month",
        [
            Col("col.month"),
            Col("col.households", "int"),
            Col("col.grants", "int"),
            Col("col.amount", "money"),
        ],
        [
            [m, *[found.get(m, empty)[k] for k in ("households", "grants", "amount")]]
            for m in months_of_year(year)
        ],
        [Label("col.total"), *[by_month.total[k] for k in ("households", "grants", "amount")]],
    )


def _file_counts(frames: Frames, year: int) -> dict[str, int]:
    """Files opened, approved, closed and rejected in a year."""
    s, e = date(year, 1, 1), date(year, 12, 31)
    c = frames.cases
    return {
        "opened": len(between(c, "filed_on", s, e)),
        "approved": len(between(c, "active_since", s, e)),
        "closed": len(between(c[c["status"].astype(str) == "closed"], "closed_on", s, e)),
        "rejected": len(between(c[c["status"].astype(str) == "rejected"], "closed_on", s, e)),
    }


def _files_table(frames: Frames, year: int) -> Table:
    files = _file_counts(frames, year)
    return Table(
        "files",
        "sec.files",
        [Col("col.what"), Col("col.count", "int")],
        [
            [Label("fig.files_opened"), files["opened"]],
            [Label("fig.files_approved"), files["approved"]],
            [Label("fig.closed_files"), files["closed"]],
            [Label("fig.rejected_files"), files["rejected"]],
        ],
    )


def _closed_by_reason_table(frames: Frames, year: int) -> Table:
    start, end = date(year, 1, 1), date(year, 12, 31)
    closed = between(
        frames.cases[frames.cases["status"].astype(str) == "closed"], "closed_on", start, end
    )
    reasons = closed["close_reason"].astype(str).value_counts()
    return Table(
        "closed_by_reason",
        "sec.closed_by_reason",
        [FIELD_COLS["close_reason"], Col("col.households", "int")],
        [[r, int(reasons[r])] for r in sorted(reasons.index, key=_reason_order)],
        [Label("col.total"), len(closed)],
    )


def _visits_table(frames: Frames, year: int) -> Table:
    """The year's visits by occasion: visits made and households visited."""
    visits = between(frames.visits, "on", date(year, 1, 1), date(year, 12, 31))
    occ = visits.groupby("occasion", observed=True, sort=True).agg(
        visits=("visit", "nunique"), households=("case", "nunique")
    )
    return Table(
        "visits",
        "sec.visits",
        [FIELD_COLS["occasion"], Col("col.visits", "int"), Col("col.households", "int")],
        [[str(k), int(r["visits"]), int(r["households"])] for k, r in occ.iterrows()],
        [Label("col.total"), int(visits["visit"].nunique()), int(visits["case"].nunique())],
    )


def _rollup_tables(frames: Frames, year: int, duplicates: Sequence[Any]) -> list[Table]:
    """Households on file and help given, per unit: the totals are those of the report."""
    on_file_by = stats(frames, "cases", ["org"], year=year)
    helped_by = stats(frames, "grants", ["org"], year=year)
    helped = {r["org"]: r for r in helped_by.rows}
    none = {"households": 0, "grants": 0, "amount": Decimal("0.00")}
    rows = [
        [
            r["org"],
            r["households"],
            r["people"],
            *[helped.get(r["org"], none)[k] for k in ("households", "grants", "amount")],
        ]
        for r in on_file_by.rows
    ]
    total = [
        Label("col.total"),
        on_file_by.total["households"],
        on_file_by.total["people"],
        *[helped_by.total[k] for k in ("households", "grants", "amount")],
    ]
    by_org = Table(
        "by_org",
        "sec.by_org",
        [
            Col("col.org"),
            Col("col.households", "int"),
            Col("col.people", "int"),
            Col("col.households_helped", "int"),
            Col("col.grants", "int"),
            Col("col.amount", "money"),
        ],
        rows,
        total,
    )
    dups = Table(
        "duplicates", "sec.duplicates", [Col("col.what")], [[p.message] for p in duplicates]
    )
    return [by_org, dups]


def _reason_order(code: str) -> int:
    codes = [r.value for r in CloseReason]
    return codes.index(code) if code in codes else len(codes)


def _comparison(frames: Frames, year: int) -> Table:
    """This year's main figures against last year's."""

    def figures(y: int) -> list[Any]:
        cases = stats(frames, "cases", [], year=y).total
        grants = stats(frames, "grants", [], year=y).total
        gifts = frames.contributions[frames.contributions["year"] == y]
        visits = frames.visits[frames.visits["year"] == y]
        files = _file_counts(frames, y)
        return [
            cases["households"],
            cases["people"],
            files["opened"],
            files["closed"],
            grants["households"],
            grants["grants"],
            grants["amount"],
            to_yuan(gifts["fen"].sum()),
            int(visits["visit"].nunique()),
        ]

    names = [
        "fig.households_on_file",
        "fig.people",
        "fig.files_opened",
        "fig.closed_files",
        "fig.households_helped",
        "fig.grants",
        "fig.amount",
        "fig.raised",
        "fig.visits",
    ]
    this, last = figures(year), figures(year - 1)
    rows = []
    for name, a, b in zip(names, this, last, strict=True):
        change = a - b
        rows.append([Label(name), a, b, change])
    return Table(
        "comparison",
        "sec.comparison",
        [
            Col("col.metric"),
            Col("col.this_year", "num"),
            Col("col.previous_year", "num"),
            Col("col.change", "change"),
        ],
        rows,
    )


def annual_context(
    records: Records,
    frames: Frames,
    year: int,
    today: date,
    stamp: dict[str, Any],
    duplicates: Sequence[Any] = (),
) -> dict[str, Any]:
    ctx = report_header(records, "annual", today, stamp)
    ctx["period"] = str(year)
    tables, extra = annual_tables(records, frames, year, today, duplicates)
    ctx["tables"] = {t.key: t for t in tables}
    ctx["table_order"] = [t.key for t in tables]
    ctx.update(extra)
    on_file_total = ctx["tables"]["by_tier"].total
    grants_total = ctx["tables"]["help_by_kind"].total
    status = extra["budget_status"]
    ctx["figures"] = [
        (Label("fig.households_on_file"), on_file_total[1] if on_file_total else 0, "int"),
        (Label("fig.people"), on_file_total[2] if on_file_total else 0, "int"),
        (Label("fig.households_helped"), grants_total[1] if grants_total else 0, "int"),
        (Label("fig.grants"), grants_total[2] if grants_total else 0, "int"),
        (Label("fig.amount"), grants_total[3] if grants_total else Decimal("0.00"), "money"),
        (Label("fig.total_budget"), status.total, "money"),
        (Label("fig.budget_used"), status.percent, "pct"),
    ]
    return ctx
