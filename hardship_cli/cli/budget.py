"""hardship budget: the year's lines, reserve, funds and donation drives."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from hardship_cli.cli.common import TableOrJsonOption, TodayOption, parse_today, state
from hardship_cli.i18n import N_, _
from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, printable

HELP = N_(
    "Each budget line with allocated, committed (approved, unpaid), spent (paid), "
    "remaining, % used and the day it runs out at this year's pace; the reserve; use by "
    "fund source; donation drives with raised, paid out and balance."
    "\n\n"
    "Lines over budget are marked OVERDRAWN, lines that will run out before the year ends "
    "at this pace are marked RUNS OUT, fund sources used beyond what the budget plans from "
    "them (its `sources`) are marked OVERSPENT. Exit 1 when any line is overdrawn or any "
    "source overspent, so cron can alert."
    "\n\n"
    "With several --root options, a line per unit, then the total; exit 1 when any unit "
    "has an overdrawn line or an overspent source."
    "\n\n"
    "Example: hardship budget --year 2026 --format json"
)

# The marks of the table (the report says the same in its own words: mark.overdrawn...).
OVERDRAWN = N_("OVERDRAWN")
RUNS_OUT = N_("RUNS OUT")
OVERSPENT = N_("OVERSPENT")


def fund_word(fund: str) -> str:
    """A fund source in words: `union` -> union budget, `campaign:DC-2026-01` (a drive's
    earmarked money) -> donation drive DC-2026-01."""
    from hardship_cli.domain.vocabulary import label

    kind, colon, drive = fund.partition(":")
    if colon and kind == "campaign":
        return f"{label('fund', kind)} {drive}"
    return label("fund", fund)


def budget(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar=N_("YEAR"),
            help=N_("Budget year (default: the year of --today)."),
            show_default=False,
        ),
    ] = None,
    format: TableOrJsonOption = "table",
    today: TodayOption = None,
) -> None:
    """The year's budget (the help is HELP)."""
    from hardship_cli.cli.reading import load_rollup
    from hardship_cli.report.budgeting import budget_status

    st = state(ctx)
    day = parse_today(today)
    records, units = load_rollup(st)
    the_year = year or day.year
    status = budget_status(records, the_year, day)
    per_unit = [(u, budget_status(u.records, the_year, day)) for u in units]
    for note in status.notes:
        print(_("warning: {note}").format(note=printable(note)), file=sys.stderr)
    for unit, unit_status in per_unit:
        for note in unit_status.notes:
            said = _("warning: {unit}: {note}").format(unit=f"{unit.label} {unit.name}", note=note)
            print(printable(said), file=sys.stderr)
    if format == "json":
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
    problems = status.problems or any(s.problems for _unit, s in per_unit)
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _print_units(per_unit, total) -> None:  # type: ignore[no-untyped-def]
    """A roll-up: one line per unit, then the total's detail below."""
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan
    from hardship_cli.domain.vocabulary import label
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    lang = language()
    table = Table(
        title=_("units, budget {year}").format(year=total.year),
        title_justify="left",
        show_footer=True,
    )
    table.add_column(heading(lang, "col.org"), footer=heading(lang, "col.total"))
    for name in ("allocated", "committed", "spent", "remaining"):
        table.add_column(
            heading(lang, f"col.{name}"), justify="right", footer=yuan(getattr(total, name))
        )
    table.add_column(heading(lang, "col.percent"), justify="right", footer=f"{total.percent or 0}%")
    table.add_column(_("overdrawn lines"))
    table.add_column(_("overspent sources"))
    for unit, s in per_unit:
        table.add_row(
            f"{unit.label} {unit.name}",
            yuan(s.allocated),
            yuan(s.committed),
            yuan(s.spent),
            yuan(s.remaining),
            f"{s.percent or 0}%",
            ", ".join(label("kind", line.use.kind.value) for line in s.overdrawn),
            ", ".join(fund_word(f.fund) for f in s.overspent),
            style="bold red" if s.problems else None,
        )
    wide_console().print(table)


def _print_table(status, org: str) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan
    from hardship_cli.domain.vocabulary import label
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    def pct(value: object) -> str:
        return "" if value is None else f"{value}%"

    lang = language()
    console = wide_console()
    lines = Table(
        title=_("{org} budget {year} (as of {today})").format(
            org=org, year=status.year, today=status.today
        ),
        title_justify="left",
        show_footer=True,
    )
    lines.add_column(heading(lang, "col.kind"), footer=heading(lang, "col.total"))
    for name, total in (
        ("allocated", status.allocated),
        ("committed", status.committed),
        ("spent", status.spent),
        ("remaining", status.remaining),
    ):
        lines.add_column(heading(lang, f"col.{name}"), footer=yuan(total), justify="right")
    lines.add_column(heading(lang, "col.percent"), footer=pct(status.percent), justify="right")
    lines.add_column(heading(lang, "col.runs_out"), justify="right")
    lines.add_column(heading(lang, "col.mark"))
    for line in status.lines:
        use = line.use
        mark = _(OVERDRAWN) if line.overdrawn else (_(RUNS_OUT) if line.runs_out_early else "")
        style = "bold red" if line.overdrawn else ("yellow" if line.runs_out_early else None)
        lines.add_row(
            label("kind", use.kind.value),
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
        _(
            "budget total {total}; lines {lines}; reserve {reserve}; not allocated {unallocated}"
        ).format(
            total=yuan(status.total),
            lines=yuan(status.allocated),
            reserve=yuan(status.reserve),
            unallocated=yuan(status.unallocated),
        )
    )
    funds = Table(title=_("by fund source"), title_justify="left")
    for name, shown in (
        ("fund", heading(lang, "col.fund")),
        ("planned", _("planned")),
        ("committed", heading(lang, "col.committed")),
        ("spent", heading(lang, "col.spent")),
        ("remaining", heading(lang, "col.remaining")),
        ("mark", heading(lang, "col.mark")),
    ):
        funds.add_column(shown, justify="left" if name in ("fund", "mark") else "right")
    for f in status.funds:
        funds.add_row(
            fund_word(f.fund),
            "" if f.planned is None else yuan(f.planned),
            yuan(f.committed),
            yuan(f.spent),
            "" if f.remaining is None else yuan(f.remaining),
            _(OVERSPENT) if f.overspent else "",
            style="bold red" if f.overspent else None,
        )
    console.print(funds)
    if status.campaigns:
        drives = Table(title=_("donation drives"), title_justify="left")
        for name, shown in (
            ("drive", heading(lang, "col.campaign")),
            ("title", _("title")),
            ("for", heading(lang, "col.beneficiary")),
            ("raised", heading(lang, "col.raised")),
            ("committed", heading(lang, "col.committed")),
            ("paid", heading(lang, "col.paid")),
            ("balance", heading(lang, "col.balance")),
        ):
            drives.add_column(
                shown,
                justify="right" if name in ("raised", "committed", "paid", "balance") else "left",
            )
        for c in status.campaigns:
            drives.add_row(
                c.campaign.id,
                c.campaign.title,
                c.campaign.beneficiary or heading(lang, "general_pool"),
                yuan(c.raised),
                yuan(c.committed),
                yuan(c.spent),
                yuan(c.balance),
            )
        console.print(drives)


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(budget)
