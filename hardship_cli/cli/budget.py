"""hardship budget: the year's lines, reserve, funds and donation drives."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from hardship_cli.cli.common import parse_today, state
from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, printable


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


def budget(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="Budget year (default: the year of --today).", show_default=False
        ),
    ] = None,
    format: Annotated[
        TableOrJson, typer.Option("--format", help="table or json.")
    ] = TableOrJson.table,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
    ] = None,
) -> None:
    """Each budget line with allocated, committed (approved, unpaid), spent (paid),
    remaining, % used and the day it runs out at this year's pace; the reserve; use by
    fund source; donation drives with raised, paid out and balance.

    Lines over budget are marked OVERDRAWN, lines that will run out before the year ends
    at this pace are marked RUNS OUT, fund sources used beyond what the budget plans from
    them (its `sources`) are marked OVERSPENT. Exit 1 when any line is overdrawn or any
    source overspent, so cron can alert.

    With several --root options, a line per unit, then the total; exit 1 when any unit
    has an overdrawn line or an overspent source.

    Example: hardship budget --year 2026 --format json
    """
    from hardship_cli.cli.reading import load_rollup
    from hardship_cli.report.budgeting import budget_status

    st = state(ctx)
    day = parse_today(today)
    records, units = load_rollup(st)
    the_year = year or day.year
    status = budget_status(records, the_year, day)
    per_unit = [(u, budget_status(u.records, the_year, day)) for u in units]
    for note in status.notes:
        print(f"warning: {printable(note)}", file=sys.stderr)
    for unit, unit_status in per_unit:
        for note in unit_status.notes:
            print(printable(f"warning: {unit.label} {unit.name}: {note}"), file=sys.stderr)
    if format == TableOrJson.json:
        doc = status.to_json()
        if units:
            doc = {
                "units": [
                    {"label": u.label, "name": u.name, "root": str(u.root), **s.to_json()}
                    for u, s in per_unit
                ],
                "total": doc,
            }
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if per_unit:
            _print_units(per_unit, status)
        _print_table(status, records.config.organisation.name if records.config else "")
    problems = status.problems or any(s.problems for _, s in per_unit)
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _print_units(per_unit, total) -> None:  # type: ignore[no-untyped-def]
    """A roll-up: one line per unit, then the total's detail below."""
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan

    table = Table(title=f"units, budget {total.year}", title_justify="left", show_footer=True)
    table.add_column("unit", footer="total")
    for name in ("allocated", "committed", "spent", "remaining"):
        table.add_column(name, justify="right", footer=yuan(getattr(total, name)))
    table.add_column("used", justify="right", footer=f"{total.percent or 0}%")
    table.add_column("overdrawn lines")
    table.add_column("overspent sources")
    for unit, s in per_unit:
        table.add_row(
            f"{unit.label} {unit.name}",
            yuan(s.allocated),
            yuan(s.committed),
            yuan(s.spent),
            yuan(s.remaining),
            f"{s.percent or 0}%",
            ", ".join(line.use.kind.value for line in s.overdrawn),
            ", ".join(f.fund for f in s.overspent),
            style="bold red" if s.problems else None,
        )
    wide_console().print(table)


def _print_table(status, org: str) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan

    def pct(value: object) -> str:
        return "" if value is None else f"{value}%"

    console = wide_console()
    lines = Table(
        title=f"{org} budget {status.year} (as of {status.today})",
        title_justify="left",
        show_footer=True,
    )
    lines.add_column("line", footer="total")
    for name, total in (
        ("allocated", status.allocated),
        ("committed", status.committed),
        ("spent", status.spent),
        ("remaining", status.remaining),
    ):
        lines.add_column(name, footer=yuan(total), justify="right")
    lines.add_column("used", footer=pct(status.percent), justify="right")
    lines.add_column("runs out", justify="right")
    lines.add_column("mark")
    for line in status.lines:
        use = line.use
        mark = "OVERDRAWN" if line.overdrawn else ("RUNS OUT" if line.runs_out_early else "")
        style = "bold red" if line.overdrawn else ("yellow" if line.runs_out_early else None)
        lines.add_row(
            use.kind.value,
            yuan(use.allocated),
            yuan(use.committed),
            yuan(use.spent),
            yuan(use.remaining),
            pct(use.percent),
            str(line.runs_out_on or ""),
            mark,
            style=style,
        )
    console.print(lines)
    console.print(
        f"budget total {yuan(status.total)}; lines {yuan(status.allocated)}; "
        f"reserve {yuan(status.reserve)}; not allocated {yuan(status.unallocated)}"
    )
    funds = Table(title="by fund source", title_justify="left")
    for name in ("fund", "planned", "committed", "spent", "remaining", "mark"):
        funds.add_column(name, justify="left" if name in ("fund", "mark") else "right")
    for f in status.funds:
        funds.add_row(
            f.fund,
            "" if f.planned is None else yuan(f.planned),
            yuan(f.committed),
            yuan(f.spent),
            "" if f.remaining is None else yuan(f.remaining),
            "OVERSPENT" if f.overspent else "",
            style="bold red" if f.overspent else None,
        )
    console.print(funds)
    if status.campaigns:
        drives = Table(title="donation drives", title_justify="left")
        for name in ("drive", "title", "for", "raised", "committed", "paid", "balance"):
            drives.add_column(
                name,
                justify="right" if name in ("raised", "committed", "paid", "balance") else "left",
            )
        for c in status.campaigns:
            drives.add_row(
                c.campaign.id,
                c.campaign.title,
                c.campaign.beneficiary or "general pool",
                yuan(c.raised),
                yuan(c.committed),
                yuan(c.spent),
                yuan(c.balance),
            )
        console.print(drives)


def register(app: typer.Typer) -> None:
    app.command()(budget)
