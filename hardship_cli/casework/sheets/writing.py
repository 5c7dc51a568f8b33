"""Writing the collection sheet back: the households and their members as its rows, as
.xlsx (two sheets) or .csv (members on repeated rows)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from hardship_cli.casework.sheets.columns import CASE_COLUMNS, MEMBER_COLUMNS, MEMBERS_SHEET
from hardship_cli.domain.model import Case
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError


def _reverse(table: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for word, value in table.items():
        result.setdefault(value, word)
    return result


def export_rows(
    cases: Iterable[Case], full: bool
) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
    """The households and their members as the collection sheet's rows. Sensitive columns
    (ID number, phone, address, bank, notes) only with `full`."""
    columns = [c for c in CASE_COLUMNS if full or not c.sensitive]
    headings = [c.heading for c in columns]
    member_headings = ["工号", "姓名", "关系", "出生日期", "健康状况", "月收入", "职业"]
    rows: list[list[Any]] = []
    members: list[list[Any]] = []
    words = {id(c): _reverse(c.choices) for c in CASE_COLUMNS + MEMBER_COLUMNS if c.choices}
    for case in sorted(cases, key=lambda c: c.id):
        data = case.model_dump(mode="json", by_alias=True)
        row = []
        for column in columns:
            value: Any = data
            for part in column.path:
                value = value.get(part) if isinstance(value, dict) else None
            if column.kind == "causes" and value:
                causes = [value["primary"], *value.get("secondary", [])]
                value = "、".join(words[id(column)].get(c, c) for c in causes)
            elif column.choices and value is not None:
                value = words[id(column)].get(value, value)
            elif column.kind == "money" and value is not None:
                value = float(Decimal(value))
            row.append(value)
        rows.append(row)
        for member in data.get("household", []):
            members.append(
                [
                    case.worker.employee_id,
                    member["name"],
                    words[id(MEMBER_COLUMNS[1])].get(member["relation"], member["relation"]),
                    member.get("birth_date"),
                    words[id(MEMBER_COLUMNS[3])].get(member.get("health"), member.get("health")),
                    float(Decimal(member.get("monthly_income") or "0")),
                    member.get("occupation"),
                ]
            )
    return headings, rows, member_headings, members


def write_sheet(
    path: Path, cases: Iterable[Case], full: bool, about: Sequence[Sequence[Any]] = ()
) -> int:
    """Write the collection sheet as .xlsx (two sheets) or .csv (members on repeated rows).
    `about` (whose and when: unit, period, records, date; a label and a value each) comes
    first, a row each, and a blank row under it: import looks for the header row among
    the first rows, so it reads the sheet back all the same. Text cells are neutralised
    (`cells.neutral`); with `full` the file is the owner's only."""
    headings, rows, member_headings, members = export_rows(cases, full)
    from hardship_cli import cells
    from hardship_cli.edit.atomic import atomic_write

    mode = 0o600 if full else None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = io.StringIO()
        for pair in about:
            out.write(cells.csv_line([cells.neutral(v) for v in pair]))
        if about:
            out.write(cells.csv_line([]))
        member_cols = [c.heading for c in MEMBER_COLUMNS]
        out.write(cells.csv_line(headings + member_cols))
        by_employee: dict[str, list[list[Any]]] = {}
        for m in members:
            by_employee.setdefault(m[0], []).append(m[1:])
        id_col = headings.index("工号")
        for row in rows:
            own = by_employee.get(row[id_col], [])
            for member in own or [[None] * len(member_cols)]:
                out.write(cells.csv_line([_csv(cells.neutral(v)) for v in row + member]))
        # BOM: Excel reads it as UTF-8
        atomic_write(path, "\ufeff" + out.getvalue(), mode=mode)
        return len(rows)
    if suffix != ".xlsx":
        raise UsageError(
            _("{path}: export writes .xlsx or .csv").format(path=path),
            _("name the file FILE.xlsx or FILE.csv"),
        )
    import openpyxl

    book = openpyxl.Workbook()
    main = book.active
    assert main is not None
    main.title = "困难职工"
    _about(main, about)
    main.append(headings)
    header_row = main.max_row
    for row in rows:
        cells.xlsx_append(main, row)
    for col, heading in enumerate(headings, start=1):
        if heading in ("工号", "身份证号", "联系电话", "银行账号"):
            for cell in main.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
                cell[0].number_format = "@"
    sheet = book.create_sheet(MEMBERS_SHEET)
    _about(sheet, about)
    sheet.append(member_headings)
    for member in members:
        cells.xlsx_append(sheet, member)
    atomic_write(path, cells.xlsx_bytes(book), mode=mode)
    return len(rows)


def _about(sheet: Any, about: Sequence[Sequence[Any]]) -> None:
    """The rows that say whose the sheet is and when, and a blank row under them."""
    from hardship_cli import cells

    for pair in about:
        cells.xlsx_append(sheet, list(pair))
    if about:
        sheet.append([])


def _csv(value: Any) -> Any:
    if isinstance(value, float):
        return f"{Decimal(repr(value)):.2f}"
    return "" if value is None else value
