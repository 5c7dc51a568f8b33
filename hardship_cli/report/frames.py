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

import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pandas as pd

from hardship_cli.domain.case import left_on
from hardship_cli.domain.grant import GRANT_FACTS
from hardship_cli.domain.model import (
    FIXED_FUNDS,
    CaseStatus,
    Cause,
    CloseReason,
    Employment,
    GrantKind,
    GrantStatus,
    Health,
    Level,
    Occasion,
    Relation,
    Sex,
)
from hardship_cli.load import cache
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
    return left_on(case)


def _ordered(values: Iterable[Any], order: Sequence[str]) -> Any:
    return _categorical(list(values), order)


def _categorical(values: Sequence[Any], order: Sequence[str]) -> pd.Categorical[str]:
    """`values` (codes, or the str enums that are them) as an ordered categorical: the
    codes in `order` first, anything else after them in sorted order; one dict lookup a
    value (a city's 100,000 grants: milliseconds, where pd.Categorical of a list took
    tenths of a second)."""
    index: dict[Any, int] = {code: i for i, code in enumerate(order)}
    extra = sorted({str(v) for v in set(values)} - index.keys())
    for code in extra:
        index[code] = len(index)
    for value in set(values) - index.keys():  # a str enum whose hash is its name's
        index[value] = index[str(value)]
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return pd.Categorical.from_codes(codes, categories=pd.Index([*order, *extra]), ordered=True)


_EPOCH = date(1970, 1, 1).toordinal()


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
    grants: pd.DataFrame
    visits: pd.DataFrame
    contributions: pd.DataFrame
    today: date
    units: list[str] = field(default_factory=list)
    records: Records | None = field(default=None, repr=False)

    @functools.cached_property
    def members(self) -> pd.DataFrame:
        """A row per member of a household; made when first asked for (it needs the cases
        themselves, which the other frames do without)."""
        assert self.records is not None
        return _members_frame(self.records)


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
    same frames.

    The frames depend on the records alone (not on `today`): when the root's records are
    exactly those of the cache's shards (`records.snapshot`), the frames made from them
    last time are taken from the cache (0.05 s for a city instead of 0.8 s), and frames
    made now are kept there for the next read."""
    snap = _snapshot(records)
    if snap is not None:
        kept = cache.read_made(records.root, _slot(records), snap)
        if isinstance(kept, tuple) and len(kept) == 5:
            cases, grants, visits, contributions, units = kept
            return Frames(cases, grants, visits, contributions, today, units, records)
    frames = _made_frames(records, today)
    if snap is not None:
        made = (frames.cases, frames.grants, frames.visits, frames.contributions, frames.units)
        cache.write_made(records.root, _slot(records), snap, made)
    return frames


def _slot(records: Records) -> str:
    """A roll-up's frames in a slot of their own (in its first root's cache folder), so
    that the unit's own frames and the roll-up's do not take each other's place."""
    return "frames-rollup" if records.orgs else "frames"


def _snapshot(records: Records) -> bytes | None:
    """The snapshot the frames may be kept under: a root (or a roll-up of roots) read whole
    from the cache, its cases and grants as loading found them (nothing read or changed)."""
    if records.snapshot is None:
        return None
    if records.of_kind("case").touched or records.of_kind("grant").touched:
        return None
    return records.snapshot


def _made_frames(records: Records, today: date) -> Frames:
    home = records.config.organisation.name if records.config else ""
    case_rows = _case_rows(records, home)
    orgs = list(dict.fromkeys([*records.orgs.values(), home]))
    cases = _cases_frame(case_rows, orgs)
    units = sorted(set(cases["unit"]))
    by_case: dict[str, dict[str, Any]] = {str(r["case"]): r for r in case_rows}
    return Frames(
        cases,
        _grants_frame(records, cases, home, orgs),
        _visits_frame(records, by_case),
        _contributions_frame(records),
        today,
        units,
        records,
    )


def _case_rows(records: Records, home: str) -> list[dict[str, Any]]:
    """A row per household file: what statistics need of it, nothing personal (from the
    cases' facts, kept in the parse cache: no case is rebuilt)."""
    facts = records.case_facts()
    rows = []
    for cid in sorted(facts):
        c = facts[cid]
        rows.append(
            {
                "case": cid,
                "org": records.orgs.get(cid, home),
                "status": c.status.value,
                "tier": c.level.value,
                "cause": c.cause.value,
                "unit": c.unit,
                "sex": c.sex.value,
                "employment": c.employment.value,
                "health": c.health.value,
                "birth_date": c.birth_date,
                "household_size": c.household_size,
                "per_capita_fen": to_fen(c.per_capita),
                "filed_on": c.filed_on,
                "active_since": c.since,
                "closed_on": c.left_on,
                "close_reason": c.close_reason.value if c.close_reason is not None else None,
                "year": c.filed_on.year,
                "quarter": quarter_of(c.filed_on),
                "month": month_of(c.filed_on),
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
    records: Records, cases: pd.DataFrame, home: str, orgs: list[str]
) -> pd.DataFrame:
    """A row per grant, with the facts of its household beside it (for `--by tier`...).

    Made from the grants' facts (GrantFacts, kept in the parse cache), column by column,
    and joined to the cases' frame by position: a city's 100,000 grants are never rebuilt
    for a report."""
    facts = records.grant_facts()
    ids = sorted(facts)
    if not ids:
        grants = pd.DataFrame([], columns=GRANT_COLUMNS)
        grants["fen"] = grants["fen"].astype("int64")
        for col in ("proposed_on", "paid_on", "birth_date"):
            grants[col] = _dates([])
        return grants
    n = len(ids)
    # A column a field: GrantFacts(id, case, kind, amount, fund, status, proposed_on, ...)
    columns = list(zip(*map(facts.__getitem__, ids), strict=True))
    fields = dict(zip(GRANT_FACTS, columns, strict=True))
    case_ids = list(fields["case"])
    funds = fields["fund"]
    proposed = _ordinals(fields["proposed_on"])
    paid = _ordinals(fields["paid_on"])
    # The household of each grant: its row in `cases`, or len(cases) when it has none.
    where = {cid: i for i, cid in enumerate(cases["case"])}
    missing = len(where)
    owner = np.fromiter(
        map(where.get, case_ids, itertools.repeat(missing, n)), dtype=np.int64, count=n
    )
    org = records.orgs
    grants = pd.DataFrame(
        {
            "grant": ids,
            "org": _categorical([org.get(gid, home) for gid in ids], orgs),
            "case": case_ids,
            "kind": _categorical(fields["kind"], _codes(GrantKind)),
            "fund": _categorical(funds, _fund_order(set(funds))),
            "status": _categorical(fields["status"], _codes(GrantStatus)),
            "fen": np.fromiter(map(to_fen, fields["amount"]), dtype=np.int64, count=n),
            "proposed_on": _day_column(proposed),
            "paid_on": _day_column(paid),
            "paid_month": _month_names(paid),
            "year": _years(proposed),
            "quarter": _quarter_names(proposed),
            "month": _month_names(proposed),
            "tier": _owners(cases["tier"], owner, _codes(Level)),
            "cause": _owners(cases["cause"], owner, _codes(Cause)),
            "unit": _owner_values(cases["unit"], owner, UNKNOWN),
            "sex": _owners(cases["sex"], owner, _codes(Sex)),
            "employment": _owners(cases["employment"], owner, _codes(Employment)),
            "birth_date": pd.Series(_owner_values(cases["birth_date"], owner, pd.NaT)),
            "case_status": _owners(cases["status"], owner, _codes(CaseStatus)),
        },
        columns=GRANT_COLUMNS,
    )
    grants["birth_date"] = grants["birth_date"].astype("datetime64[ns]")
    return grants


_NONE = -(2**62)  # no date (an ordinal no day has)


def _ordinals(days: Sequence[date | None]) -> np.ndarray:
    """Days as whole days since 1970-01-01 (None: _NONE)."""
    if None not in days:
        known = cast("Sequence[date]", days)
        return np.fromiter(map(date.toordinal, known), dtype=np.int64, count=len(days)) - _EPOCH
    return np.fromiter(
        (d.toordinal() - _EPOCH if d is not None else _NONE for d in days),
        dtype=np.int64,
        count=len(days),
    )


def _day_column(days: np.ndarray) -> pd.Series:
    """Whole days since 1970 (_NONE: NaT) as datetime64[ns]."""
    out = days.astype("datetime64[D]")
    out[days == _NONE] = np.datetime64("NaT")
    return pd.Series(out.astype("datetime64[ns]"))


def _named(keys: np.ndarray, name: Any) -> np.ndarray:
    """An object array naming each key (`name` called once a distinct key); _NONE: None."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    names = np.array([None if k == _NONE else name(int(k)) for k in distinct], dtype=object)
    return names[inverse]


def _month_index(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.where(days == _NONE, _NONE, months)


def _month_names(days: np.ndarray) -> np.ndarray:
    """`YYYY-MM` of each day (month_of)."""
    return _named(_month_index(days), lambda m: f"{1970 + m // 12:04d}-{m % 12 + 1:02d}")


def _quarter_names(days: np.ndarray) -> np.ndarray:
    """`YYYY-Qn` of each day (quarter_of)."""
    return _named(_month_index(days), lambda m: f"{1970 + m // 12:04d}-Q{m % 12 // 3 + 1}")


def _years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _owner_values(column: pd.Series, owner: np.ndarray, missing: Any) -> np.ndarray:
    """A column of the cases' frame for each grant's household (`missing`: none)."""
    values = np.empty(len(column) + 1, dtype=object)
    values[: len(column)] = column.astype(object).to_numpy()
    values[len(column)] = missing
    return values[owner]


def _owners(column: pd.Series, owner: np.ndarray, order: Sequence[str]) -> pd.Categorical[str]:
    """A coded column of the cases' frame for each grant's household, ordered as `order`
    and then the other values the grants' households have, sorted (UNKNOWN for a grant
    whose household is not on file); by codes, never a value at a time."""
    cats = [str(c) for c in column.cat.categories]
    codes = np.append(column.cat.codes.to_numpy().astype(np.int64), len(cats))
    labels = [*cats, UNKNOWN]
    taken = codes[owner]
    present = [labels[int(c)] for c in np.unique(taken)]
    extra = sorted(set(present) - set(order))
    new_categories = [*order, *extra]
    position = {label: i for i, label in enumerate(new_categories)}
    remap = np.array([position.get(label, -1) for label in labels], dtype=np.int64)
    return pd.Categorical.from_codes(
        remap[taken], categories=pd.Index(new_categories), ordered=True
    )


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
