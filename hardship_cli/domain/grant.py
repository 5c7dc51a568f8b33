"""A grant: help proposed for a household, approved, paid or ended; and what the money
functions and the rules across grants read of one (GrantLike, GrantFacts)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, NamedTuple, Protocol

from pydantic import Field

from hardship_cli.domain.enums import Decision, GrantKind, GrantStatus, Role
from hardship_cli.domain.parts import Ended, Override, Payment, Proposed, Record, Step
from hardship_cli.domain.sensitive import SENSITIVE
from hardship_cli.domain.values import Amount, CaseId, Fund, GrantId, Loc, Prose


class Grant(Record):
    id: GrantId
    case: CaseId
    kind: GrantKind
    amount: Amount
    fund: Fund
    status: GrantStatus
    proposed: Proposed
    approvals: list[Step] = Field(default_factory=list)
    paid: Payment | None = None
    override: Override | None = None
    ended: Ended | None = None
    notes: Annotated[Prose | None, SENSITIVE] = None

    @property
    def year(self) -> int:
        """The budget year a grant counts against: the year it was proposed."""
        return self.proposed.on.year

    @property
    def campaign(self) -> str | None:
        """The drive a grant is paid from (the fund's shape is checked when it loads; in a
        roll-up of several units the drive's ID carries its unit, `U1/DC-2026-01`)."""
        return self.fund[len("campaign:") :] if self.fund.startswith("campaign:") else None

    def facts(self) -> GrantFacts:
        return GrantFacts(
            self.id,
            self.case,
            self.kind,
            self.amount,
            self.fund,
            self.status,
            self.proposed.on,
            self.proposed.by,
            self.override.by if self.override is not None else None,
            self.year,
            self.campaign,
            self.paid.on if self.paid is not None else None,
            last_dated(self),
            tuple(StepFacts(s.by, s.role, s.decision, s.on) for s in self.approvals)
            if self.status in WAITS
            else (),
        )

    def dates(self) -> list[tuple[Loc, date]]:
        """Every day the grant records a step on (where, when)."""
        found: list[tuple[Loc, date]] = [(("proposed", "on"), self.proposed.on)]
        found.extend((("approvals", i, "on"), s.on) for i, s in enumerate(self.approvals))
        for name, part in (("override", self.override), ("ended", self.ended)):
            if part is not None:
                found.append(((name, "on"), part.on))
        if self.paid is not None:
            found.append((("paid", "on"), self.paid.on))
        return found


class GrantLike(Protocol):
    """A Grant or its GrantFacts: what the money functions read."""

    @property
    def id(self) -> str: ...
    @property
    def case(self) -> str: ...
    @property
    def kind(self) -> GrantKind: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def fund(self) -> str: ...
    @property
    def status(self) -> GrantStatus: ...
    @property
    def year(self) -> int: ...
    @property
    def campaign(self) -> str | None: ...


class GrantFacts(NamedTuple):
    """What the rules that look across grants need of one grant (money, dates, links).

    Kept with the grant in the parse cache, so that a warm `validate` checks budget lines,
    caps, earmarks and links of 100,000 grants without rebuilding the grants themselves;
    it reads like a Grant for the money functions (id, case, kind, amount, status, year,
    campaign).
    """

    id: str
    case: str
    kind: GrantKind
    amount: Decimal
    fund: str
    status: GrantStatus
    proposed_on: date
    proposed_by: str
    override_by: str | None
    year: int
    campaign: str | None
    paid_on: date | None
    last_on: date  # the latest day a step is recorded on (Grant.dates)
    # The approvals of a grant that still waits (WAITS: proposed or approved), what
    # `review list` needs of them (who waits for whom), no note; () once it is paid,
    # rejected or cancelled (nine grants in ten: the cache keeps no steps it never reads).
    approvals: tuple[StepFacts, ...] = ()


# The names of GrantFacts' fields, in order (a frame is made a column a field).
GRANT_FACTS: tuple[str, ...] = GrantFacts._fields


# The grants that wait for a step: an approval, or their payment.
WAITS = frozenset({GrantStatus.proposed, GrantStatus.approved})


class StepFacts(NamedTuple):
    """An approval step of a grant, as GrantFacts keeps it."""

    by: str
    role: Role | None
    decision: Decision
    on: date


def last_dated(grant: Grant) -> date:
    """The latest day a grant's steps are dated (the latest of `dates()`, worked out
    without them: the facts of 100,000 grants are made with it)."""
    last = grant.proposed.on
    for step in grant.approvals:
        if step.on > last:
            last = step.on
    for part in (grant.paid, grant.ended, grant.override):
        if part is not None and part.on > last:
            last = part.on
    return last
