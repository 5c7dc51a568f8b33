"""hardship export facts: the grants', cases' and visits' facts as Parquet, for DuckDB and
other engines (registered in the `export` group by sheets_cmd)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.common import TextOrJsonOption, state
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError

if TYPE_CHECKING:
    from hardship_cli.cli.common import State
    from hardship_cli.load.records import Records

HELP = N_(
    "Write the facts of grants, cases and visits as Parquet files, partitioned by unit and "
    "year (DIR/grants/unit=NAME/year=YYYY/part-0.parquet, and cases/, visits/), for DuckDB "
    "or any engine that reads Parquet. The unit is the organisation in hardship.yaml, or "
    "--unit; with several --root options each root is a unit of its own."
    "\n\n"
    "Only codes, dates, counts and money go in: no name, ID number, phone, address, bank "
    "account, diagnosis or note. Money is exact (decimal, two places), dates are dates. The "
    "folder is written whole or not at all; a folder that is not empty is refused, unless "
    "--force and it holds an earlier export. Needs pyarrow (the optional extra parquet): "
    "`pip install pyarrow`."
    "\n\n"
    "Example: hardship export facts -o build/facts"
)


def export_facts(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar=N_("DIR"),
            help=N_("The folder to write (new or empty)."),
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            metavar=N_("UNIT"),
            help=N_(
                "The unit's name in the files (default: the organisation in hardship.yaml); "
                "with several --root, once for each, in the same order."
            ),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=N_("Replace an earlier export in the folder.")),
    ] = False,
    format: TextOrJsonOption = "text",
) -> None:
    """Export the facts as Parquet (the help is HELP)."""
    from hardship_cli.report.export_facts import export_facts as write
    from hardship_cli.report.export_facts import require_pyarrow

    require_pyarrow()  # refused before the records are read
    st = state(ctx)
    units = _units(st, list(unit or []))
    written = write(units, output, force=force)
    if format == "json":
        json.dump(written.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    print(
        _(
            "wrote {grants} grant(s), {cases} case(s) and {visits} visit row(s) of {units} "
            "unit(s) to {folder} ({files} Parquet files)"
        ).format(
            grants=written.rows["grants"],
            cases=written.rows["cases"],
            visits=written.rows["visits"],
            units=len(written.units),
            folder=output,
            files=written.files,
        )
    )


def _units(st: State, names: list[str]) -> list[tuple[str, Records]]:
    """(unit name, records) of each root given: one, or several for a province's roll-up."""
    from hardship_cli.cli.reading import load_each_unit, load_for_reading

    several = len(st.root_options) > 1
    wanted = len(st.root_options) if several else 1
    if names and len(names) != wanted:
        raise UsageError(
            _("--unit was given {n} time(s) for {roots} records root(s)").format(
                n=len(names), roots=wanted
            ),
            _("give --unit once for each --root, in the same order, or not at all"),
        )
    if several:
        found = [(u.name, u.records) for u in load_each_unit(st)]
    else:
        records = load_for_reading(st)
        assert records.config is not None
        found = [(records.config.organisation.name, records)]
    if names:
        found = [(name, records) for name, (_old, records) in zip(names, found, strict=True)]
    return found
