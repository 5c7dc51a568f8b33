"""frames and stats: the figures of the small root, counted by hand (see tests/roots/small)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hardship_cli.load import store
from hardship_cli.problems import UsageError
from hardship_cli.report import frames, periods, stats
from tests.conftest import SMALL, TODAY


@pytest.fixture(scope="module")
def f() -> frames.Frames:
    return frames.build_frames(store.load(SMALL), TODAY)


def rows(result: stats.Stats) -> list[tuple]:
    return [tuple(r.values()) for r in result.rows]


def test_money_stays_exact():
    assert frames.to_yuan(frames.to_fen(Decimal("2400.50"))) == Decimal("2400.50")
    assert str(frames.to_yuan(1)) == "0.01"
    assert frames.to_fen(Decimal("0.1")) == 10


def test_frames_hold_no_personal_details(f):
    columns = {c for frame in (f.cases, f.members, f.grants, f.visits) for c in frame.columns}
    assert not columns & {"name", "id_number", "phone", "diagnosis", "account", "address"}


def test_help_in_2026_by_kind_hand_count(f):
    # GR-2026-0001..0006 are approved or paid; 0007 rejected, 0008 proposed.
    result = stats.stats(f, "grants", ["kind"], year=2026)
    assert rows(result) == [
        ("living", 1, 1, Decimal("2400.50")),
        ("medical", 1, 1, Decimal("5000.00")),
        ("schooling", 1, 1, Decimal("1500.25")),
        ("holiday", 2, 2, Decimal("1300.00")),
        ("emergency", 1, 1, Decimal("3000.00")),
    ]
    assert result.total == {"households": 3, "grants": 6, "amount": Decimal("13200.75")}


def test_every_status_when_asked(f):
    result = stats.stats(
        f,
        "grants",
        ["status"],
        statuses=[s for s in ("proposed", "approved", "paid", "rejected", "cancelled")],
    )
    assert rows(result) == [
        ("proposed", 1, 1, Decimal("600.00")),
        ("approved", 1, 1, Decimal("2400.50")),
        ("paid", 3, 7, Decimal("12500.25")),
        ("rejected", 1, 1, Decimal("700.00")),
    ]


def test_help_by_fund_and_month(f):
    result = stats.stats(f, "grants", ["fund"], month="2026-01")
    assert rows(result) == [
        ("union", 1, 1, Decimal("800.00")),
        ("higher_union", 1, 1, Decimal("500.00")),
    ]
    by_quarter = stats.stats(f, "grants", ["quarter"], year=2026)
    assert [r["quarter"] for r in by_quarter.rows] == ["2026-Q1", "2026-Q3", "2026-Q4"]


def test_households_on_file_in_2026(f):
    # HS-2025-0001 (active), HS-2025-0002 (closed 2026-06-30), HS-2026-0001 (active since
    # 2026-02-25); HS-2026-0002 is still on notice, HS-2026-0003 was rejected.
    result = stats.stats(f, "cases", ["tier"], year=2026)
    assert rows(result) == [("deep", 1, 3), ("relative", 1, 2), ("accident", 1, 3)]
    assert stats.stats(f, "cases", [], month="2026-07").total == {"households": 2, "people": 6}
    assert stats.stats(f, "cases", [], year=2024).total == {"households": 0, "people": 0}


def test_age_band_at_the_end_of_the_period(f):
    result = stats.stats(f, "cases", ["age_band"], year=2026)
    assert rows(result) == [("30_39", 1, 3), ("40_49", 1, 2), ("50_59", 1, 3)]
    assert periods.age_band(periods.age_on(date(1995, 1, 10), date(2025, 1, 9))) == "under_30"


def test_grants_carry_their_household(f):
    result = stats.stats(f, "grants", ["unit", "sex"], year=2026)
    assert rows(result) == [
        ("物流中心", "female", 1, 1, Decimal("500.00")),
        ("营销部", "male", 2, 5, Decimal("12700.75")),
    ]


def test_fields_and_errors(f):
    assert stats.field_names("Level, age, kind") == ["tier", "age_band", "kind"]
    with pytest.raises(UsageError, match="cannot group by 'colour'"):
        stats.field_names("colour")
    with pytest.raises(UsageError, match="cases have no kind"):
        stats.stats(f, "cases", ["kind"])
    with pytest.raises(UsageError, match="not a month"):
        stats.stats(f, "grants", [], month="2026-13")
    with pytest.raises(UsageError, match="not a status of grants"):
        stats.stats(f, "grants", [], statuses=["active"])
