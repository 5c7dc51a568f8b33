"""The monthly report: the month's files, help, budget, donations, visits, referrals.

Made from the cases' and grants' facts (CaseFacts, GrantFacts: what the parse cache keeps),
never from rebuilt records: a city's 10,000 cases are not unpickled for it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hardship_cli.domain.case import CaseFacts
from hardship_cli.domain.model import FIXED_FUNDS, CaseStatus, GrantStatus, Level
from hardship_cli.domain.money import campaign_use
from hardship_cli.load.records import Records
from hardship_cli.report.budgeting import BudgetStatus, budget_status
from hardship_cli.report.common import help_by_month, report_charts, report_header, review_due
from hardship_cli.report.frames import Frames, between, on_file, to_yuan
from hardship_cli.report.periods import Month, month_bounds
from hardship_cli.report.stats import stats
from hardship_cli.report.tables import Col, Label, Table, budget_table, stats_table


def monthly_context(
    records: Records, frames: Frames, year: int, month: int, today: date, stamp: dict[str, Any]
) -> dict[str, Any]:
    """The monthly report's context: the month's figures, alerts and tables, what is due
    next month, and the year's charts up to the month's end."""
    assert records.config is not None
    period = Month.of(year, month)
    cycle = records.config.policy.review_cycle_days
    cases = records.case_facts()
    ctx = report_header(records, "monthly", today, stamp)
    ctx["period"] = period.key
    status = budget_status(records, year, today, upto=period.end)
    households = on_file(frames.cases, period.end, period.end)
    filed = sorted(c for c, f in cases.items() if period.start <= f.filed_on <= period.end)
    ctx["figures"] = _month_figures(cases, frames, period, status, households, filed)
    ctx["alerts"] = _alerts(cases, filed, status, cycle, period.end)
    ctx["new_files"] = _new_files_table(cases, filed)
    ctx["changes"] = _status_changes_table(cases, period)
    ctx["help_by_kind"] = stats_table(
        "help_by_kind", "sec.help_by_kind", stats(frames, "grants", ["kind"], month=period.key)
    )
    ctx["help_by_fund"] = stats_table(
        "help_by_fund", "sec.help_by_fund", stats(frames, "grants", ["fund"], month=period.key)
    )
    ctx["help_list"] = _help_list_table(records, cases, period)
    ctx["budget"] = budget_table(status)
    ctx["budget_status"] = status
    ctx["donations"] = _donations_table(records, period)
    ctx["visits"] = _visits_table(records, period)
    ctx["referrals"] = _referrals_table(cases, period)
    ctx["due"] = _due_next_month_table(records, cases, cycle, period.end)
    ctx["advice"] = _advice_table(records, period.end)
    ctx["charts"] = report_charts(records, frames, status, year, period.end, households)
    ctx["help_by_month"] = Table(
        "help_by_month",
        "sec.help_by_month",
        [Col("col.month"), Col("col.amount", "money")],
        [[f"{year:04d}-{int(m):02d}", v] for m, v in help_by_month(frames, year, period.key)],
    )
    return ctx


def _month_figures(
    cases: dict[str, CaseFacts],
    frames: Frames,
    period: Month,
    status: BudgetStatus,
    households: Any,
    filed: list[str],
) -> list[tuple[Label, Any, str]]:
    """The month at a glance: files, help, money paid and given, visits, the budget."""
    start, end = period.start, period.end
    help_month = stats(frames, "grants", [], month=period.key)
    paid = between(frames.grants, "paid_on", start, end)
    paid = paid[paid["status"].astype(str) == GrantStatus.paid.value]
    gifts = between(frames.contributions, "on", start, end)
    visits_in = between(frames.visits, "on", start, end)
    closed = [
        c
        for c, case in cases.items()
        if case.closed_on is not None and start <= case.closed_on <= end
    ]
    return [
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


def _alerts(
    cases: dict[str, CaseFacts], filed: list[str], status: BudgetStatus, cycle: int, end: date
) -> list[dict[str, Any]]:
    """What needs attention: 特困职工及时报告, money, reviews, objections."""
    alerts: list[dict[str, Any]] = []
    for cid in filed:
        c = cases[cid]
        if c.level == Level.deep and c.status != CaseStatus.rejected:
            alerts.append(
                {"key": "alert.new_deep", "what": f"{cid} {c.name}", "on": c.filed_on}
            )
    for line in status.overdrawn:
        alerts.append(
            {"key": "alert.overdrawn", "what": Label(f"kind.{line.use.kind.value}"), "on": None}
        )
    for fund in status.overspent:
        alerts.append(
            {
                "key": "alert.fund_overspent",
                "what": Label(f"fund.{fund.fund}") if fund.fund in FIXED_FUNDS else fund.fund,
                "on": None,
            }
        )
    for line in status.running_out:
        alerts.append(
            {
                "key": "alert.runs_out",
                "what": Label(f"kind.{line.use.kind.value}"),
                "on": line.runs_out_on,
            }
        )
    for cid in sorted(cases):
        c = cases[cid]
        if c.status == CaseStatus.active:
            review = review_due(c, cycle)
            if review is not None and review <= end:
                alerts.append(
                    {"key": "alert.review_overdue", "what": f"{cid} {c.name}", "on": review}
                )
        if c.status == CaseStatus.on_notice and c.objections_open:
            alerts.append({"key": "alert.objection", "what": f"{cid} {c.name}", "on": None})
    return alerts


def _new_files_table(cases: dict[str, CaseFacts], filed: list[str]) -> Table:
    return Table(
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
                cases[cid].name,
                cases[cid].unit,
                cases[cid].level.value,
                cases[cid].cause.value,
                cases[cid].filed_on,
                cases[cid].status.value,
            ]
            for cid in filed
        ],
    )


def _status_changes_table(cases: dict[str, CaseFacts], period: Month) -> Table:
    """What happened to the files in the month (domain/case.status_history): each change
    of status, and each review of a file already in the archive (动态管理)."""
    start, end = period.start, period.end
    changes = []
    for cid in sorted(cases):
        for day, new in cases[cid].history:
            if start <= day <= end:
                changes.append([day, cid, cases[cid].name, Label(new)])
    changes.sort(key=lambda r: (r[0], r[1]))
    return Table(
        "changes",
        "sec.status_changes",
        [Col("col.date", "date"), Col("col.case"), Col("col.name"), Col("col.to")],
        changes,
    )


def _help_list_table(records: Records, cases: dict[str, CaseFacts], period: Month) -> Table:
    """Every grant proposed in the month, whatever became of it."""
    grants = sorted(
        (g for g in records.grant_facts().values() if period.start <= g.proposed_on <= period.end),
        key=lambda g: (g.proposed_on, g.id),
    )
    return Table(
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
                cases[g.case].name if g.case in cases else "",
                g.kind.value,
                g.fund,
                g.amount,
                g.status.value,
                g.proposed_on,
                g.paid_on,
            ]
            for g in grants
        ],
    )


def _donations_table(records: Records, period: Month) -> Table:
    """The drives that received gifts in the month, and where each stands."""
    gift_rows = []
    for cid in sorted(records.campaigns):
        d = records.campaigns[cid]
        month_gifts = [x for x in d.contributions if period.start <= x.on <= period.end]
        if month_gifts:
            use = campaign_use(d, records.grant_facts().values())
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
    return Table(
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


def _visits_table(records: Records, period: Month) -> Table:
    visit_rows = []
    for vid in sorted(records.visits):
        v = records.visits[vid]
        if period.start <= v.on <= period.end:
            visit_rows.append(
                [v.on, vid, v.occasion.value, len(set(v.cases)), "、".join(v.visitors)]
            )
    visit_rows.sort(key=lambda r: (r[0], r[1]))
    return Table(
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


def _referrals_table(cases: dict[str, CaseFacts], period: Month) -> Table:
    """Referrals still open at the month's end, and those answered during it, with what
    came back. Purposes are left out: they can tell an illness."""
    start, end = period.start, period.end
    rows = []
    for cid in sorted(cases):
        case = cases[cid]
        for number, r in enumerate(case.referrals, start=1):
            if r.sent_on > end:
                continue
            answered_on = r.answered_on
            still_open = r.status.value in ("sent", "answered") or (
                answered_on is not None and answered_on > end
            )
            came_back = answered_on is not None and start <= answered_on <= end
            if not (still_open or came_back):
                continue
            rows.append(
                [
                    r.sent_on,
                    f"{cid} #{number}",
                    case.name,
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


def _advice_table(records: Records, end: date) -> Table:
    """The active households that qualify, at the month's end, for a program of
    hardship.yaml they have not received (`hardship advise --all`): deep hardship first,
    then the longest wait. Empty (and not shown) when the root writes no programs."""
    from hardship_cli.rules.advice import advise_all

    config = records.config
    assert config is not None
    rows: list[list[Any]] = []
    if config.programs:
        found = advise_all(
            config, records.case_facts().values(), records.grant_facts().values(), end
        )
        for advice in found:
            case = advice.case
            names = "、".join(v.program.name for v in advice.qualifying)
            rows.append([case.id, case.name, case.level.value, names, advice.waiting_since])
    return Table(
        "advice",
        "sec.advice",
        [
            Col("col.case"),
            Col("col.name"),
            Col("col.tier", "code", "tier."),
            Col("col.programs"),
            Col("col.waiting_since", "date"),
        ],
        rows,
    )


def _due_next_month_table(
    records: Records, cases: dict[str, CaseFacts], cycle: int, end: date
) -> Table:
    """What is due in the month after `end`: reviews, notices ending, follow-up visits,
    drives closing."""
    next_start = end + timedelta(days=1)
    next_end = month_bounds(next_start.year, next_start.month)[1]
    due: list[list[Any]] = []
    for cid in sorted(cases):
        c = cases[cid]
        if c.status == CaseStatus.active:
            when = review_due(c, cycle)
            if when is not None and next_start <= when <= next_end:
                due.append([when, Label("due.review"), cid, c.name])
        if c.status == CaseStatus.on_notice and c.notice_until is not None:
            if next_start <= c.notice_until <= next_end:
                due.append([c.notice_until, Label("due.notice_ends"), cid, c.name])
    for vid in sorted(records.visits):
        v = records.visits[vid]
        if v.follow_up is not None and next_start <= v.follow_up <= next_end:
            names = "、".join(cases[x].name for x in sorted(set(v.cases)) if x in cases)
            due.append([v.follow_up, Label("due.follow_up"), vid, names])
    for did in sorted(records.campaigns):
        d = records.campaigns[did]
        if d.closed is not None and next_start <= d.closed <= next_end:
            due.append([d.closed, Label("due.campaign_closes"), did, d.title])
    due.sort(key=lambda r: (r[0], r[2]))
    return Table(
        "due",
        "sec.due",
        [Col("col.due", "date"), Col("col.what"), Col("col.case"), Col("col.name")],
        due,
    )
