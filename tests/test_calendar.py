"""Working days from the official calendar (chinese-calendar), hardship.yaml overriding
and extending it; a year nobody knows is a warning in validate and a line in due."""

from __future__ import annotations

from datetime import date, timedelta

from hardship_cli.domain import workdays
from hardship_cli.domain.policy import notice_until
from hardship_cli.load import store
from hardship_cli.rules.calendar_known import holidays_known
from tests.clirun import hardship
from tests.conftest import DEMO
from tests.rootkit import Root

# What the demo's hardship.yaml listed by hand for 2026 before the calendar package
# counted them: 春节 2月15日至23日, 调休 2月14日、2月28日; and the rest of the year.
HAND_2026_HOLIDAYS = [
    "2026-01-01", "2026-01-02", "2026-01-03",
    *(f"2026-02-{d}" for d in range(15, 24)),
    "2026-04-04", "2026-04-05", "2026-04-06",
    *(f"2026-05-0{d}" for d in range(1, 6)),
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    *(f"2026-10-0{d}" for d in range(1, 8)),
]
HAND_2026_WORKDAYS = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                      "2026-10-10"]


def _config():
    records = store.load(DEMO)
    assert records.config is not None
    return records.config


def test_the_demo_lists_no_day_by_hand() -> None:
    config = _config()
    assert config.holidays == [] and config.workdays == []


def test_a_notice_across_spring_festival_2026_ends_as_the_hand_list_said() -> None:
    library = _config()
    hand = library.model_copy(update={
        "holidays": [date.fromisoformat(d) for d in HAND_2026_HOLIDAYS],
        "workdays": [date.fromisoformat(d) for d in HAND_2026_WORKDAYS],
    })
    assert notice_until(library, date(2026, 2, 12)) == date(2026, 2, 25)
    start = date(2026, 1, 1)
    while start.year == 2026:
        assert notice_until(library, start) == notice_until(hand, start), start
        start += timedelta(days=1)


def test_hardship_yaml_overrides_the_calendar() -> None:
    config = _config()
    closed = config.model_copy(update={"holidays": [date(2026, 3, 2)]})  # a Monday
    assert workdays.is_working_day(config, date(2026, 3, 2))
    assert not workdays.is_working_day(closed, date(2026, 3, 2))
    opened = config.model_copy(update={"workdays": [date(2026, 2, 16)]})  # 春节
    assert not workdays.is_working_day(config, date(2026, 2, 16))
    assert workdays.is_working_day(opened, date(2026, 2, 16))


def test_a_year_nobody_knows_is_counted_monday_to_friday_and_said() -> None:
    config = _config()
    year = workdays.official_years().stop  # the first year the package does not know
    assert not workdays.year_known(config, year)
    listed = config.model_copy(update={"holidays": [date(year, 1, 1)]})
    assert workdays.year_known(listed, year)
    assert not workdays.is_working_day(listed, date(year, 1, 1))
    assert workdays.is_working_day(config, date(year, 1, 1)) == (date(year, 1, 1).weekday() < 5)


def test_validate_warns_when_this_year_s_holidays_are_unknown(root: Root) -> None:
    year = workdays.official_years().stop
    records = store.load(root.path)
    assert records.config is not None
    found = holidays_known(records, records.config, date(year, 1, 4))
    assert [(p.path, p.code, p.severity, p.message, p.hint) for p in found] == [(
        "hardship.yaml", "holidays-unknown", "warning",
        f"{year}'s holidays are unknown: notices are counted Monday to Friday",
        "update the calendar package (pip install -U chinesecalendar) or list the year's "
        "holidays and adjusted workdays in hardship.yaml",
    )]
    assert holidays_known(records, records.config, date(year - 1, 11, 29)) == []


def test_a_notice_running_into_an_unknown_year_is_a_warning_at_its_line(root: Root) -> None:
    year = workdays.official_years().stop
    root.replace("cases/HS-2026-0001.yaml", "notice: {from: 2026-01-12, until: 2026-01-16}",
                 f"notice: {{from: {year - 1}-12-28, until: {year}-01-04}}")
    root.replace("cases/HS-2026-0001.yaml", "status: active", "status: on_notice")
    records = store.load(root.path)
    assert records.config is not None
    found = holidays_known(records, records.config, date(year - 1, 12, 29))
    assert [(p.line, p.message) for p in found] == [
        (32, f"HS-2026-0001: its notice is counted in {year}, whose holidays are unknown"),
    ]


def test_due_says_so_a_month_ahead(demo_copy) -> None:
    year = workdays.official_years().stop
    ahead = hardship("--root", demo_copy, "due", "--today", f"{year - 1}-12-05")
    assert ahead.code == 0, ahead.err
    assert (f"  hardship.yaml              {year}'s holidays unknown: update the calendar "
            "package or list them in hardship.yaml") in ahead.out
    early = hardship("--root", demo_copy, "due", "--today", f"{year - 1}-11-20")
    assert "holidays unknown" not in early.out
