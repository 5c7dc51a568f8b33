"""hardship stats (alias aggregate): counts and amounts by any fields, for leaders and upward."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.common import TodayOption, parse_today, state

if TYPE_CHECKING:
    from hardship_cli.report.stats import Stats


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Subject(StrEnum):
    grants = "grants"
    cases = "cases"


def stats(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Group by these fields, comma-separated: org, tier, cause, unit, kind, fund, "
            "status, month, quarter, year, sex, age_band, employment.",
            show_default=False,
        ),
    ] = None,
    of: Annotated[
        Subject,
        typer.Option("--of", help="Count items of help (grants) or household files (cases)."),
    ] = Subject.grants,
    year: Annotated[
        int | None, typer.Option("--year", help="Only this year.", show_default=False)
    ] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", help="Only this month (YYYY-MM).", show_default=False),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="Only these statuses, comma-separated, or `all` (default for grants: "
            "approved,paid; for cases: all).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        StatsFormat, typer.Option("--format", help="table, csv or json.")
    ] = StatsFormat.table,
    today: TodayOption = None,
) -> None:
    """Counts and amounts grouped by any fields (alias: aggregate).

    For grants: households helped, items of help and yuan; a grant's year, quarter and month
    are those of its proposal (the budget year it counts against). For cases: households
    and the people in them; with --year or --month, the households on file during it.
    Age bands are the worker's age at the end of the period (or today).

    With several --root options (the units' repositories), figures are per unit (org) and
    in total; a household filed in two units is reported on stderr.

    Example: hardship stats --by kind,fund --year 2026 --format csv
    """
    from hardship_cli.cli.reading import load_rollup
    from hardship_cli.report.frames import build_frames
    from hardship_cli.report.stats import stats as compute

    st = state(ctx)
    day = parse_today(today)
    records, units = load_rollup(st)
    statuses = _statuses(status, of)
    frames = build_frames(records, day)
    fields = (by or "").split(",")
    if units and "org" not in fields:
        fields = ["org", *fields]  # a roll-up: per unit, and the total
    result = compute(frames, of.value, fields, year, month, statuses)
    if format == StatsFormat.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif format == StatsFormat.csv:
        _write_csv(result)
    else:
        _print_table(result)


def _statuses(status: str | None, of: Subject) -> list[str] | None:
    """--status: the statuses named, every one (`all`), or by default for grants those that
    count (approved, paid) and for cases every one (None)."""
    if status is not None:
        from hardship_cli.domain.model import CaseStatus, GrantStatus

        if status.strip() == "all":
            return [s.value for s in (GrantStatus if of == Subject.grants else CaseStatus)]
        return [s.strip() for s in status.split(",") if s.strip()]
    if of == Subject.grants:
        from hardship_cli.report.stats import COUNTING

        return list(COUNTING)
    return None


def _cell(value: object) -> object:
    """A csv cell: amounts with two decimals, text neutralised (cells.neutral)."""
    from decimal import Decimal

    from hardship_cli.cells import neutral

    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return neutral(value) if isinstance(value, str) else str(value)


def _write_csv(result: Stats) -> None:
    from hardship_cli.cells import csv_line

    write = sys.stdout.write
    write(csv_line([_cell(name) for name in (*result.by, *result.measures)]))
    for row in result.rows:
        write(csv_line([_cell(row[k]) for k in (*result.by, *result.measures)]))
    if result.by:
        write(
            csv_line(
                [
                    "total",
                    *[""] * (len(result.by) - 1),
                    *[_cell(result.total[m]) for m in result.measures],
                ]
            )
        )


def _print_table(result: Stats) -> None:
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan

    filters = ", ".join(
        f"{k} {','.join(v) if isinstance(v, list) else v}" for k, v in result.filters.items()
    )
    table = Table(
        title=f"{result.of}: {filters}", title_justify="left", show_footer=bool(result.by)
    )
    for i, name in enumerate(result.by):
        table.add_column(name, footer="total" if i == 0 else "")
    for m in result.measures:
        total = result.total[m]
        table.add_column(m, justify="right", footer=yuan(total) if m == "amount" else str(total))
    rows = result.rows if result.by else [result.total]
    for row in rows:
        table.add_row(
            *[str(row[k]) for k in result.by],
            *[yuan(row[m]) if m == "amount" else str(row[m]) for m in result.measures],
        )
    wide_console().print(table)


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command("aggregate", hidden=True)(stats)
