"""hardship report monthly|annual|case|notice: what the leaders read, what goes upward."""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hardship_cli.cli.common import TodayOption, parse_today, state
from hardship_cli.problems import UsageError, printable

if TYPE_CHECKING:
    from datetime import date

    from hardship_cli.cli.common import State
    from hardship_cli.load.records import Records
    from hardship_cli.report import Request


class ReportFormat(StrEnum):
    """The formats of the annual report (its tables also as sheets)."""

    md = "md"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"


class PageFormat(StrEnum):
    """The formats of the monthly report, the household file and the notice: `--format`
    lists and accepts only these."""

    md = "md"
    html = "html"
    pdf = "pdf"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


FormatOption = Annotated[
    PageFormat | None,
    typer.Option(
        "--format",
        help="md, html or pdf; default from the -o suffix, else md. "
        "pdf needs a headless Chromium or Chrome.",
        show_default=False,
    ),
]
AnnualFormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        help="md, html, pdf, csv or xlsx; default from the -o suffix, else md. "
        "pdf needs a headless Chromium or Chrome.",
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="zh or en (default: locale in hardship.yaml).", show_default=False),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        help="Write to FILE instead of stdout; {month}, {year}, {id}, {lang} and {format} "
        "are filled in.",
        show_default=False,
    ),
]
CommitOption = Annotated[
    bool, typer.Option("--commit", help="Commit the written report in its git repository.")
]

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv"}
SUFFIXES[".xlsx"] = "xlsx"
SUFFIXES[".pdf"] = "pdf"


def _produce(
    ctx: typer.Context,
    kind: str,
    fmt: ReportFormat | PageFormat | None,
    lang: Lang | None,
    output: str | None,
    today: str | None,
    commit: bool,
    month: str | None = None,
    year: int | None = None,
    case_id: str | None = None,
    full: bool = False,
) -> None:
    from hardship_cli.report import Request, default_lang, produce, resolve_month

    st = state(ctx)
    day = parse_today(today)
    if commit and output is None:
        raise UsageError("--commit needs -o FILE", "e.g. -o reports/{month}.md --commit")
    chosen = _format_of(fmt, output)
    started = time.perf_counter()
    records, extra = _load(st, kind)
    language = lang.value if lang else default_lang(records)
    request = Request(
        kind,
        chosen,
        language,
        day,
        month=month,
        year=year,
        case_id=case_id,
        full=full,
        extra=extra,
    )
    if kind == "monthly":
        y, m = resolve_month(month, day)
        request.month = f"{y:04d}-{m:02d}"
    result = produce(records, request)
    st.say(f"{kind} report rendered in {time.perf_counter() - started:.2f} s")
    if output is None:
        _to_stdout(result)
        return
    path = _output_path(output, request, day)
    _write(path, result, chosen, request.sensitive)
    if commit:
        _commit(path, request, day)


def _format_of(fmt: ReportFormat | PageFormat | None, output: str | None) -> str:
    """--format, else the format the -o suffix names, else md."""
    if fmt is not None:
        return fmt.value
    suffix = Path(output).suffix.lower() if output else ""
    return SUFFIXES.get(suffix, "md")


def _load(st: State, kind: str) -> tuple[Records, dict[str, object]]:
    """The records to report on, and what a roll-up of several roots adds to the annual
    report (its stamp, the units, households filed in two units)."""
    from hardship_cli.cli.reading import load_for_reading, load_rollup

    if kind == "annual" and len(st.root_options) > 1:
        from hardship_cli.report.rollup import duplicate_households, rollup_stamp
        from hardship_cli.report.stamp import records_stamp

        records, units = load_rollup(st)
        return records, {
            "stamp": rollup_stamp(units, records_stamp),
            "units": units,
            "duplicates": duplicate_households(units),
        }
    return load_for_reading(st), {}


def _to_stdout(result: str | bytes) -> None:
    if isinstance(result, bytes):
        if sys.stdout.isatty():
            if result.startswith(b"%PDF"):
                raise UsageError("a PDF is not for the terminal", "write it with -o FILE.pdf")
            raise UsageError(
                "an Excel workbook is not for the terminal", "write it with -o FILE.xlsx"
            )
        sys.stdout.buffer.write(result)
    elif sys.stdout.isatty():
        # What the records hold is shown, never acted on by the terminal.
        sys.stdout.write(printable(result.replace("\r\n", "\n"), lines=True))
    else:
        sys.stdout.write(result)


def _output_path(output: str, request: Request, day: date) -> Path:
    """-o FILE with {month}, {year}, {id}, {lang} and {format} filled in."""
    year = request.year
    period = request.month or str(year or day.year)
    fills = {
        "{month}": request.month or period,
        "{year}": str(year or (int(request.month[:4]) if request.month else day.year)),
        "{id}": request.case_id or "",
        "{lang}": request.lang,
        "{format}": request.fmt,
    }
    name = output
    for key, value in fills.items():
        name = name.replace(key, value)
    return Path(name)


def _write(path: Path, result: str | bytes, chosen: str, sensitive: bool) -> None:
    from hardship_cli.edit.atomic import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    # A report with sensitive fields (the full household file) is its owner's alone.
    mode = 0o600 if sensitive else None
    if isinstance(result, bytes):
        atomic_write(path, result, mode=mode)
    else:
        # Excel reads a UTF-8 CSV file right only with a byte-order mark.
        atomic_write(path, ("\ufeff" if chosen == "csv" else "") + result, mode=mode)
    print(f"wrote {printable(str(path))}", file=sys.stderr)


def _commit(path: Path, request: Request, day: date) -> None:
    """--commit: the written report in its git repository, with a subject that names it."""
    from hardship_cli.report import commit_file

    kind, case_id, year = request.kind, request.case_id, request.year
    subject = (
        f"report: {kind} {case_id or request.month or year or day.year} "
        f"({request.lang}, {request.fmt})"
    )
    record = case_id or request.month or str(year or day.year)
    done = commit_file(path, subject, record, kind)
    print(
        printable(
            f"committed {path} ({done})" if done else f"{path} is unchanged: nothing to commit"
        ),
        file=sys.stderr,
    )


def monthly(
    ctx: typer.Context,
    month: Annotated[
        str, typer.Option("--month", help="YYYY-MM, `previous` or `current`.")
    ] = "previous",
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The month: new files, changes of status, help by kind and fund, budget use and burn,
    donations, visits, what is due next month, and alerts (a new deep-hardship household is
    reported at once).

    Example: hardship report monthly --month previous -o reports/{month}.md --commit
    """
    _produce(ctx, "monthly", format, lang, output, today, commit, month=month)


def annual(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", help="The year (default: this year).", show_default=False),
    ] = None,
    format: AnnualFormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The upward statistical report: households by tier, cause, unit, employment, sex and
    age band; help by kind, fund and month; files opened and closed; the previous year.
    As csv (one block per table) or xlsx (one sheet per table, numbers as numbers) too.
    With several --root options (the units' repositories): the roll-up, with a table per
    unit, the git commit of each root, and households filed in two units.

    Example: hardship report annual --year 2026 --format xlsx -o build/annual-{year}.xlsx
    """

    _produce(
        ctx, "annual", format, lang, output, today, commit, year=year or parse_today(today).year
    )


def case_report(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case, e.g. HS-2026-0001.")],
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Include ID number, phone, diagnosis, address, bank account, notes and "
            "findings (for authorised readers only).",
        ),
    ] = False,
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The printable household file (一户一档): worker, household, income, causes, checks
    and approvals, help given, visits. Sensitive details only with --full, and a file
    written with --full is readable by its owner alone (mode 0600).

    Example: hardship report case HS-2026-0001 --format html -o build/{id}.html
    """
    _produce(ctx, "case", format, lang, output, today, commit, case_id=case_id, full=full)


def notice(
    ctx: typer.Context,
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The public notice (公示) of the households on notice: masked names (张*伟), tier and
    proposed help; never an ID number, phone or diagnosis.

    Example: hardship report notice --format html -o build/notice.html
    """
    _produce(ctx, "notice", format, lang, output, today, commit)


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(
        name="report",
        help="Reports from templates: Markdown, self-contained HTML (prints on A4) or PDF (the "
        "HTML printed by a headless Chromium), in Chinese or English; the annual report also "
        "as CSV or Excel. The same records, options and --today give the same bytes.\n\n"
        "Cron: hardship report monthly --month previous -o reports/{month}.md --commit",
        no_args_is_help=True,
    )
    report_app.command()(monthly)
    report_app.command()(annual)
    report_app.command("case")(case_report)
    report_app.command()(notice)
    app.add_typer(report_app)
