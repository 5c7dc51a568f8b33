"""hardship import cases / export cases: the units' yearly collection sheet."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli import facts_cmd
from hardship_cli.cli.common import TextOrJsonOption, TodayOption, parse_today, state
from hardship_cli.i18n import N_, _
from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from hardship_cli.casework.importing.run import Imported
    from hardship_cli.load.store import Records

IMPORT_HELP = N_(
    "Create or update case files from the yearly collection sheet, one row a household "
    "(members on a second sheet 家庭成员 or on repeated rows). A household is matched by 工号, "
    "else 身份证号, and is never filed twice. Bad rows are refused with their row number; the "
    "good rows are imported all the same, in one commit, or, if the import is stopped or "
    "fails, not at all. Exit 1 when a row was refused. A sheet over the limits (its size, "
    "its unpacked size, its rows; hardship.yaml `imports:` sets them) is refused, exit 2."
    "\n\n"
    "Example: hardship import cases 2027花名册.xlsx --as 李明 --dry-run"
)
EXPORT_HELP = N_(
    "Write the collection sheet (the same columns import reads): open files, one row a "
    "household, members on a second sheet (xlsx) or repeated rows (csv). Sensitive columns "
    "(ID number, phone, address, bank, notes) only with --full, and then the file is made "
    "readable by its owner alone (mode 0600). Text a spreadsheet would run as a formula "
    "(a leading =, +, -, @, tab or carriage return) is written with a leading quote; "
    "import takes it off again."
    "\n\n"
    "The first rows say whose the sheet is and when: the union unit, the files it holds "
    "(as of today), the git commit of the records and the date; import skips them."
    "\n\n"
    "Example: hardship export cases -o 2027花名册.xlsx --full"
)

# What became of a row, one line each (the case is left out where there is none).
ROW_DONE = {
    "create": N_("{sheet} row {row}: created {case}"),
    "update": N_("{sheet} row {row}: updated {case}"),
    "unchanged": N_("{sheet} row {row}: unchanged {case}"),
    "refused": N_("{sheet} row {row}: refused {case}"),
}
ROW_DRY = {
    "create": N_("{sheet} row {row}: would create {case}"),
    "update": N_("{sheet} row {row}: would update {case}"),
}


def import_cases(
    ctx: typer.Context,
    sheet: Annotated[
        Path, typer.Argument(metavar=N_("FILE"), help=N_("The collection sheet, .xlsx or .csv."))
    ],
    acting: Annotated[
        str,
        typer.Option("--as", metavar=N_("NAME"), help=N_("The officer who files the new cases.")),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=N_("Show what would happen, row by row; write nothing.")),
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", metavar=N_("FILE"), help=N_("YAML file: sheet heading -> known heading.")
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar=N_("DATE"), help=N_("Filing date of new cases (default today).")
        ),
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help=N_("Leave the change uncommitted."))
    ] = False,
    format: TextOrJsonOption = "text",
    max_rows: Annotated[
        int | None,
        typer.Option(
            "--max-rows",
            min=1,
            metavar=N_("N"),
            help=N_("Read at most N rows a sheet (else imports: max_rows)."),
        ),
    ] = None,
    max_size: Annotated[
        int | None,
        typer.Option(
            "--max-size",
            min=1,
            metavar=N_("MB"),
            help=N_("Refuse a file over MB megabytes (else imports: max_file_mb)."),
        ),
    ] = None,
    max_unpacked: Annotated[
        int | None,
        typer.Option(
            "--max-unpacked",
            min=1,
            metavar=N_("MB"),
            help=N_(
                "Refuse an .xlsx unpacking to over MB megabytes (else imports: max_unpacked_mb)."
            ),
        ),
    ] = None,
) -> None:
    """Import the collection sheet (the help is IMPORT_HELP)."""
    from hardship_cli.casework.importing.run import import_cases, limits_of, read_config
    from hardship_cli.casework.intake import SPACES
    from hardship_cli.casework.sheets.columns import load_mapping
    from hardship_cli.domain.policy import CASEWORK_ROLES, acting_as

    st = state(ctx)
    day = parse_today(on)
    acting = acting.strip(SPACES)  # names are trimmed on input, as every --as
    config = read_config(st.root)
    # Filing cases is casework: an officer, the chair or the leader, never finance alone.
    acting_as(config, acting, CASEWORK_ROLES, _("importing the collection sheet"))
    limits = limits_of(
        config, max_rows=max_rows, max_file_mb=max_size, max_unpacked_mb=max_unpacked
    )
    done = import_cases(
        st.root,
        sheet,
        load_mapping(mapping),
        acting,
        day,
        limits,
        dry_run=dry_run,
        commit=not no_commit,
    )
    for note in done.notes:
        print(note, file=sys.stderr)
    if format == "json":
        _print_json(done)
    else:
        _print_rows(done, dry_run)
    refused = _print_counts(done, dry_run)
    raise typer.Exit(EXIT_PROBLEMS if refused else EXIT_OK)


def _print_json(done: Imported) -> None:
    """One object a row: what was done to which case, what changed, why, the warnings."""
    doc = [
        {
            "sheet": a.sheet,
            "row": a.row,
            "action": a.what,
            "case": done.written.get(a.row, a.case_id),
            "changed": a.changed,
            "reason": a.reason,
            "warnings": a.warnings,
        }
        for a in done.actions
    ]
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_rows(done: Imported, dry_run: bool) -> None:
    """One line a row, its warnings indented under it."""
    for a in done.actions:
        said = (ROW_DRY if dry_run else {}).get(a.what) or ROW_DONE.get(a.what)
        case = done.written.get(a.row, a.case_id) or ""
        if said is None:
            line = f"{a.sheet} {a.row}: {a.what} {case}".rstrip()
        else:
            line = _(said).format(sheet=a.sheet, row=a.row, case=case).rstrip()
        detail = ", ".join(a.changed) if a.changed else a.reason
        print(_("{line}: {detail}").format(line=line, detail=detail) if detail else line)
        for warning in a.warnings:
            print("    " + _("warning: {note}").format(note=warning))


def _print_counts(done: Imported, dry_run: bool) -> int:
    """The rows by outcome, on stderr; returns how many were refused."""
    actions = done.actions
    counts = {
        k: sum(1 for a in actions if a.what == k)
        for k in ("create", "update", "unchanged", "refused")
    }
    said = (
        _(
            "{rows} row(s): {new} new, {updated} updated, {unchanged} unchanged, "
            "{refused} refused (dry run: nothing written)"
        )
        if dry_run
        else _(
            "{rows} row(s): {new} new, {updated} updated, {unchanged} unchanged, {refused} refused"
        )
    )
    print(
        said.format(
            rows=len(actions),
            new=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            refused=counts["refused"],
        ),
        file=sys.stderr,
    )
    return counts["refused"]


def export_cases(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar=N_("FILE"), help=N_("FILE.xlsx or FILE.csv")),
    ],
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help=N_(
                "Include ID numbers, phones, addresses, bank accounts and notes "
                "(the file is then readable by you alone)."
            ),
        ),
    ] = False,
    all_cases: Annotated[
        bool, typer.Option("--all", help=N_("Also closed and rejected files."))
    ] = False,
    today: TodayOption = None,
) -> None:
    """Export the collection sheet (the help is EXPORT_HELP)."""
    from hardship_cli.casework.sheets.writing import write_sheet
    from hardship_cli.domain.model import OPEN_CASE_STATUSES

    st = state(ctx)
    records = st.load()
    cases = [c for c in records.cases.values() if all_cases or c.status in OPEN_CASE_STATUSES]
    count = write_sheet(output, cases, full, _about(st.root, records, all_cases, today))
    print(
        _("wrote {count} household(s) to {file}").format(count=count, file=output),
        file=sys.stderr,
    )


def _about(root: Path, records: Records, all_cases: bool, today: str | None) -> list[list[str]]:
    """Whose the sheet is and when, in the sheet's language (Chinese, like its headings)."""
    from hardship_cli.report.labels import label
    from hardship_cli.report.stamp import about_rows, records_stamp

    assert records.config is not None
    day = parse_today(today)
    files = label("zh", "sheet.all_files" if all_cases else "sheet.open_files")
    period = f"{files}（{label('zh', 'sheet.as_of').format(day=day.isoformat())}）"
    return about_rows(records.config.organisation.name, period, records_stamp(root), day, "zh")


def register(app: typer.Typer) -> None:
    import_app = typer.Typer(help=N_("Bring the units' sheets in."), no_args_is_help=True)
    export_app = typer.Typer(
        help=N_("Write the collection sheet back out, or the facts as Parquet."),
        no_args_is_help=True,
    )
    import_app.command("cases", help=IMPORT_HELP)(import_cases)
    export_app.command("cases", help=EXPORT_HELP)(export_cases)
    export_app.command("facts", help=facts_cmd.HELP)(facts_cmd.export_facts)
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
