"""The household file (one case) and the public notice (公示, names masked)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hardship_cli.domain.case import open_objections
from hardship_cli.domain.model import Case, CaseStatus, Config, GrantStatus
from hardship_cli.domain.money import campaign_use
from hardship_cli.domain.sensitive import redacted, sensitive_values
from hardship_cli.load.files import no_such_case
from hardship_cli.load.records import Records
from hardship_cli.report.common import report_header, review_due
from hardship_cli.report.labels import ORDER
from hardship_cli.report.periods import age_on
from hardship_cli.report.tables import Col, Label, Table

Facts = list[tuple[Label, Any]]


def case_context(
    records: Records, case_id: str, today: date, full: bool, stamp: dict[str, Any]
) -> dict[str, Any]:
    """The household file of one case; sensitive fields only with `full`."""
    assert records.config is not None
    case = records.cases.get(case_id)
    if case is None:
        raise no_such_case(case_id)
    if not full:
        case = redacted(case)  # nothing the model declares sensitive (domain/sensitive.py)
    ctx = report_header(records, "case", today, stamp)
    ctx["period"] = case_id
    ctx["full"] = full
    ctx["file"] = _file_facts(case, records.config.policy.review_cycle_days)
    ctx["worker"] = _worker_facts(case, today)
    ctx["sensitive"] = _sensitive_facts(case) if full else []
    ctx["household"] = _household_table(case, today, full)
    ctx["referrals"] = _referrals_table(case, full)
    ctx["income"] = _income_figures(case, records.config, today)
    ctx["causes"] = {
        "primary": case.causes.primary.value,
        "secondary": [c.value for c in case.causes.secondary],
    }
    ctx["process"] = _process_table(case, full)
    ctx["notice"] = _notice_summary(case, full)
    ctx["grants"] = _grants_table(records, case_id)
    ctx["visits"] = _visits_table(records, case_id, full)
    ctx["campaigns"] = _campaigns_table(records, case_id)
    ctx["notes"] = case.notes if full else None
    return ctx


def _file_facts(case: Case, cycle_days: int) -> Facts:
    """The file itself: its ID, status, tier, filing, next review and closing."""
    facts: Facts = [
        (Label("col.case"), case.id),
        (Label("field.status"), Label(f"case_status.{case.status.value}")),
        (Label("field.level"), Label(f"tier.{case.level.value}")),
        (Label("field.filed"), f"{case.filed.on.isoformat()} {case.filed.by}"),
        (Label("field.review_due"), review_due(case, cycle_days)),
    ]
    if case.closed is not None:
        facts.append((Label("field.closed"), case.closed.on))
        facts.append((Label("col.reason"), Label(f"close_reason.{case.closed.reason.value}")))
    return facts


def _worker_facts(case: Case, today: date) -> Facts:
    """The worker and the home, nothing sensitive."""
    w = case.worker
    facts: Facts = [
        (Label("col.name"), w.name),
        (Label("field.employee_id"), w.employee_id),
        (Label("col.unit"), w.unit),
        (Label("field.sex"), Label(f"sex.{w.sex.value}")),
        (Label("field.birth_date"), w.birth_date),
        (Label("col.age"), age_on(w.birth_date, today)),
        (Label("field.employment"), Label(f"employment.{w.employment.value}")),
        (Label("field.health"), Label(f"health.{w.health.value}")),
    ]
    if w.disability:
        facts.append((Label("field.disability"), w.disability))
    if case.housing:
        facts.append((Label("field.housing"), case.housing))
    return facts


def _sensitive_facts(case: Case) -> Facts:
    """The sensitive fields of the worker and the bank (the `full` file only): what the
    model declares sensitive of them (domain/sensitive.py), labelled field.<key> (a part's
    name by the part: field.bank), in the labels' order."""
    facts: Facts = []
    for path, value in sensitive_values(case, "worker", "bank"):
        key = path[0] if path[-1] == "name" else path[-1]
        if value:
            facts.append((Label(f"field.{key}"), value))
    order = list(ORDER)
    facts.sort(key=lambda p: order.index(p[0].key) if p[0].key in order else len(order))
    return facts


def _household_table(case: Case, today: date, full: bool) -> Table:
    return Table(
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
                age_on(m.birth_date, today),
                m.health.value,
                m.monthly_income,
                m.occupation,
                *([m.diagnosis] if full else []),
            ]
            for m in case.household
        ],
    )


def _referrals_table(case: Case, full: bool) -> Table:
    return Table(
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


def _income_figures(case: Case, config: Config, today: date) -> list[tuple[Label, Any, str]]:
    """The household's income against the local standard, and the tier it suggests."""
    standard = config.standard_on(today)
    by_income = config.level_for(case.per_capita_monthly, today)
    return [
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


def _process_table(case: Case, full: bool) -> Table:
    """The checks and approvals of the file, by date."""
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
    return Table(
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


def _notice_summary(case: Case, full: bool) -> dict[str, Any] | None:
    """The notice period and its objections (their texts only with `full`)."""
    if case.notice is None:
        return None
    return {
        "from": case.notice.from_,
        "until": case.notice.until,
        "objections": len(case.notice.objections),
        "open": len(open_objections(case)),
        "texts": [o.text for o in case.notice.objections] if full else [],
    }


def _grants_table(records: Records, case_id: str) -> Table:
    """Every grant of the household; the total counts those approved or paid."""
    grants = sorted(records.grants_of(case_id), key=lambda g: (g.proposed.on, g.id))
    counting = [g for g in grants if g.status in (GrantStatus.approved, GrantStatus.paid)]
    return Table(
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


def _visits_table(records: Records, case_id: str, full: bool) -> Table:
    """The visits to the household (their findings only with `full`)."""
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
    return Table(
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


def _campaigns_table(records: Records, case_id: str) -> Table:
    """The donation drives for the household."""
    drives = [
        campaign_use(d, records.grants.values())
        for _cid, d in sorted(records.campaigns.items())
        if d.beneficiary == case_id
    ]
    return Table(
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


# ---------------------------------------------------------------------------------------
# The public notice


def mask_name(name: str) -> str:
    """张三丰 -> 张*丰, 李四 -> 李*: the public notice never shows a whole name."""
    name = name.strip()
    if len(name) <= 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" + name[-1]


def notice_context(records: Records, today: date, stamp: dict[str, Any]) -> dict[str, Any]:
    """The public notice (公示): households now on notice, names masked, nothing sensitive."""
    assert records.config is not None
    ctx = report_header(records, "notice", today, stamp)
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
        c = redacted(c)  # nothing the model declares sensitive (domain/sensitive.py)
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
