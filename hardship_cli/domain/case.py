"""A household's file (a case): the worker, the household, income, causes, the bank, the
steps of its filing and notice, referrals, closing; and the facts of its history that
rules and casework share (approved since, active on a day, open objections)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, NamedTuple

from pydantic import ConfigDict, Field, field_validator

from hardship_cli.domain.enums import (
    CaseStatus,
    Cause,
    CloseReason,
    Decision,
    Employment,
    Health,
    Level,
    ReferralStatus,
    ReferralTo,
    Relation,
    Sex,
    StepName,
)
from hardship_cli.domain.parts import Record, Signed, Step
from hardship_cli.domain.sensitive import SENSITIVE
from hardship_cli.domain.values import CaseId, GrantId, IsoDate, Loc, Money, Name, Prose, Text
from hardship_cli.i18n import _


class Worker(Record):
    name: Name
    employee_id: Name
    unit: Name
    sex: Sex
    birth_date: IsoDate
    employment: Employment
    health: Health = Health.healthy
    disability: Text | None = None
    diagnosis: Annotated[Text | None, SENSITIVE] = None
    phone: Annotated[Text | None, SENSITIVE] = None
    id_number: Annotated[Text | None, SENSITIVE] = None
    address: Annotated[Text | None, SENSITIVE] = None

    @field_validator("id_number")
    @classmethod
    def _id_number_shape(cls, value: str | None) -> str | None:
        return id_number_shape(value)


def id_number_shape(value: str | None) -> str | None:
    """An ID number keeps its shape (what it says is checked by rules/id_numbers.py)."""
    if value is not None and not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        # Never echo the value: it is sensitive.
        raise ValueError(_("an ID number has 18 characters: 17 digits and a digit or X"))
    return value


class Member(Record):
    name: Name
    relation: Relation
    birth_date: IsoDate | None = None
    health: Health = Health.healthy
    monthly_income: Money = Decimal("0")
    occupation: Text | None = None
    diagnosis: Annotated[Text | None, SENSITIVE] = None
    id_number: Annotated[Text | None, SENSITIVE] = None  # a member's own, when known

    @field_validator("id_number")
    @classmethod
    def _id_number_shape(cls, value: str | None) -> str | None:
        return id_number_shape(value)


class Income(Record):
    household_monthly: Money
    rigid_expenses_monthly: Money = Decimal("0")


class Causes(Record):
    primary: Cause
    secondary: list[Cause] = Field(default_factory=list, max_length=3)


class Objection(Record):
    by: Name
    on: IsoDate
    text: Annotated[Prose, Field(min_length=1), SENSITIVE]
    resolved: Signed | None = None
    resolution: Annotated[Prose | None, SENSITIVE] = None


class Notice(Record):
    from_: IsoDate = Field(alias="from")
    until: IsoDate
    objections: list[Objection] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class KeptPayable(Record):
    """Approved grants a case's closing left payable, and why (else they are cancelled)."""

    grants: list[GrantId] = Field(min_length=1)
    reason: Name


class Closed(Record):
    on: IsoDate
    reason: CloseReason
    by: Name | None = None
    note: Annotated[Prose | None, SENSITIVE] = None
    keep_payable: KeptPayable | None = None


class Bank(Record):
    name: Annotated[Name, SENSITIVE]
    account: Annotated[Name, SENSITIVE]


class Answer(Record):
    on: IsoDate
    note: Annotated[Prose | None, SENSITIVE] = None


class Referral(Record):
    """A referral outward and what came back. A recurring amount received (e.g. 低保金
    granted by civil affairs) counts as household income from the day it starts."""

    to: ReferralTo
    body: Text | None = None  # the office, e.g. 某县民政局
    purpose: Annotated[Name, SENSITIVE]
    sent: Signed
    status: ReferralStatus = ReferralStatus.sent
    answered: Answer | None = None
    amount: Money | None = None  # one-off help received
    monthly_income: Money | None = None  # recurring help, counted as household income
    note: Annotated[Prose | None, SENSITIVE] = None


class Case(Record):
    id: CaseId
    status: CaseStatus
    worker: Worker
    household: list[Member] = Field(default_factory=list)
    housing: Text | None = None
    income: Income
    level: Level
    causes: Causes
    bank: Bank | None = None
    filed: Signed
    checks: list[Step] = Field(default_factory=list)
    approvals: list[Step] = Field(default_factory=list)
    notice: Notice | None = None
    referrals: list[Referral] = Field(default_factory=list)
    review_due: IsoDate | None = None
    closed: Closed | None = None
    notes: Annotated[Prose | None, SENSITIVE] = None

    @property
    def household_size(self) -> int:
        return 1 + len(self.household)

    @property
    def referral_income_monthly(self) -> Decimal:
        """Recurring help received through referrals, which counts as household income."""
        return sum(
            (
                r.monthly_income
                for r in self.referrals
                if r.status == ReferralStatus.helped and r.monthly_income
            ),
            Decimal("0"),
        )

    @property
    def per_capita_monthly(self) -> Decimal:
        """(household income + referral income - rigid expenses) / members, to the fen,
        never below zero."""
        net = (
            self.income.household_monthly
            + self.referral_income_monthly
            - self.income.rigid_expenses_monthly
        )
        if net < 0:
            net = Decimal("0")
        return (net / self.household_size).quantize(Decimal("0.01"))

    def facts(self) -> CaseFacts:
        return CaseFacts(
            self.id,
            self.status,
            self.worker.employee_id,
            self.worker.id_number,
            active_since(self),
            self.closed.on if self.closed is not None else None,
            self.review_due,
            max(day for _loc, day in self.dates()),
            kept_payable(self),
            self.level,
            self.causes.primary,
            self.worker.unit,
            self.worker.sex,
            self.worker.employment,
            self.worker.health,
            self.worker.birth_date,
            self.household_size,
            self.per_capita_monthly,
            self.filed.on,
            left_on(self),
            self.closed.reason if self.closed is not None else None,
            self.worker.name,
            tuple(self.causes.secondary),
            self.income.rigid_expenses_monthly,
            tuple(
                MemberFacts(m.relation, m.birth_date, m.health, m.occupation)
                for m in self.household
            ),
            tuple(
                ReferralFacts(
                    r.to,
                    r.body,
                    r.purpose,
                    r.status,
                    r.sent.on,
                    r.answered.on if r.answered is not None else None,
                    r.amount,
                    r.monthly_income,
                )
                for r in self.referrals
            ),
            status_history(self),
            self.notice.until if self.notice is not None else None,
            bool(open_objections(self)),
        )

    def dates(self) -> list[tuple[Loc, date]]:
        """Every day the file records a step on (where, when): a day that is not after
        today. Days ahead by design (a notice's end, the next review) are not steps."""
        found: list[tuple[Loc, date]] = [(("filed", "on"), self.filed.on)]
        for name, steps in (("checks", self.checks), ("approvals", self.approvals)):
            found.extend(((name, i, "on"), s.on) for i, s in enumerate(steps))
        if self.notice is not None:
            found.append((("notice", "from"), self.notice.from_))
            for i, o in enumerate(self.notice.objections):
                found.append((("notice", "objections", i, "on"), o.on))
                if o.resolved is not None:
                    found.append((("notice", "objections", i, "resolved", "on"), o.resolved.on))
        for i, r in enumerate(self.referrals):
            found.append((("referrals", i, "sent", "on"), r.sent.on))
            if r.answered is not None:
                found.append((("referrals", i, "answered", "on"), r.answered.on))
        if self.closed is not None:
            found.append((("closed", "on"), self.closed.on))
        return found


class MemberFacts(NamedTuple):
    """What a program's `member` condition asks of one member of the household."""

    relation: Relation
    birth_date: date | None
    health: Health
    occupation: str | None


class ReferralFacts(NamedTuple):
    """What advice asks of one referral: is it for a program (its purpose, sensitive:
    never shown), is it open, did it help, and does its help recur (低保金)."""

    to: ReferralTo
    body: str | None  # the office, e.g. 某县民政局
    purpose: str
    status: ReferralStatus
    sent_on: date
    answered_on: date | None
    amount: Decimal | None  # one-off help received
    monthly_income: Decimal | None  # recurring help (低保金), counted as income

    @property
    def recurring(self) -> bool:
        return bool(self.monthly_income)


class CaseFacts(NamedTuple):
    """What the rules across records need of one case: who the household is (one file a
    household), when its file was open (help only to filed households) and when it is
    due for review. Kept with the case in the parse cache, like GrantFacts. `id_number`
    is sensitive: never shown."""

    id: str
    status: CaseStatus
    employee_id: str
    id_number: str | None
    since: date | None  # approved into the archive (active_since)
    closed_on: date | None
    review_due: date | None
    last_on: date  # the latest day a step is recorded on (Case.dates)
    kept_payable: tuple[str, ...]  # approved grants its closing left payable
    # What statistics and reports count households by (report/frames.py), so that a
    # report never rebuilds the cases: nothing personal.
    level: Level
    cause: Cause  # the primary cause
    unit: str
    sex: Sex
    employment: Employment
    health: Health
    birth_date: date
    household_size: int
    per_capita: Decimal  # per_capita_monthly
    filed_on: date
    left_on: date | None  # closed, or its application rejected (left_on)
    close_reason: CloseReason | None
    # What advice judges a household by (rules/advice.py, rules/conditions.py), so that
    # `advise --all` and the reports' advice never rebuild the cases.
    name: str
    secondary: tuple[Cause, ...]  # the secondary causes
    rigid_expenses: Decimal  # medical and other rigid expenses a month
    members: tuple[MemberFacts, ...]
    referrals: tuple[ReferralFacts, ...]
    # What the monthly report shows of a file (report/monthly.py)
    history: tuple[tuple[date, str], ...]  # status_history
    notice_until: date | None  # the public notice's last day
    objections_open: bool  # an objection to its notice is not yet resolved


# The names of CaseFacts' fields, in order (for code that works on them by place)
CASE_FACTS: tuple[str, ...] = CaseFacts._fields


# ---------------------------------------------------------------------------------------
# Facts about a case's history that rules and casework share


def active_since(case: Case) -> date | None:
    """The day the case was approved into the archive (its last approving step)."""
    days = [
        s.on
        for s in case.approvals
        if s.step == StepName.approve and s.decision == Decision.approved
    ]
    return max(days) if days else None


# A file's statuses in the order it moves through them (closed and rejected both end it).
_RANK = {"applied": 0, "checked": 1, "on_notice": 2, "active": 3, "rejected": 4, "closed": 4}


def status_history(case: Case) -> tuple[tuple[date, str], ...]:
    """What happened to a file, in order: each change of status (`case_status.<status>`)
    and each review of a file already in the archive (`step.review`, 动态管理), with its
    day. A step that does not move the file on (a second check) is left out."""
    events: list[tuple[date, int, str]] = [(case.filed.on, 0, "applied")]
    for order, step in enumerate([*case.checks, *case.approvals], start=1):
        if step.decision == Decision.rejected or step.step == StepName.reject:
            events.append((step.on, order, "rejected"))
        elif step.step == StepName.approve:
            events.append((step.on, order, "active"))
        elif step.step == StepName.review:
            events.append((step.on, order, "review"))
        else:
            events.append((step.on, order, "checked"))
    if case.notice is not None:
        events.append((case.notice.from_, 90, "on_notice"))
    if case.closed is not None:
        events.append((case.closed.on, 99, "closed"))
    current = -1
    out: list[tuple[date, str]] = []
    for day, _order, status in sorted(events):
        if status == "review":
            if current >= _RANK["active"] and (day, "step.review") not in out:
                out.append((day, "step.review"))
            continue
        if _RANK[status] > current:
            current = _RANK[status]
            out.append((day, f"case_status.{status}"))
    return tuple(out)


def left_on(case: Case) -> date | None:
    """The day a file left the archive: closed, or its application rejected."""
    if case.status == CaseStatus.closed and case.closed is not None:
        return case.closed.on
    if case.status == CaseStatus.rejected:
        days = [
            s.on
            for s in (*case.checks, *case.approvals)
            if s.step == StepName.reject or s.decision == Decision.rejected
        ]
        return max(days) if days else None
    return None


def kept_payable(case: Case) -> tuple[str, ...]:
    """The approved grants the closing of a case kept payable (closed.keep_payable)."""
    if case.closed is None or case.closed.keep_payable is None:
        return ()
    return tuple(case.closed.keep_payable.grants)


def was_active_on(case: Case, day: date) -> bool:
    """Was the household filed and approved (and not yet closed) on that day?"""
    closed_on = case.closed.on if case.closed is not None else None
    return active_between(case.status, active_since(case), closed_on, day)


def active_between(
    status: CaseStatus, since: date | None, closed_on: date | None, day: date
) -> bool:
    """was_active_on, from a case's status, its approval day and its closing day (as its
    facts have them)."""
    if since is None or day < since:
        return False
    if status == CaseStatus.closed and closed_on is not None:
        return day <= closed_on
    return status in (CaseStatus.active, CaseStatus.closed)


def open_objections(case: Case) -> list[Objection]:
    if case.notice is None:
        return []
    return [o for o in case.notice.objections if o.resolved is None]
