"""A visit to households (慰问, 家访): who went, whom they saw, what they found."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from hardship_cli.domain.enums import Occasion
from hardship_cli.domain.parts import Record
from hardship_cli.domain.sensitive import SENSITIVE
from hardship_cli.domain.values import CaseId, IsoDate, Loc, Name, Prose, Text, VisitId


class Visit(Record):
    id: VisitId
    on: IsoDate
    occasion: Occasion
    visitors: list[Name] = Field(min_length=1)
    cases: list[CaseId] = Field(min_length=1)
    goods: Text | None = None
    findings: Annotated[Prose | None, SENSITIVE] = None
    follow_up: IsoDate | None = None
    notes: Annotated[Prose | None, SENSITIVE] = None

    def dates(self) -> list[tuple[Loc, date]]:
        """The day of the visit (its follow-up is ahead by design)."""
        return [(("on",), self.on)]
