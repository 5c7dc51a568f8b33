"""hardship standards impact: who would change tier under a new minimum living standard."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.common import state
from hardship_cli.problems import UsageError

if TYPE_CHECKING:
    from datetime import date

    from hardship_cli.domain.standards import Impact


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


def impact_command(
    ctx: typer.Context,
    start: Annotated[
        str, typer.Option("--from", help="The day the new standard takes effect (YYYY-MM-DD).")
    ],
    monthly: Annotated[
        str | None,
        typer.Option(
            "--monthly",
            help="The new standard per person per month; default: the hardship.yaml entry "
            "starting on --from.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Which open files would move between tiers, or fall out of the archive, under a new
    standard, with their per-capita income. Nothing is changed.

    Example: hardship standards impact --from 2027-01-01 --monthly 850
    """
    from hardship_cli.domain.standards import impact
    from hardship_cli.domain.values import parse_date, parse_money

    try:
        day = parse_date(start)
        amount: Decimal | None = parse_money(monthly) if monthly is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    records = state(ctx).load()
    if records.config is None:
        raise UsageError("hardship.yaml does not load; run hardship validate")
    result = impact(records.config, list(records.cases.values()), day, amount)
    if format == TableOrJson.json:
        _print_json(result, day)
    else:
        _print_table(result, day)


def _print_json(result: Impact, day: date) -> None:
    old = result.old.monthly if result.old else None
    doc = {
        "from": str(day),
        "old_monthly": f"{old:.2f}" if old is not None else None,
        "new_monthly": f"{result.new.monthly:.2f}",
        "unchanged": result.unchanged,
        "changes": [
            {
                "case": c.case.id,
                "unit": c.case.worker.unit,
                "per_capita": f"{c.per_capita:.2f}",
                "level": c.case.level.value,
                "before": c.before.value if c.before else None,
                "after": c.after.value if c.after else None,
                "move": c.move,
            }
            for c in result.changes
        ],
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_table(result: Impact, day: date) -> None:
    from rich.table import Table

    from hardship_cli.cli.reading import safe_console
    from hardship_cli.domain.money import yuan

    old = result.old.monthly if result.old else None
    console = safe_console()
    title = (
        f"standard from {day}: {yuan(old) if old is not None else 'none'} -> "
        f"{yuan(result.new.monthly)} a person a month"
    )
    table = Table(title=title, title_justify="left")
    for column in ("case", "name", "unit", "per capita", "now", "before", "after", "move"):
        table.add_column(
            column,
            justify="right" if column == "per capita" else "left",
            no_wrap=column in ("case", "move", "per capita"),
        )
    for c in result.changes:
        table.add_row(
            c.case.id,
            c.case.worker.name,
            c.case.worker.unit,
            yuan(c.per_capita),
            c.case.level.value,
            c.before.value if c.before else "-",
            c.after.value if c.after else "-",
            c.move,
        )
    console.print(table)
    console.print(f"{len(result.changes)} file(s) change tier, {result.unchanged} unchanged")


def register(app: typer.Typer) -> None:
    standards_app = typer.Typer(
        help="The dated minimum living standard (低保) and what a change of it does.",
        no_args_is_help=True,
    )
    standards_app.command("impact")(impact_command)
    app.add_typer(standards_app, name="standards")
