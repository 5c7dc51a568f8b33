"""hardship stats (alias aggregate): counts and amounts by any fields, for leaders and upward."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.choices import choice_parser
from hardship_cli.cli.common import TodayOption, parse_today, state
from hardship_cli.i18n import N_, _, pgettext

if TYPE_CHECKING:
    from hardship_cli.report.stats import Stats

FORMATS = ("table", "csv", "json")
SUBJECTS = ("grants", "cases")

HELP = N_(
    "Counts and amounts grouped by any fields (alias: aggregate)."
    "\n\n"
    "For grants: households helped, items of help and yuan; a grant's year, quarter and month "
    "are those of its proposal (the budget year it counts against). For cases: households "
    "and the people in them; with --year or --month, the households on file during it. "
    "Age bands are the worker's age at the end of the period (or today)."
    "\n\n"
    "With several --root options (the units' repositories), figures are per unit (org) and "
    "in total; a household filed in two units is reported on stderr."
    "\n\n"
    "Example: hardship stats --by kind,fund --year 2026 --format csv"
)


def stats(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar=N_("FIELDS"),
            help=N_(
                "Group by these fields, comma-separated: org, tier, cause, unit, kind, fund, "
                "status, month, quarter, year, sex, age_band, employment."
            ),
            show_default=False,
        ),
    ] = None,
    of: Annotated[
        str,
        typer.Option(
            "--of",
            parser=choice_parser(SUBJECTS),
            metavar="grants|cases",
            help=N_("Count items of help (grants) or household files (cases)."),
        ),
    ] = "grants",
    year: Annotated[
        int | None,
        typer.Option("--year", metavar=N_("YEAR"), help=N_("Only this year."), show_default=False),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            metavar=N_("YYYY-MM"),
            help=N_("Only this month (YYYY-MM)."),
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar=N_("STATUSES"),
            help=N_(
                "Only these statuses, comma-separated, or `all` (default for grants: "
                "approved,paid; for cases: all)."
            ),
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            parser=choice_parser(FORMATS),
            metavar="table|csv|json",
            help=N_("table, csv or json."),
        ),
    ] = "table",
    today: TodayOption = None,
) -> None:
    """Counts and amounts grouped by any fields (the help is HELP)."""
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
    result = compute(frames, of, fields, year, month, statuses)
    if format == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif format == "csv":
        _write_csv(result)
    else:
        _print_table(result)


def _statuses(status: str | None, of: str) -> list[str] | None:
    """--status: the statuses named, every one (`all`), or by default for grants those that
    count (approved, paid) and for cases every one (None)."""
    if status is not None:
        if status.strip() == "all":
            return _every_status(of)
        return [s.strip() for s in status.split(",") if s.strip()]
    if of == "grants":
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


# The headings of the table: a field or a measure -> the report's heading of it.
HEADINGS = {
    "org": "col.org",
    "tier": "col.tier",
    "cause": "col.cause",
    "unit": "col.unit",
    "kind": "col.kind",
    "fund": "col.fund",
    "status": "col.status",
    "month": "col.month",
    "year": "period.year",
    "households": "col.households",
    "people": "col.people",
    "grants": "col.grants",
    "amount": "col.amount",
}
# Headings the report has no word for.
OWN_HEADINGS = {
    "quarter": N_("quarter"),
    "sex": N_("sex"),
    "age_band": N_("age band"),
    "employment": N_("employment"),
}
# The fields whose values are codes of the vocabulary (status: of the subject counted).
GROUPS = {
    "tier": "tier",
    "cause": "cause",
    "kind": "kind",
    "fund": "fund",
    "sex": "sex",
    "age_band": "age_band",
    "employment": "employment",
}
TITLES = {"grants": N_("items of help"), "cases": N_("household files")}


def _heading(name: str) -> str:
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    if name in HEADINGS:
        return heading(language(), HEADINGS[name])
    return _(OWN_HEADINGS[name]) if name in OWN_HEADINGS else name


def _word(field: str, value: object, of: str) -> str:
    """A cell of a `--by` field: a code said in words, anything else as it is."""
    from hardship_cli.domain.vocabulary import label

    if field == "fund":
        from hardship_cli.cli.budget import fund_word

        return fund_word(str(value))
    if field == "status":
        return label("grant_status" if of == "grants" else "case_status", str(value))
    group = GROUPS.get(field)
    return label(group, str(value)) if group else str(value)


def _every_status(of: str) -> list[str]:
    from hardship_cli.domain.model import CaseStatus, GrantStatus

    return [s.value for s in (GrantStatus if of == "grants" else CaseStatus)]


def _filters(result: Stats) -> str:
    """What the table is limited to: year, month, statuses, in words."""
    said = []
    for key, value in result.filters.items():
        if key == "year":
            said.append(_("year {year}").format(year=value))
        elif key == "month":
            said.append(_("month {month}").format(month=value))
        elif key == "status":
            values = value if isinstance(value, list) else [value]
            if set(values) >= set(_every_status(result.of)):
                continue  # no limit said
            statuses = [_word("status", v, result.of) for v in values]
            listed = pgettext("enumeration", ", ").join(statuses)
            said.append(_("status {statuses}").format(statuses=listed))
        else:
            said.append(f"{key} {value}")
    return pgettext("clauses", ", ").join(said)


def _print_table(result: Stats) -> None:
    from rich.table import Table

    from hardship_cli.cli.reading import wide_console
    from hardship_cli.domain.money import yuan
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    subject = _(TITLES[result.of]) if result.of in TITLES else result.of
    filters = _filters(result)
    title = subject
    if filters:
        title = _("{subject}: {filters}").format(subject=subject, filters=filters)
    table = Table(title=title, title_justify="left", show_footer=bool(result.by))
    for i, name in enumerate(result.by):
        footer = heading(language(), "col.total") if i == 0 else ""
        table.add_column(_heading(name), footer=footer)
    for m in result.measures:
        total = result.total[m]
        table.add_column(
            _heading(m), justify="right", footer=yuan(total) if m == "amount" else str(total)
        )
    rows = result.rows if result.by else [result.total]
    for row in rows:
        table.add_row(
            *[_word(k, row[k], result.of) for k in result.by],
            *[yuan(row[m]) if m == "amount" else str(row[m]) for m in result.measures],
        )
    wide_console().print(table)


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(stats)
    app.command("aggregate", hidden=True, help=HELP)(stats)
