"""Working days (for the public notice, 公示): the official calendar by default.

The State Council's holidays and adjusted workdays (调休) come from the `chinese-calendar`
package for the years it knows (it is updated every year); hardship.yaml's `holidays`
and `workdays` override and extend it (a day the unit closes, a year the package does not
know yet). A year that neither knows is counted Monday to Friday, and `validate` and
`due` say so (`year_known`), so that no notice silently ends on the wrong day.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Protocol


class Calendar(Protocol):
    holidays: list[date]
    workdays: list[date]


@cache
def official_years() -> range:
    """The years the calendar package knows (empty when it is not installed)."""
    try:
        from chinese_calendar import constants
    except ImportError:
        return range(0)
    years = [day.year for day in constants.holidays]
    return range(min(years), max(years) + 1)


def official_working_day(day: date) -> bool | None:
    """The State Council's word on `day`: a working day or not; None for a year the
    package does not know."""
    if day.year not in official_years():
        return None
    import chinese_calendar

    return bool(chinese_calendar.is_workday(day))


def is_working_day(config: Calendar, day: date) -> bool:
    """hardship.yaml's workdays and holidays first, then the official calendar, then
    Monday to Friday."""
    if day in config.workdays:
        return True
    if day in config.holidays:
        return False
    official = official_working_day(day)
    return day.weekday() < 5 if official is None else official


def year_known(config: Calendar, year: int) -> bool:
    """Are `year`'s holidays known: by the package, or listed in hardship.yaml?"""
    return year in official_years() or any(d.year == year for d in config.holidays)


def unknown_years(config: Calendar, start: date, end: date) -> list[int]:
    """The years from `start` to `end` whose holidays nobody knows."""
    return [year for year in range(start.year, end.year + 1) if not year_known(config, year)]
