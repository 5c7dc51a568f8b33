"""Referrals outward (联系协调): to the city union, civil affairs (民政), a hospital, a
school; and what came back. Recurring help that comes back (e.g. 低保金) counts as
household income from then on (see `Case.per_capita_monthly`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

from hardship_cli.casework.outcome import Outcome, register, word
from hardship_cli.domain.case import CaseFacts, ReferralFacts
from hardship_cli.domain.model import (
    OPEN_CASE_STATUSES,
    Answer,
    Case,
    Config,
    Referral,
    ReferralStatus,
    ReferralTo,
    Signed,
)
from hardship_cli.domain.money import yuan
from hardship_cli.domain.policy import CASEWORK_ROLES, acting_as
from hardship_cli.i18n import N_, _
from hardship_cli.problems import Refused, UsageError

OPEN = (ReferralStatus.sent, ReferralStatus.answered)
WAITING_TOO_LONG = timedelta(days=30)


def refer(
    config: Config,
    case: Case,
    by: str,
    day: date,
    to: ReferralTo,
    purpose: str,
    body: str | None = None,
) -> Outcome:
    """Send a case to another body for help the unit cannot give itself."""
    role = acting_as(config, by, CASEWORK_ROLES, _("referring {id}").format(id=case.id))
    if case.status not in OPEN_CASE_STATUSES:
        raise Refused(
            _("{id} is {status}: only an open file is referred").format(
                id=case.id, status=word("case_status", case.status.value)
            ),
            _("reopen the file first, or file the household again"),
        )
    if not purpose.strip():
        raise UsageError(_("a referral needs its purpose (--purpose)"))
    if day < case.filed.on:
        raise UsageError(
            _("the referral on {day} would come before the filing of {id} on {filed}").format(
                day=day, id=case.id, filed=case.filed.on
            )
        )
    referral = Referral(
        to=to, body=body, purpose=purpose, sent=Signed(by=by, on=day), status=ReferralStatus.sent
    )
    updated = case.model_copy(update={"referrals": [*case.referrals, referral]})
    number = len(updated.referrals)
    reg = register(config)
    subject = reg(N_("case {id} referred to {where} by {who}: referral {n}")).format(
        id=case.id, where=body or reg.word("referral_to", to.value), who=reg.who(by, role), n=number
    )
    return Outcome(
        updated,
        "refer",
        by,
        role,
        subject,
        [
            _("referral {n} of {id} sent to {where}").format(
                n=number, id=case.id, where=body or word("referral_to", to.value)
            )
        ],
        on=day,
    )


def record_answer(
    config: Config,
    case: Case,
    number: int,
    by: str,
    day: date,
    status: ReferralStatus,
    note: str | None = None,
    amount: Decimal | None = None,
    monthly_income: Decimal | None = None,
) -> Outcome:
    """What came back from a referral: an answer, help received (a one-off amount and/or a
    recurring monthly amount), or a refusal."""
    role = acting_as(
        config,
        by,
        CASEWORK_ROLES,
        _("recording the answer to a referral of {id}").format(id=case.id),
    )
    if not 1 <= number <= len(case.referrals):
        raise UsageError(
            _("{id} has {count} referral(s); there is no referral {n}").format(
                id=case.id, count=len(case.referrals), n=number
            ),
            _(
                "number referrals from 1 in the order they were sent (hardship report case "
                "shows them)"
            ),
        )
    if status == ReferralStatus.sent:
        raise UsageError(_("a referral is answered, helped or declined; it was already sent"))
    referral = case.referrals[number - 1]
    if referral.status in (ReferralStatus.helped, ReferralStatus.declined):
        raise Refused(
            _("referral {n} of {id} is already {status}").format(
                n=number, id=case.id, status=word("referral_status", referral.status.value)
            )
        )
    if day < referral.sent.on:
        raise UsageError(
            _("the answer on {day} is before the referral was sent ({sent})").format(
                day=day, sent=referral.sent.on
            )
        )
    if (amount is not None or monthly_income is not None) and status != ReferralStatus.helped:
        raise UsageError(_("amounts received go with --status helped"))
    if status == ReferralStatus.helped and amount is None and monthly_income is None:
        raise UsageError(
            _("help received needs --amount (one-off) or --monthly-income (recurring), or both")
        )
    changed = referral.model_copy(
        update={
            "status": status,
            "answered": Answer(on=day, note=note),
            "amount": amount if amount is not None else referral.amount,
            "monthly_income": monthly_income
            if monthly_income is not None
            else referral.monthly_income,
        }
    )
    referrals = list(case.referrals)
    referrals[number - 1] = changed
    updated = case.model_copy(update={"referrals": referrals})
    reg = register(config)
    got: list[str] = []
    got_root: list[str] = []
    lang_of: Callable[[str], str]
    for lang_of, into in ((_, got), (reg, got_root)):
        if amount is not None:
            into.append(lang_of(N_("{amount} once")).format(amount=yuan(amount)))
        if monthly_income is not None:
            into.append(lang_of(N_("{amount} a month")).format(amount=yuan(monthly_income)))
    said = word("referral_status", status.value)
    says = [
        _("referral {n} of {id}: {status} ({got})").format(
            n=number, id=case.id, status=said, got=_(", ").join(got)
        )
        if got
        else _("referral {n} of {id}: {status}").format(n=number, id=case.id, status=said)
    ]
    if monthly_income is not None:
        says.append(
            _(
                "per-capita income is now {now} a month (was {was}); hardship validate tells "
                "if the tier still fits"
            ).format(now=yuan(updated.per_capita_monthly), was=yuan(case.per_capita_monthly))
        )
    values = {
        "n": number,
        "id": case.id,
        "status": reg.word("referral_status", status.value),
        "who": reg.who(by, role),
        "got": reg(", ").join(got_root),
    }
    subject = (
        reg(N_("referral {n} of {id} {status}, recorded by {who}: {got}")).format(**values)
        if got_root
        else reg(N_("referral {n} of {id} {status}, recorded by {who}")).format(**values)
    )
    return Outcome(updated, "referral", by, role, subject, says, on=day)


def waiting(
    cases: Iterable[CaseFacts], today: date
) -> list[tuple[CaseFacts, int, ReferralFacts]]:
    """Referrals sent and not yet settled, oldest first: (case, number, referral), from
    the cases' facts."""
    result = [
        (case, index, r)
        for case in cases
        for index, r in enumerate(case.referrals, start=1)
        if r.status in OPEN
    ]
    return sorted(result, key=lambda item: (item[2].sent_on, item[0].id, item[1]))


def overdue(referral: ReferralFacts, today: date) -> bool:
    return referral.status == ReferralStatus.sent and today - referral.sent_on > WAITING_TOO_LONG
