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
from hardship_cli.casework.outcome import OR, Outcome, not_before, register, rejection, word, words
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
from hardship_cli.domain.vocabulary import code_of, label
from hardship_cli.i18n import N_, _, ngettext
from hardship_cli.problems import Refused, UsageError, printable


def _status(case: Case) -> str:
    """A case's status as the terminal says it."""
    return label("case_status", case.status.value)


def check_case(config: Config, case: Case, by: str, day: date, note: str | None) -> Outcome:
    """The first check with its home visit (applied -> checked), or the yearly review of an
    active file (动态管理), which also sets the next review date."""
    role = acting_as(config, by, CASEWORK_ROLES, _("checking {id}").format(id=case.id))
    reg = register(config)
    new = case.model_copy(deep=True)
    if case.status == CaseStatus.applied:
        not_before(day, case.filed.on, _("the check of {id}").format(id=case.id), _("its filing"))
        new.checks.append(Step(step=StepName.home_visit, by=by, role=role, on=day, note=note))
        new.status = CaseStatus.checked
        subject = reg(N_("case {id} checked by {who}")).format(id=case.id, who=reg.who(by, role))
        return Outcome(new, "check", by, role, subject, on=day)
    if case.status == CaseStatus.active:
        not_before(
            day, _last_step(case), _("the review of {id}").format(id=case.id), _("its last step")
        )
        new.checks.append(Step(step=StepName.review, by=by, role=role, on=day, note=note))
        new.review_due = review_due_from(day, config.policy.review_cycle_days)
        subject = reg(N_("case {id} reviewed by {who}, next review {due}")).format(
            id=case.id, who=reg.who(by, role), due=new.review_due
        )
        return Outcome(new, "review", by, role, subject, on=day)
    raise Refused(
        _("{id} is {status}: only an applied case is checked, or an active one reviewed").format(
            id=case.id, status=_status(case)
        )
    )


def start_notice(config: Config, case: Case, by: str, day: date) -> Outcome:
    """Put a checked case on public notice (公示) for policy.notice_days working days."""
    role = acting_as(config, by, CASEWORK_ROLES, _("putting {id} on notice").format(id=case.id))
    if case.status != CaseStatus.checked:
        raise Refused(
            _("{id} is {status}: a case goes on notice after its check").format(
                id=case.id, status=_status(case)
            ),
            _("check it first: hardship review check {id} --as NAME").format(id=case.id)
            if case.status == CaseStatus.applied
            else "",
        )
    not_before(
        day,
        max(s.on for s in case.checks),
        _("the notice of {id}").format(id=case.id),
        _("its check"),
    )
    until = notice_until(config, day)
    new = case.model_copy(deep=True)
    new.notice = Notice.model_validate({"from": day, "until": until})
    new.status = CaseStatus.on_notice
    reg = register(config)
    return Outcome(
        new,
        "notice",
        by,
        role,
        reg(N_("case {id} on notice by {who}: {start} to {until}")).format(
            id=case.id, who=reg.who(by, role), start=day, until=until
        ),
        [
            ngettext(
                "{id} is on public notice from {start} until {until} ({n} working day); it "
                "can be approved from {first}",
                "{id} is on public notice from {start} until {until} ({n} working days); it "
                "can be approved from {first}",
                config.policy.notice_days,
            ).format(
                id=case.id,
                start=day,
                until=until,
                n=config.policy.notice_days,
                first=until + timedelta(days=1),
            )
        ],
        on=day,
    )


def object_to_case(config: Config, case: Case, by: str, day: date, text: str | None) -> Outcome:
    """Record an objection raised during the notice; it blocks approval until settled."""
    role = acting_as(
        config, by, CASEWORK_ROLES, _("recording an objection to {id}").format(id=case.id)
    )
    if case.status != CaseStatus.on_notice or case.notice is None:
        raise Refused(
            _("{id} is {status}: objections are taken while on notice").format(
                id=case.id, status=_status(case)
            )
        )
    if not text or not text.strip():
        raise UsageError(_("an objection needs its text: --note TEXT"))
    not_before(
        day,
        case.notice.from_,
        _("an objection to {id}").format(id=case.id),
        _("the start of its notice"),
    )
    new = case.model_copy(deep=True)
    assert new.notice is not None
    new.notice.objections.append(Objection(by=by, on=day, text=text.strip()))
    reg = register(config)
    return Outcome(
        new,
        "object",
        by,
        role,
        reg(N_("objection to case {id} recorded by {who}")).format(
            id=case.id, who=reg.who(by, role)
        ),
        [
            _(
                "{id} cannot be approved until the objection is settled: hardship review "
                "approve {id} --resolve-objection --note ..., or reject it"
            ).format(id=case.id)
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
            _("{by} filed {id} and cannot approve it (nobody approves what they filed)").format(
                by=by, id=case.id
            ),
            _("another officer with role {roles} approves it").format(
                roles=words("role", allowed, OR)
            ),
        )
    role = acting_as(config, by, allowed, _("approving {id}").format(id=case.id))
    if case.status != CaseStatus.on_notice or case.notice is None:
        hint = {
            CaseStatus.applied: _("check it first: hardship review check {id}"),
            CaseStatus.checked: _("put it on notice first: hardship review notice {id}"),
        }.get(case.status, "")
        raise Refused(
            _("{id} is {status}: only a case on notice is approved").format(
                id=case.id, status=_status(case)
            ),
            hint.format(id=case.id),
        )
    new = case.model_copy(deep=True)
    settled = 0
    if resolve_objection:
        if not open_objections(case):
            raise Refused(_("{id} has no open objection to resolve").format(id=case.id))
        if not note or not note.strip():
            raise UsageError(_("settling an objection needs the finding: --note TEXT"))
        not_before(
            day,
            max(o.on for o in open_objections(case)),
            _("settling the objection to {id}").format(id=case.id),
            _("the objection"),
        )
        settled = _resolve_objections(new, by, day, note.strip())
    still_open = open_objections(new)
    if still_open:
        first = still_open[0]
        raise Refused(
            _(
                "{id} has {n} open objection(s) (the first raised on {first}); it cannot be "
                "approved while one is open"
            ).format(id=case.id, n=len(still_open), first=first.on),
            _(
                "look into it, then: hardship review approve {id} --as {by} "
                "--resolve-objection --note FINDING, or hardship review reject"
            ).format(id=case.id, by=by),
        )
    if not notice_ended(case, day):
        until = case.notice.until
        raise Refused(
            _("{id} is on public notice until {until}; it can be approved from {first}").format(
                id=case.id, until=until, first=until + timedelta(days=1)
            ),
            _("a case is approved only after its notice has ended"),
        )
    new.approvals.append(
        Step(step=StepName.approve, by=by, role=role, on=day, decision=Decision.approved, note=note)
    )
    new.status = CaseStatus.active
    new.review_due = review_due_from(day, config.policy.review_cycle_days)
    says = [_("{id} is active; next review due {due}").format(id=case.id, due=new.review_due)]
    if settled:
        says.insert(
            0,
            _("{n} objection(s) settled").format(n=settled),
        )
    reg = register(config)
    subject = reg(N_("case {id} approved by {who}")).format(id=case.id, who=reg.who(by, role))
    return Outcome(new, "approve", by, role, subject, says, on=day)


def reject_case(config: Config, case: Case, by: str, day: date, reason: str | None) -> Outcome:
    """Refuse a case during intake, with the reason; open objections are settled by it."""
    if not reason or not reason.strip():
        raise UsageError(_("a rejection needs its reason: --note TEXT"))
    if own_record(case, by):
        raise Refused(_("{by} filed {id} and cannot decide on it").format(by=by, id=case.id))
    role = acting_as(config, by, case_approvers(config), _("rejecting {id}").format(id=case.id))
    if case.status not in (CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice):
        raise Refused(
            _("{id} is {status}: only a case in intake is rejected").format(
                id=case.id, status=_status(case)
            )
        )
    not_before(
        day, _last_step(case), _("the rejection of {id}").format(id=case.id), _("its last step")
    )
    reg = register(config)
    new = case.model_copy(deep=True)
    # The resolution is written in the record: in the root's language, as its subjects.
    _resolve_objections(
        new, by, day, reg(N_("case rejected: {reason}")).format(reason=reason.strip())
    )
    new.approvals.append(rejection(by, role, day, reason))
    new.status = CaseStatus.rejected
    subject = reg(N_("case {id} rejected by {who}")).format(id=case.id, who=reg.who(by, role))
    return Outcome(new, "reject", by, role, subject, on=day)


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
    role = acting_as(config, by, CASEWORK_ROLES, _("closing {id}").format(id=case.id))
    why = read_close_reason(reason)
    if cancel_pending and keep_payable is not None:
        raise UsageError(
            _(
                "choose one: cancel the unpaid grants (--cancel-pending) or keep them payable "
                "(--keep-payable REASON)"
            )
        )
    if keep_payable is not None and not keep_payable.strip():
        raise UsageError(_("keeping grants payable needs the reason: --keep-payable REASON"))
    if case.status != CaseStatus.active:
        hint = (
            _("a case in intake is rejected, not closed")
            if case.status in (CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice)
            else ""
        )
        raise Refused(
            _("{id} is {status}: only an active file is closed").format(
                id=case.id, status=_status(case)
            ),
            hint,
        )
    not_before(day, _last_step(case), _("closing {id}").format(id=case.id), _("its last step"))
    pending = unpaid_grants(case.id, grants)
    if pending and not cancel_pending and keep_payable is None:
        listing = "\n".join(f"  - {_unpaid(g)}" for g in pending)
        raise Refused(
            _("{id} has {n} approved grant(s) not yet paid:\n{listing}").format(
                id=case.id, n=len(pending), listing=listing
            ),
            _(
                "close it with --cancel-pending (they are cancelled) or --keep-payable REASON "
                "(finance may still pay them)"
            ),
        )
    new = case.model_copy(deep=True)
    kept = None
    if pending and keep_payable is not None:
        kept = KeptPayable(grants=[g.id for g in pending], reason=keep_payable.strip())
    new.closed = Closed(on=day, reason=why, by=by, note=note, keep_payable=kept)
    new.status = CaseStatus.closed
    first: tuple[Outcome, ...] = ()
    says: list[str] = []
    reg = register(config)
    if pending and cancel_pending:
        # The reason written on each grant's `ended`: in the root's language.
        ended = reg(N_("case {id} closed ({reason})")).format(
            id=case.id, reason=reg.word("close_reason", why.value)
        )
        first = tuple(cancel_grant(config, g, by, day, ended) for g in pending)
        says.append(
            _("cancelled with the case: {ids}").format(ids=", ".join(g.id for g in pending))
        )
    elif kept is not None:
        says.append(_("kept payable after the closing: {ids}").format(ids=", ".join(kept.grants)))
    return Outcome(
        new,
        "close",
        by,
        role,
        reg(N_("case {id} closed by {who}: {reason}")).format(
            id=case.id, who=reg.who(by, role), reason=reg.word("close_reason", why.value)
        ),
        says,
        on=day,
        first=first,
    )


def read_close_reason(reason: str) -> CloseReason:
    """The reason to close a file, as typed: its code or its word in either language
    (`out_of_hardship`, `已脱困`, `out of hardship`); anything else is refused with the
    reasons, in the terminal's language."""
    found = code_of("close_reason", reason.strip(" \u3000"))
    if found is not None:
        return CloseReason(found)
    from hardship_cli.casework.intake import choice_list

    choices = choice_list("close_reason")
    raise UsageError(
        _("--reason {value} is not a reason to close").format(value=printable(repr(reason))),
        _("use one of: {choices}").format(choices=choices),
    )


def _unpaid(grant: Grant) -> str:
    approved = max((s.on for s in grant.approvals if s.decision == Decision.approved), default=None)
    return _("{id} {kind} {amount} ({fund}), approved {on}").format(
        id=grant.id,
        kind=word("kind", grant.kind.value),
        amount=yuan(grant.amount),
        fund=grant.fund,
        on=approved,
    )
