"""Reports: a context built from the records, rendered with Jinja2.

Every figure comes from `frames.stats` or `budgeting.budget_status`, so the reports, the
`stats` command and the `budget` command agree. Templates ship in the package
(`hardship_cli/templates/`); a records root's own `templates/` overrides them by name.
All templates run in Jinja's immutable sandbox with autoescaping: HTML escapes every value,
Markdown backslash-escapes the characters that would change its meaning.

Privacy: ID numbers, bank accounts, phones, diagnoses (and free-text notes and findings,
which may hold them) enter only the context of `case` with `full=True`. The notice masks
names. Contexts hold no other personal detail than names, units and the figures.

Reproducible: the same records, options and `today` give the same bytes; each report is
stamped with the git commit of the records (or says it is not in git).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import charts
from .budgeting import BudgetStatus, budget_status
from .frames import (
    Frames,
    Stats,
    between,
    month_bounds,
    month_of,
    on_file,
    parse_month,
    stats,
    to_yuan,
)
from .labels import label, lang_of_locale
from .model import (
    Case,
    CaseStatus,
    Decision,
    GrantStatus,
    Level,
    StepName,
    active_since,
    open_objections,
)
from .money import campaign_use, yuan
from .problems import UsageError
from .rules.reviews import review_due_on
from .store import Records

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
        return {"commit": None, "dirty": False}

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
    from .money import budget_grants

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


_RANK = {"applied": 0, "checked": 1, "on_notice": 2, "active": 3, "rejected": 4, "closed": 4}


def _status_events(case: Case, start: date, end: date) -> list[tuple[date, Label]]:
    """What happened to a file in a period: each change of status, and each review of a
    file already in the archive (动态管理)."""
    events: list[tuple[date, int, str]] = [(case.filed.on, 0, "applied")]
    for order, step in enumerate([*case.checks, *case.approvals], start=1):
        if step.decision == Decision.rejected or step.step == StepName.reject:
            events.append((step.on, order, "rejected"))
        elif step.step == StepName.approve:
            events.append((step.on, order, "active"))
        elif step.step == StepName.review:
            events.append((step.on, order, "review"))
        else:
            events.append((step.on, order, "checked"))
    if case.notice is not None:
        events.append((case.notice.from_, 90, "on_notice"))
    if case.closed is not None:
        events.append((case.closed.on, 99, "closed"))
    current = -1
    out: list[tuple[date, Label]] = []
    for day, _, status in sorted(events):
        if status == "review":
            if current >= _RANK["active"] and start <= day <= end:
                if (day, Label("step.review")) not in out:
                    out.append((day, Label("step.review")))
            continue
        if _RANK[status] > current:
            current = _RANK[status]
            if start <= day <= end:
                out.append((day, Label(f"case_status.{status}")))
    return out


def _referrals_table(cases: dict[str, Case], start: date, end: date) -> Table:
    """Referrals still open at the month's end, and those answered during it, with what
    came back. Purposes are left out: they can tell an illness."""
    rows = []
    for cid in sorted(cases):
        case = cases[cid]
        for number, r in enumerate(case.referrals, start=1):
            if r.sent.on > end:
                continue
            answered_on = r.answered.on if r.answered else None
            still_open = r.status.value in ("sent", "answered") or (
                answered_on is not None and answered_on > end
            )
            came_back = answered_on is not None and start <= answered_on <= end
            if not (still_open or came_back):
                continue
            rows.append(
                [
                    r.sent.on,
                    f"{cid} #{number}",
                    case.worker.name,
                    r.to.value,
                    r.status.value,
                    answered_on,
                    r.amount,
                    r.monthly_income,
                ]
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    return Table(
        "referrals",
        "sec.referrals",
        [
            Col("col.sent", "date"),
            Col("col.case"),
            Col("col.name"),
            Col("col.referred_to", "code", "referral_to."),
            Col("col.status", "code", "referral_status."),
            Col("col.answered", "date"),
            Col("col.amount", "money"),
            Col("col.monthly_income", "money"),
        ],
        rows,
    )


def _review_due(case: Case, cycle_days: int) -> date | None:
    return review_due_on(case.review_due, active_since(case), cycle_days)


def monthly_context(
    records: Records, frames: Frames, year: int, month: int, today: date, stamp: dict[str, Any]
) -> dict[str, Any]:
    assert records.config is not None
    start, end = month_bounds(year, month)
    key = f"{year:04d}-{month:02d}"
    ctx = _header(records, "monthly", today, stamp)
    ctx["period"] = key
    cases = records.cases
    status = budget_status(records, year, today, upto=end)
    households = on_file(frames.cases, end, end)
    help_month = stats(frames, "grants", [], month=key)
    paid = between(frames.grants, "paid_on", start, end)
    paid = paid[paid["status"].astype(str) == GrantStatus.paid.value]
    gifts = between(frames.contributions, "on", start, end)
    visits_in = between(frames.visits, "on", start, end)
    filed = sorted(c for c in cases if start <= cases[c].filed.on <= end)
    closed = [c for c, case in cases.items() if case.closed and start <= case.closed.on <= end]
    ctx["figures"] = [
        (Label("fig.households_active"), len(households), "int"),
        (Label("fig.new_files"), len(filed), "int"),
        (Label("fig.closed_files"), len(closed), "int"),
        (Label("fig.grants"), help_month.total["grants"], "int"),
        (Label("fig.households_helped"), help_month.total["households"], "int"),
        (Label("fig.amount"), help_month.total["amount"], "money"),
        (Label("fig.paid_in_month"), to_yuan(paid["fen"].sum()), "money"),
        (Label("fig.donations"), to_yuan(gifts["fen"].sum()), "money"),
        (Label("fig.visits"), int(visits_in["visit"].nunique()), "int"),
        (Label("fig.households_visited"), int(visits_in["case"].nunique()), "int"),
        (Label("fig.budget_used"), status.percent, "pct"),
    ]
    # alerts: 特困职工及时报告, money, reviews, objections
    alerts: list[dict[str, Any]] = []
    for cid in filed:
        c = cases[cid]
        if c.level == Level.deep and c.status != CaseStatus.rejected:
            alerts.append(
                {"key": "alert.new_deep", "what": f"{cid} {c.worker.name}", "on": c.filed.on}
            )
    for line in status.overdrawn:
        alerts.append(
            {"key": "alert.overdrawn", "what": Label(f"kind.{line.use.kind.value}"), "on": None}
        )
    for line in status.running_out:
        alerts.append(
            {
                "key": "alert.runs_out",
                "what": Label(f"kind.{line.use.kind.value}"),
                "on": line.runs_out_on,
            }
        )
    cycle = records.config.policy.review_cycle_days
    for cid in sorted(cases):
        c = cases[cid]
        if c.status == CaseStatus.active:
            review = _review_due(c, cycle)
            if review is not None and review <= end:
                alerts.append(
                    {"key": "alert.review_overdue", "what": f"{cid} {c.worker.name}", "on": review}
                )
        if c.status == CaseStatus.on_notice and open_objections(c):
            alerts.append({"key": "alert.objection", "what": f"{cid} {c.worker.name}", "on": None})
    ctx["alerts"] = alerts
    ctx["new_files"] = Table(
        "new_files",
        "sec.new_files",
        [
            Col("col.case"),
            Col("col.name"),
            Col("col.unit"),
            Col("col.tier", "code", "tier."),
            Col("col.cause", "code", "cause."),
            Col("col.date", "date"),
            Col("col.status", "code", "case_status."),
        ],
        [
            [
                cid,
                cases[cid].worker.name,
                cases[cid].worker.unit,
                cases[cid].level.value,
                cases[cid].causes.primary.value,
                cases[cid].filed.on,
                cases[cid].status.value,
            ]
            for cid in filed
        ],
    )
    changes = []
    for cid in sorted(cases):
        for day, new in _status_events(cases[cid], start, end):
            changes.append([day, cid, cases[cid].worker.name, new])
    changes.sort(key=lambda r: (r[0], r[1]))
    ctx["changes"] = Table(
        "changes",
        "sec.status_changes",
        [
            Col("col.date", "date"),
            Col("col.case"),
            Col("col.name"),
            Col("col.to"),
        ],
        changes,
    )
    ctx["help_by_kind"] = stats_table(
        "help_by_kind", "sec.help_by_kind", stats(frames, "grants", ["kind"], month=key)
    )
    ctx["help_by_fund"] = stats_table(
        "help_by_fund", "sec.help_by_fund", stats(frames, "grants", ["fund"], month=key)
    )
    grants = sorted(
        (g for g in records.grants.values() if start <= g.proposed.on <= end),
        key=lambda g: (g.proposed.on, g.id),
    )
    ctx["help_list"] = Table(
        "help_list",
        "sec.help_list",
        [
            Col("col.grant"),
            Col("col.case"),
            Col("col.name"),
            Col("col.kind", "code", "kind."),
            Col("col.fund", "code", "fund."),
            Col("col.amount", "money"),
            Col("col.status", "code", "grant_status."),
            Col("col.proposed_on", "date"),
            Col("col.paid_on", "date"),
        ],
        [
            [
                g.id,
                g.case,
                cases[g.case].worker.name if g.case in cases else "",
                g.kind.value,
                g.fund,
                g.amount,
                g.status.value,
                g.proposed.on,
                g.paid.on if g.paid else None,
            ]
            for g in grants
        ],
    )
    ctx["budget"] = budget_table(status)
    ctx["budget_status"] = status
    gift_rows = []
    for cid in sorted(records.campaigns):
        d = records.campaigns[cid]
        month_gifts = [x for x in d.contributions if start <= x.on <= end]
        if month_gifts:
            use = campaign_use(d, records.grants.values())
            gift_rows.append(
                [
                    f"{d.id} {d.title}",
                    len(month_gifts),
                    sum((x.amount for x in month_gifts), Decimal("0.00")),
                    use.raised,
                    use.spent,
                    use.balance,
                ]
            )
    ctx["donations"] = Table(
        "donations",
        "sec.donations",
        [
            Col("col.campaign"),
            Col("col.donors", "int"),
            Col("col.amount", "money"),
            Col("col.raised", "money"),
            Col("col.paid", "money"),
            Col("col.balance", "money"),
        ],
        gift_rows,
    )
    visit_rows = []
    for vid in sorted(records.visits):
        v = records.visits[vid]
        if start <= v.on <= end:
            visit_rows.append(
                [v.on, vid, v.occasion.value, len(set(v.cases)), "、".join(v.visitors)]
            )
    visit_rows.sort(key=lambda r: (r[0], r[1]))
    ctx["visits"] = Table(
        "visits",
        "sec.visits",
        [
            Col("col.date", "date"),
            Col("col.case"),
            Col("col.occasion", "code", "occasion."),
            Col("col.households", "int"),
            Col("col.visitors"),
        ],
        visit_rows,
    )
    ctx["referrals"] = _referrals_table(cases, start, end)
    # what is due next month
    next_start = end + timedelta(days=1)
    next_end = month_bounds(next_start.year, next_start.month)[1]
    due: list[list[Any]] = []
    for cid in sorted(cases):
        c = cases[cid]
        if c.status == CaseStatus.active:
            when = _review_due(c, cycle)
            if when is not None and next_start <= when <= next_end:
                due.append([when, Label("due.review"), cid, c.worker.name])
        if c.status == CaseStatus.on_notice and c.notice is not None:
            if next_start <= c.notice.until <= next_end:
                due.append([c.notice.until, Label("due.notice_ends"), cid, c.worker.name])
    for vid in sorted(records.visits):
        v = records.visits[vid]
        if v.follow_up is not None and next_start <= v.follow_up <= next_end:
            names = "、".join(cases[x].worker.name for x in sorted(set(v.cases)) if x in cases)
            due.append([v.follow_up, Label("due.follow_up"), vid, names])
    for did in sorted(records.campaigns):
        d = records.campaigns[did]
        if d.closed is not None and next_start <= d.closed <= next_end:
            due.append([d.closed, Label("due.campaign_closes"), did, d.title])
    due.sort(key=lambda r: (r[0], r[2]))
    ctx["due"] = Table(
        "due",
        "sec.due",
        [Col("col.due", "date"), Col("col.what"), Col("col.case"), Col("col.name")],
        due,
    )
    ctx["charts"] = _charts(records, frames, status, year, end, households)
    ctx["help_by_month"] = Table(
        "help_by_month",
        "sec.help_by_month",
        [Col("col.month"), Col("col.amount", "money")],
        [[f"{year:04d}-{int(m):02d}", v] for m, v in _help_by_month(frames, year, key)],
    )
    return ctx


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
    for by in ("tier", "cause", "unit", "employment", "sex", "age_band"):
        result = stats(frames, "cases", [by], year=year)
        tables.append(stats_table(f"by_{by}", f"sec.by_{by}", result))
    tables.append(
        stats_table(
            "help_by_kind", "sec.help_by_kind", stats(frames, "grants", ["kind"], year=year)
        )
    )
    tables.append(
        stats_table(
            "help_by_fund", "sec.help_by_fund", stats(frames, "grants", ["fund"], year=year)
        )
    )
    by_month = stats(frames, "grants", ["month"], year=year)
    found = {r["month"]: r for r in by_month.rows}
    empty = {"households": 0, "grants": 0, "amount": Decimal("0.00")}
    tables.append(
        Table(
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
                for m in _months_of_year(year)
            ],
            [Label("col.total"), *[by_month.total[k] for k in ("households", "grants", "amount")]],
        )
    )

    def file_counts(y: int) -> dict[str, int]:
        s, e = date(y, 1, 1), date(y, 12, 31)
        c = frames.cases
        return {
            "opened": len(between(c, "filed_on", s, e)),
            "approved": len(between(c, "active_since", s, e)),
            "closed": len(between(c[c["status"].astype(str) == "closed"], "closed_on", s, e)),
            "rejected": len(between(c[c["status"].astype(str) == "rejected"], "closed_on", s, e)),
        }

    files = file_counts(year)
    tables.append(
        Table(
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
    )
    closed = between(
        frames.cases[frames.cases["status"].astype(str) == "closed"], "closed_on", start, end
    )
    reasons = closed["close_reason"].astype(str).value_counts()
    tables.append(
        Table(
            "closed_by_reason",
            "sec.closed_by_reason",
            [FIELD_COLS["close_reason"], Col("col.households", "int")],
            [[r, int(reasons[r])] for r in sorted(reasons.index, key=_reason_order)],
            [Label("col.total"), len(closed)],
        )
    )
    tables.append(_comparison(frames, year, file_counts))
    status = budget_status(records, year, today)
    tables.append(budget_table(status))
    tables.append(campaigns_table(status, records))
    visits = between(frames.visits, "on", start, end)
    occ = visits.groupby("occasion", observed=True, sort=True).agg(
        visits=("visit", "nunique"), households=("case", "nunique")
    )
    tables.append(
        Table(
            "visits",
            "sec.visits",
            [FIELD_COLS["occasion"], Col("col.visits", "int"), Col("col.households", "int")],
            [[str(k), int(r["visits"]), int(r["households"])] for k, r in occ.iterrows()],
            [Label("col.total"), int(visits["visit"].nunique()), int(visits["case"].nunique())],
        )
    )
    households = on_file(frames.cases, start, end)
    extra = {
        "charts": _charts(records, frames, status, year, min(today, end), households),
        "budget_status": status,
    }
    return tables, extra


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
    from .model import CloseReason

    codes = [r.value for r in CloseReason]
    return codes.index(code) if code in codes else len(codes)


def _comparison(frames: Frames, year: int, file_counts: Callable[[int], dict[str, int]]) -> Table:
    def figures(y: int) -> list[Any]:
        cases = stats(frames, "cases", [], year=y).total
        grants = stats(frames, "grants", [], year=y).total
        gifts = frames.contributions[frames.contributions["year"] == y]
        visits = frames.visits[frames.visits["year"] == y]
        files = file_counts(y)
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
    ctx = _header(records, "annual", today, stamp)
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


def case_context(
    records: Records, case_id: str, today: date, full: bool, stamp: dict[str, Any]
) -> dict[str, Any]:
    assert records.config is not None
    case = records.cases.get(case_id)
    if case is None:
        raise UsageError(
            f"no case {case_id} in this root",
            "list the files with `hardship stats --of cases --by status`, or check the ID",
        )
    ctx = _header(records, "case", today, stamp)
    ctx["period"] = case_id
    ctx["full"] = full
    w = case.worker
    worker: list[tuple[Label, Any]] = [
        (Label("col.name"), w.name),
        (Label("field.employee_id"), w.employee_id),
        (Label("col.unit"), w.unit),
        (Label("field.sex"), Label(f"sex.{w.sex.value}")),
        (Label("field.birth_date"), w.birth_date),
        (Label("col.age"), _age(w.birth_date, today)),
        (Label("field.employment"), Label(f"employment.{w.employment.value}")),
        (Label("field.health"), Label(f"health.{w.health.value}")),
    ]
    if w.disability:
        worker.append((Label("field.disability"), w.disability))
    if case.housing:
        worker.append((Label("field.housing"), case.housing))
    ctx["file"] = [
        (Label("col.case"), case.id),
        (Label("field.status"), Label(f"case_status.{case.status.value}")),
        (Label("field.level"), Label(f"tier.{case.level.value}")),
        (Label("field.filed"), f"{case.filed.on.isoformat()} {case.filed.by}"),
        (Label("field.review_due"), _review_due(case, records.config.policy.review_cycle_days)),
    ]
    if case.closed is not None:
        ctx["file"].append((Label("field.closed"), case.closed.on))
        ctx["file"].append((Label("col.reason"), Label(f"close_reason.{case.closed.reason.value}")))
    ctx["worker"] = worker
    sensitive: list[tuple[Label, Any]] = []
    if full:
        for key, value in (
            ("field.id_number", w.id_number),
            ("field.phone", w.phone),
            ("field.diagnosis", w.diagnosis),
            ("field.address", w.address),
            ("field.bank", case.bank.name if case.bank else None),
            ("field.account", case.bank.account if case.bank else None),
        ):
            if value:
                sensitive.append((Label(key), value))
    ctx["sensitive"] = sensitive
    ctx["household"] = Table(
        "household",
        "sec.household",
        [
            Col("col.name"),
            Col("col.relation", "code", "relation."),
            Col("col.age", "int"),
            Col("col.health", "code", "health."),
            Col("col.income", "money"),
            Col("col.occupation"),
            *([Col("field.diagnosis")] if full else []),
        ],
        [
            [
                m.name,
                m.relation.value,
                _age(m.birth_date, today),
                m.health.value,
                m.monthly_income,
                m.occupation,
                *([m.diagnosis] if full else []),
            ]
            for m in case.household
        ],
    )
    ctx["referrals"] = Table(
        "referrals",
        "sec.referrals",
        [
            Col("col.date", "date"),
            Col("col.referred_to", "code", "referral_to."),
            Col("col.body"),
            Col("col.status", "code", "referral_status."),
            Col("col.amount", "money"),
            Col("col.income", "money"),
            *([Col("col.purpose"), Col("col.note")] if full else []),
        ],
        [
            [
                r.sent.on,
                r.to.value,
                r.body,
                r.status.value,
                r.amount,
                r.monthly_income,
                *([r.purpose, r.note] if full else []),
            ]
            for r in sorted(case.referrals, key=lambda r: r.sent.on)
        ],
    )
    standard = records.config.standard_on(today)
    by_income = records.config.level_for(case.per_capita_monthly, today)
    ctx["income"] = [
        (Label("fig.household_monthly"), case.income.household_monthly, "money"),
        (Label("fig.referral_income"), case.referral_income_monthly, "money"),
        (Label("fig.rigid"), case.income.rigid_expenses_monthly, "money"),
        (Label("col.household_size"), case.household_size, "int"),
        (Label("fig.per_capita"), case.per_capita_monthly, "money"),
        (Label("fig.standard"), standard.monthly if standard else None, "money"),
        (
            Label("fig.suggested_tier"),
            Label(f"tier.{by_income.value}") if by_income else Label("none"),
            "text",
        ),
    ]
    ctx["causes"] = {
        "primary": case.causes.primary.value,
        "secondary": [c.value for c in case.causes.secondary],
    }
    steps = sorted([*case.checks, *case.approvals], key=lambda s: s.on)
    step_cols = [
        Col("col.date", "date"),
        Col("col.step", "code", "step."),
        Col("col.by"),
        Col("col.role", "code", "role."),
        Col("col.decision", "code", "decision."),
    ]
    if full:
        step_cols.append(Col("col.note"))
    ctx["process"] = Table(
        "process",
        "sec.process",
        step_cols,
        [
            [
                s.on,
                s.step.value,
                s.by,
                s.role.value if s.role else None,
                s.decision.value,
                *([s.note] if full else []),
            ]
            for s in steps
        ],
    )
    notice = None
    if case.notice is not None:
        notice = {
            "from": case.notice.from_,
            "until": case.notice.until,
            "objections": len(case.notice.objections),
            "open": len(open_objections(case)),
            "texts": [o.text for o in case.notice.objections] if full else [],
        }
    ctx["notice"] = notice
    grants = sorted(records.grants_of(case_id), key=lambda g: (g.proposed.on, g.id))
    counting = [g for g in grants if g.status in (GrantStatus.approved, GrantStatus.paid)]
    ctx["grants"] = Table(
        "grants",
        "sec.grants",
        [
            Col("col.grant"),
            Col("col.proposed_on", "date"),
            Col("col.kind", "code", "kind."),
            Col("col.fund", "code", "fund."),
            Col("col.amount", "money"),
            Col("col.status", "code", "grant_status."),
            Col("col.paid_on", "date"),
        ],
        [
            [
                g.id,
                g.proposed.on,
                g.kind.value,
                g.fund,
                g.amount,
                g.status.value,
                g.paid.on if g.paid else None,
            ]
            for g in grants
        ],
        [
            Label("col.total"),
            None,
            None,
            None,
            sum((g.amount for g in counting), Decimal("0.00")),
            Label("fig.counting_total"),
            None,
        ]
        if counting
        else None,
    )
    visits = sorted(
        (v for v in records.visits.values() if case_id in v.cases), key=lambda v: (v.on, v.id)
    )
    visit_cols = [
        Col("col.date", "date"),
        Col("col.occasion", "code", "occasion."),
        Col("col.visitors"),
        Col("col.follow_up", "date"),
    ]
    if full:
        visit_cols.append(Col("col.note"))
    ctx["visits"] = Table(
        "visits",
        "sec.case_visits",
        visit_cols,
        [
            [
                v.on,
                v.occasion.value,
                "、".join(v.visitors),
                v.follow_up,
                *([v.findings] if full else []),
            ]
            for v in visits
        ],
    )
    drives = [
        campaign_use(d, records.grants.values())
        for _, d in sorted(records.campaigns.items())
        if d.beneficiary == case_id
    ]
    ctx["campaigns"] = Table(
        "campaigns",
        "sec.donations",
        [
            Col("col.campaign"),
            Col("col.raised", "money"),
            Col("col.paid", "money"),
            Col("col.balance", "money"),
        ],
        [[f"{u.campaign.id} {u.campaign.title}", u.raised, u.spent, u.balance] for u in drives],
    )
    ctx["notes"] = case.notes if full else None
    return ctx


def _age(birth: date | None, today: date) -> int | None:
    from .frames import age_on

    return age_on(birth, today)


def notice_context(records: Records, today: date, stamp: dict[str, Any]) -> dict[str, Any]:
    """The public notice (公示): households now on notice, names masked, nothing sensitive."""
    assert records.config is not None
    ctx = _header(records, "notice", today, stamp)
    ctx["period"] = today.isoformat()
    rows = []
    for cid in sorted(records.cases):
        c = records.cases[cid]
        if c.status != CaseStatus.on_notice:
            continue
        if c.notice is not None and c.notice.until < today:
            continue  # the period is over: off the board, waiting for approval
        proposed = [
            g
            for g in sorted(records.grants_of(cid), key=lambda g: (g.proposed.on, g.id))
            if g.status in (GrantStatus.proposed, GrantStatus.approved)
        ]
        rows.append(
            {
                "name": mask_name(c.worker.name),
                "unit": c.worker.unit,
                "tier": c.level.value,
                "size": c.household_size,
                "cause": c.causes.primary.value,
                "help": [(g.kind.value, g.amount) for g in proposed],
                "from": c.notice.from_ if c.notice else None,
                "until": c.notice.until if c.notice else None,
            }
        )
    ctx["rows"] = rows
    ctx["contacts"] = sorted(
        {o.name for o in records.config.officers if o.role.value in ("officer", "chair")}
    )
    return ctx


# ---------------------------------------------------------------------------------------
# Rendering


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")


def md_escape(text: str) -> str:
    """Text inside Markdown: backslash before every character that would change the page."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def templates_dir() -> Path:
    return Path(__file__).resolve().parent / "templates"


def environment(root: Path | None, fmt: str, lang: str) -> Any:
    """Jinja2 sandbox: the root's templates/ first, then the shipped ones."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    loaders = []
    if root is not None and (root / "templates").is_dir():
        loaders.append(FileSystemLoader(str(root / "templates")))
    loaders.append(FileSystemLoader(str(templates_dir())))

    def finalize_md(value: Any) -> Any:
        if hasattr(value, "__html__"):
            return value
        return Markup(md_escape("" if value is None else str(value)))

    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize_md if fmt == "md" else None,
    )

    def t(key: str) -> str:
        return label(lang, key)

    def cell(value: Any, col: Col) -> str:
        return cell_text(value, col, lang)

    def show(value: Any, kind: str = "text") -> str:
        return cell_text(value, Col("", kind), lang)

    env.globals.update(t=t, cell=cell, show=show, lang=lang, fmt=fmt)
    env.filters["yuan"] = yuan
    env.filters["code"] = lambda value, prefix: code_label(prefix, str(value), lang)
    return env


def render(root: Path | None, kind: str, fmt: str, lang: str, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    env = environment(root, fmt, lang)
    name = f"{kind}.{fmt}.j2"
    try:
        template = env.get_template(name)
        return str(template.render(**context))
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        place = f"{where}:{line}" if line else where
        raise UsageError(
            f"template {place}: {exc.message or type(exc).__name__}",
            "correct the template (a root's templates/ overrides the shipped ones)",
        ) from None


def tables_csv(tables: Sequence[Table], lang: str) -> str:
    """The tables one after another: a title line, the headings, the rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in tables:
        writer.writerow([label(lang, table.title)])
        writer.writerow([label(lang, c.label) for c in table.cols])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow(
                [cell_text(v, c, lang, plain=True) for v, c in zip(row, table.cols, strict=True)]
            )
        writer.writerow([])
    return out.getvalue()


def tables_xlsx(tables: Sequence[Table], lang: str, today: date, title: str) -> bytes:
    """One sheet per table; numbers are numbers. Same input, same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    stamp = datetime(today.year, today.month, today.day)
    wb.properties.creator = "hardship"
    wb.properties.title = title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    used: set[str] = set()
    for table in tables:
        name = re.sub(r"[\[\]:*?/\\]", " ", label(lang, table.title))[:31] or table.key
        while name in used:
            name = name[:28] + f"({len(used)})"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([label(lang, c.label) for c in table.cols])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            values = []
            for value, col in zip(row, table.cols, strict=True):
                values.append(_xlsx_value(value, col, lang))
            ws.append(values)
            for value, col, c in zip(row, table.cols, ws[ws.max_row], strict=True):
                if col.kind == "money" or (
                    col.kind in ("num", "change") and isinstance(value, Decimal)
                ):
                    c.number_format = "#,##0.00"
                elif col.kind == "pct" and value is not None:
                    c.number_format = "0.0%"
                elif isinstance(value, date):
                    c.number_format = "yyyy-mm-dd"
        for i, col in enumerate(table.cols, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = (
                14 if col.kind != "text" and col.kind != "code" else 22
            )
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue(), (today.year, today.month, today.day, 0, 0, 0))


def _xlsx_value(value: Any, col: Col, lang: str) -> Any:
    if value is None:
        return None
    if isinstance(value, Label):
        return label(lang, value.key)
    if col.kind == "code":
        return code_label(col.prefix, str(value), lang)
    if col.kind == "pct" and isinstance(value, Decimal):
        return value / 100
    if isinstance(value, (int, Decimal, date)):
        return value
    return str(value)


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite a zip with fixed entry times, so the workbook's bytes depend on its content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps `modified` with the clock when it saves: use the report's day.
                day = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z"
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + day.encode() + rb"\g<2>",
                    content,
                )
            dst.writestr(fixed, content)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# One entry point for the command


@dataclass
class Request:
    kind: str
    fmt: str
    lang: str
    today: date
    month: str | None = None  # YYYY-MM (monthly)
    year: int | None = None  # annual
    case_id: str | None = None
    full: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def resolve_month(text: str | None, today: date) -> tuple[int, int]:
    """`previous` (the default), `current`, or YYYY-MM."""
    if text is None or text == "previous":
        first = today.replace(day=1) - timedelta(days=1)
        return first.year, first.month
    if text == "current":
        return today.year, today.month
    return parse_month(text)


def default_lang(records: Records) -> str:
    return lang_of_locale(records.config.locale.value) if records.config else "zh"


def produce(records: Records, request: Request) -> str | bytes:
    """Build the context and render the report: text for md/html/csv, bytes for xlsx."""
    from .frames import build

    kind, fmt, lang, today = request.kind, request.fmt, request.lang, request.today
    if fmt in ("csv", "xlsx") and kind != "annual":
        raise UsageError(
            f"--format {fmt} is for the annual report",
            "use --format md or html for this report",
        )
    stamp = request.extra.get("stamp") or records_stamp(records.root)
    if kind == "monthly":
        year, month = resolve_month(request.month, today)
        ctx = monthly_context(records, build(records, today), year, month, today, stamp)
    elif kind == "annual":
        year = request.year or today.year
        frames = build(records, today)
        duplicates = request.extra.get("duplicates", [])
        if fmt == "csv":
            tables = annual_tables(records, frames, year, today, duplicates)[0]
            return tables_csv(tables, lang)
        if fmt == "xlsx":
            title = f"{label(lang, 'report.annual')} {year}"
            tables = annual_tables(records, frames, year, today, duplicates)[0]
            return tables_xlsx(tables, lang, today, title)
        ctx = annual_context(records, frames, year, today, stamp, duplicates)
    elif kind == "case":
        if not request.case_id:
            raise UsageError("which case?", "hardship report case HS-2026-0001")
        ctx = case_context(records, request.case_id, today, request.full, stamp)
    elif kind == "notice":
        ctx = notice_context(records, today, stamp)
    else:
        raise UsageError(f"no report {kind!r}", f"use one of: {', '.join(KINDS)}")
    return render(records.root, kind, fmt, lang, ctx)


def commit_file(path: Path, subject: str, trailers: dict[str, str]) -> str | None:
    """`git add` and `git commit` one written report; the commit's short hash, or None
    when the file did not change. (gitlog.py had no commit helper when this was written.)"""
    if shutil.which("git") is None:
        raise UsageError("--commit needs git, which is not installed")
    folder = path.resolve().parent

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(
            f"{path} is not inside a git repository",
            "drop --commit, or write into the records' repository",
        )
    identity: list[str] = []
    if not git("config", "user.name").stdout.strip():
        identity += ["-c", "user.name=hardship"]
    if not git("config", "user.email").stdout.strip():
        identity += ["-c", "user.email=hardship@localhost"]
    name = path.resolve().name
    added = git("add", "--", name)
    if added.returncode != 0:
        raise UsageError(f"git add {path} failed: {added.stderr.strip()}")
    if not git("diff", "--cached", "--quiet", "--", name).returncode:
        return None
    message = subject + "\n\n" + "\n".join(f"{k}: {v}" for k, v in trailers.items()) + "\n"
    done = git(*identity, "commit", "-q", "-m", message, "--", name)
    if done.returncode != 0:
        raise UsageError(f"git commit failed: {done.stderr.strip() or done.stdout.strip()}")
    return git("rev-parse", "--short", "HEAD").stdout.strip()
