"""Records -> pandas DataFrames, and the selections every report makes of them.

The figures are counted from these frames by `stats.stats` (report/stats.py). Money is
kept as whole fen (int64), so sums are exact, and turned back into `Decimal` yuan by
`to_yuan`; never a float.

Dates of things:
- a grant's year, quarter and month are those of its proposal (the budget year it counts
  against, as in `money.line_uses`); its payment date is kept beside as `paid_on`.
- a case's year, quarter and month are those of its filing; with a period (`year` or
  `month`), cases are the households *on file* during it: approved into the archive on
  or before its last day, and not closed before its first day.
- a household's age band is the worker's age on the last day of the period (or today).

No names, phones, ID numbers, accounts or diagnoses enter a frame: statistics need none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from hardship_cli.domain.case import active_since
from hardship_cli.domain.model import (
    FIXED_FUNDS,
    CaseStatus,
    Cause,
    CloseReason,
    Decision,
    Employment,
    GrantKind,
    GrantStatus,
    Health,
    Level,
    Occasion,
    Relation,
    Sex,
    StepName,
)
from hardship_cli.load.records import Records
from hardship_cli.report.periods import (
    AGE_BANDS,
    UNKNOWN,
    age_band,
    age_on,
    month_of,
    quarter_of,
)


def to_yuan(fen: Any) -> Decimal:
    """Whole fen -> yuan with two decimals, exactly."""
    return Decimal(int(fen)).scaleb(-2)


def to_fen(amount: Decimal) -> int:
    return int(amount.scaleb(2).to_integral_value())


def closed_on(case: Any) -> date | None:
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


def _ordered(values: Iterable[Any], order: Sequence[str]) -> Any:
    values = list(values)
    extra = sorted({v for v in values if v not in order})
    return pd.Categorical(values, categories=[*order, *extra], ordered=True)


def _fund_order(funds: Iterable[str]) -> list[str]:
    campaigns = sorted({f for f in funds if f not in FIXED_FUNDS})
    return [*FIXED_FUNDS, *campaigns]


def _dates(values: list[Any]) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")  # type: ignore[arg-type]


def _codes(enum: Iterable[Any]) -> list[str]:
    return [v.value for v in enum]


# ---------------------------------------------------------------------------------------
# Building the frames


@dataclass
class Frames:
    cases: pd.DataFrame
    members: pd.DataFrame
    grants: pd.DataFrame
    visits: pd.DataFrame
    contributions: pd.DataFrame
    today: date
    units: list[str] = field(default_factory=list)


CASE_COLUMNS = [
    "case", "org", "status", "tier", "cause", "unit", "sex", "employment", "health",
    "birth_date", "household_size", "per_capita_fen", "filed_on", "active_since",
    "closed_on", "close_reason", "year", "quarter", "month",
]  # fmt: skip
MEMBER_COLUMNS = ["case", "relation", "birth_date", "health", "income_fen", "occupation"]
GRANT_COLUMNS = [
    "grant", "org", "case", "kind", "fund", "status", "fen", "proposed_on", "paid_on",
    "paid_month", "year", "quarter", "month", "tier", "cause", "unit", "sex",
    "employment", "birth_date", "case_status",
]  # fmt: skip
VISIT_COLUMNS = ["visit", "case", "on", "occasion", "year", "month", "follow_up", "tier"]
CONTRIBUTION_COLUMNS = ["campaign", "beneficiary", "on", "year", "month", "fen", "anonymous"]


def build_frames(records: Records, today: date) -> Frames:
    """Every record of a root as tables; sorted by ID so that the same records give the
    same frames."""
    home = records.config.organisation.name if records.config else ""
    case_rows = _case_rows(records, home)
    orgs = list(dict.fromkeys([*records.orgs.values(), home]))
    cases = _cases_frame(case_rows, orgs)
    units = sorted(set(cases["unit"]))
    by_case: dict[str, dict[str, Any]] = {str(r["case"]): r for r in case_rows}
    return Frames(
        cases,
        _members_frame(records),
        _grants_frame(records, by_case, home, orgs),
        _visits_frame(records, by_case),
        _contributions_frame(records),
        today,
        units,
    )


def _case_rows(records: Records, home: str) -> list[dict[str, Any]]:
    """A row per household file: what statistics need of it, nothing personal."""
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
                "per_capita_fen": to_fen(c.per_capita_monthly),
                "filed_on": c.filed.on,
                "active_since": active_since(c),
                "closed_on": closed_on(c),
                "close_reason": c.closed.reason.value if c.closed else None,
                "year": c.filed.on.year,
                "quarter": quarter_of(c.filed.on),
                "month": month_of(c.filed.on),
            }
        )
    return rows


def _cases_frame(case_rows: list[dict[str, Any]], orgs: list[str]) -> pd.DataFrame:
    cases = pd.DataFrame(case_rows, columns=CASE_COLUMNS)
    if len(cases):
        cases["org"] = _ordered(cases["org"], orgs)
        cases["status"] = _ordered(cases["status"], _codes(CaseStatus))
        cases["tier"] = _ordered(cases["tier"], _codes(Level))
        cases["cause"] = _ordered(cases["cause"], _codes(Cause))
        cases["sex"] = _ordered(cases["sex"], _codes(Sex))
        cases["employment"] = _ordered(cases["employment"], _codes(Employment))
        cases["health"] = _ordered(cases["health"], _codes(Health))
        cases["close_reason"] = pd.Categorical(
            cases["close_reason"], categories=_codes(CloseReason), ordered=True
        )
    for col in ("birth_date", "filed_on", "active_since", "closed_on"):
        cases[col] = _dates(list(cases[col]))
    cases["household_size"] = cases["household_size"].astype("int64")
    cases["per_capita_fen"] = cases["per_capita_fen"].astype("int64")
    return cases


def _members_frame(records: Records) -> pd.DataFrame:
    """A row per member of a household (the worker is in the case's row)."""
    rows = [
        {
            "case": cid,
            "relation": m.relation.value,
            "birth_date": m.birth_date,
            "health": m.health.value,
            "income_fen": to_fen(m.monthly_income),
            "occupation": m.occupation,
        }
        for cid in sorted(records.cases)
        for m in records.cases[cid].household
    ]
    members = pd.DataFrame(rows, columns=MEMBER_COLUMNS)
    if len(members):
        members["relation"] = _ordered(members["relation"], _codes(Relation))
        members["health"] = _ordered(members["health"], _codes(Health))
    members["birth_date"] = _dates(list(members["birth_date"]))
    members["income_fen"] = members["income_fen"].astype("int64")
    return members


def _grants_frame(
    records: Records, by_case: dict[str, dict[str, Any]], home: str, orgs: list[str]
) -> pd.DataFrame:
    """A row per grant, with the facts of its household beside it (for `--by tier`...)."""
    rows = []
    for gid in sorted(records.grants):
        g = records.grants[gid]
        owner = by_case.get(g.case, {})
        rows.append(
            {
                "grant": gid,
                "org": records.orgs.get(gid, home),
                "case": g.case,
                "kind": g.kind.value,
                "fund": g.fund,
                "status": g.status.value,
                "fen": to_fen(g.amount),
                "proposed_on": g.proposed.on,
                "paid_on": g.paid.on if g.paid else None,
                "paid_month": month_of(g.paid.on) if g.paid else None,
                "year": g.proposed.on.year,
                "quarter": quarter_of(g.proposed.on),
                "month": month_of(g.proposed.on),
                "tier": owner.get("tier", UNKNOWN),
                "cause": owner.get("cause", UNKNOWN),
                "unit": owner.get("unit", UNKNOWN),
                "sex": owner.get("sex", UNKNOWN),
                "employment": owner.get("employment", UNKNOWN),
                "birth_date": owner.get("birth_date"),
                "case_status": owner.get("status", UNKNOWN),
            }
        )
    grants = pd.DataFrame(rows, columns=GRANT_COLUMNS)
    if len(grants):
        grants["org"] = _ordered(grants["org"], orgs)
        grants["kind"] = _ordered(grants["kind"], _codes(GrantKind))
        grants["fund"] = _ordered(grants["fund"], _fund_order(grants["fund"]))
        grants["status"] = _ordered(grants["status"], _codes(GrantStatus))
        grants["tier"] = _ordered(grants["tier"], _codes(Level))
        grants["cause"] = _ordered(grants["cause"], _codes(Cause))
        grants["sex"] = _ordered(grants["sex"], _codes(Sex))
        grants["employment"] = _ordered(grants["employment"], _codes(Employment))
        grants["case_status"] = _ordered(grants["case_status"], _codes(CaseStatus))
    grants["fen"] = grants["fen"].astype("int64")
    for col in ("proposed_on", "paid_on", "birth_date"):
        grants[col] = _dates(list(grants[col]))
    return grants


def _visits_frame(records: Records, by_case: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """A row per household of each visit."""
    rows = []
    for vid in sorted(records.visits):
        v = records.visits[vid]
        for cid in sorted(set(v.cases)):
            owner = by_case.get(cid, {})
            rows.append(
                {
                    "visit": vid,
                    "case": cid,
                    "on": v.on,
                    "occasion": v.occasion.value,
                    "year": v.on.year,
                    "month": month_of(v.on),
                    "follow_up": v.follow_up,
                    "tier": owner.get("tier", UNKNOWN),
                }
            )
    visits = pd.DataFrame(rows, columns=VISIT_COLUMNS)
    if len(visits):
        visits["occasion"] = _ordered(visits["occasion"], _codes(Occasion))
    for col in ("on", "follow_up"):
        visits[col] = _dates(list(visits[col]))
    return visits


def _contributions_frame(records: Records) -> pd.DataFrame:
    """A row per gift to a donation drive."""
    rows = []
    for did in sorted(records.campaigns):
        d = records.campaigns[did]
        for gift in d.contributions:
            rows.append(
                {
                    "campaign": did,
                    "beneficiary": d.beneficiary,
                    "on": gift.on,
                    "year": gift.on.year,
                    "month": month_of(gift.on),
                    "fen": to_fen(gift.amount),
                    "anonymous": gift.anonymous,
                }
            )
    contributions = pd.DataFrame(rows, columns=CONTRIBUTION_COLUMNS)
    contributions["fen"] = contributions["fen"].astype("int64")
    contributions["on"] = _dates(list(contributions["on"]))
    return contributions


# ---------------------------------------------------------------------------------------
# Selections every report uses


def on_file(cases: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Households in the archive at some time between start and end (both included)."""
    since = cases["active_since"]
    gone = cases["closed_on"]
    mask = since.notna() & (since <= pd.Timestamp(end))
    mask &= gone.isna() | (gone >= pd.Timestamp(start))
    return cases[mask]


def between(frame: pd.DataFrame, column: str, start: date, end: date) -> pd.DataFrame:
    values = frame[column]
    return frame[values.notna() & (values >= pd.Timestamp(start)) & (values <= pd.Timestamp(end))]


def with_age_band(frame: pd.DataFrame, day: date) -> pd.DataFrame:
    """A copy with `age_band`: the worker's age on `day`, in bands."""
    out = frame.copy()
    births = out["birth_date"]
    bands = [age_band(age_on(b.date(), day) if pd.notna(b) else None) for b in births]
    out["age_band"] = _ordered(bands, [*AGE_BANDS, UNKNOWN])
    return out
