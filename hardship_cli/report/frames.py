"""Records -> pandas DataFrames, and the aggregations that `stats` and the reports share.

A figure is computed here once: `hardship stats`, the monthly and annual reports and the
tests all call `stats()` below. Money is kept as whole fen (int64), so sums are exact,
and turned back into `Decimal` yuan by `to_yuan`; never a float.

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

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

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
    active_since,
)
from hardship_cli.load.store import Records
from hardship_cli.problems import UsageError

UNKNOWN = "unknown"
AGE_BANDS = ("under_30", "30_39", "40_49", "50_59", "60_plus")
COUNTING = (GrantStatus.approved.value, GrantStatus.paid.value)

# `--by` fields: the name a user types -> (column, applies to grants, applies to cases)
FIELDS: dict[str, tuple[str, bool, bool]] = {
    "org": ("org", True, True),  # the union unit (several in a roll-up)
    "tier": ("tier", True, True),
    "cause": ("cause", True, True),
    "unit": ("unit", True, True),
    "kind": ("kind", True, False),
    "fund": ("fund", True, False),
    "status": ("status", True, True),
    "month": ("month", True, True),
    "quarter": ("quarter", True, True),
    "year": ("year", True, True),
    "sex": ("sex", True, True),
    "age_band": ("age_band", True, True),
    "employment": ("employment", True, True),
}
ALIASES = {
    "level": "tier",
    "primary_cause": "cause",
    "kind_of_help": "kind",
    "help": "kind",
    "source": "fund",
    "age": "age_band",
    "age-band": "age_band",
    "employment_status": "employment",
    "organisation": "org",
}
SUBJECTS = ("grants", "cases")


def to_yuan(fen: Any) -> Decimal:
    """Whole fen -> yuan with two decimals, exactly."""
    return Decimal(int(fen)).scaleb(-2)


def to_fen(amount: Decimal) -> int:
    return int(amount.scaleb(2).to_integral_value())


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
        raise UsageError(f"{text!r} is not a month", "write it as YYYY-MM, e.g. 2026-03") from None
    return y, m


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


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
GRANT_COLUMNS = [
    "grant", "org", "case", "kind", "fund", "status", "fen", "proposed_on", "paid_on",
    "paid_month", "year", "quarter", "month", "tier", "cause", "unit", "sex",
    "employment", "birth_date", "case_status",
]  # fmt: skip


def build(records: Records, today: date) -> Frames:
    """Every record of a root as tables; sorted by ID so that the same records give the
    same frames."""
    case_rows = []
    member_rows = []
    home = records.config.organisation.name if records.config else ""
    for cid in sorted(records.cases):
        c = records.cases[cid]
        w = c.worker
        case_rows.append(
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
        for m in c.household:
            member_rows.append(
                {
                    "case": cid,
                    "relation": m.relation.value,
                    "birth_date": m.birth_date,
                    "health": m.health.value,
                    "income_fen": to_fen(m.monthly_income),
                    "occupation": m.occupation,
                }
            )
    cases = pd.DataFrame(case_rows, columns=CASE_COLUMNS)
    units = sorted(set(cases["unit"]))
    orgs = list(dict.fromkeys([*records.orgs.values(), home]))
    if len(cases):
        cases["org"] = _ordered(cases["org"], orgs)
        cases["status"] = _ordered(cases["status"], [s.value for s in CaseStatus])
        cases["tier"] = _ordered(cases["tier"], [v.value for v in Level])
        cases["cause"] = _ordered(cases["cause"], [v.value for v in Cause])
        cases["sex"] = _ordered(cases["sex"], [v.value for v in Sex])
        cases["employment"] = _ordered(cases["employment"], [v.value for v in Employment])
        cases["health"] = _ordered(cases["health"], [v.value for v in Health])
        cases["close_reason"] = pd.Categorical(
            cases["close_reason"], categories=[v.value for v in CloseReason], ordered=True
        )
    for col in ("birth_date", "filed_on", "active_since", "closed_on"):
        cases[col] = _dates(list(cases[col]))
    cases["household_size"] = cases["household_size"].astype("int64")
    cases["per_capita_fen"] = cases["per_capita_fen"].astype("int64")

    members = pd.DataFrame(
        member_rows,
        columns=["case", "relation", "birth_date", "health", "income_fen", "occupation"],
    )
    if len(members):
        members["relation"] = _ordered(members["relation"], [v.value for v in Relation])
        members["health"] = _ordered(members["health"], [v.value for v in Health])
    members["birth_date"] = _dates(list(members["birth_date"]))
    members["income_fen"] = members["income_fen"].astype("int64")

    by_case: dict[str, dict[str, Any]] = {str(r["case"]): r for r in case_rows}
    grant_rows = []
    for gid in sorted(records.grants):
        g = records.grants[gid]
        owner = by_case.get(g.case, {})
        grant_rows.append(
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
    grants = pd.DataFrame(grant_rows, columns=GRANT_COLUMNS)
    if len(grants):
        grants["org"] = _ordered(grants["org"], orgs)
        grants["kind"] = _ordered(grants["kind"], [v.value for v in GrantKind])
        grants["fund"] = _ordered(grants["fund"], _fund_order(grants["fund"]))
        grants["status"] = _ordered(grants["status"], [v.value for v in GrantStatus])
        grants["tier"] = _ordered(grants["tier"], [v.value for v in Level])
        grants["cause"] = _ordered(grants["cause"], [v.value for v in Cause])
        grants["sex"] = _ordered(grants["sex"], [v.value for v in Sex])
        grants["employment"] = _ordered(grants["employment"], [v.value for v in Employment])
        grants["case_status"] = _ordered(grants["case_status"], [v.value for v in CaseStatus])
    grants["fen"] = grants["fen"].astype("int64")
    for col in ("proposed_on", "paid_on", "birth_date"):
        grants[col] = _dates(list(grants[col]))

    visit_rows = []
    for vid in sorted(records.visits):
        v = records.visits[vid]
        for cid in sorted(set(v.cases)):
            owner = by_case.get(cid, {})
            visit_rows.append(
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
    visits = pd.DataFrame(
        visit_rows,
        columns=["visit", "case", "on", "occasion", "year", "month", "follow_up", "tier"],
    )
    if len(visits):
        visits["occasion"] = _ordered(visits["occasion"], [v.value for v in Occasion])
    for col in ("on", "follow_up"):
        visits[col] = _dates(list(visits[col]))

    gift_rows = []
    for did in sorted(records.campaigns):
        d = records.campaigns[did]
        for gift in d.contributions:
            gift_rows.append(
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
    contributions = pd.DataFrame(
        gift_rows, columns=["campaign", "beneficiary", "on", "year", "month", "fen", "anonymous"]
    )
    contributions["fen"] = contributions["fen"].astype("int64")
    contributions["on"] = _dates(list(contributions["on"]))
    return Frames(cases, members, grants, visits, contributions, today, units)


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


# ---------------------------------------------------------------------------------------
# stats: counts and amounts by any fields


@dataclass
class Stats:
    """A table of counts (and amounts, for grants) by the values of some fields."""

    of: str
    by: list[str]
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    filters: dict[str, Any]

    @property
    def measures(self) -> list[str]:
        return (
            ["households", "grants", "amount"] if self.of == "grants" else ["households", "people"]
        )

    def value(self, measure: str, **where: str) -> Any:
        """One figure: the sum of a measure over the rows that match `where`."""
        zero: Any = Decimal("0.00") if measure == "amount" else 0
        picked = [r for r in self.rows if all(str(r[k]) == str(v) for k, v in where.items())]
        return sum((r[measure] for r in picked), zero)

    def to_json(self) -> dict[str, Any]:
        def plain(row: dict[str, Any]) -> dict[str, Any]:
            return {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in row.items()}

        return {
            "of": self.of,
            "by": self.by,
            "filters": self.filters,
            "rows": [plain(r) for r in self.rows],
            "total": plain(self.total),
        }


def field_names(text: str | Sequence[str] | None) -> list[str]:
    """`tier,kind` -> ["tier", "kind"], with aliases, or a usage error naming the choices."""
    if text is None:
        return []
    parts = text.split(",") if isinstance(text, str) else list(text)
    names = []
    for part in parts:
        name = part.strip().lower().replace(" ", "_")
        if not name:
            continue
        name = ALIASES.get(name, name)
        if name not in FIELDS:
            raise UsageError(
                f"cannot group by {part.strip()!r}",
                f"use one or more of: {', '.join(FIELDS)} (comma-separated)",
            )
        if name not in names:
            names.append(name)
    return names


def stats(
    frames: Frames,
    of: str = "grants",
    by: Sequence[str] = (),
    year: int | None = None,
    month: str | None = None,
    statuses: Sequence[str] | None = None,
) -> Stats:
    """Counts and amounts grouped by `by`.

    of="grants": items of help; households = distinct households helped; amount in yuan.
    Without `statuses`, only help that uses money counts (approved or paid).
    of="cases": household files; people = members of those households, worker included.
    """
    if of not in SUBJECTS:
        raise UsageError(f"cannot count {of!r}", f"use one of: {', '.join(SUBJECTS)}")
    by = field_names(list(by))
    for name in by:
        if not FIELDS[name][1 if of == "grants" else 2]:
            raise UsageError(
                f"{of} have no {name}",
                "kind and fund belong to grants: use --of grants",
            )
    bounds = period_bounds(year, month)
    day = bounds[1] if bounds else frames.today
    filters: dict[str, Any] = {}
    if year is not None and month is None:
        filters["year"] = year
    if month is not None:
        parse_month(month)
        filters["month"] = month
    if of == "grants":
        frame = frames.grants
        if month is not None:
            frame = frame[frame["month"] == month]
        elif year is not None:
            frame = frame[frame["year"] == year]
        wanted = list(statuses) if statuses is not None else list(COUNTING)
    else:
        frame = frames.cases
        if bounds is not None:
            frame = on_file(frame, *bounds)
        wanted = list(statuses) if statuses is not None else [s.value for s in CaseStatus]
    known = [s.value for s in (GrantStatus if of == "grants" else CaseStatus)]
    for status in wanted:
        if status not in known:
            raise UsageError(f"{status!r} is not a status of {of}", f"use: {', '.join(known)}")
    filters["status"] = wanted
    frame = frame[frame["status"].astype(str).isin(wanted)]
    if "age_band" in by:
        frame = with_age_band(frame, day)
    rows = _aggregate(frame, of, by)
    total = _aggregate(frame, of, [])[0]
    return Stats(of, by, rows, total, filters)


def _aggregate(frame: pd.DataFrame, of: str, by: list[str]) -> list[dict[str, Any]]:
    if not by:
        if of == "grants":
            return [
                {
                    "households": int(frame["case"].nunique()),
                    "grants": len(frame),
                    "amount": to_yuan(frame["fen"].sum()),
                }
            ]
        return [{"households": len(frame), "people": int(frame["household_size"].sum())}]
    if frame.empty:
        return []
    grouped = frame.groupby(by, observed=True, sort=True, dropna=False)
    if of == "grants":
        table = grouped.agg(
            households=("case", "nunique"), grants=("grant", "size"), fen=("fen", "sum")
        )
    else:
        table = grouped.agg(households=("case", "size"), people=("household_size", "sum"))
    rows = []
    for key, rec in table.iterrows():
        keys = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = {name: _plain(value) for name, value in zip(by, keys, strict=True)}
        row["households"] = int(rec["households"])
        if of == "grants":
            row["grants"] = int(rec["grants"])
            row["amount"] = to_yuan(rec["fen"])
        else:
            row["people"] = int(rec["people"])
        rows.append(row)
    return rows


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return UNKNOWN
    if hasattr(value, "item"):
        return value.item()
    return value
