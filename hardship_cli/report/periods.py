"""Months, quarters, periods and ages: the calendar of the figures (no pandas here).

A month is written `YYYY-MM`, a quarter `YYYY-Qn`; a period is a year or a month, and a
household's age band is the worker's age on a given day, in bands of ten years.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from hardship_cli.i18n import _
from hardship_cli.problems import UsageError

UNKNOWN = "unknown"
AGE_BANDS = ("under_30", "30_39", "40_49", "50_59", "60_plus")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def parse_month(text: str) -> tuple[int, int]:
    """`2026-03` -> (2026, 3); anything else is a usage error."""
    try:
        year, month = text.split("-")
        y, m = int(year), int(month)
        if len(year) != 4 or len(month) != 2 or not 1 <= m <= 12:
            raise ValueError
    except ValueError:
        raise UsageError(
            _("{text} is not a month").format(text=repr(text)),
            _("write it as YYYY-MM, e.g. 2026-03"),
        ) from None
    return y, m


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Month:
    """A month of a year: its first and last day, and its `YYYY-MM`."""

    year: int
    month: int
    start: date
    end: date

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        return cls(year, month, *month_bounds(year, month))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_of_year(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def period_bounds(year: int | None, month: str | None) -> tuple[date, date] | None:
    if month is not None:
        return month_bounds(*parse_month(month))
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    return None


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    if age < 30:
        return "under_30"
    if age >= 60:
        return "60_plus"
    low = age // 10 * 10
    return f"{low}_{low + 9}"
