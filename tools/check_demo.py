#!/usr/bin/env python3
"""Check the demo records root against the model and the business rules, independently.

Loads every file the way the real loader does (all scalars as strings, duplicate keys
refused), validates it with the model classes, then asserts the rules in plain Python:
references, one household one file, case status, grant approvals and payments, help only
to filed households, earmarks, budgets and caps, tiers (with the recurring help received
through referrals), referrals, members' diagnoses kept out of the free text, and the shape
of the demo (counts of statuses, kinds, causes, referrals). Prints every violation; exit 1 if any.

    .venv/bin/python tools/check_demo.py [--root records] [--today 2026-11-29]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hardship_cli.domain.model import (  # noqa: E402
    OPEN_CASE_STATUSES,
    Budget,
    Campaign,
    Case,
    CaseStatus,
    Cause,
    Config,
    Decision,
    Employment,
    Grant,
    GrantKind,
    GrantStatus,
    Health,
    Level,
    ReferralStatus,
    ReferralTo,
    Relation,
    Role,
    Sex,
    StepName,
    Visit,
)

ZERO = Decimal("0")
problems: list[str] = []


def bad(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


# ---------------------------------------------------------------------------------------
# Loading


class StrictLoader(yaml.BaseLoader):
    """BaseLoader (every scalar a string) that refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def field_order_ok(where: str, data: Any, model: Any) -> None:
    """Keys appear in the model's field order (by alias), at every level of the record."""
    if not isinstance(data, dict):
        return
    order = [f.alias or name for name, f in model.model_fields.items()]
    keys = list(data)
    positions = [order.index(k) for k in keys if k in order]
    if positions != sorted(positions):
        bad(where, f"keys not in model order: {keys} (model: {order})")
    for name, f in model.model_fields.items():
        key = f.alias or name
        sub = _inner_model(f.annotation)
        if sub is None or key not in data:
            continue
        value = data[key]
        for item in value if isinstance(value, list) else [value]:
            field_order_ok(f"{where} {key}", item, sub)


def _inner_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def load(path: Path, model: Any, root: Path) -> Any:
    rel = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        bad(rel, f"YAML: {exc}")
        return None
    if model is not Config:
        field_order_ok(rel, data, model)
    try:
        return model.model_validate(data)
    except Exception as exc:  # pydantic.ValidationError
        bad(rel, f"model: {exc}")
        return None


# ---------------------------------------------------------------------------------------
# Helpers on the calendar and the config


class Calendar:
    def __init__(self, config: Config) -> None:
        self.holidays = set(config.holidays)
        self.workdays = set(config.workdays)

    def is_workday(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)

    def count(self, start: date, end: date) -> int:
        """Working days from start to end, both included."""
        n, day = 0, start
        while day <= end:
            n += self.is_workday(day)
            day += timedelta(days=1)
        return n


def active_since(case: Case) -> date | None:
    days = [s.on for s in case.approvals if s.step == StepName.approve and s.decision == Decision.approved]
    return max(days) if days else None


def was_active_on(case: Case, day: date) -> bool:
    since = active_since(case)
    if since is None or day < since or case.status not in (CaseStatus.active, CaseStatus.closed):
        return False
    return case.closed is None or day <= case.closed.on


def counts(grant: Grant) -> bool:
    return grant.status in (GrantStatus.approved, GrantStatus.paid)


# ---------------------------------------------------------------------------------------
# The rules


def check(root: Path, today: date) -> None:
    config = load(root / "hardship.yaml", Config, root)
    if config is None:
        return
    officers = {o.name: o.role for o in config.officers}
    cal = Calendar(config)

    cases: dict[str, Case] = {}
    for path in sorted((root / "cases").glob("*.yaml")):
        c = load(path, Case, root)
        if c:
            if c.id != path.stem:
                bad(f"cases/{path.name}", f"id {c.id} does not match the file name")
            if c.id[3:7] != str(c.filed.on.year):
                bad(c.id, f"ID year differs from the filing year {c.filed.on.year}")
            cases[c.id] = c
    grants: dict[str, Grant] = {}
    for path in sorted((root / "grants").glob("*/*.yaml")):
        g = load(path, Grant, root)
        if g:
            if g.id != path.stem or path.parent.name != g.id[3:7]:
                bad(str(path.relative_to(root)), f"file place does not match id {g.id}")
            if g.id[3:7] != str(g.proposed.on.year):
                bad(g.id, "ID year differs from the year it was proposed")
            grants[g.id] = g
    campaigns: dict[str, Campaign] = {}
    for path in sorted((root / "campaigns").glob("*.yaml")):
        c = load(path, Campaign, root)
        if c:
            if c.id != path.stem:
                bad(f"campaigns/{path.name}", f"id {c.id} does not match the file name")
            campaigns[c.id] = c
    visits: dict[str, Visit] = {}
    for path in sorted((root / "visits").glob("*/*.yaml")):
        v = load(path, Visit, root)
        if v:
            if v.id != path.stem or path.parent.name != v.id[3:7] or v.id[3:7] != str(v.on.year):
                bad(str(path.relative_to(root)), f"file place does not match id {v.id} / date")
            visits[v.id] = v
    budgets: dict[int, Budget] = {}
    for path in sorted((root / "budgets").glob("*.yaml")):
        b = load(path, Budget, root)
        if b:
            if str(b.year) != path.stem:
                bad(f"budgets/{path.name}", f"year {b.year} does not match the file name")
            budgets[b.year] = b

    # raw text checks: money with two decimals, employee_id quoted, no null/aliases
    for path in sorted(root.rglob("*.yaml")):
        rel = str(path.relative_to(root))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*employee_id:", line) and not re.match(r'\s*employee_id: "\d+"$', line):
                bad(f"{rel}:{n}", "employee_id is not a quoted string")
            m = re.match(r"\s*(-\s+)?(amount|monthly_income|household_monthly|rigid_expenses_monthly|"
                         r"target|total|reserve|per_grant|per_case_year|monthly|up_to): (.*)$", line)
            if m and not re.fullmatch(r"\d+\.\d\d", m.group(3)):
                bad(f"{rel}:{n}", f"money not written as 0.00: {m.group(3)}")
            if re.search(r"[&*]\w+\s*$", line) and "：" not in line:
                bad(f"{rel}:{n}", "looks like a YAML anchor or alias")

    # ---- 1. references and signatures -------------------------------------------------
    for g in grants.values():
        if g.case not in cases:
            bad(g.id, f"case {g.case} does not exist")
    for c in campaigns.values():
        if c.beneficiary and c.beneficiary not in cases:
            bad(c.id, f"beneficiary {c.beneficiary} does not exist")
    for v in visits.values():
        for cid in v.cases:
            if cid not in cases:
                bad(v.id, f"case {cid} does not exist")
        for who in v.visitors:
            if who not in officers:
                bad(v.id, f"visitor {who} is not an officer")

    def signed(where: str, who: str, role: Role | None = None) -> None:
        if who not in officers:
            bad(where, f"{who} is not an officer")
        elif role is not None and officers[who] != role:
            bad(where, f"{who} signed as {role.value} but is {officers[who].value}")

    for c in cases.values():
        signed(f"{c.id} filed", c.filed.by)
        for s in c.checks + c.approvals:
            signed(f"{c.id} {s.step.value}", s.by, s.role)
        if c.notice:
            for o in c.notice.objections:
                signed(f"{c.id} objection", o.by)
                if o.resolved:
                    signed(f"{c.id} objection resolved", o.resolved.by)
        if c.closed and c.closed.by:
            signed(f"{c.id} closed", c.closed.by)
        for r in c.referrals:
            signed(f"{c.id} referral sent", r.sent.by)
    for g in grants.values():
        signed(f"{g.id} proposed", g.proposed.by)
        for s in g.approvals:
            signed(f"{g.id} approval", s.by, s.role)
        if g.paid:
            signed(f"{g.id} paid", g.paid.by, Role.finance)
        if g.ended:
            signed(f"{g.id} ended", g.ended.by)

    # ---- 2. one household, one file ----------------------------------------------------
    for attr in ("employee_id", "id_number"):
        seen: dict[str, str] = {}
        for c in sorted(cases.values(), key=lambda c: c.id):
            if c.status not in OPEN_CASE_STATUSES:
                continue
            value = getattr(c.worker, attr)
            if value in seen:
                bad(c.id, f"open together with {seen[value]} for the same {attr}")
            seen.setdefault(value, c.id)

    # ---- 3. case status ----------------------------------------------------------------
    for c in cases.values():
        st = c.status
        check_steps = {s.step for s in c.checks}
        if st == CaseStatus.applied and (c.checks or c.approvals or c.notice):
            bad(c.id, "applied but has checks, approvals or a notice")
        if st != CaseStatus.applied and not (check_steps & {StepName.check, StepName.home_visit}):
            bad(c.id, f"{st.value} without a check or home visit")
        if st == CaseStatus.checked and (c.notice or c.approvals):
            bad(c.id, "checked but already on notice or approved")
        if st == CaseStatus.on_notice:
            if c.notice is None:
                bad(c.id, "on_notice without a notice")
            if any(s.step == StepName.approve for s in c.approvals):
                bad(c.id, "on_notice but already approved")
        if st in (CaseStatus.active, CaseStatus.closed):
            since = active_since(c)
            if since is None:
                bad(c.id, f"{st.value} without an approving step")
            approvers = {officers.get(s.by) for s in c.approvals if s.step == StepName.approve}
            if not approvers & {Role.chair, Role.leader}:
                bad(c.id, "approved by neither the chair nor the leader")
            if c.notice is None:
                bad(c.id, "approved without a public notice")
            elif since and not c.notice.until < since:
                bad(c.id, f"approved {since} before the notice ended {c.notice.until}")
            if c.notice and any(o.resolved is None for o in c.notice.objections):
                bad(c.id, "approved with an open objection")
        if c.notice:
            days = cal.count(c.notice.from_, c.notice.until)
            if days < config.policy.notice_days:
                bad(c.id, f"notice of {days} working days, fewer than {config.policy.notice_days}")
            for o in c.notice.objections:
                if o.resolved and o.resolved.on < o.on:
                    bad(c.id, "objection resolved before it was raised")
        if st == CaseStatus.active:
            if c.review_due is None or c.review_due <= today:
                bad(c.id, f"review_due {c.review_due} is not after {today}")
            last = max([s.on for s in c.checks + c.approvals])
            if c.review_due and c.review_due > last + timedelta(days=config.policy.review_cycle_days):
                bad(c.id, f"review_due {c.review_due} more than a cycle after the last review {last}")
        if st == CaseStatus.rejected:
            refusal = [s for s in c.approvals if s.decision == Decision.rejected]
            if not refusal or not all(s.note for s in refusal):
                bad(c.id, "rejected without a step with decision rejected and a note")
        if st == CaseStatus.closed:
            if c.closed is None:
                bad(c.id, "closed without `closed`")
            elif active_since(c) and c.closed.on < active_since(c):
                bad(c.id, "closed before it was approved")
        elif c.closed is not None:
            bad(c.id, f"{st.value} with a `closed` record")
        for s in c.approvals:
            if s.by == c.filed.by:
                bad(c.id, f"{s.by} approves a case they filed")
        steps = [c.filed.on] + [s.on for s in c.checks if s.step != StepName.review]
        if steps != sorted(steps):
            bad(c.id, "intake steps out of date order")
        for s in c.checks + c.approvals:
            if s.on > today:
                bad(c.id, f"step {s.step.value} dated in the future ({s.on})")
        if c.status in (CaseStatus.active, CaseStatus.closed) and c.bank is None:
            bad(c.id, "an approved file without a bank account")

    # ---- 4. work in flight -------------------------------------------------------------
    by_status = Counter(c.status.value for c in cases.values())
    want = {"applied": (2, 3), "checked": (2, 2), "on_notice": (3, 3), "rejected": (2, 2), "closed": (4, 5)}
    for st, (lo, hi) in want.items():
        if not lo <= by_status[st] <= hi:
            bad("cases", f"{by_status[st]} {st}, want {lo}-{hi}")
    notices = [c for c in cases.values() if c.status == CaseStatus.on_notice and c.notice]
    future = [c for c in notices if c.notice.until > today]
    if len(future) != 2:
        bad("cases", f"{len(future)} notices run past today, want 2")
    if not any(o.resolved is None for c in future for o in c.notice.objections):
        bad("cases", "no open objection on a running notice")

    # ---- 5. grants: statuses, approvals, payment ---------------------------------------
    for g in grants.values():
        required = config.roles_required(g.amount)
        approved = [s for s in g.approvals if s.decision == Decision.approved and s.step == StepName.approve]
        roles = {s.role or officers.get(s.by) for s in approved if s.by != g.proposed.by}
        for s in g.approvals:
            if s.by == g.proposed.by:
                bad(g.id, f"{s.by} approves a grant they proposed")
            if s.on < g.proposed.on:
                bad(g.id, "approved before it was proposed")
        if g.status in (GrantStatus.approved, GrantStatus.paid):
            missing = [r.value for r in required if r not in roles]
            if missing:
                bad(g.id, f"{g.status.value} ({g.amount}) without {missing}")
        if g.status == GrantStatus.proposed and all(r in roles for r in required):
            bad(g.id, "proposed but already carries every approval required")
        if (g.status == GrantStatus.paid) != (g.paid is not None):
            bad(g.id, f"status {g.status.value} but paid is {g.paid}")
        if g.paid:
            if approved and g.paid.on < max(s.on for s in approved):
                bad(g.id, "paid before its last approval")
            if g.paid.on > today:
                bad(g.id, "paid in the future")
            if not re.fullmatch(r"记-\d{4}-\d{4}", g.paid.voucher):
                bad(g.id, f"voucher {g.paid.voucher} is not like 记-2026-0312")
        ended = g.status in (GrantStatus.rejected, GrantStatus.cancelled)
        if ended != (g.ended is not None):
            bad(g.id, f"status {g.status.value} but ended is {g.ended}")
        if g.status == GrantStatus.rejected and not any(s.decision == Decision.rejected for s in g.approvals):
            bad(g.id, "rejected without a refusing step")
        if g.proposed.on > today:
            bad(g.id, "proposed in the future")
    vouchers = Counter(g.paid.voucher for g in grants.values() if g.paid)
    for v, n in vouchers.items():
        if n > 1:
            bad("grants", f"voucher {v} used {n} times")
    kinds = {g.kind for g in grants.values()}
    for k in ("living", "medical", "schooling", "holiday", "emergency", "employment", "legal"):
        if GrantKind(k) not in kinds:
            bad("grants", f"no grant of kind {k}")
    g_status = Counter(g.status.value for g in grants.values())
    for st, lo in (("approved", 5), ("proposed", 4), ("rejected", 2), ("cancelled", 2)):
        if g_status[st] < lo:
            bad("grants", f"only {g_status[st]} {st}, want at least {lo}")

    # ---- 6. help only to filed households -----------------------------------------------
    for g in grants.values():
        if g.status in (GrantStatus.rejected, GrantStatus.cancelled) or g.case not in cases:
            continue
        c = cases[g.case]
        if g.kind == GrantKind.emergency:
            if c.status == CaseStatus.rejected:
                bad(g.id, "emergency help to a rejected case")
            continue
        if not was_active_on(c, g.proposed.on):
            bad(g.id, f"{g.kind.value} proposed {g.proposed.on} while {c.id} was not active")

    # ---- 7. earmarks ---------------------------------------------------------------------
    used: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for g in grants.values():
        if not g.campaign or g.status in (GrantStatus.rejected, GrantStatus.cancelled):
            continue
        c = campaigns.get(g.campaign)
        if c is None:
            bad(g.id, f"campaign {g.campaign} does not exist")
            continue
        if c.beneficiary and g.case != c.beneficiary:
            bad(g.id, f"money raised for {c.beneficiary} goes to {g.case}")
        used[c.id] += g.amount
        if c.closed and g.proposed.on < c.opened:
            bad(g.id, "paid from a drive before it opened")
    for c in campaigns.values():
        if used[c.id] > c.raised:
            bad(c.id, f"grants {used[c.id]} exceed what it raised {c.raised}")
        for x in c.contributions:
            if x.on < c.opened or (c.closed and x.on > c.closed):
                bad(c.id, f"contribution of {x.donor} on {x.on} outside the drive")

    # ---- 8. budgets and caps --------------------------------------------------------------
    spent: dict[tuple[int, GrantKind], Decimal] = defaultdict(lambda: ZERO)
    per_case: dict[tuple[str, GrantKind, int], Decimal] = defaultdict(lambda: ZERO)
    for g in grants.values():
        if not counts(g):
            continue
        if g.campaign is None:
            spent[(g.year, g.kind)] += g.amount
        per_case[(g.case, g.kind, g.year)] += g.amount
        cap = config.caps.get(g.kind)
        if cap and cap.per_grant is not None and g.amount > cap.per_grant:
            bad(g.id, f"{g.amount} over the per-grant cap {cap.per_grant}")
    by_fund: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for g in grants.values():
        if counts(g) and g.campaign is None:
            by_fund[(g.year, g.fund)] += g.amount
    for (year, fund), total in sorted(by_fund.items()):
        b = budgets.get(year)
        planned = b.sources.get(fund) if b else None
        if planned is not None and total > planned:
            bad(f"budgets/{year}", f"source {fund}: {total} approved or paid, planned {planned}")
    for (year, kind), total in sorted(spent.items()):
        b = budgets.get(year)
        line = b.lines.get(kind, ZERO) if b else ZERO
        if total > line:
            bad(f"budgets/{year}", f"{kind.value}: {total} approved or paid, line {line}")
    for (case_id, kind, year), total in sorted(per_case.items()):
        cap = config.caps.get(kind)
        if cap and cap.per_case_year is not None and total > cap.per_case_year:
            bad(case_id, f"{kind.value} {year}: {total} over the cap {cap.per_case_year}")
    for b in budgets.values():
        if sum(b.lines.values(), ZERO) + b.reserve > b.total:
            bad(f"budgets/{b.year}", "lines and reserve exceed the total")
        if b.sources and sum(b.sources.values(), ZERO) != b.total:
            bad(f"budgets/{b.year}", "sources do not add up to the total")
    for year in sorted({g.year for g in grants.values()}):
        if year not in budgets:
            bad("budgets", f"no budget for {year}")

    # ---- 9. tiers and coverage -------------------------------------------------------------
    for c in cases.values():
        if c.level == Level.accident:
            continue
        expected = config.level_for(c.per_capita_monthly, c.filed.on)
        if expected != c.level:
            bad(c.id, f"level {c.level.value}, but per-capita {c.per_capita_monthly} makes it {expected}")
    levels = {c.level for c in cases.values()}
    causes = {c.causes.primary for c in cases.values()} | {x for c in cases.values() for x in c.causes.secondary}
    for what, have, every in (
        ("level", levels, Level),
        ("cause", causes, Cause),
        ("sex", {c.worker.sex for c in cases.values()}, Sex),
        ("employment", {c.worker.employment for c in cases.values()}, Employment),
        ("relation", {m.relation for c in cases.values() for m in c.household}, Relation),
    ):
        for value in every:
            if value not in have:
                bad("cases", f"no case with {what} {value.value}")
    for c in cases.values():
        if c.causes.primary in c.causes.secondary or len(set(c.causes.secondary)) != len(c.causes.secondary):
            bad(c.id, "secondary causes repeat the primary or each other")
        ill = c.worker.health in ("serious_illness", "chronic_illness")
        if ill and not c.worker.diagnosis:
            bad(c.id, "an ill worker without a diagnosis")
        for m in c.household:
            if m.health == Health.serious_illness and not m.diagnosis:
                bad(c.id, f"seriously ill member {m.name} without a diagnosis")
    if not any(m.diagnosis for c in cases.values() for m in c.household):
        bad("cases", "no household member with a diagnosis")

    # a member's diagnosis is sensitive: it lives in `diagnosis` only, never in free text
    texts: dict[str, list[str]] = defaultdict(list)
    for c in cases.values():
        texts[c.id] += [c.notes or "", c.housing or ""] + [s.note or "" for s in c.checks + c.approvals]
        if c.notice:
            texts[c.id] += [o.text + (o.resolution or "") for o in c.notice.objections]
        for r in c.referrals:
            texts[c.id] += [r.purpose, r.note or "", r.answered.note or "" if r.answered else ""]
    for g in grants.values():
        texts[g.case] += [g.proposed.reason or "", g.notes or ""]
    for v in visits.values():
        for cid in v.cases:
            texts[cid] += [v.findings or "", v.notes or ""]
    for c in cases.values():
        for m in c.household:
            if not m.diagnosis:
                continue
            term = re.split(r"[，（(、]", m.diagnosis)[0]
            if any(term in t for t in texts[c.id]):
                bad(c.id, f"the diagnosis of {m.name} ({term}) appears in free text")

    # ---- 11. referrals ------------------------------------------------------------------
    referrals = [(c, r) for c in cases.values() for r in c.referrals]
    for c, r in referrals:
        where = f"{c.id} referral to {r.to.value}"
        if not c.filed.on <= r.sent.on <= today:
            bad(where, f"sent {r.sent.on}, outside {c.filed.on}..{today}")
        if not cal.is_workday(r.sent.on):
            bad(where, f"sent on {r.sent.on}, not a working day")
        if (r.status == ReferralStatus.sent) != (r.answered is None):
            bad(where, f"status {r.status.value} but answered is {r.answered}")
        if r.answered and not r.sent.on <= r.answered.on <= today:
            bad(where, f"answered {r.answered.on}, outside {r.sent.on}..{today}")
        got = r.amount is not None or r.monthly_income is not None
        if r.status == ReferralStatus.helped and not got:
            bad(where, "helped, but neither amount nor monthly_income")
        if r.status != ReferralStatus.helped and got:
            bad(where, f"money received while {r.status.value}")
    shape = [
        ("a civil-affairs 低保 helped with monthly income",
         lambda r: r.to == ReferralTo.civil_affairs and r.status == ReferralStatus.helped and r.monthly_income),
        ("a city-union referral helped with an amount",
         lambda r: r.to == ReferralTo.city_union and r.status == ReferralStatus.helped and r.amount),
        ("a school referral answered", lambda r: r.to == ReferralTo.school and r.status == ReferralStatus.answered),
        ("a hospital referral answered",
         lambda r: r.to == ReferralTo.hospital and r.status == ReferralStatus.answered),
    ]
    for what, test in shape:
        if not any(test(r) for _, r in referrals):
            bad("cases", f"no referral: {what}")
    still_open = [r for _, r in referrals if r.status == ReferralStatus.sent
                  and (r.sent.on.year, r.sent.on.month) == (today.year, today.month)]
    if len(still_open) < 2:
        bad("cases", f"{len(still_open)} referrals sent this month still open, want at least 2")
    with_referrals = {c.id for c, _ in referrals}
    if not 5 <= len(with_referrals) <= 8:
        bad("cases", f"{len(with_referrals)} cases with referrals, want 5-8")

    # ---- 10. visits ---------------------------------------------------------------------
    occasions = Counter(v.occasion.value for v in visits.values())
    for occ in ("spring_festival", "mid_autumn", "home_check"):
        if not occasions[occ]:
            bad("visits", f"no {occ} visit")
    december = [v for v in visits.values() if v.follow_up and v.follow_up.year == 2026 and v.follow_up.month == 12]
    if len(december) < 2:
        bad("visits", "fewer than two follow-ups in December 2026")
    for v in visits.values():
        if v.on > today:
            bad(v.id, "visit in the future")

    print(f"{len(cases)} cases {dict(sorted(by_status.items()))}")
    print(f"{len(grants)} grants {dict(sorted(g_status.items()))}")
    print(f"   kinds {dict(sorted(Counter(g.kind.value for g in grants.values()).items()))}")
    print(f"{len(campaigns)} campaigns, raised "
          + ", ".join(f"{c.id} {c.raised} (used {used[c.id]})" for c in campaigns.values()))
    print(f"{len(visits)} visits {dict(sorted(occasions.items()))}")
    print(f"{len(referrals)} referrals on {len(with_referrals)} cases "
          f"{dict(sorted(Counter(f'{r.to.value}/{r.status.value}' for _, r in referrals).items()))}")
    for year, b in sorted(budgets.items()):
        print(f"budget {year}: total {b.total}, "
              + ", ".join(f"{k.value} {spent[(year, k)]}/{v}" for k, v in b.lines.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO / "records"))
    parser.add_argument("--today", default="2026-11-29")
    args = parser.parse_args()
    check(Path(args.root), date.fromisoformat(args.today))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
