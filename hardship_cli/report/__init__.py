"""Reports: a context built from the records, rendered with Jinja2.

Every figure comes from `stats.stats` (counting the frames of `frames.build_frames`) or
`budgeting.budget_status`, so the reports, the `stats` command and the `budget` command
agree. Templates ship with the package (`templates/` at the top of the repository, inside
the package once installed: shipped.py); a records root's own `templates/` overrides them
by name, read only as regular files inside that folder (report/loader.py: no symbolic
links, no `..` or absolute names).
All templates run in Jinja's immutable sandbox with autoescaping: HTML escapes every value,
Markdown backslash-escapes the characters that would change its meaning.

Privacy: ID numbers, bank accounts, phones, diagnoses (and free-text notes and findings,
which may hold them) enter only the context of `case` with `full=True`, and a file it is
written to is its owner's alone (0600, `Request.sensitive`). The notice masks names.
Contexts hold no other personal detail than names, units and the figures.

Reproducible: the same records, options and `today` give the same bytes; each report is
stamped with the git commit of the records (or says it is not in git).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hardship_cli.i18n import N_, _, gettext_in, normalize
from hardship_cli.load.records import Records
from hardship_cli.problems import UsageError
from hardship_cli.report.labels import label, lang_of_locale
from hardship_cli.report.periods import parse_month

KINDS = ("monthly", "annual", "case", "notice")
FORMATS = ("md", "html", "pdf", "csv", "xlsx")

# ---------------------------------------------------------------------------------------
# One entry point for the command


@dataclass
class Request:
    kind: str
    fmt: str
    lang: str
    today: date
    month: str | None = None  # YYYY-MM (monthly)
    year: int | None = None  # annual
    case_id: str | None = None
    full: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sensitive(self) -> bool:
        """Whether the report holds sensitive fields (see the module's privacy note)."""
        return self.kind == "case" and self.full


def resolve_month(text: str | None, today: date) -> tuple[int, int]:
    """`previous` (the default), `current`, or YYYY-MM."""
    if text is None or text == "previous":
        first = today.replace(day=1) - timedelta(days=1)
        return first.year, first.month
    if text == "current":
        return today.year, today.month
    return parse_month(text)


def default_lang(records: Records) -> str:
    return lang_of_locale(records.config.locale.value) if records.config else "zh"


def produce(records: Records, request: Request) -> str | bytes:
    """Build the context and render the report: text for md/html/csv, bytes for xlsx and
    pdf (the html printed by a headless browser: report/pdf.py).
    The report modules are imported here, not above: they bring pandas, and `hardship
    budget` (report/budgeting.py) starts without it."""
    from hardship_cli.report.annual import annual_context, annual_tables
    from hardship_cli.report.casefile import case_context, notice_context
    from hardship_cli.report.frames import build_frames
    from hardship_cli.report.monthly import monthly_context
    from hardship_cli.report.render import render, tables_csv, tables_xlsx
    from hardship_cli.report.stamp import about_rows, records_stamp

    kind, fmt, lang, today = request.kind, request.fmt, request.lang, request.today
    if fmt in ("csv", "xlsx") and kind != "annual":
        raise UsageError(
            _("--format {format} is for the annual report").format(format=fmt),
            _("use --format md, html or pdf for this report"),
        )
    stamp = request.extra.get("stamp") or records_stamp(records.root)
    if kind == "monthly":
        year, month = resolve_month(request.month, today)
        ctx = monthly_context(records, build_frames(records, today), year, month, today, stamp)
    elif kind == "annual":
        year = request.year or today.year
        frames = build_frames(records, today)
        duplicates = request.extra.get("duplicates", [])
        if fmt in ("csv", "xlsx"):
            assert records.config is not None
            about = about_rows(records.config.organisation.name, str(year), stamp, today, lang)
            tables = annual_tables(records, frames, year, today, duplicates)[0]
            if fmt == "csv":
                return tables_csv(tables, lang, about)
            title = f"{label(lang, 'report.annual')} {year}"
            return tables_xlsx(tables, lang, today, title, about)
        ctx = annual_context(records, frames, year, today, stamp, duplicates)
    elif kind == "case":
        if not request.case_id:
            raise UsageError(_("which case?"), "hardship report case HS-2026-0001")
        ctx = case_context(records, request.case_id, today, request.full, stamp)
    elif kind == "notice":
        ctx = notice_context(records, today, stamp)
    else:
        raise UsageError(
            _("no report '{kind}'").format(kind=kind),
            _("use one of: {choices}").format(choices=", ".join(KINDS)),
        )
    if fmt == "pdf":
        from hardship_cli.report.pdf import html_to_pdf

        return html_to_pdf(render(records.root, kind, "html", lang, ctx), today)
    return render(records.root, kind, fmt, lang, ctx)


def records_lang(records: Records) -> str:
    """The language of the records root (hardship.yaml `locale`): the language its git
    history is written in, whatever the terminal speaks."""
    found = normalize(records.config.locale.value) if records.config else None
    return found or "zh"


def commit_subject(request: Request, day: date, lang: str) -> str:
    """The subject of a report's commit, in `lang` (the records root's: `records_lang`):
    which report, of what, in which language and format."""
    what = request.case_id or request.month or str(request.year or day.year)
    return gettext_in(lang, N_("report: {kind} {what} ({lang}, {format})")).format(
        kind=request.kind, what=what, lang=request.lang, format=request.fmt
    )


def commit_report(path: Path, request: Request, day: date, records: Records) -> str | None:
    """Commit one written report (the cron line's --commit), its subject in the language of
    the records root (`commit_subject`); the commit's short hash, or None when the file
    did not change."""
    record = request.case_id or request.month or str(request.year or day.year)
    subject = commit_subject(request, day, records_lang(records))
    return commit_file(path, subject, record, request.kind)


def commit_file(path: Path, subject: str, record: str, kind: str) -> str | None:
    """Commit one written report with the trailers of every action (Record, Action, By,
    Report: English, programs read them); the commit's short hash, or None when the file
    did not change. `commit_report` gives the subject in the records' language."""
    from hardship_cli.edit import commits, gitrepo

    folder = path.resolve().parent
    if not gitrepo.git_installed():
        raise UsageError(
            _("git is not installed (no git on PATH): the report cannot be committed"),
            _("install git, or drop --commit"),
        )
    if gitrepo.repo_top(folder) is None:
        raise UsageError(
            _("{path} is not inside a git repository").format(path=path),
            _("drop --commit, or write into the records' repository"),
        )
    if not gitrepo.has_changes(path):
        return None
    message = commits.Message(
        subject=subject,
        record=record,
        action="report",
        by="hardship",
        role=None,
        extra={"Report": kind},
    )
    sha, _said = commits.commit(folder, [path], message, "hardship", "hardship@localhost")
    return sha
