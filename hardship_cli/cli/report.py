"""hardship report monthly|annual|case|notice: what the leaders read, what goes upward."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hardship_cli.cli.choices import choice_parser
from hardship_cli.cli.common import TodayOption, parse_today, state
from hardship_cli.i18n import LANGS, N_, _, normalize
from hardship_cli.problems import UsageError, printable

if TYPE_CHECKING:
    from datetime import date

    from hardship_cli.cli.common import State
    from hardship_cli.load.records import Records
    from hardship_cli.report import Request

# The formats of the annual report (its tables also as sheets).
REPORT_FORMATS = ("md", "html", "pdf", "csv", "xlsx")
# The formats of the monthly report, the household file and the notice: `--format` lists
# and accepts only these.
PAGE_FORMATS = ("md", "html", "pdf")


def parse_lang(value: str) -> str:
    """--lang of a report: zh or en, as any --lang is written (zh-CN, 中文, en_US...)."""
    return normalize(value) or choice_parser(LANGS)(value)


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        parser=choice_parser(PAGE_FORMATS),
        metavar="|".join(PAGE_FORMATS),
        help=N_(
            "md, html or pdf; default from the -o suffix, else md. "
            "pdf needs a headless Chromium or Chrome."
        ),
        show_default=False,
    ),
]
AnnualFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        parser=choice_parser(REPORT_FORMATS),
        metavar="|".join(REPORT_FORMATS),
        help=N_(
            "md, html, pdf, csv or xlsx; default from the -o suffix, else md. "
            "pdf needs a headless Chromium or Chrome."
        ),
        show_default=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        parser=parse_lang,
        metavar="zh|en",
        help=N_(
            "The language of the report, zh or en (default: locale in hardship.yaml); "
            "what the terminal says too."
        ),
        show_default=False,
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar=N_("FILE"),
        help=N_(
            "Write to FILE instead of stdout; {month}, {year}, {id}, {lang} and {format} "
            "are filled in."
        ),
        show_default=False,
    ),
]
CommitOption = Annotated[
    bool, typer.Option("--commit", help=N_("Commit the written report in its git repository."))
]

GROUP_HELP = N_(
    "Reports from templates: Markdown, self-contained HTML (prints on A4) or PDF (the "
    "HTML printed by a headless Chromium), in Chinese or English; the annual report also "
    "as CSV or Excel. The same records, options and --today give the same bytes."
    "\n\n"
    "Cron: hardship report monthly --month previous -o reports/{month}.md --commit"
)
MONTHLY_HELP = N_(
    "The month: new files, changes of status, help by kind and fund, budget use and burn, "
    "donations, visits, what is due next month, and alerts (a new deep-hardship household is "
    "reported at once)."
    "\n\n"
    "Example: hardship report monthly --month previous -o reports/{month}.md --commit"
)
ANNUAL_HELP = N_(
    "The upward statistical report: households by tier, cause, unit, employment, sex and "
    "age band; help by kind, fund and month; files opened and closed; the previous year. "
    "As csv (one block per table) or xlsx (one sheet per table, numbers as numbers) too. "
    "With several --root options (the units' repositories): the roll-up, with a table per "
    "unit, the git commit of each root, and households filed in two units."
    "\n\n"
    "Example: hardship report annual --year 2026 --format xlsx -o build/annual-{year}.xlsx"
)
CASE_HELP = N_(
    "The printable household file (一户一档): worker, household, income, causes, checks "
    "and approvals, help given, visits. Sensitive details only with --full, and a file "
    "written with --full is readable by its owner alone (mode 0600)."
    "\n\n"
    "Example: hardship report case HS-2026-0001 --format html -o build/{id}.html"
)
NOTICE_HELP = N_(
    "The public notice (公示) of the households on notice: masked names (张*伟), tier and "
    "proposed help; never an ID number, phone or diagnosis."
    "\n\n"
    "Example: hardship report notice --format html -o build/notice.html"
)

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv"}
SUFFIXES[".xlsx"] = "xlsx"
SUFFIXES[".pdf"] = "pdf"


def _produce(
    ctx: typer.Context,
    kind: str,
    fmt: str | None,
    lang: str | None,
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
        raise UsageError(_("--commit needs -o FILE"), _("e.g. -o reports/{month}.md --commit"))
    chosen = _format_of(fmt, output)
    started = time.perf_counter()
    records, extra = _load(st, kind)
    language = lang or default_lang(records)
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
    st.say(
        _("{report} rendered in {seconds} s").format(
            report=_report_name(kind), seconds=f"{time.perf_counter() - started:.2f}"
        )
    )
    if output is None:
        _to_stdout(result)
        return
    path = _output_path(output, request, day)
    _write(path, result, chosen, request.sensitive)
    if commit:
        _commit(path, request, day, records)


def _report_name(kind: str) -> str:
    """The report's title in the terminal's language (the report's own words)."""
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label

    return label(language(), f"report.{kind}")


def _format_of(fmt: str | None, output: str | None) -> str:
    """--format, else the format the -o suffix names, else md."""
    if fmt is not None:
        return fmt
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
                raise UsageError(_("a PDF is not for the terminal"), _("write it with -o FILE.pdf"))
            raise UsageError(
                _("an Excel workbook is not for the terminal"), _("write it with -o FILE.xlsx")
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
    print(_("wrote {file}").format(file=printable(str(path))), file=sys.stderr)


def _commit(path: Path, request: Request, day: date, records: Any) -> None:
    """--commit: the written report in its git repository, with a subject that names it
    in the records root's language (the trailers stay English: programs read them)."""
    from hardship_cli.report import commit_report

    done = commit_report(path, request, day, records)
    said = (
        _("committed {file} ({commit})").format(file=path, commit=done)
        if done
        else _("{file} is unchanged: nothing to commit").format(file=path)
    )
    print(printable(said), file=sys.stderr)


def monthly(
    ctx: typer.Context,
    month: Annotated[
        str,
        typer.Option(
            "--month", metavar=N_("YYYY-MM"), help=N_("YYYY-MM, `previous` or `current`.")
        ),
    ] = "previous",
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The monthly command (the help is MONTHLY_HELP)."""
    _produce(ctx, "monthly", format, lang, output, today, commit, month=month)


def annual(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar=N_("YEAR"),
            help=N_("The year (default: this year)."),
            show_default=False,
        ),
    ] = None,
    format: AnnualFormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The annual command (the help is ANNUAL_HELP)."""

    _produce(
        ctx, "annual", format, lang, output, today, commit, year=year or parse_today(today).year
    )


def case_report(
    ctx: typer.Context,
    case_id: Annotated[
        str, typer.Argument(metavar=N_("CASE"), help=N_("The case, e.g. HS-2026-0001."))
    ],
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help=N_(
                "Include ID number, phone, diagnosis, address, bank account, notes and "
                "findings (for authorised readers only)."
            ),
        ),
    ] = False,
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The case_report command (the help is CASE_HELP)."""
    _produce(ctx, "case", format, lang, output, today, commit, case_id=case_id, full=full)


def notice(
    ctx: typer.Context,
    format: FormatOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
    today: TodayOption = None,
    commit: CommitOption = False,
) -> None:
    """The notice command (the help is NOTICE_HELP)."""
    _produce(ctx, "notice", format, lang, output, today, commit)


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(name="report", help=GROUP_HELP, no_args_is_help=True)
    report_app.command(help=MONTHLY_HELP)(monthly)
    report_app.command(help=ANNUAL_HELP)(annual)
    report_app.command("case", help=CASE_HELP)(case_report)
    report_app.command(help=NOTICE_HELP)(notice)
    app.add_typer(report_app)
