"""Referrals outward (联系协调): to the city union, civil affairs (民政), a hospital, a
school; and what came back. Recurring help that comes back (e.g. 低保金) counts as
household income from then on (see `Case.per_capita_monthly`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hardship_cli.casework.outcome import Outcome
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
    role = acting_as(config, by, CASEWORK_ROLES, f"referring {case.id}")
    if case.status not in OPEN_CASE_STATUSES:
        raise Refused(
            f"{case.id} is {case.status.value}: only an open file is referred",
            "reopen the file first, or file the household again",
        )
    if not purpose.strip():
        raise UsageError("a referral needs its purpose (--purpose)")
    if day < case.filed.on:
        raise UsageError(
            f"the referral on {day} would come before the filing of {case.id} on {case.filed.on}"
        )
    referral = Referral(
        to=to, body=body, purpose=purpose, sent=Signed(by=by, on=day), status=ReferralStatus.sent
    )
    updated = case.model_copy(update={"referrals": [*case.referrals, referral]})
    number = len(updated.referrals)
    where = body or to.value
    return Outcome(
        updated,
        "refer",
        by,
        role,
        f"case {case.id} referred to {where} by {by} ({role.value}): referral {number}",
        [f"referral {number} of {case.id} sent to {where}"],
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
    role = acting_as(config, by, CASEWORK_ROLES, f"recording the answer to a referral of {case.id}")
    if not 1 <= number <= len(case.referrals):
        raise UsageError(
            f"{case.id} has {len(case.referrals)} referral(s); there is no referral {number}",
            "number referrals from 1 in the order they were sent (hardship report case shows them)",
        )
    if status == ReferralStatus.sent:
        raise UsageError("a referral is answered, helped or declined; it was already sent")
    referral = case.referrals[number - 1]
    if referral.status in (ReferralStatus.helped, ReferralStatus.declined):
        raise Refused(f"referral {number} of {case.id} is already {referral.status.value}")
    if day < referral.sent.on:
        raise UsageError(
            f"the answer on {day} is before the referral was sent ({referral.sent.on})"
        )
    if (amount is not None or monthly_income is not None) and status != ReferralStatus.helped:
        raise UsageError("amounts received go with --status helped")
    if status == ReferralStatus.helped and amount is None and monthly_income is None:
        raise UsageError(
            "help received needs --amount (one-off) or --monthly-income (recurring), or both"
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
    got = []
    if amount is not None:
        got.append(f"{yuan(amount)} once")
    if monthly_income is not None:
        got.append(f"{yuan(monthly_income)} a month")
    what = status.value + (f" ({', '.join(got)})" if got else "")
    says = [f"referral {number} of {case.id}: {what}"]
    if monthly_income is not None:
        says.append(
            f"per-capita income is now {yuan(updated.per_capita_monthly)} a month "
            f"(was {yuan(case.per_capita_monthly)}); hardship validate tells if the tier still "
            "fits"
        )
    return Outcome(
        updated,
        "referral",
        by,
        role,
        f"referral {number} of {case.id} {status.value}, recorded by {by} ({role.value})"
        + (f": {', '.join(got)}" if got else ""),
        says,
        on=day,
    )


def waiting(cases: list[Case], today: date) -> list[tuple[Case, int, Referral]]:
    """Referrals sent and not yet settled, oldest first: (case, number, referral)."""
    result = [
        (case, index, r)
        for case in cases
        for index, r in enumerate(case.referrals, start=1)
        if r.status in OPEN
    ]
    return sorted(result, key=lambda item: (item[2].sent.on, item[0].id, item[1]))


def overdue(referral: Referral, today: date) -> bool:
    return referral.status == ReferralStatus.sent and today - referral.sent.on > WAITING_TOO_LONG
