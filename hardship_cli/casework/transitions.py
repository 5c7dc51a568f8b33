"""State transitions of cases and grants, the approval policy, and the budget guard.

Each transition is a plain function: it takes the records as loaded, the acting officer's
name, the day and the options, and returns an `Outcome` holding the changed copy of the
record; or it raises `Refused` naming the rule and the figures. Nothing here reads or
writes a file (see `actions`), and the checks that `validate` also makes live in one
function each, called from here and from `rules`.

Case:  applied -> checked -> on_notice -> active -> closed; or rejected before active.
Grant: proposed -> approved -> paid; or rejected / cancelled before it is paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from hardship_cli.domain.case import active_since, kept_payable, open_objections, was_active_on
from hardship_cli.domain.model import (
    Budget,
    Campaign,
    Case,
    CaseStatus,
    Closed,
    CloseReason,
    Config,
    Decision,
    Ended,
    Grant,
    GrantKind,
    GrantStatus,
    KeptPayable,
    Notice,
    Objection,
    Override,
    Payment,
    Role,
    Signed,
    Step,
    StepName,
    Visit,
)
from hardship_cli.domain.money import Breach, grant_breaches, yuan
from hardship_cli.problems import Refused, UsageError

# Who does casework (files, checks, notices, records objections and visits).
CASEWORK_ROLES = (Role.officer, Role.chair, Role.leader)


@dataclass(frozen=True)
class Outcome:
    """What an action did: the record as it is now, and how to tell it."""

    record: Case | Grant | Campaign | Visit
    action: str  # file | check | review | notice | object | approve | reject | ...
    by: str
    role: Role | None
    subject: str  # one line, as the union's register would read
    says: list[str] = field(default_factory=list)  # more lines for the person at the terminal
    override: bool = False
    on: date = field(kw_only=True)  # the day the step is dated (never after today)
    # Changes to other records the action makes first, each its own commit (a case's
    # closing cancels its approved, unpaid grants): see actions.change_many.
    first: tuple[Outcome, ...] = field(default=(), kw_only=True)

    @property
    def record_id(self) -> str:
        return self.record.id


# ---------------------------------------------------------------------------------------
# Facts shared with validate (rules/ call these; so does every transition below)


def own_record(record: Case | Grant, name: str) -> bool:
    """Separation of duties: the person who filed a case or proposed a grant."""
    if isinstance(record, Case):
        return name == record.filed.by
    return name == record.proposed.by


def roles_missing(config: Config, grant: Grant) -> list[Role]:
    """The roles the policy requires at this amount that no valid approval covers yet.

    An approval counts for a role when its author holds that role in hardship.yaml (and
    signed in it, when the step names a role), and did not propose the grant.
    """
    required = config.roles_required(grant.amount)
    have = {
        role
        for s in grant.approvals
        if s.decision == Decision.approved and not own_record(grant, s.by)
        for role in config.roles_of(s.by)
        if s.role is None or s.role == role
    }
    return [r for r in required if r not in have]


def notice_ended(case: Case, day: date) -> bool:
    """Is the public notice over on `day` (the day after its last day, or later)?"""
    return case.notice is not None and day > case.notice.until


def filing_problem(config: Config, case: Case, kind: GrantKind, proposed_on: date) -> str | None:
    """先建档、后帮扶: why help of `kind` proposed on `proposed_on` may not go to `case`,
    or None when it may.

    Help goes to a household whose file was approved (active) on the day the help was
    proposed; emergency relief may go to a case still in intake when the policy says so.
    """
    if kind == GrantKind.emergency and config.policy.emergency_before_active:
        return None
    if was_active_on(case, proposed_on):
        return None
    since = active_since(case)
    when = f"its file was approved on {since}" if since else "its file was never approved"
    if since and case.closed is not None and proposed_on > case.closed.on:
        when = f"its file was closed on {case.closed.on}"
    return when


def top_role(config: Config) -> Role:
    """The highest role in the policy: the last role of its last threshold. Only an
    approver with this role may pass a grant over a budget line or a cap."""
    return config.policy.thresholds[-1].roles[-1]


def is_working_day(config: Config, day: date) -> bool:
    if day in config.workdays:
        return True
    return day.weekday() < 5 and day not in config.holidays


def notice_until(config: Config, start: date, days: int | None = None) -> date:
    """The last day of a notice that starts on `start` and lasts `days` working days
    (policy.notice_days): weekends and config.holidays do not count, config.workdays do."""
    count = config.policy.notice_days if days is None else days
    day = start
    counted = 0
    while True:
        if is_working_day(config, day):
            counted += 1
            if counted >= count:
                return day
        day += timedelta(days=1)


def review_due_from(config: Config, day: date) -> date:
    return day + timedelta(days=config.policy.review_cycle_days)


# ---------------------------------------------------------------------------------------
# Who is acting


def acting_roles(config: Config, name: str) -> set[Role]:
    roles = config.roles_of(name)
    if not roles:
        names = ", ".join(sorted({o.name for o in config.officers}))
        raise Refused(
            f"{name} is not an officer in hardship.yaml",
            f"officers are: {names}; add them to `officers` in hardship.yaml",
        )
    return roles


def acting_as(config: Config, name: str, allowed: tuple[Role, ...], what: str) -> Role:
    roles = acting_roles(config, name)
    for role in allowed:
        if role in roles:
            return role
    has = ", ".join(sorted(r.value for r in roles))
    need = " or ".join(r.value for r in allowed)
    raise Refused(f"{what} needs an officer with role {need}; {name} is {has}")


def not_after_today(what: str, day: date, today: date) -> None:
    """An action is never dated after the day it is recorded (today, or --today): a
    notice, an approval or a payment cannot be dated ahead to pass a rule. Back-dating
    (a paper approval recorded later) is kept to the order of the steps (_not_before)."""
    if day > today:
        raise UsageError(
            f"{what} dated {day}, after today ({today}): an action is never dated in the future",
            "date it the day it happened (--on), today or earlier",
        )


def _not_before(day: date, earliest: date, what: str, since: str) -> None:
    """A step is not dated before the step it follows (`since`: what happened on
    `earliest`)."""
    if day < earliest:
        raise UsageError(
            f"{what} on {day} would come before {since} on {earliest}",
            f"date it {earliest} or later (--on)",
        )


def _case_approvers(config: Config) -> tuple[Role, ...]:
    return tuple(config.policy.case_approvers)


# ---------------------------------------------------------------------------------------
# Case transitions


def check_case(config: Config, case: Case, by: str, day: date, note: str | None) -> Outcome:
    """The first check with its home visit (applied -> checked), or the yearly review of an
    active file (动态管理), which also sets the next review date."""
    role = acting_as(config, by, CASEWORK_ROLES, f"checking {case.id}")
    new = case.model_copy(deep=True)
    if case.status == CaseStatus.applied:
        _not_before(day, case.filed.on, f"the check of {case.id}", "its filing")
        new.checks.append(Step(step=StepName.home_visit, by=by, role=role, on=day, note=note))
        new.status = CaseStatus.checked
        return Outcome(
            new, "check", by, role, f"case {case.id} checked by {by} ({role.value})", on=day
        )
    if case.status == CaseStatus.active:
        _not_before(day, _last_step(case), f"the review of {case.id}", "its last step")
        new.checks.append(Step(step=StepName.review, by=by, role=role, on=day, note=note))
        new.review_due = review_due_from(config, day)
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
    _not_before(day, max(s.on for s in case.checks), f"the notice of {case.id}", "its check")
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
    _not_before(day, case.notice.from_, f"an objection to {case.id}", "the start of its notice")
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
    allowed = _case_approvers(config)
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
        _not_before(
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
    new.review_due = review_due_from(config, day)
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
    role = acting_as(config, by, _case_approvers(config), f"rejecting {case.id}")
    if case.status not in (CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice):
        raise Refused(f"{case.id} is {case.status.value}: only a case in intake is rejected")
    _not_before(day, _last_step(case), f"the rejection of {case.id}", "its last step")
    new = case.model_copy(deep=True)
    _resolve_objections(new, by, day, f"case rejected: {reason.strip()}")
    new.approvals.append(_rejection(by, role, day, reason))
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


def _rejection(by: str, role: Role, day: date, reason: str) -> Step:
    """The step that rejects a case in intake or a proposed grant."""
    return Step(
        step=StepName.reject,
        by=by,
        role=role,
        on=day,
        decision=Decision.rejected,
        note=reason.strip(),
    )


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
    _not_before(day, _last_step(case), f"closing {case.id}", "its last step")
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


# ---------------------------------------------------------------------------------------
# Grant transitions


def check_filed(config: Config, case: Case | None, grant: Grant, day: date | None = None) -> None:
    """Refuse help to a household whose file is not active (emergency relief excepted)."""
    if case is None:
        raise UsageError(
            f"{grant.id} is for case {grant.case}, which does not exist",
            "file the household first: hardship add case",
        )
    when = filing_problem(config, case, grant.kind, grant.proposed.on)
    if when is not None:
        raise Refused(
            f"{grant.id} ({grant.kind.value}) is for {case.id}, but {when}; help goes only "
            "to an approved (active) file",
            "use kind emergency for urgent relief during intake",
        )
    if day is not None and case.status in (CaseStatus.closed, CaseStatus.rejected):
        emergency = grant.kind == GrantKind.emergency and config.policy.emergency_before_active
        if case.status == CaseStatus.closed or not emergency:
            raise Refused(
                f"{grant.id} is for {case.id}, which is {case.status.value}; help goes only "
                "to an open file"
            )


def approve_grant(
    config: Config,
    grant: Grant,
    case: Case | None,
    grants: list[Grant],
    budgets: dict[int, Budget],
    campaigns: dict[str, Campaign],
    by: str,
    day: date,
    note: str | None = None,
    override_reason: str | None = None,
) -> Outcome:
    """One approval of a proposed grant, in a role its amount requires. The approval that
    completes the policy also passes the budget guard, or is refused with the figures; an
    approver of the policy's highest role may pass a budget line or a cap with a reason."""
    roles = acting_roles(config, by)
    required = config.roles_required(grant.amount)
    if own_record(grant, by):
        raise Refused(
            f"{by} proposed {grant.id} and cannot approve it (nobody approves what they proposed)",
            f"at {yuan(grant.amount)} the policy needs the approval of "
            f"{' and '.join(r.value for r in required)}",
        )
    if grant.status != GrantStatus.proposed:
        raise Refused(f"{grant.id} is {grant.status.value}: only a proposed grant is approved")
    if any(s.by == by and s.decision == Decision.approved for s in grant.approvals):
        raise Refused(f"{by} has already approved {grant.id}")
    _not_before(day, grant.proposed.on, f"the approval of {grant.id}", "its proposal")
    check_filed(config, case, grant, day)
    overriding = override_reason is not None
    top = top_role(config)
    if overriding:
        if not override_reason or not override_reason.strip():
            raise UsageError("an override needs a written reason: --override --reason TEXT")
        if top not in roles:
            has = ", ".join(sorted(r.value for r in roles))
            raise Refused(
                f"only an approver with role {top.value} may override the budget guard; "
                f"{by} is {has}"
            )
    missing = roles_missing(config, grant)
    usable = [r for r in missing if r in roles]
    if not usable and not overriding:
        if any(r in roles for r in required):
            done = ", ".join(r.value for r in required if r not in missing)
            raise Refused(
                f"{grant.id} already has the approval of {done}; it waits for "
                f"{', '.join(r.value for r in missing) or 'nobody'}"
            )
        has = ", ".join(sorted(r.value for r in roles))
        raise Refused(
            f"{grant.id} ({yuan(grant.amount)}) needs the approval of "
            f"{' and '.join(r.value for r in required)}; {by} is {has}",
            "the policy in hardship.yaml says which roles approve at which amount",
        )
    role = usable[0] if usable else top
    new = grant.model_copy(deep=True)
    new.approvals.append(
        Step(step=StepName.approve, by=by, role=role, on=day, decision=Decision.approved, note=note)
    )
    still = roles_missing(config, new)
    breaches: list[Breach] = []
    if not still or overriding:
        breaches = grant_breaches(config, budgets, campaigns, grants, grant)
    hard = [b for b in breaches if not b.overridable]
    soft = [b for b in breaches if b.overridable]
    if hard:
        raise Refused(_refusal(grant, hard), "money raised by a drive is spent only as raised")
    if overriding:
        if not soft:
            raise Refused(
                f"{grant.id} is within its budget line and caps: there is nothing to override",
                "approve it without --override",
            )
        assert override_reason is not None
        new.override = Override(
            by=by,
            role=top,
            on=day,
            reason=override_reason.strip(),
            rule="; ".join(b.message for b in soft),
        )
    elif soft and grant.override is None:
        raise Refused(
            _refusal(grant, soft),
            f"an approver with role {top.value} may pass it: hardship review approve "
            f"{grant.id} --as NAME --override --reason TEXT",
        )
    says: list[str] = []
    if still:
        subject = (
            f"grant {grant.id} approved by {by} ({role.value}): {grant.kind.value} "
            f"{yuan(grant.amount)} for {grant.case}, waiting for "
            f"{', '.join(r.value for r in still)}"
        )
        says.append(f"{grant.id} now waits for {', '.join(r.value for r in still)}")
    else:
        new.status = GrantStatus.approved
        subject = (
            f"grant {grant.id} approved by {by} ({role.value}): {grant.kind.value} "
            f"{yuan(grant.amount)} for {grant.case}"
        )
        says.append(f"{grant.id} is approved; finance pays it: hardship pay {grant.id}")
    if overriding:
        subject += " (override)"
        says.insert(0, f"override recorded: {new.override.rule if new.override else ''}")
    elif soft:
        says.insert(0, f"passed by the override of {grant.override.by if grant.override else ''}")
    return Outcome(new, "approve", by, role, subject, says, override=overriding, on=day)


def _refusal(grant: Grant, breaches: list[Breach]) -> str:
    if len(breaches) == 1:
        return f"{grant.id} cannot be approved: {breaches[0].message}"
    lines = "\n".join(f"  - {b.message}" for b in breaches)
    return f"{grant.id} cannot be approved:\n{lines}"


def reject_grant(config: Config, grant: Grant, by: str, day: date, reason: str | None) -> Outcome:
    """An approver refuses a proposed grant, with the reason."""
    if not reason or not reason.strip():
        raise UsageError("a rejection needs its reason: --note TEXT")
    roles = acting_roles(config, by)
    if own_record(grant, by):
        raise Refused(
            f"{by} proposed {grant.id} and cannot decide on it",
            f"to withdraw it: hardship review cancel {grant.id} --as {by} --note REASON",
        )
    required = config.roles_required(grant.amount)
    usable = [r for r in required if r in roles] or (
        [top_role(config)] if top_role(config) in roles else []
    )
    if not usable:
        has = ", ".join(sorted(r.value for r in roles))
        raise Refused(
            f"{grant.id} is decided by {' and '.join(r.value for r in required)}; {by} is {has}"
        )
    if grant.status != GrantStatus.proposed:
        raise Refused(f"{grant.id} is {grant.status.value}: only a proposed grant is rejected")
    _not_before(day, _grant_last_step(grant), f"the rejection of {grant.id}", "its last step")
    role = usable[0]
    new = grant.model_copy(deep=True)
    new.approvals.append(_rejection(by, role, day, reason))
    new.status = GrantStatus.rejected
    new.ended = Ended(by=by, on=day, reason=reason.strip())
    return Outcome(
        new,
        "reject",
        by,
        role,
        f"grant {grant.id} rejected by {by} ({role.value}): {grant.kind.value} "
        f"{yuan(grant.amount)} for {grant.case}",
        on=day,
    )


def _grant_last_step(grant: Grant) -> date:
    """The day of a grant's proposal or latest approval: what its next step follows."""
    return max([grant.proposed.on, *(s.on for s in grant.approvals)])


def cancel_grant(config: Config, grant: Grant, by: str, day: date, reason: str | None) -> Outcome:
    """Withdraw a grant not yet paid: by who proposed it, or by an approver of its amount."""
    if not reason or not reason.strip():
        raise UsageError("a cancellation needs its reason: --note TEXT")
    roles = acting_roles(config, by)
    required = config.roles_required(grant.amount)
    if not own_record(grant, by) and not any(r in roles for r in (*required, top_role(config))):
        raise Refused(
            f"{grant.id} is cancelled by who proposed it ({grant.proposed.by}) or by "
            f"{' or '.join(r.value for r in required)}"
        )
    if grant.status not in (GrantStatus.proposed, GrantStatus.approved):
        raise Refused(f"{grant.id} is {grant.status.value}: only an unpaid grant is cancelled")
    _not_before(day, _grant_last_step(grant), f"the cancellation of {grant.id}", "its last step")
    role = next(iter(sorted(roles, key=lambda r: r.value)))
    for r in (*required, top_role(config)):
        if r in roles:
            role = r
            break
    new = grant.model_copy(deep=True)
    new.status = GrantStatus.cancelled
    new.ended = Ended(by=by, on=day, reason=reason.strip())
    return Outcome(
        new,
        "cancel",
        by,
        role,
        f"grant {grant.id} cancelled by {by} ({role.value}): {grant.kind.value} "
        f"{yuan(grant.amount)} for {grant.case}",
        on=day,
    )


def pay_grant(
    config: Config, grant: Grant, case: Case | None, by: str, day: date, voucher: str | None
) -> Outcome:
    """Finance marks an approved grant paid, with the voucher that proves it. A grant of a
    closed file is paid only when its closing kept it payable (closed.keep_payable)."""
    roles = acting_roles(config, by)
    if Role.finance not in roles:
        has = ", ".join(sorted(r.value for r in roles))
        raise Refused(f"only a finance officer marks a grant paid; {by} is {has}")
    if voucher is None or not voucher.strip():
        raise UsageError(
            f"paying {grant.id} needs the voucher reference: --voucher REF",
            "the number of the payment voucher (记账凭证) in the books",
        )
    if grant.status != GrantStatus.approved:
        waiting = ""
        if grant.status == GrantStatus.proposed:
            # A plain read of the policy: the roles not yet covered.
            waiting = f" (it waits for {', '.join(r.value for r in roles_missing(config, grant))})"
        raise Refused(
            f"{grant.id} is {grant.status.value}{waiting}: only an approved grant is paid"
        )
    last = max((s.on for s in grant.approvals if s.decision == Decision.approved), default=None)
    if last is not None:
        _not_before(day, last, f"the payment of {grant.id}", "its approval")
    if case is not None and case.status == CaseStatus.closed and case.closed is not None:
        if grant.id not in kept_payable(case):
            raise Refused(
                f"{grant.id} is for {case.id}, whose file was closed on {case.closed.on} "
                "without keeping this grant payable",
                f"cancel it (hardship review cancel {grant.id} --as NAME --note REASON), or "
                f"record the choice in {case.id}'s file: closed.keep_payable: "
                f"{{grants: [{grant.id}], reason: WHY}}",
            )
    new = grant.model_copy(deep=True)
    new.paid = Payment(by=by, on=day, voucher=voucher.strip())
    new.status = GrantStatus.paid
    return Outcome(
        new,
        "pay",
        by,
        Role.finance,
        f"grant {grant.id} paid by {by} (finance): {grant.kind.value} {yuan(grant.amount)} "
        f"for {grant.case}, voucher {voucher.strip()}",
        on=day,
    )


# ---------------------------------------------------------------------------------------
# What waits for whom (review list)


@dataclass(frozen=True)
class Waiting:
    record: str
    kind: str  # case | grant
    status: str
    roles: list[str]  # who may act next
    since: date
    days: int
    action: str  # the command that moves it on
    note: str
    blocked: str = ""  # why nobody can act yet (notice running, objection open)

    def to_json(self) -> dict[str, object]:
        return {
            "record": self.record,
            "kind": self.kind,
            "status": self.status,
            "waiting_for": self.roles,
            "since": self.since.isoformat(),
            "days": self.days,
            "action": self.action,
            "note": self.note,
            "blocked": self.blocked or None,
        }


def waiting(
    config: Config,
    cases: dict[str, Case],
    grants: dict[str, Grant],
    today: date,
    as_name: str | None = None,
) -> list[Waiting]:
    """Every case and grant that waits for someone, oldest first; with `as_name`, only what
    that person may act on today."""
    items: list[Waiting] = []
    casework = [r.value for r in CASEWORK_ROLES]
    approvers = [r.value for r in _case_approvers(config)]

    def add(
        record: str,
        kind: str,
        status: str,
        roles: list[str],
        since: date,
        action: str,
        note: str,
        blocked: str = "",
    ) -> None:
        items.append(
            Waiting(record, kind, status, roles, since, (today - since).days, action, note, blocked)
        )

    for case in cases.values():
        if case.status == CaseStatus.applied:
            add(
                case.id,
                "case",
                "applied",
                casework,
                case.filed.on,
                "review check",
                "home visit and first check",
            )
        elif case.status == CaseStatus.checked:
            since = max((s.on for s in case.checks), default=case.filed.on)
            add(
                case.id,
                "case",
                "checked",
                casework,
                since,
                "review notice",
                "put it on public notice",
            )
        elif case.status == CaseStatus.on_notice and case.notice is not None:
            objections = open_objections(case)
            ends = case.notice.until
            note = f"notice until {ends}"
            blocked = ""
            if not notice_ended(case, today):
                left = (ends - today).days
                note += f" (ends in {left} day{'s' if left != 1 else ''})"
                blocked = f"notice runs until {ends}"
            if objections:
                note += f"; {len(objections)} objection(s) open"
                blocked = "objection open" if not blocked else blocked + "; objection open"
            add(
                case.id,
                "case",
                "on_notice",
                approvers,
                case.notice.from_,
                "review approve",
                note,
                blocked,
            )
    for grant in grants.values():
        what = f"{grant.kind.value} {yuan(grant.amount)} for {grant.case}"
        if grant.status == GrantStatus.proposed:
            missing = [r.value for r in roles_missing(config, grant)]
            last = max((s.on for s in grant.approvals), default=grant.proposed.on)
            if grant.override is not None:
                what += f"; override by {grant.override.by}"
            add(grant.id, "grant", "proposed", missing, last, "review approve", what)
        elif grant.status == GrantStatus.approved:
            last = max((s.on for s in grant.approvals), default=grant.proposed.on)
            add(grant.id, "grant", "approved", [Role.finance.value], last, "pay", what)
    if as_name is not None:
        items = [i for i in items if _may_act(config, cases, grants, i, as_name)]
    return sorted(items, key=lambda i: (i.since, i.record))


def _may_act(
    config: Config,
    cases: dict[str, Case],
    grants: dict[str, Grant],
    item: Waiting,
    name: str,
) -> bool:
    roles = {r.value for r in config.roles_of(name)}
    if item.blocked or not roles & set(item.roles):
        return False
    record: Case | Grant = cases[item.record] if item.kind == "case" else grants[item.record]
    if item.action == "review approve" and own_record(record, name):
        return False
    if isinstance(record, Grant) and any(s.by == name for s in record.approvals):
        return item.action == "pay" and "finance" in roles
    return True
