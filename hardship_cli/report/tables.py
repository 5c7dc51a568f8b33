"""Report tables and what every report shares: cells in words, stamps, charts."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hardship_cli.domain.model import Case, Level, active_since
from hardship_cli.domain.money import yuan
from hardship_cli.load.store import Records
from hardship_cli.report import charts
from hardship_cli.report.budgeting import BudgetStatus
from hardship_cli.report.frames import (
    Frames,
    Stats,
    month_bounds,
    month_of,
    stats,
)
from hardship_cli.report.labels import label
from hardship_cli.rules.reviews import review_due_on

KINDS = ("monthly", "annual", "case", "notice")
FORMATS = ("md", "html", "csv", "xlsx")
LONG_TABLE = 25  # rows; a longer table may continue on the next printed page


# ---------------------------------------------------------------------------------------
# Tables: what the templates, CSV and Excel all draw from


@dataclass(frozen=True)
class Label:
    """A word to be looked up in the report's language (e.g. the "total" of a table)."""

    key: str


@dataclass
class Col:
    label: str  # label key of the heading
    kind: str = "text"  # text | code | int | money | pct | date
    prefix: str = ""  # for codes: the label namespace, e.g. "tier."


@dataclass
class Table:
    key: str
    title: str  # label key
    cols: list[Col]
    rows: list[list[Any]]
    total: list[Any] | None = None

    @property
    def long(self) -> bool:
        return len(self.rows) > LONG_TABLE


def code_label(prefix: str, code: str, lang: str) -> str:
    if prefix == "fund." and code.startswith("campaign:"):
        return f"{label(lang, 'fund.campaign')} {code.split(':', 1)[1]}"
    if not prefix:
        return code
    key = prefix + code
    text = label(lang, key)
    return code if text == key else text


def cell_text(value: Any, col: Col, lang: str, plain: bool = False) -> str:
    """A cell as text: money as 1,234.50 (plain: 1234.50), codes in words."""
    if value is None:
        return ""
    if isinstance(value, Label):
        return label(lang, value.key)
    if col.kind == "code":
        return code_label(col.prefix, str(value), lang)
    if col.kind == "money" and isinstance(value, Decimal):
        return f"{value:.2f}" if plain else yuan(value)
    if col.kind == "pct" and isinstance(value, Decimal):
        return f"{value}" if plain else f"{value}%"
    if col.kind in ("num", "change") and isinstance(value, Decimal):
        sign = "+" if col.kind == "change" and value > 0 else ""
        return sign + (f"{value:.2f}" if plain else yuan(value))
    if col.kind == "change" and isinstance(value, int):
        return f"{value:+d}" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


FIELD_COLS = {
    "tier": Col("col.tier", "code", "tier."),
    "cause": Col("col.cause", "code", "cause."),
    "unit": Col("col.unit"),
    "kind": Col("col.kind", "code", "kind."),
    "fund": Col("col.fund", "code", "fund."),
    "month": Col("col.month"),
    "sex": Col("field.sex", "code", "sex."),
    "age_band": Col("col.age", "code", "age_band."),
    "employment": Col("field.employment", "code", "employment."),
    "occasion": Col("col.occasion", "code", "occasion."),
    "close_reason": Col("col.reason", "code", "close_reason."),
}


def stats_table(key: str, title: str, result: Stats) -> Table:
    """A `frames.stats` result with one grouping field, as a report table with totals."""
    by = result.by[0]
    first = FIELD_COLS.get(by, Col(f"col.{by}"))
    if by == "status":
        first = Col(
            "col.status", "code", "grant_status." if result.of == "grants" else "case_status."
        )
    if result.of == "grants":
        cols = [
            first,
            Col("col.households", "int"),
            Col("col.grants", "int"),
            Col("col.amount", "money"),
        ]
    else:
        cols = [first, Col("col.households", "int"), Col("col.people", "int")]
    measures = result.measures
    rows = [[r[by], *[r[m] for m in measures]] for r in result.rows]
    total = [Label("col.total"), *[result.total[m] for m in measures]]
    return Table(key, title, cols, rows, total)


def budget_table(status: BudgetStatus) -> Table:
    cols = [
        Col("col.kind", "code", "kind."),
        Col("col.allocated", "money"),
        Col("col.committed", "money"),
        Col("col.spent", "money"),
        Col("col.remaining", "money"),
        Col("col.percent", "pct"),
        Col("col.runs_out", "date"),
        Col("col.mark"),
    ]
    rows = []
    for line in status.lines:
        use = line.use
        mark = (
            Label("mark.overdrawn")
            if line.overdrawn
            else (Label("mark.runs_out") if line.runs_out_early else None)
        )
        rows.append(
            [
                use.kind.value,
                use.allocated,
                use.committed,
                use.spent,
                use.remaining,
                use.percent,
                line.runs_out_on,
                mark,
            ]
        )
    total = [
        Label("col.total"),
        status.allocated,
        status.committed,
        status.spent,
        status.remaining,
        status.percent,
        None,
        None,
    ]
    return Table("budget", "sec.budget", cols, rows, total)


def campaigns_table(status: BudgetStatus, records: Records) -> Table:
    cols = [
        Col("col.campaign"),
        Col("col.beneficiary"),
        Col("col.target", "money"),
        Col("col.raised", "money"),
        Col("col.committed", "money"),
        Col("col.paid", "money"),
        Col("col.balance", "money"),
    ]
    rows = []
    for use in status.campaigns:
        c = use.campaign
        who: Any = Label("general_pool")
        if c.beneficiary:
            case = records.cases.get(c.beneficiary)
            who = f"{c.beneficiary} {case.worker.name}" if case else c.beneficiary
        rows.append(
            [f"{c.id} {c.title}", who, c.target, use.raised, use.committed, use.spent, use.balance]
        )
    zero = Decimal("0.00")
    total = [
        Label("col.total"),
        None,
        None,
        sum((u.raised for u in status.campaigns), zero),
        sum((u.committed for u in status.campaigns), zero),
        sum((u.spent for u in status.campaigns), zero),
        sum((u.balance for u in status.campaigns), zero),
    ]
    return Table("campaigns", "sec.donations", cols, rows, total if rows else None)


# ---------------------------------------------------------------------------------------
# Stamps and privacy


def records_stamp(root: Path) -> dict[str, Any]:
    """The git commit of the records (the last one that touched the root, reports aside),
    and whether the records have changes not yet committed."""
    if shutil.which("git") is None:
        return {"commit": None, "dirty": False, "git_missing": True}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return {"commit": None, "dirty": False}
    spec = [".", ":(exclude)reports"]
    last = git("log", "-1", "--format=%H", "--", *spec)
    commit = last.stdout.strip() or None
    dirty = bool(git("status", "--porcelain", "--", *spec).stdout.strip())
    return {"commit": commit[:12] if commit else None, "dirty": dirty}


def mask_name(name: str) -> str:
    """张三丰 -> 张*丰, 李四 -> 李*: the public notice never shows a whole name."""
    name = name.strip()
    if len(name) <= 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" + name[-1]


# ---------------------------------------------------------------------------------------
# Contexts


def _header(records: Records, kind: str, today: date, stamp: dict[str, Any]) -> dict[str, Any]:
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


def _months_of_year(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def _help_by_month(frames: Frames, year: int, upto: str | None = None) -> list[tuple[str, Decimal]]:
    result = stats(frames, "grants", ["month"], year=year)
    amounts = {r["month"]: r["amount"] for r in result.rows}
    return [
        (str(int(m[5:])), amounts.get(m, Decimal("0.00")))
        for m in _months_of_year(year)
        if upto is None or m <= upto
    ]


def _burn(records: Records, status: BudgetStatus, year: int, upto: date) -> list[Decimal | None]:
    """Use of the budget lines (approved or paid) at the end of each month of the year."""
    from hardship_cli.domain.money import budget_grants

    grants = [g for g in budget_grants(records.grants.values(), year) if g.proposed.on <= upto]
    out: list[Decimal | None] = []
    for m in range(1, 13):
        end = month_bounds(year, m)[1]
        if date(year, m, 1) > upto:
            out.append(None)
            continue
        out.append(sum((g.amount for g in grants if g.proposed.on <= end), Decimal("0.00")))
    return out


def _tier_items(cases_on_file: Any) -> list[tuple[str, int]]:
    counts = cases_on_file["tier"].astype(str).value_counts()
    return [(lv.value, int(counts.get(lv.value, 0))) for lv in Level]


def _charts(
    records: Records,
    frames: Frames,
    status: BudgetStatus,
    year: int,
    upto: date,
    households: Any,
) -> dict[str, Any]:
    upto_month = month_of(upto) if upto.year == year else None
    return {
        "help_by_month": charts.column_chart(_help_by_month(frames, year, upto_month)),
        "burn": charts.burn_chart(_burn(records, status, year, upto), status.allocated),
        "burn_budget": status.allocated,
        "tiers": charts.bar_chart(_tier_items(households)),
    }


def _review_due(case: Case, cycle_days: int) -> date | None:
    return review_due_on(case.review_due, active_since(case), cycle_days)
