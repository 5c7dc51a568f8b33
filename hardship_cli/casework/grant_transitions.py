"""The transitions of a grant (帮扶): its approvals under the policy and the budget guard,
rejection, cancellation and payment; and the check that help goes to a filed household.

Grant: proposed -> approved -> paid; or rejected / cancelled before it is paid.
Each transition returns an `Outcome` or raises `Refused` (see `outcome`); the policy facts
it decides by are those validate checks (`domain.policy`).
"""

from __future__ import annotations

from datetime import date

from hardship_cli.casework.outcome import (
    AND,
    COMMA,
    OR,
    Outcome,
    not_before,
    register,
    rejection,
    word,
    words,
)
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
from hardship_cli.i18n import N_, _
from hardship_cli.problems import Refused, UsageError


def _status(grant: Grant) -> str:
    """A grant's status as the terminal says it."""
    return word("grant_status", grant.status.value)


def _subject_of(config: Config, message: str, grant: Grant, by: str, role: Role) -> str:
    """A grant's commit subject, `message` (with {id} {who} {kind} {amount} {case}) in the
    root's language."""
    reg = register(config)
    return reg(message).format(
        id=grant.id,
        who=reg.who(by, role),
        kind=reg.word("kind", grant.kind.value),
        amount=yuan(grant.amount),
        case=grant.case,
    )


def check_filed(config: Config, case: Case | None, grant: Grant, day: date | None = None) -> None:
    """Refuse help to a household whose file is not active (emergency relief excepted)."""
    if case is None:
        raise UsageError(
            _("{id} is for case {case}, which does not exist").format(id=grant.id, case=grant.case),
            _("file the household first: hardship add case"),
        )
    when = filing_problem(config, case, grant.kind, grant.proposed.on)
    if when is not None:
        raise Refused(
            _(
                "{id} ({kind}) is for {case}, but {when}; help goes only to an approved "
                "(active) file"
            ).format(id=grant.id, kind=word("kind", grant.kind.value), case=case.id, when=when),
            _("use kind emergency for urgent relief during intake"),
        )
    if day is not None and case.status in (CaseStatus.closed, CaseStatus.rejected):
        emergency = grant.kind == GrantKind.emergency and config.policy.emergency_before_active
        if case.status == CaseStatus.closed or not emergency:
            raise Refused(
                _("{id} is for {case}, which is {status}; help goes only to an open file").format(
                    id=grant.id, case=case.id, status=word("case_status", case.status.value)
                )
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
    subject, says = _approval_told(config, grant, new, by, role, still, soft, overriding)
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
            _(
                "{by} proposed {id} and cannot approve it (nobody approves what they proposed)"
            ).format(by=by, id=grant.id),
            _("at {amount} the policy needs the approval of {roles}").format(
                amount=yuan(grant.amount), roles=words("role", required, AND)
            ),
        )
    if grant.status != GrantStatus.proposed:
        raise Refused(
            _("{id} is {status}: only a proposed grant is approved").format(
                id=grant.id, status=_status(grant)
            )
        )
    if any(s.by == by and s.decision == Decision.approved for s in grant.approvals):
        raise Refused(_("{by} has already approved {id}").format(by=by, id=grant.id))
    not_before(
        day, grant.proposed.on, _("the approval of {id}").format(id=grant.id), _("its proposal")
    )
    check_filed(config, case, grant, day)


def _check_may_override(
    config: Config, by: str, roles: set[Role], override_reason: str | None
) -> None:
    """An override of the budget guard needs a written reason and the policy's top role."""
    if not override_reason or not override_reason.strip():
        raise UsageError(_("an override needs a written reason: --override --reason TEXT"))
    top = top_role(config)
    if top not in roles:
        raise Refused(
            _(
                "only an approver with role {top} may override the budget guard; {by} is {has}"
            ).format(top=word("role", top.value), by=by, has=words("role", sorted(roles), COMMA))
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
            done = words("role", [r for r in required if r not in missing])
            raise Refused(
                _("{id} already has the approval of {done}; it waits for {waits}").format(
                    id=grant.id, done=done, waits=words("role", missing) or _("nobody")
                )
            )
        raise Refused(
            _("{id} ({amount}) needs the approval of {roles}; {by} is {has}").format(
                id=grant.id,
                amount=yuan(grant.amount),
                roles=words("role", required, AND),
                by=by,
                has=words("role", sorted(roles)),
            ),
            _("the policy in hardship.yaml says which roles approve at which amount"),
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
        raise Refused(_refusal(grant, hard), _("money raised by a drive is spent only as raised"))
    if overriding and not soft:
        raise Refused(
            _("{id} is within its budget line and caps: there is nothing to override").format(
                id=grant.id
            ),
            _("approve it without --override"),
        )
    if not overriding and soft and grant.override is None:
        raise Refused(
            _refusal(grant, soft),
            _(
                "an approver with role {top} may pass it: hardship review approve {id} --as "
                "NAME --override --reason TEXT"
            ).format(top=word("role", top_role(config).value), id=grant.id),
        )
    return soft


def _approval_told(
    config: Config,
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
    reg = register(config)
    if still and overriding:
        message = N_(
            "grant {id} approved by {who}: {kind} {amount} for {case}, waiting for {waits} "
            "(override)"
        )
    elif still:
        message = N_(
            "grant {id} approved by {who}: {kind} {amount} for {case}, waiting for {waits}"
        )
    elif overriding:
        message = N_("grant {id} approved by {who}: {kind} {amount} for {case} (override)")
    else:
        message = N_("grant {id} approved by {who}: {kind} {amount} for {case}")
    subject = reg(message).format(
        id=grant.id,
        who=reg.who(by, role),
        kind=reg.word("kind", grant.kind.value),
        amount=yuan(grant.amount),
        case=grant.case,
        waits=reg.words("role", still),
    )
    if still:
        says = [_("{id} now waits for {waits}").format(id=grant.id, waits=words("role", still))]
    else:
        says = [_("{id} is approved; finance pays it: hardship pay {id}").format(id=grant.id)]
    if overriding:
        says.insert(
            0,
            _("override recorded: {rule}").format(rule=new.override.rule if new.override else ""),
        )
    elif soft:
        says.insert(
            0,
            _("passed by the override of {by}").format(
                by=grant.override.by if grant.override else ""
            ),
        )
    return subject, says


def _refusal(grant: Grant, breaches: list[Breach]) -> str:
    if len(breaches) == 1:
        return _("{id} cannot be approved: {why}").format(id=grant.id, why=breaches[0].message)
    lines = "\n".join(f"  - {b.message}" for b in breaches)
    return _("{id} cannot be approved:\n{lines}").format(id=grant.id, lines=lines)


def reject_grant(config: Config, grant: Grant, by: str, day: date, reason: str | None) -> Outcome:
    """An approver refuses a proposed grant, with the reason."""
    if not reason or not reason.strip():
        raise UsageError(_("a rejection needs its reason: --note TEXT"))
    roles = acting_roles(config, by)
    if own_record(grant, by):
        raise Refused(
            _("{by} proposed {id} and cannot decide on it").format(by=by, id=grant.id),
            _("to withdraw it: hardship review cancel {id} --as {by} --note REASON").format(
                id=grant.id, by=by
            ),
        )
    required = config.roles_required(grant.amount)
    usable = [r for r in required if r in roles] or (
        [top_role(config)] if top_role(config) in roles else []
    )
    if not usable:
        raise Refused(
            _("{id} is decided by {roles}; {by} is {has}").format(
                id=grant.id,
                roles=words("role", required, AND),
                by=by,
                has=words("role", sorted(roles)),
            )
        )
    if grant.status != GrantStatus.proposed:
        raise Refused(
            _("{id} is {status}: only a proposed grant is rejected").format(
                id=grant.id, status=_status(grant)
            )
        )
    not_before(
        day,
        _grant_last_step(grant),
        _("the rejection of {id}").format(id=grant.id),
        _("its last step"),
    )
    role = usable[0]
    new = grant.model_copy(deep=True)
    new.approvals.append(rejection(by, role, day, reason))
    new.status = GrantStatus.rejected
    new.ended = Ended(by=by, on=day, reason=reason.strip())
    subject = _subject_of(
        config, N_("grant {id} rejected by {who}: {kind} {amount} for {case}"), grant, by, role
    )
    return Outcome(new, "reject", by, role, subject, on=day)


def _grant_last_step(grant: Grant) -> date:
    """The day of a grant's proposal or latest approval: what its next step follows."""
    return max([grant.proposed.on, *(s.on for s in grant.approvals)])


def cancel_grant(config: Config, grant: Grant, by: str, day: date, reason: str | None) -> Outcome:
    """Withdraw a grant not yet paid: by who proposed it, or by an approver of its amount."""
    if not reason or not reason.strip():
        raise UsageError(_("a cancellation needs its reason: --note TEXT"))
    roles = acting_roles(config, by)
    required = config.roles_required(grant.amount)
    if not own_record(grant, by) and not any(r in roles for r in (*required, top_role(config))):
        raise Refused(
            _("{id} is cancelled by who proposed it ({by}) or by {roles}").format(
                id=grant.id, by=grant.proposed.by, roles=words("role", required, OR)
            )
        )
    if grant.status not in (GrantStatus.proposed, GrantStatus.approved):
        raise Refused(
            _("{id} is {status}: only an unpaid grant is cancelled").format(
                id=grant.id, status=_status(grant)
            )
        )
    not_before(
        day,
        _grant_last_step(grant),
        _("the cancellation of {id}").format(id=grant.id),
        _("its last step"),
    )
    role = next(iter(sorted(roles, key=lambda r: r.value)))
    for r in (*required, top_role(config)):
        if r in roles:
            role = r
            break
    new = grant.model_copy(deep=True)
    new.status = GrantStatus.cancelled
    new.ended = Ended(by=by, on=day, reason=reason.strip())
    subject = _subject_of(
        config, N_("grant {id} cancelled by {who}: {kind} {amount} for {case}"), grant, by, role
    )
    return Outcome(new, "cancel", by, role, subject, on=day)


def pay_grant(
    config: Config, grant: Grant, case: Case | None, by: str, day: date, voucher: str | None
) -> Outcome:
    """Finance marks an approved grant paid, with the voucher that proves it. A grant of a
    closed file is paid only when its closing kept it payable (closed.keep_payable)."""
    roles = acting_roles(config, by)
    if Role.finance not in roles:
        raise Refused(
            _("only a finance officer marks a grant paid; {by} is {has}").format(
                by=by, has=words("role", sorted(roles))
            )
        )
    if voucher is None or not voucher.strip():
        raise UsageError(
            _("paying {id} needs the voucher reference: --voucher REF").format(id=grant.id),
            _("the number of the payment voucher (记账凭证) in the books"),
        )
    if grant.status == GrantStatus.proposed:
        # A plain read of the policy: the roles not yet covered.
        raise Refused(
            _("{id} is {status} (it waits for {waits}): only an approved grant is paid").format(
                id=grant.id,
                status=_status(grant),
                waits=words("role", roles_missing(config, grant)),
            )
        )
    if grant.status != GrantStatus.approved:
        raise Refused(
            _("{id} is {status}: only an approved grant is paid").format(
                id=grant.id, status=_status(grant)
            )
        )
    last = max((s.on for s in grant.approvals if s.decision == Decision.approved), default=None)
    if last is not None:
        not_before(day, last, _("the payment of {id}").format(id=grant.id), _("its approval"))
    if case is not None and case.status == CaseStatus.closed and case.closed is not None:
        if grant.id not in kept_payable(case):
            raise Refused(
                _(
                    "{id} is for {case}, whose file was closed on {on} without keeping this "
                    "grant payable"
                ).format(id=grant.id, case=case.id, on=case.closed.on),
                _(
                    "cancel it (hardship review cancel {id} --as NAME --note REASON), or record "
                    "the choice in {case}'s file: closed.keep_payable: "
                    "{{grants: [{id}], reason: WHY}}"
                ).format(id=grant.id, case=case.id),
            )
    new = grant.model_copy(deep=True)
    new.paid = Payment(by=by, on=day, voucher=voucher.strip())
    new.status = GrantStatus.paid
    reg = register(config)
    subject = reg(
        N_("grant {id} paid by {who}: {kind} {amount} for {case}, voucher {voucher}")
    ).format(
        id=grant.id,
        who=reg.who(by, Role.finance),
        kind=reg.word("kind", grant.kind.value),
        amount=yuan(grant.amount),
        case=grant.case,
        voucher=voucher.strip(),
    )
    return Outcome(new, "pay", by, Role.finance, subject, on=day)
