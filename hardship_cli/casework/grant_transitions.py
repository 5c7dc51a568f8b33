"""The transitions of a grant (帮扶): its approvals under the policy and the budget guard,
rejection, cancellation and payment; and the check that help goes to a filed household.

Grant: proposed -> approved -> paid; or rejected / cancelled before it is paid.
Each transition returns an `Outcome` or raises `Refused` (see `outcome`); the policy facts
it decides by are those validate checks (`domain.policy`).
"""

from __future__ import annotations

from datetime import date

from hardship_cli.casework.outcome import Outcome, not_before, rejection
from hardship_cli.domain.case import kept_payable
from hardship_cli.domain.model import (
    Budget,
    Campaign,
    Case,
    CaseStatus,
    Config,
    Decision,
    Ended,
    Grant,
    GrantKind,
    GrantStatus,
    Override,
    Payment,
    Role,
    Step,
    StepName,
)
from hardship_cli.domain.money import Breach, grant_breaches, yuan
from hardship_cli.domain.policy import (
    acting_roles,
    filing_problem,
    own_record,
    roles_missing,
    top_role,
)
from hardship_cli.problems import Refused, UsageError


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
    _check_may_approve(config, grant, case, by, roles, day)
    overriding = override_reason is not None
    if overriding:
        _check_may_override(config, by, roles, override_reason)
    role = _approving_role(config, grant, by, roles, overriding)
    new = grant.model_copy(deep=True)
    new.approvals.append(
        Step(step=StepName.approve, by=by, role=role, on=day, decision=Decision.approved, note=note)
    )
    still = roles_missing(config, new)
    soft: list[Breach] = []
    if not still or overriding:
        soft = _budget_guard(config, budgets, campaigns, grants, grant, overriding)
    if overriding:
        assert override_reason is not None
        new.override = Override(
            by=by,
            role=top_role(config),
            on=day,
            reason=override_reason.strip(),
            rule="; ".join(b.message for b in soft),
        )
    if not still:
        new.status = GrantStatus.approved
    subject, says = _approval_told(grant, new, by, role, still, soft, overriding)
    return Outcome(new, "approve", by, role, subject, says, override=overriding, on=day)


def _check_may_approve(
    config: Config, grant: Grant, case: Case | None, by: str, roles: set[Role], day: date
) -> None:
    """Refuse an approval by who proposed the grant, of a grant no longer proposed, a
    second one by the same approver, one dated before the proposal, or one of help to a
    household whose file may not take it (`check_filed`)."""
    if own_record(grant, by):
        required = config.roles_required(grant.amount)
        raise Refused(
            f"{by} proposed {grant.id} and cannot approve it (nobody approves what they proposed)",
            f"at {yuan(grant.amount)} the policy needs the approval of "
            f"{' and '.join(r.value for r in required)}",
        )
    if grant.status != GrantStatus.proposed:
        raise Refused(f"{grant.id} is {grant.status.value}: only a proposed grant is approved")
    if any(s.by == by and s.decision == Decision.approved for s in grant.approvals):
        raise Refused(f"{by} has already approved {grant.id}")
    not_before(day, grant.proposed.on, f"the approval of {grant.id}", "its proposal")
    check_filed(config, case, grant, day)


def _check_may_override(
    config: Config, by: str, roles: set[Role], override_reason: str | None
) -> None:
    """An override of the budget guard needs a written reason and the policy's top role."""
    if not override_reason or not override_reason.strip():
        raise UsageError("an override needs a written reason: --override --reason TEXT")
    top = top_role(config)
    if top not in roles:
        has = ", ".join(sorted(r.value for r in roles))
        raise Refused(
            f"only an approver with role {top.value} may override the budget guard; {by} is {has}"
        )


def _approving_role(
    config: Config, grant: Grant, by: str, roles: set[Role], overriding: bool
) -> Role:
    """The role this approval counts for: the first role the policy still needs that the
    approver holds (the top role for an override); refused when it adds nothing."""
    required = config.roles_required(grant.amount)
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
    return usable[0] if usable else top_role(config)


def _budget_guard(
    config: Config,
    budgets: dict[int, Budget],
    campaigns: dict[str, Campaign],
    grants: list[Grant],
    grant: Grant,
    overriding: bool,
) -> list[Breach]:
    """The budget guard at the approval that completes the policy (or overrides): a
    breach no override passes (a drive's money) is refused; a budget line or a cap is
    refused unless this approval overrides it, or an earlier one did. Returns the breaches
    passed (by an override)."""
    breaches = grant_breaches(config, budgets, campaigns, grants, grant)
    hard = [b for b in breaches if not b.overridable]
    soft = [b for b in breaches if b.overridable]
    if hard:
        raise Refused(_refusal(grant, hard), "money raised by a drive is spent only as raised")
    if overriding and not soft:
        raise Refused(
            f"{grant.id} is within its budget line and caps: there is nothing to override",
            "approve it without --override",
        )
    if not overriding and soft and grant.override is None:
        raise Refused(
            _refusal(grant, soft),
            f"an approver with role {top_role(config).value} may pass it: hardship review "
            f"approve {grant.id} --as NAME --override --reason TEXT",
        )
    return soft


def _approval_told(
    grant: Grant,
    new: Grant,
    by: str,
    role: Role,
    still: list[Role],
    soft: list[Breach],
    overriding: bool,
) -> tuple[str, list[str]]:
    """The commit's subject and the lines for the terminal: who approved, what the grant
    still waits for, and the override that passed it, if any."""
    what = (
        f"grant {grant.id} approved by {by} ({role.value}): {grant.kind.value} "
        f"{yuan(grant.amount)} for {grant.case}"
    )
    if still:
        waits = ", ".join(r.value for r in still)
        subject = f"{what}, waiting for {waits}"
        says = [f"{grant.id} now waits for {waits}"]
    else:
        subject = what
        says = [f"{grant.id} is approved; finance pays it: hardship pay {grant.id}"]
    if overriding:
        subject += " (override)"
        says.insert(0, f"override recorded: {new.override.rule if new.override else ''}")
    elif soft:
        says.insert(0, f"passed by the override of {grant.override.by if grant.override else ''}")
    return subject, says


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
    not_before(day, _grant_last_step(grant), f"the rejection of {grant.id}", "its last step")
    role = usable[0]
    new = grant.model_copy(deep=True)
    new.approvals.append(rejection(by, role, day, reason))
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
    not_before(day, _grant_last_step(grant), f"the cancellation of {grant.id}", "its last step")
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
        not_before(day, last, f"the payment of {grant.id}", "its approval")
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
