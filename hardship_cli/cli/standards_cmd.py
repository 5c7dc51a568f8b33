"""hardship standards impact: who would change tier under a new minimum living standard."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.common import TableOrJsonOption, state
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError

if TYPE_CHECKING:
    from datetime import date

    from hardship_cli.domain.standards import Impact



GROUP_HELP = N_("The dated minimum living standard (低保) and what a change of it does.")
IMPACT_HELP = N_(
    "Which open files would move between tiers, or fall out of the archive, under a new "
    "standard, with their per-capita income. Nothing is changed."
    "\n\n"
    "Example: hardship standards impact --from 2027-01-01 --monthly 850"
)

# How a file moves (domain.standards.MOVES), as the table says it.
MOVES = {
    "falls_out": N_("leaves the archive"),
    "deep_to_relative": N_("deep to relative"),
    "relative_to_deep": N_("relative to deep"),
    "none_to_relative": N_("enters as relative"),
    "none_to_deep": N_("enters as deep"),
}


def impact_command(
    ctx: typer.Context,
    start: Annotated[
        str,
        typer.Option(
            "--from",
            metavar=N_("DATE"),
            help=N_("The day the new standard takes effect (YYYY-MM-DD)."),
        ),
    ],
    monthly: Annotated[
        str | None,
        typer.Option(
            "--monthly",
            metavar=N_("AMOUNT"),
            help=N_(
                "The new standard per person per month; default: the hardship.yaml entry "
                "starting on --from."
            ),
            show_default=False,
        ),
    ] = None,
    format: TableOrJsonOption = "table",
) -> None:
    """Who would change tier under a new standard (the help is IMPACT_HELP)."""
    from hardship_cli.domain.standards import impact
    from hardship_cli.domain.values import parse_date, parse_money

    try:
        day = parse_date(start)
        amount: Decimal | None = parse_money(monthly) if monthly is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    records = state(ctx).load()
    if records.config is None:
        raise UsageError(_("hardship.yaml does not load; run hardship validate"))
    result = impact(records.config, records.case_facts().values(), day, amount)
    if format == "json":
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
                "unit": c.case.unit,
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

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan
    from hardship_cli.domain.vocabulary import label
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    lang = language()
    old = result.old.monthly if result.old else None
    console = wide_console()
    title = _("standard from {day}: {old} -> {new} a person a month").format(
        day=day, old=yuan(old) if old is not None else _("none"), new=yuan(result.new.monthly)
    )
    table = Table(title=title, title_justify="left")
    columns = (
        ("case", heading(lang, "col.case")),
        ("name", heading(lang, "col.name")),
        ("unit", heading(lang, "col.unit")),
        ("per capita", _("per capita")),
        ("now", _("tier now")),
        ("before", _("under the old standard")),
        ("after", _("under the new standard")),
        ("move", _("move")),
    )
    for column, shown in columns:
        table.add_column(
            shown,
            justify="right" if column == "per capita" else "left",
            no_wrap=column in ("case", "move", "per capita"),
        )
    for c in result.changes:
        table.add_row(
            c.case.id,
            c.case.name,
            c.case.unit,
            yuan(c.per_capita),
            label("tier", c.case.level.value),
            label("tier", c.before.value) if c.before else "-",
            label("tier", c.after.value) if c.after else "-",
            _(MOVES[c.move]) if c.move in MOVES else c.move,
        )
    console.print(table)
    console.print(
        _("{changed} file(s) change tier, {unchanged} unchanged").format(
            changed=len(result.changes), unchanged=result.unchanged
        )
    )


def register(app: typer.Typer) -> None:
    standards_app = typer.Typer(help=GROUP_HELP, no_args_is_help=True)
    standards_app.command("impact", help=IMPACT_HELP)(impact_command)
    app.add_typer(standards_app, name="standards")
