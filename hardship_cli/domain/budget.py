"""A year's budget: the total, a line for each kind of help, the reserve and sources."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from hardship_cli.domain.enums import GrantKind
from hardship_cli.domain.parts import Record
from hardship_cli.domain.values import Fund, Int, Money, Prose
from hardship_cli.i18n import _


class Budget(Record):
    year: Int
    total: Money
    lines: dict[GrantKind, Money]
    reserve: Money = Decimal("0")
    sources: dict[Fund, Money] = Field(default_factory=dict)
    notes: Prose | None = None

    @model_validator(mode="after")
    def _lines_within_total(self) -> Budget:
        allocated = sum(self.lines.values(), Decimal("0")) + self.reserve
        if allocated > self.total:
            raise ValueError(
                _("lines and reserve add up to {allocated}, more than the total {total}").format(
                    allocated=f"{allocated:.2f}", total=f"{self.total:.2f}"
                )
            )
        return self
