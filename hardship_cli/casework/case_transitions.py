"""The transitions of a case (建档): its check and reviews, notice, objections, approval
into the archive, rejection in intake, and closing.

Case: applied -> checked -> on_notice -> active -> closed; or rejected before active.
Each transition returns an `Outcome` or raises `Refused` (see `outcome`); the policy facts
it decides by are those validate checks (`domain.policy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hardship_cli.casework.grant_transitions import cancel_grant
from hardship_cli.casework.outcome import Outcome, not_before, rejection
from hardship_cli.domain.case import open_objections
from hardship_cli.domain.model import (
    Case,
    CaseStatus,
    Closed,
    CloseReason,
    Config,
    Decision,
    Grant,
    GrantStatus,
    KeptPayable,
    Notice,
    Objection,
    Signed,
    Step,
    StepName,
)
from hardship_cli.domain.money import yuan
from hardship_cli.domain.policy import (
    CASEWORK_ROLES,
    acting_as,
    acting_roles,
    case_approvers,
    notice_ended,
    notice_until,
    own_record,
    review_due_from,
)
from hardship_cli.problems import Refused, UsageError


def check_case(config: Config, case: Case, by: str, day: date, note: str | None) -> Outcome:
    """The first check with its home visit (applied -> checked), or the yearly review of an
    active file (动态管理), which also sets the next review date."""
    role = acting_as(config, by, CASEWORK_ROLES, f"checking {case.id}")
    new = case.model_copy(deep=True)
    if case.status == CaseStatus.applied:
        not_before(day, case.filed.on, f"the check of {case.id}", "its filing")
        new.checks.append(Step(step=StepName.home_visit, by=by, role=role, on=day, note=note))
        new.status = CaseStatus.checked
        return Outcome(
            new, "check", by, role, f"case {case.id} checked by {by} ({role.value})", on=day
        )
    if case.status == CaseStatus.active:
        not_before(day, _last_step(case), f"the review of {case.id}", "its last step")
        new.checks.append(Step(step=StepName.review, by=by, role=role, on=day, note=note))
        new.review_due = review_due_from(day, config.policy.review_cycle_days)
        return Outcome(
            new,
            "review",
            by,
            role,
            f"case {case.id} reviewed by {by} ({role.value}), next review {new.review_due}",
            on=day,
        )
    raise Refused(
        f"{case.id} is {case.status.value}: only an applied case is checked, "
        "or an active one reviewed"
    )


def start_notice(config: Config, case: Case, by: str, day: date) -> Outcome:
    """Put a checked case on public notice (公示) for policy.notice_days working days."""
    role = acting_as(config, by, CASEWORK_ROLES, f"putting {case.id} on notice")
    if case.status != CaseStatus.checked:
        raise Refused(
            f"{case.id} is {case.status.value}: a case goes on notice after its check",
            f"check it first: hardship review check {case.id} --as NAME"
            if case.status == CaseStatus.applied
            else "",
        )
    not_before(day, max(s.on for s in case.checks), f"the notice of {case.id}", "its check")
    until = notice_until(config, day)
    new = case.model_copy(deep=True)
    new.notice = Notice.model_validate({"from": day, "until": until})
    new.status = CaseStatus.on_notice
    return Outcome(
        new,
        "notice",
        by,
        role,
        f"case {case.id} on notice by {by} ({role.value}): {day} to {until}",
        [
            f"{case.id} is on public notice from {day} until {until} "
            f"({config.policy.notice_days} working days); it can be approved from "
            f"{until + timedelta(days=1)}"
        ],
        on=day,
    )


def object_to_case(config: Config, case: Case, by: str, day: date, text: str | None) -> Outcome:
    """Record an objection raised during the notice; it blocks approval until settled."""
    role = acting_as(config, by, CASEWORK_ROLES, f"recording an objection to {case.id}")
    if case.status != CaseStatus.on_notice or case.notice is None:
        raise Refused(f"{case.id} is {case.status.value}: objections are taken while on notice")
    if not text or not text.strip():
        raise UsageError("an objection needs its text: --note TEXT")
    not_before(day, case.notice.from_, f"an objection to {case.id}", "the start of its notice")
    new = case.model_copy(deep=True)
    assert new.notice is not None
    new.notice.objections.append(Objection(by=by, on=day, text=text.strip()))
    return Outcome(
        new,
        "object",
        by,
        role,
        f"objection to case {case.id} recorded by {by} ({role.value})",
        [
            f"{case.id} cannot be approved until the objection is settled: "
            f"hardship review approve {case.id} --resolve-objection --note ..., or reject it"
        ],
        on=day,
    )


def _resolve_objections(case: Case, by: str, day: date, resolution: str) -> int:
    count = 0
    for objection in open_objections(case):
        objection.resolved = Signed(by=by, on=day)
        objection.resolution = resolution
        count += 1
    return count


def approve_case(
    config: Config,
    case: Case,
    by: str,
    day: date,
    note: str | None,
    resolve_objection: bool = False,
) -> Outcome:
    """Approve a case into the archive after its notice (on_notice -> active)."""
    acting_roles(config, by)
    allowed = case_approvers(config)
    if own_record(case, by):
        raise Refused(
            f"{by} filed {case.id} and cannot approve it (nobody approves what they filed)",
            f"another officer with role {' or '.join(r.value for r in allowed)} approves it",
        )
    role = acting_as(config, by, allowed, f"approving {case.id}")
    if case.status != CaseStatus.on_notice or case.notice is None:
        hint = {
            CaseStatus.applied: f"check it first: hardship review check {case.id}",
            CaseStatus.checked: f"put it on notice first: hardship review notice {case.id}",
        }.get(case.status, "")
        raise Refused(f"{case.id} is {case.status.value}: only a case on notice is approved", hint)
    new = case.model_copy(deep=True)
    settled = 0
    if resolve_objection:
        if not open_objections(case):
            raise Refused(f"{case.id} has no open objection to resolve")
        if not note or not note.strip():
            raise UsageError("settling an objection needs the finding: --note TEXT")
        not_before(
            day,
            max(o.on for o in open_objections(case)),
            f"settling the objection to {case.id}",
            "the objection",
        )
        settled = _resolve_objections(new, by, day, note.strip())
    still_open = open_objections(new)
    if still_open:
        first = still_open[0]
        raise Refused(
            f"{case.id} has {len(still_open)} open objection(s) (the first raised on "
            f"{first.on}); it cannot be approved while one is open",
            f"look into it, then: hardship review approve {case.id} --as {by} "
            "--resolve-objection --note FINDING, or hardship review reject",
        )
    if not notice_ended(case, day):
        until = case.notice.until
        raise Refused(
            f"{case.id} is on public notice until {until}; it can be approved from "
            f"{until + timedelta(days=1)}",
            "a case is approved only after its notice has ended",
        )
    new.approvals.append(
        Step(step=StepName.approve, by=by, role=role, on=day, decision=Decision.approved, note=note)
    )
    new.status = CaseStatus.active
    new.review_due = review_due_from(day, config.policy.review_cycle_days)
    says = [f"{case.id} is active; next review due {new.review_due}"]
    if settled:
        says.insert(0, f"{settled} objection(s) settled")
    return Outcome(
        new, "approve", by, role, f"case {case.id} approved by {by} ({role.value})", says, on=day
    )


def reject_case(config: Config, case: Case, by: str, day: date, reason: str | None) -> Outcome:
    """Refuse a case during intake, with the reason; open objections are settled by it."""
    if not reason or not reason.strip():
        raise UsageError("a rejection needs its reason: --note TEXT")
    if own_record(case, by):
        raise Refused(f"{by} filed {case.id} and cannot decide on it")
    role = acting_as(config, by, case_approvers(config), f"rejecting {case.id}")
    if case.status not in (CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice):
        raise Refused(f"{case.id} is {case.status.value}: only a case in intake is rejected")
    not_before(day, _last_step(case), f"the rejection of {case.id}", "its last step")
    new = case.model_copy(deep=True)
    _resolve_objections(new, by, day, f"case rejected: {reason.strip()}")
    new.approvals.append(rejection(by, role, day, reason))
    new.status = CaseStatus.rejected
    return Outcome(
        new, "reject", by, role, f"case {case.id} rejected by {by} ({role.value})", on=day
    )


def _last_step(case: Case) -> date:
    """The day of the latest step of a file's casework (filing, checks and reviews,
    approvals, notice, objections): what its next step may not come before."""
    days = [case.filed.on, *(s.on for s in [*case.checks, *case.approvals])]
    if case.notice is not None:
        days.append(case.notice.from_)
        for o in case.notice.objections:
            days.append(o.on)
            if o.resolved is not None:
                days.append(o.resolved.on)
    return max(days)


def unpaid_grants(case_id: str, grants: Iterable[Grant]) -> list[Grant]:
    """The approved grants of a case that finance has not paid yet, by ID."""
    return sorted(
        (g for g in grants if g.case == case_id and g.status == GrantStatus.approved),
        key=lambda g: g.id,
    )


def close_case(
    config: Config,
    case: Case,
    by: str,
    day: date,
    reason: str,
    note: str | None,
    grants: Iterable[Grant] = (),
    cancel_pending: bool = False,
    keep_payable: str | None = None,
) -> Outcome:
    """Close an active file (随时脱困随时撤档): out of hardship, moved, deceased, ...

    Help approved and not yet paid is settled by the closing: cancelled with it
    (`cancel_pending`: the cancellations come first, each its own commit), or kept payable
    with the reason on the case's closing record (`keep_payable`), so that finance may
    still pay it. Without a choice, the closing is refused with the grants listed."""
    role = acting_as(config, by, CASEWORK_ROLES, f"closing {case.id}")
    try:
        why = CloseReason(reason)
    except ValueError:
        choices = ", ".join(r.value for r in CloseReason)
        raise UsageError(
            f"--reason {reason!r} is not a reason to close", f"use one of: {choices}"
        ) from None
    if cancel_pending and keep_payable is not None:
        raise UsageError(
            "choose one: cancel the unpaid grants (--cancel-pending) or keep them payable "
            "(--keep-payable REASON)"
        )
    if keep_payable is not None and not keep_payable.strip():
        raise UsageError("keeping grants payable needs the reason: --keep-payable REASON")
    if case.status != CaseStatus.active:
        hint = (
            "a case in intake is rejected, not closed"
            if case.status in (CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice)
            else ""
        )
        raise Refused(f"{case.id} is {case.status.value}: only an active file is closed", hint)
    not_before(day, _last_step(case), f"closing {case.id}", "its last step")
    pending = unpaid_grants(case.id, grants)
    if pending and not cancel_pending and keep_payable is None:
        listing = "\n".join(f"  - {_unpaid(g)}" for g in pending)
        raise Refused(
            f"{case.id} has {len(pending)} approved grant(s) not yet paid:\n{listing}",
            "close it with --cancel-pending (they are cancelled) or --keep-payable REASON "
            "(finance may still pay them)",
        )
    new = case.model_copy(deep=True)
    kept = None
    if pending and keep_payable is not None:
        kept = KeptPayable(grants=[g.id for g in pending], reason=keep_payable.strip())
    new.closed = Closed(on=day, reason=why, by=by, note=note, keep_payable=kept)
    new.status = CaseStatus.closed
    first: tuple[Outcome, ...] = ()
    says: list[str] = []
    if pending and cancel_pending:
        ended = f"case {case.id} closed ({why.value})"
        first = tuple(cancel_grant(config, g, by, day, ended) for g in pending)
        says.append(f"cancelled with the case: {', '.join(g.id for g in pending)}")
    elif kept is not None:
        says.append(f"kept payable after the closing: {', '.join(kept.grants)}")
    return Outcome(
        new,
        "close",
        by,
        role,
        f"case {case.id} closed by {by} ({role.value}): {why.value}",
        says,
        on=day,
        first=first,
    )


def _unpaid(grant: Grant) -> str:
    approved = max((s.on for s in grant.approvals if s.decision == Decision.approved), default=None)
    return f"{grant.id} {grant.kind.value} {yuan(grant.amount)} ({grant.fund}), approved {approved}"
