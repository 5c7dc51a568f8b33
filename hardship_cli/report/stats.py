"""Counts and amounts by any fields: the one place a figure is computed.

`hardship stats`, the monthly and annual reports and the tests all call `stats()` below,
so they agree. It counts from the frames of report/frames.py (money in whole fen, back to
`Decimal` yuan by `to_yuan`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from hardship_cli.domain.model import CaseStatus, GrantStatus
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError
from hardship_cli.report.frames import Frames, on_file, to_yuan, with_age_band
from hardship_cli.report.periods import UNKNOWN, parse_month, period_bounds

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
                _("cannot group by {field}").format(field=repr(part.strip())),
                _("use one or more of: {fields} (comma-separated)").format(
                    fields=", ".join(FIELDS)
                ),
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
        raise UsageError(
            _("cannot count {what}").format(what=repr(of)),
            _("use one of: {choices}").format(choices=", ".join(SUBJECTS)),
        )
    by = field_names(list(by))
    for name in by:
        if not FIELDS[name][1 if of == "grants" else 2]:
            raise UsageError(
                _("{of} have no {field}").format(of=of, field=name),
                _("kind and fund belong to grants: use --of grants"),
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
            raise UsageError(
                _("{status} is not a status of {of}").format(status=repr(status), of=of),
                _("use: {choices}").format(choices=", ".join(known)),
            )
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
