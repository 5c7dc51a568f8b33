"""Rendering: Jinja2 in the sandbox (md, html), CSV blocks and Excel sheets."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hardship_cli import shipped
from hardship_cli.cells import csv_line, neutral, xlsx_append, xlsx_bytes
from hardship_cli.domain.money import yuan
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError
from hardship_cli.report.labels import label
from hardship_cli.report.tables import Col, Label, Table, cell_text, code_label

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")


def md_escape(text: str) -> str:
    """Text inside Markdown: backslash before every character that would change the page."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


_CSS_PLAIN = frozenset(" -_.,:·/()（）：、")
_KEEP_TOGETHER = re.compile(r"[A-Z]{2}-\d{4}-\d{2,}(?: #\d+)?|\d{4}-\d{2}(?:-\d{2})?")
_KEEP_TOKEN = re.compile(r"\b(?:[A-Z]{2}-\d{4}-\d{2,}|\d{4}-\d{2}(?:-\d{2})?)\b")


def css_string(text: str) -> str:
    """Text as a double-quoted CSS string (the page margin's title and period): letters,
    digits, CJK and a few marks as they are, every other character as a CSS escape, so
    that nothing a record holds can end the string or the stylesheet."""
    out = []
    for ch in text.replace("\r", " ").replace("\n", " "):
        if ch.isalnum() or ch in _CSS_PLAIN or (ord(ch) > 127 and ch.isprintable()):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def keeps_together(value: Any) -> bool:
    """Whether a cell holds a value no line may break inside: a date, an ID (HS-2026-0001)
    or a short word without spaces such as a name."""
    if isinstance(value, date):
        return True
    text = "" if value is None else str(value)
    return bool(_KEEP_TOGETHER.fullmatch(text)) or (0 < len(text) <= 6 and " " not in text)


def keep_tokens(text: str) -> Any:
    """Escaped HTML of a cell's text with each ID and date in it kept on one line
    (`DC-2026-02` breaks after its hyphens otherwise)."""
    from markupsafe import Markup, escape

    return Markup(_KEEP_TOKEN.sub(r'<span class="keep">\g<0></span>', str(escape(text))))


def templates_dir() -> Path:
    """The shipped templates: `templates/` at the top of the repository, carried inside
    the package by the wheel (see shipped.py)."""
    return shipped.folder("templates")


# The kinds of column shown as figures (right-aligned; `num` in HTML).
NUMERIC_KINDS = ("int", "money", "pct", "num", "change")


def environment(root: Path | None, fmt: str, lang: str) -> Any:
    """Jinja2 sandbox: the root's templates/ first (confined to that folder: see
    report/loader.py), then the shipped ones."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    from hardship_cli.report.loader import ConfinedLoader

    def finalize_md(value: Any) -> Any:
        if hasattr(value, "__html__"):
            return value
        return Markup(md_escape("" if value is None else str(value)))

    env = ImmutableSandboxedEnvironment(
        loader=ConfinedLoader(None if root is None else root / "templates", templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize_md if fmt == "md" else None,
    )

    def t(key: str) -> str:
        return label(lang, key)

    def cell(value: Any, col: Col) -> str:
        return cell_text(value, col, lang)

    def show(value: Any, kind: str = "text") -> str:
        return cell_text(value, Col("", kind), lang)

    def shown_rows(tb: Table) -> list[list[str]]:
        """A table's rows as the text of each cell (`cell`), made here in one call: a
        template that calls `cell` once a cell pays the sandbox's toll ten thousand times
        in a city's monthly report."""
        cols = tb.cols
        return [[cell_text(v, cols[i], lang) for i, v in enumerate(row)] for row in tb.rows]

    def html_rows(tb: Table) -> list[list[tuple[str, Any]]]:
        """A table's rows for HTML: each cell's class (figures `num`, else `keep` for IDs,
        dates and names; and a `mark-...` class) and its content (a cell without a class
        keeps tokens such as IDs on one line), as _macros.html.j2 used to make them."""
        cols = tb.cols
        out = []
        for row in tb.rows:
            cells = []
            for i, v in enumerate(row):
                c = cols[i]
                kind = "num" if c.kind in NUMERIC_KINDS else ("keep" if c.keep else "")
                key = getattr(v, "key", None) if v is not None else None
                mark = (
                    f" {key.replace('.', '-')}"
                    if isinstance(key, str) and key.startswith("mark.")
                    else ""
                )
                text = cell_text(v, c, lang)
                cells.append((kind + mark, text if kind else keep_tokens(text)))
            out.append(cells)
        return out

    env.globals.update(
        t=t,
        cell=cell,
        show=show,
        lang=lang,
        fmt=fmt,
        keeps=keeps_together,
        shown_rows=shown_rows,
        html_rows=html_rows,
    )
    env.filters["css_string"] = lambda text: Markup(css_string(str(text)))
    env.filters["keep_tokens"] = keep_tokens
    env.filters["yuan"] = yuan
    env.filters["code"] = lambda value, prefix: code_label(prefix, str(value), lang)
    return env


def render(root: Path | None, kind: str, fmt: str, lang: str, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    env = environment(root, fmt, lang)
    name = f"{kind}.{fmt}.j2"
    try:
        template = env.get_template(name)
        return str(template.render(**context))
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        place = f"{where}:{line}" if line else where
        raise UsageError(
            _("template {place}: {error}").format(
                place=place, error=exc.message or type(exc).__name__
            ),
            _("correct the template (a root's templates/ overrides the shipped ones)"),
        ) from None


def tables_csv(tables: Sequence[Table], lang: str, about: Sequence[Sequence[str]] = ()) -> str:
    """Whose and when (`about`: unit, period, records, date, one line each) and a blank
    line, then the tables one after another: a title line, the headings, the rows, a blank
    line. Text is neutralised (cells.neutral); numbers, dates and changes (+3) are ours and
    stay."""
    out = io.StringIO()
    for pair in about:
        out.write(csv_line([neutral(v) for v in pair]))
    if about:
        out.write(csv_line([]))
    for table in tables:
        out.write(csv_line([neutral(label(lang, table.title))]))
        out.write(csv_line([neutral(label(lang, c.label)) for c in table.cols]))
        for row in [*table.rows, *([table.total] if table.total else [])]:
            out.write(
                csv_line(
                    [
                        cell_text(v, c, lang, plain=True)
                        if isinstance(v, (int, Decimal, date))
                        else neutral(cell_text(v, c, lang, plain=True))
                        for v, c in zip(row, table.cols, strict=True)
                    ]
                )
            )
        out.write(csv_line([]))
    return out.getvalue()


def tables_xlsx(
    tables: Sequence[Table],
    lang: str,
    today: date,
    title: str,
    about: Sequence[Sequence[str]] = (),
) -> bytes:
    """A first sheet that says whose and when (`about`: unit, period, records, date), then
    one sheet per table; numbers are numbers. Same input, same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    stamp = datetime(today.year, today.month, today.day)
    wb.properties.creator = "hardship"
    wb.properties.title = title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    used: set[str] = set()
    if about:
        _about_sheet(wb, title, about, lang)
        used.add(label(lang, "sheet.about"))
    for table in tables:
        name = re.sub(r"[\[\]:*?/\\]", " ", label(lang, table.title))[:31] or table.key
        while name in used:
            name = name[:28] + f"({len(used)})"
        used.add(name)
        ws = wb.create_sheet(name)
        xlsx_append(ws, [label(lang, c.label) for c in table.cols])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            values = []
            for value, col in zip(row, table.cols, strict=True):
                values.append(_xlsx_value(value, col, lang))
            xlsx_append(ws, values)
            for value, col, c in zip(row, table.cols, ws[ws.max_row], strict=True):
                if col.kind == "money" or (
                    col.kind in ("num", "change") and isinstance(value, Decimal)
                ):
                    c.number_format = "#,##0.00"
                elif col.kind == "pct" and value is not None:
                    c.number_format = "0.0%"
                elif isinstance(value, date):
                    c.number_format = "yyyy-mm-dd"
        for i, col in enumerate(table.cols, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = (
                14 if col.kind != "text" and col.kind != "code" else 22
            )
    return _fixed_zip(xlsx_bytes(wb), (today.year, today.month, today.day, 0, 0, 0))


def _about_sheet(wb: Any, title: str, about: Sequence[Sequence[str]], lang: str) -> None:
    """The sheet that opens first: the report's title, then a label and a value a row."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(label(lang, "sheet.about"))
    xlsx_append(ws, [title])
    ws["A1"].font = Font(bold=True)
    for pair in about:
        xlsx_append(ws, list(pair))
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 48


def _xlsx_value(value: Any, col: Col, lang: str) -> Any:
    if value is None:
        return None
    if isinstance(value, Label):
        return label(lang, value.key)
    if col.kind == "code":
        return code_label(col.prefix, str(value), lang)
    if col.kind == "pct" and isinstance(value, Decimal):
        return value / 100
    if isinstance(value, (int, Decimal, date)):
        return value
    return str(value)


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite a zip with fixed entry times, so the workbook's bytes depend on its content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps `modified` with the clock when it saves: use the report's day.
                day = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z"
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + day.encode() + rb"\g<2>",
                    content,
                )
            dst.writestr(fixed, content)
    return out.getvalue()
