"""The frames reports count are made from the facts the cache keeps (issue 16), never from
rebuilt records: they must equal, cell for cell and type for type, the frames made the
plain way from every case and grant rebuilt (the way the reports counted before)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from hardship_cli.cli.common import per_record_checks
from hardship_cli.domain import model as m
from hardship_cli.domain.case import active_since
from hardship_cli.load import store
from hardship_cli.report import frames
from hardship_cli.report.periods import UNKNOWN, month_of, quarter_of
from hardship_cli.report.rollup import Unit, merged_records
from tests.conftest import DEMO, SMALL, TODAY


def plain_cases(records: Any, home: str, orgs: list[str]) -> pd.DataFrame:
    """The cases' frame from the rebuilt cases, a dict a row (as before issue 16)."""
    rows = []
    for cid in sorted(records.cases):
        c = records.cases[cid]
        w = c.worker
        rows.append(
            {
                "case": cid,
                "org": records.orgs.get(cid, home),
                "status": c.status.value,
                "tier": c.level.value,
                "cause": c.causes.primary.value,
                "unit": w.unit,
                "sex": w.sex.value,
                "employment": w.employment.value,
                "health": w.health.value,
                "birth_date": w.birth_date,
                "household_size": c.household_size,
                "per_capita_fen": frames.to_fen(c.per_capita_monthly),
                "filed_on": c.filed.on,
                "active_since": active_since(c),
                "closed_on": frames.closed_on(c),
                "close_reason": c.closed.reason.value if c.closed else None,
                "year": c.filed.on.year,
                "quarter": quarter_of(c.filed.on),
                "month": month_of(c.filed.on),
            }
        )
    cases = pd.DataFrame(rows, columns=frames.CASE_COLUMNS)
    if len(cases):
        cases["org"] = _plain_categorical(list(cases["org"]), orgs)
        for col, enum in (
            ("status", m.CaseStatus),
            ("tier", m.Level),
            ("cause", m.Cause),
            ("sex", m.Sex),
            ("employment", m.Employment),
            ("health", m.Health),
        ):
            cases[col] = _plain_categorical(list(cases[col]), codes(enum))
        cases["close_reason"] = pd.Categorical(
            cases["close_reason"], categories=codes(m.CloseReason), ordered=True
        )
    for col in ("birth_date", "filed_on", "active_since", "closed_on"):
        cases[col] = pd.Series(pd.to_datetime(list(cases[col])), dtype="datetime64[ns]")
    cases["household_size"] = cases["household_size"].astype("int64")
    cases["per_capita_fen"] = cases["per_capita_fen"].astype("int64")
    return cases


def codes(enum: Any) -> list[str]:
    return [v.value for v in enum]


def fund_order(funds: set[str]) -> list[str]:
    return [*m.FIXED_FUNDS, *sorted(f for f in funds if f not in m.FIXED_FUNDS)]


def _plain_categorical(values: list[str], order: list[str]) -> pd.Categorical:
    extra = sorted({v for v in values if v not in order})
    return pd.Categorical(values, categories=[*order, *extra], ordered=True)


def plain_grants(records: Any, cases: pd.DataFrame, home: str, orgs: list[str]) -> pd.DataFrame:
    """The grants' frame from the rebuilt grants, a dict a row (as before issue 16)."""
    by_case = {r["case"]: r for r in cases.astype(object).to_dict("records")}
    rows = []
    for gid in sorted(records.grants):
        g = records.grants[gid]
        owner = by_case.get(g.case, {})
        born = owner.get("birth_date")
        rows.append(
            {
                "grant": gid,
                "org": records.orgs.get(gid, home),
                "case": g.case,
                "kind": g.kind.value,
                "fund": g.fund,
                "status": g.status.value,
                "fen": frames.to_fen(g.amount),
                "proposed_on": g.proposed.on,
                "paid_on": g.paid.on if g.paid else None,
                "paid_month": month_of(g.paid.on) if g.paid else None,
                "year": g.proposed.on.year,
                "quarter": quarter_of(g.proposed.on),
                "month": month_of(g.proposed.on),
                "tier": str(owner.get("tier", UNKNOWN)),
                "cause": str(owner.get("cause", UNKNOWN)),
                "unit": owner.get("unit", UNKNOWN),
                "sex": str(owner.get("sex", UNKNOWN)),
                "employment": str(owner.get("employment", UNKNOWN)),
                "birth_date": born.date() if born is not None and pd.notna(born) else None,
                "case_status": str(owner.get("status", UNKNOWN)),
            }
        )
    grants = pd.DataFrame(rows, columns=frames.GRANT_COLUMNS)
    if len(grants):
        grants["org"] = _plain_categorical(list(grants["org"]), orgs)
        grants["kind"] = _plain_categorical(list(grants["kind"]), codes(m.GrantKind))
        grants["fund"] = _plain_categorical(
            list(grants["fund"]), fund_order(set(grants["fund"]))
        )
        grants["status"] = _plain_categorical(list(grants["status"]), codes(m.GrantStatus))
        for col, enum in (
            ("tier", m.Level),
            ("cause", m.Cause),
            ("sex", m.Sex),
            ("employment", m.Employment),
            ("case_status", m.CaseStatus),
        ):
            grants[col] = _plain_categorical(list(grants[col]), codes(enum))
    grants["fen"] = grants["fen"].astype("int64")
    for col in ("proposed_on", "paid_on", "birth_date"):
        grants[col] = pd.Series(pd.to_datetime(list(grants[col])), dtype="datetime64[ns]")
    return grants


def assert_same_frames(records: Any, today: date = TODAY) -> frames.Frames:
    home = records.config.organisation.name
    orgs = list(dict.fromkeys([*records.orgs.values(), home]))
    made = frames.build_frames(records, today)
    cases = plain_cases(records, home, orgs)
    pd.testing.assert_frame_equal(made.cases, cases)
    pd.testing.assert_frame_equal(made.grants, plain_grants(records, cases, home, orgs))
    return made


def test_the_demo_roots_frames_equal_the_plain_ones():
    made = assert_same_frames(store.load(DEMO))
    assert len(made.grants) > 20
    assert {"paid", "approved"} <= set(made.grants["status"].astype(str))
    assert made.grants["paid_on"].isna().any()  # unpaid grants: NaT, no paid_month
    assert made.grants["paid_month"].isna().sum() == made.grants["paid_on"].isna().sum()


def test_the_small_roots_frames_equal_the_plain_ones():
    assert_same_frames(store.load(SMALL))


def test_a_grant_whose_household_is_not_on_file_is_unknown_in_both(tmp_path: Path):
    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    grant = sorted((root / "grants").rglob("GR-*.yaml"))[0]
    text = grant.read_text(encoding="utf-8")
    case_line = next(line for line in text.splitlines() if line.startswith("case:"))
    grant.write_text(text.replace(case_line, "case: HS-2026-9999"), encoding="utf-8")
    records = store.load(root, cache=False)
    made = assert_same_frames(records)
    orphan = made.grants[made.grants["case"] == "HS-2026-9999"]
    assert len(orphan) == 1
    assert str(orphan["tier"].iloc[0]) == UNKNOWN
    assert list(made.grants["tier"].cat.categories)[-1] == UNKNOWN
    assert pd.isna(orphan["birth_date"].iloc[0])


def test_a_rollups_frames_equal_the_plain_ones():
    units = [
        Unit("U1", "甲", SMALL, store.load(SMALL)),
        Unit("U2", "乙", DEMO, store.load(DEMO)),
    ]
    made = assert_same_frames(merged_records(units))
    assert set(made.grants["org"].astype(str)) == {"甲", "乙"}


def test_no_case_or_grant_is_rebuilt_for_the_frames(tmp_path: Path, monkeypatch):
    """A warm load keeps the cases and grants pending (rebuilt on first use); building the
    frames leaves them so: their per-record problems are still those loading found."""
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(tmp_path / "cache"))
    checks = per_record_checks()
    store.load(DEMO, checks=checks)  # fills the cache
    records = store.load(DEMO, checks=checks)
    assert records.per_record_problems("grant") is not None
    frames.build_frames(records, TODAY)
    assert records.per_record_problems("grant") is not None
    assert records.per_record_problems("case") is not None
    assert len(records.grants) > 20  # reading the grants: their problems are found again
    assert records.per_record_problems("grant") is None


@pytest.mark.parametrize("planted", ["an amount", "a household's tier"])
def test_the_comparison_can_fail(planted: str, monkeypatch: pytest.MonkeyPatch):
    """The comparison above bites: facts one value off from their records are caught."""
    records = store.load(SMALL)
    if planted == "an amount":
        facts = dict(records.grant_facts())
        first = sorted(facts)[0]
        facts[first] = facts[first]._replace(amount=facts[first].amount + 1)
        monkeypatch.setattr(records, "grant_facts", lambda: facts)
    else:
        cases = dict(records.case_facts())
        first = sorted(cases)[0]
        other = m.Level.relative if cases[first].level == m.Level.deep else m.Level.deep
        cases[first] = cases[first]._replace(level=other)
        monkeypatch.setattr(records, "case_facts", lambda: cases)
    with pytest.raises(AssertionError):
        assert_same_frames(records)
