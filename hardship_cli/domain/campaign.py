"""A donation drive (campaign) and the donations it raised."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from hardship_cli.domain.parts import Record
from hardship_cli.domain.sensitive import SENSITIVE
from hardship_cli.domain.values import (
    Amount,
    Bool,
    CampaignId,
    CaseId,
    IsoDate,
    Loc,
    Money,
    Name,
    Prose,
    Text,
)


class Contribution(Record):
    donor: Name
    amount: Amount
    on: IsoDate
    anonymous: Bool = False


class Campaign(Record):
    id: CampaignId
    title: Name
    beneficiary: CaseId | None = None
    opened: IsoDate
    closed: IsoDate | None = None
    target: Money | None = None
    purpose: Text | None = None
    contributions: list[Contribution] = Field(default_factory=list)
    notes: Annotated[Prose | None, SENSITIVE] = None

    @property
    def raised(self) -> Decimal:
        return sum((c.amount for c in self.contributions), Decimal("0"))

    def dates(self) -> list[tuple[Loc, date]]:
        """The day the drive opened and the day of each donation (its close may be ahead)."""
        found: list[tuple[Loc, date]] = [(("opened",), self.opened)]
        found.extend((("contributions", i, "on"), c.on) for i, c in enumerate(self.contributions))
        return found
