"""The units' yearly collection sheet (困难职工花名册): read it, match it, write it back.

A sheet has one row a household, with Chinese headings by default (姓名, 工号, 单位,
家庭月收入, 致困原因 ...), and its members either on a second sheet (家庭成员, linked by
工号) or on repeated rows that carry member columns (成员姓名, 与户主关系 ...). A mapping
file renames headings for sheets that differ. Reading never guesses: a cell that cannot be
read as what its column holds refuses its row, with the row number, and the other rows go
on.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import stat
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from hardship_cli.cells import unquote
from hardship_cli.domain.model import OPEN_CASE_STATUSES, Case, ImportLimits
from hardship_cli.problems import UsageError

# ---------------------------------------------------------------------------------------
# Words of the sheet -> values of the model

SEX = {"男": "male", "女": "female", "male": "male", "female": "female"}
EMPLOYMENT = {
    "在岗": "on_job",
    "在职": "on_job",
    "下岗": "laid_off",
    "失业": "unemployed",
    "退休": "retired",
    "病休": "sick_leave",
    "长期病休": "sick_leave",
    "农民工": "migrant",
}
HEALTH = {
    "健康": "healthy",
    "良好": "healthy",
    "慢性病": "chronic_illness",
    "大病": "serious_illness",
    "重病": "serious_illness",
    "重大疾病": "serious_illness",
    "残疾": "disabled",
    "年老体弱": "elderly_frail",
}
LEVEL = {"深度困难": "deep", "相对困难": "relative", "意外致困": "accident"}
CAUSE = {
    "丧失劳动能力": "unable_to_work",
    "有劳动能力未就业": "not_employed",
    "未就业": "not_employed",
    "下岗": "laid_off",
    "未参加社会保险": "no_insurance",
    "社会保险未足额发放": "insurance_unpaid",
    "因病": "serious_illness",
    "患大病": "serious_illness",
    "因灾": "disaster",
    "因意外": "accident",
    "意外": "accident",
    "因学": "schooling",
    "子女就学": "schooling",
    "其他": "other",
}
RELATION = {
    "配偶": "spouse",
    "妻子": "spouse",
    "丈夫": "spouse",
    "子女": "child",
    "儿子": "child",
    "女儿": "child",
    "父母": "parent",
    "父亲": "parent",
    "母亲": "parent",
    "岳父母": "parent_in_law",
    "公婆": "parent_in_law",
    "兄弟姐妹": "sibling",
    "祖父母": "grandparent",
    "孙子女": "grandchild",
    "其他": "other",
}


def _reverse(table: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for word, value in table.items():
        result.setdefault(value, word)
    return result


# ---------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # where the value goes in a case record
    heading: str  # the default (Chinese) heading
    kind: str  # text | id | money | date | int | choice | causes
    choices: dict[str, str] | None = None
    sensitive: bool = False


CASE_COLUMNS = [
    Column(("worker", "employee_id"), "工号", "id"),
    Column(("worker", "name"), "姓名", "text"),
    Column(("worker", "unit"), "单位", "text"),
    Column(("worker", "sex"), "性别", "choice", SEX),
    Column(("worker", "birth_date"), "出生日期", "date"),
    Column(("worker", "id_number"), "身份证号", "id", sensitive=True),
    Column(("worker", "phone"), "联系电话", "id", sensitive=True),
    Column(("worker", "employment"), "就业状态", "choice", EMPLOYMENT),
    Column(("worker", "health"), "健康状况", "choice", HEALTH),
    Column(("worker", "address"), "家庭住址", "text", sensitive=True),
    Column(("housing",), "住房情况", "text"),
    Column(("income", "household_monthly"), "家庭月收入", "money"),
    Column(("income", "rigid_expenses_monthly"), "月刚性支出", "money"),
    Column(("level",), "困难类别", "choice", LEVEL),
    Column(("causes",), "致困原因", "causes", CAUSE),
    Column(("bank", "name"), "开户银行", "text", sensitive=True),
    Column(("bank", "account"), "银行账号", "id", sensitive=True),
    # Notes are free text: officers write diagnoses and family matters there.
    Column(("notes",), "备注", "text", sensitive=True),
]
MEMBER_COLUMNS = [
    Column(("name",), "成员姓名", "text"),
    Column(("relation",), "与户主关系", "choice", RELATION),
    Column(("birth_date",), "成员出生日期", "date"),
    Column(("health",), "成员健康状况", "choice", HEALTH),
    Column(("monthly_income",), "成员月收入", "money"),
    Column(("occupation",), "成员职业", "text"),
]
# On a separate members sheet the headings need no prefix.
MEMBER_SHEET_HEADINGS = {
    "姓名": "成员姓名",
    "关系": "与户主关系",
    "与户主关系": "与户主关系",
    "出生日期": "成员出生日期",
    "健康状况": "成员健康状况",
    "月收入": "成员月收入",
    "职业": "成员职业",
    "工号": "工号",
}
MEMBERS_SHEET = "家庭成员"
ALIASES = {
    "所在单位": "单位",
    "电话": "联系电话",
    "手机": "联系电话",
    "身份证号码": "身份证号",
    "家庭人均月收入": "",
    "月刚性支出": "月刚性支出",
    "刚性支出": "月刚性支出",
    "序号": "",
}


def load_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: `sheet heading: default heading`, one per line (YAML)."""
    if path is None:
        return {}
    from hardship_cli.load import yamlio

    parsed = yamlio.parse(path.read_bytes(), str(path))
    if parsed.problems:
        first = parsed.problems[0]
        raise UsageError(f"{first.location()}: {first.message}", first.hint)
    data = parsed.data
    known = {c.heading for c in CASE_COLUMNS + MEMBER_COLUMNS}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UsageError(
            f"{path}: a mapping file maps each sheet heading to a known heading",
            f"e.g. `员工编号: 工号`; known headings: {', '.join(sorted(known))}",
        )
    for heading, target in data.items():
        if target not in known:
            raise UsageError(
                f"{path}: `{heading}` maps to `{target}`, which is not a heading the import knows",
                f"known headings: {', '.join(sorted(known))}",
            )
    return dict(data)


# ---------------------------------------------------------------------------------------
# Reading the cells


MB = 1024 * 1024
MAX_COLUMNS = 1_000  # cells further right are never a heading's; a row may not widen the read
ZIP_MAX_PARTS = 10_000  # an Excel file has a few dozen parts
RAISE = {
    "max_rows": "--max-rows N, or imports: max_rows in hardship.yaml",
    "max_file_mb": "--max-size MB, or imports: max_file_mb in hardship.yaml",
    "max_unpacked_mb": "--max-unpacked MB, or imports: max_unpacked_mb in hardship.yaml",
    "max_ratio": "imports: max_ratio in hardship.yaml",
}


def _too_big(what: str, limit: str) -> UsageError:
    return UsageError(what, f"if the sheet is genuine, raise the limit with {RAISE[limit]}")


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, Sequence[Any]]]  # (row number in the sheet, cells), streamed


def check_sheet(path: Path, limits: ImportLimits) -> None:
    """Refuse a sheet too big to read, before any parser touches it: its size on disk and,
    for an Excel file, what its parts would unpack to (from the zip's directory alone)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: not a regular file", "give the sheet's file itself")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise UsageError(
            f"{path}: import reads .xlsx or .csv files",
            "save the sheet as Excel (.xlsx) or CSV (UTF-8)",
        )
    if info.st_size > limits.max_file_mb * MB:
        raise _too_big(
            f"{path}: the file is {_mb(info.st_size)}, more than the limit of "
            f"{limits.max_file_mb} MB",
            "max_file_mb",
        )
    if suffix != ".csv":
        _check_zip(path, limits)


def _check_zip(path: Path, limits: ImportLimits) -> None:
    import zipfile

    parts = _zip_entries(path)
    if parts is not None and parts > ZIP_MAX_PARTS:
        raise UsageError(
            f"{path}: the file holds {parts:,} parts; an Excel file holds a few dozen",
            "open it in Excel and save it again as .xlsx",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise UsageError(
            f"{path}: not a readable Excel file (not a zip archive)",
            "open it in Excel and save it again as .xlsx",
        ) from None
    total = sum(m.file_size for m in members)
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is not None and total > limits.max_unpacked_mb * MB:
        raise _too_big(
            f"{path}: its parts unpack to {_mb(total)} ({largest.filename} alone "
            f"{_mb(largest.file_size)}), more than the limit of {limits.max_unpacked_mb} MB",
            "max_unpacked_mb",
        )
    for member in members:
        # Small parts (styles, a short sheet) may compress very well; a large one that
        # grows hundreds of times is a zip bomb, not a sheet.
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > limits.max_ratio:
            raise _too_big(
                f"{path}: its part {member.filename} unpacks {ratio:,.0f} times its packed "
                f"size ({_mb(member.compress_size)} to {_mb(member.file_size)}), more than the "
                f"limit of {limits.max_ratio} times",
                "max_ratio",
            )


def _zip_entries(path: Path) -> int | None:
    """How many parts the zip's end record declares (read before zipfile builds an entry
    for each); None when there is no end record (zipfile then says it is no zip)."""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        tail = min(size, 22 + 65_535)  # the end record, and a comment of at most 64 KiB
        handle.seek(size - tail)
        data = handle.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(data):
        return None
    (entries,) = struct.unpack("<H", data[at + 10 : at + 12])
    return ZIP_MAX_PARTS + 1 if entries == 0xFFFF else entries  # 0xFFFF: a zip64 count


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


@contextmanager
def open_workbook(path: Path, limits: ImportLimits) -> Iterator[list[Sheet]]:
    """The workbook's sheets, each read row by row as it is consumed; a sheet longer than
    the limit stops being read at the first row past it."""
    check_sheet(path, limits)
    if path.suffix.lower() == ".csv":
        encoding = _csv_encoding(path)
        with open(path, encoding=encoding, newline="") as handle:
            yield [Sheet(path.stem, _counted(path, path.stem, _csv_rows(path, handle), limits))]
        return
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise UsageError(f"{path}: not a readable Excel file ({type(exc).__name__})") from None
    try:
        sheets = []
        for ws in book.worksheets:
            sheets.append(Sheet(ws.title, _counted(path, ws.title, _xlsx_rows(path, ws), limits)))
        yield sheets
    finally:
        book.close()


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GB18030: read in chunks, so a
    large file is never held whole."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(MB):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"  # decodes any byte string
    return "utf-8-sig"


def _csv_rows(path: Path, handle: TextIO) -> Iterator[tuple[int, Sequence[Any]]]:
    reader = csv.reader(handle)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise UsageError(
            f"{path}:{reader.line_num}: not a readable CSV line ({exc})",
            "save the sheet again as CSV (UTF-8) from Excel",
        ) from None


def _xlsx_rows(path: Path, ws: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    ws.reset_dimensions()  # the size a file declares is not trusted: rows come as they are
    try:
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, cells[:MAX_COLUMNS]
    except Exception as exc:  # noqa: BLE001 - openpyxl and its XML parser raise many kinds
        raise UsageError(
            f"{path}: sheet {ws.title} is not readable ({type(exc).__name__})",
            "open it in Excel and save it again as .xlsx",
        ) from None


def _counted(
    path: Path, name: str, rows: Iterator[tuple[int, Sequence[Any]]], limits: ImportLimits
) -> Iterator[tuple[int, Sequence[Any]]]:
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise _too_big(
                f"{path}: sheet {name} has more than {limits.max_rows:,} rows (the limit; "
                "blank rows count too); nothing was read past row "
                f"{limits.max_rows:,}",
                "max_rows",
            )
        yield row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unquote(str(value).strip())


def _heading(value: Any, mapping: dict[str, str]) -> str:
    text = re.sub(r"\s+", "", _text(value))
    text = re.sub(r"[（(].*?[)）]", "", text)  # 家庭月收入（元） -> 家庭月收入
    if text in mapping:
        return mapping[text]
    return ALIASES.get(text, text)


def headed(
    sheet: Sheet, known: set[str], mapping: dict[str, str]
) -> tuple[dict[int, str], Iterator[tuple[int, Sequence[Any]]]]:
    """The sheet's columns (by the header found in its first rows) and the rows below the
    header, still streamed."""
    head = list(itertools.islice(sheet.rows, HEAD_ROWS + 1))
    last, columns = find_header(sheet.name, head, known, mapping)
    return columns, itertools.chain(head[last + 1 :], sheet.rows)


HEAD_ROWS = 10


def find_header(
    name: str, head: list[tuple[int, Sequence[Any]]], known: set[str], mapping: dict[str, str]
) -> tuple[int, dict[int, str]]:
    """The header row is the one with most known headings among the first ten rows; a
    heading merged over two header rows (its value in the upper cell) is taken too."""
    best_index, best_count = -1, 0
    for index, (_, cells) in enumerate(head[:HEAD_ROWS]):
        count = sum(1 for c in cells if _heading(c, mapping) in known)
        if count > best_count:
            best_index, best_count = index, count
    if best_index < 0 or best_count < 2:
        raise UsageError(
            f"sheet {name}: no header row with the known headings",
            "the default headings are 工号, 姓名, 单位, 性别, 家庭月收入, 困难类别, 致困原因...; "
            "for other headings give a mapping file with --mapping",
        )
    columns: dict[int, str] = {}
    header_rows = [head[best_index][1]]
    if best_index > 0:
        header_rows.append(head[best_index - 1][1])
    last = best_index
    # A second header row under merged group headings (收入情况 over 家庭月收入, 月刚性支出).
    if best_index + 1 < len(head):
        below = head[best_index + 1][1]
        named = [c for c in below if _text(c)]
        if named and all(_heading(c, mapping) in known for c in named):
            header_rows.insert(0, below)
            last = best_index + 1
    width = max(len(r) for r in header_rows)
    for col in range(width):
        for cells in header_rows:
            name = _heading(cells[col], mapping) if col < len(cells) else ""
            if name in known:
                columns[col] = name
                break
    return last, columns


class CellError(ValueError):
    pass


def convert(column: Column, value: Any) -> Any:
    """One cell to the text the record holds (the model then types it strictly)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "money":
        return _money(value)
    if column.kind == "date":
        return _date(value)
    if column.kind == "id":
        if isinstance(value, float) and not value.is_integer():
            raise CellError("is a fraction, not an identifier")
        if isinstance(value, (int, float)) and column.sensitive and len(str(int(value))) >= 16:
            raise CellError("was stored as a number and lost digits: format the column as text")
        return _text(value)
    if column.kind == "choice":
        assert column.choices is not None
        word = _text(value)
        if word in column.choices:
            return column.choices[word]
        if word in column.choices.values():
            return word
        raise CellError(f"is not one of: {'、'.join(dict.fromkeys(column.choices))}")
    if column.kind == "causes":
        assert column.choices is not None
        words = [w for w in re.split(r"[、,，;；/\s]+", _text(value)) if w]
        causes = []
        for word in words:
            cause = column.choices.get(word, word if word in column.choices.values() else None)
            if cause is None:
                raise CellError(
                    f"holds {word!r}, not one of: {'、'.join(dict.fromkeys(column.choices))}"
                )
            if cause not in causes:
                causes.append(cause)
        if len(causes) > 4:
            raise CellError("names more than four causes (one primary, up to three secondary)")
        return {"primary": causes[0], "secondary": causes[1:]} if causes else None
    return _text(value)


def _money(value: Any) -> str:
    """A cell of yuan: an Excel number, or text like `1,800.00元`; then the model's own
    strict rule (two decimals at most, never negative) decides."""
    from hardship_cli.domain.model import parse_money

    if isinstance(value, bool):
        raise CellError("is not an amount")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the number Excel shows, not its binary neighbour
    elif isinstance(value, str):
        value = re.sub(r"\s*元$", "", _text(value).replace("，", ","))
    try:
        return f"{parse_money(value):.2f}"
    except ValueError as exc:
        text = str(exc)
        if "negative" in text:
            raise CellError("is negative") from None
        if "two decimals" in text:
            raise CellError("has more than two decimals") from None
        raise CellError("is not an amount (write digits, e.g. 1200.00)") from None


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise CellError("is not a date (write 1968-04-12)")
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise CellError("is not a date (write 1968-04-12)") from None


# ---------------------------------------------------------------------------------------
# Rows -> households


@dataclass
class Row:
    number: int
    sheet: str
    data: dict[str, Any] = field(default_factory=dict)  # the case's fields from this row
    members: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def read_rows(path: Path, mapping: dict[str, str], limits: ImportLimits | None = None) -> list[Row]:
    """Every household row of the sheet, with its members and the cells it could not read.
    The sheet is checked against the limits before it is parsed, then streamed."""
    with open_workbook(path, limits or ImportLimits()) as sheets:
        return _read_rows(sheets, mapping)


def _read_rows(sheets: list[Sheet], mapping: dict[str, str]) -> list[Row]:
    by_heading = {c.heading: c for c in CASE_COLUMNS}
    member_by_heading = {c.heading: c for c in MEMBER_COLUMNS}
    known = set(by_heading) | set(member_by_heading)
    main = sheets[0]
    columns, below = headed(main, known, mapping)
    if "工号" not in columns.values() and "身份证号" not in columns.values():
        raise UsageError(
            f"sheet {main.name}: neither 工号 nor 身份证号 is a column",
            "a household is matched by employee number or ID number",
        )
    rows: dict[str, Row] = {}
    ordered: list[Row] = []
    for number, cells in below:
        if all(_text(c) == "" for c in cells):
            continue  # a blank row
        row = Row(number, main.name)
        member: dict[str, Any] = {}
        for col, heading in columns.items():
            value = cells[col] if col < len(cells) else None
            column = by_heading.get(heading) or member_by_heading[heading]
            try:
                converted = convert(column, value)
            except CellError as exc:
                shown = "(hidden)" if column.sensitive else repr(_text(value))
                row.errors.append(f"{heading} {shown} {exc}")
                continue
            if converted is None:
                continue
            if heading in member_by_heading:
                _put(member, column.path, converted)
            else:
                _put(row.data, column.path, converted)
        if member:
            row.members.append(member)
        key = _key(row)
        if member and key and key in rows and not row.errors:
            # Repeated rows of one household, one member each.
            first = rows[key]
            if _household_part(first.data) != _household_part(row.data):
                row.errors.append(
                    f"repeats the household of row {first.number} with different household figures"
                )
                ordered.append(row)
            else:
                first.members.extend(row.members)
            continue
        if key:
            rows.setdefault(key, row)
        ordered.append(row)
    if len(sheets) > 1:
        _read_member_sheet(sheets[1:], rows, mapping, member_by_heading)
    return ordered


def _household_part(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("notes",)}


def _key(row: Row) -> str | None:
    worker = row.data.get("worker", {})
    return worker.get("employee_id") or worker.get("id_number")


def _read_member_sheet(
    sheets: list[Sheet],
    rows: dict[str, Row],
    mapping: dict[str, str],
    member_by_heading: dict[str, Column],
) -> None:
    sheet = next((s for s in sheets if s.name == MEMBERS_SHEET), None)
    if sheet is None:
        return
    mapping = {**MEMBER_SHEET_HEADINGS, **mapping}
    columns, below = headed(sheet, set(member_by_heading) | {"工号"}, mapping)
    for number, cells in below:
        if all(_text(c) == "" for c in cells):
            continue
        member: dict[str, Any] = {}
        employee = None
        errors = []
        for col, heading in columns.items():
            value = cells[col] if col < len(cells) else None
            if heading == "工号":
                employee = _text(value)
                continue
            column = member_by_heading[heading]
            try:
                converted = convert(column, value)
            except CellError as exc:
                errors.append(f"{heading} {_text(value)!r} {exc}")
                continue
            if converted is not None:
                _put(member, column.path, converted)
        owner = rows.get(employee or "")
        if owner is None:
            # A member whose household is not on the main sheet: refuse it visibly.
            orphan = Row(number, sheet.name)
            orphan.errors.append(f"member of employee {employee!r}, who is not on the main sheet")
            rows[f"orphan:{sheet.name}:{number}"] = orphan
            continue
        if errors:
            owner.errors.extend(f"{sheet.name} row {number}: {e}" for e in errors)
        else:
            owner.members.append(member)


# ---------------------------------------------------------------------------------------
# The plan: what an import would create, update or refuse, row by row


@dataclass
class Action:
    row: int
    sheet: str
    what: str  # create | update | unchanged | refused
    case_id: str | None = None
    reason: str = ""
    data: dict[str, Any] | None = None  # a new case's full record, or an update's fields
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what validate warns of, once written


def plan_import(
    rows: list[Row],
    cases: Iterable[Case],
    filed_by: str,
    filed_on: date,
    validate: Callable[[dict[str, Any]], list[str]] | None = None,
) -> list[Action]:
    """Match each row to an open file (by employee number, else ID number) and decide."""
    open_cases = [c for c in cases if c.status in OPEN_CASE_STATUSES]
    by_employee = {c.worker.employee_id: c for c in open_cases}
    by_id_number = {c.worker.id_number: c for c in open_cases if c.worker.id_number}
    seen: dict[str, int] = {}
    actions = []
    check = validate or _validate_case
    for row in rows:
        if row.errors:
            actions.append(Action(row.number, row.sheet, "refused", reason="; ".join(row.errors)))
            continue
        worker = row.data.get("worker", {})
        employee, number = worker.get("employee_id"), worker.get("id_number")
        if not employee and not number:
            actions.append(
                Action(row.number, row.sheet, "refused", reason="has neither 工号 nor 身份证号")
            )
            continue
        earlier = next((seen[k] for k in (employee, number) if k and k in seen), None)
        if earlier is not None:
            actions.append(
                Action(
                    row.number,
                    row.sheet,
                    "refused",
                    reason=f"repeats the household of row {earlier}",
                )
            )
            continue
        for k in (employee, number):
            if k:
                seen[k] = row.number
        match_e = by_employee.get(employee) if employee else None
        match_n = by_id_number.get(number) if number else None
        if match_e and match_n and match_e.id != match_n.id:
            actions.append(
                Action(
                    row.number,
                    row.sheet,
                    "refused",
                    reason=f"its 工号 is filed in {match_e.id} but its 身份证号 in "
                    f"{match_n.id}: settle which household this is by hand",
                )
            )
            continue
        existing = match_e or match_n
        incoming = dict(row.data)
        if row.members:
            incoming["household"] = row.members
        if existing is None:
            record = _new_case(incoming, filed_by, filed_on)
            problems = check(record)
            if problems:
                actions.append(Action(row.number, row.sheet, "refused", reason="; ".join(problems)))
            else:
                actions.append(Action(row.number, row.sheet, "create", data=record))
            continue
        current = existing.model_dump(mode="json", by_alias=True, exclude_none=True)
        merged, changed = _merge(current, incoming)
        if not changed:
            actions.append(Action(row.number, row.sheet, "unchanged", case_id=existing.id))
            continue
        problems = check(merged)
        if problems:
            actions.append(
                Action(
                    row.number,
                    row.sheet,
                    "refused",
                    case_id=existing.id,
                    reason="; ".join(problems),
                )
            )
            continue
        actions.append(
            Action(
                row.number,
                row.sheet,
                "update",
                case_id=existing.id,
                data={k: merged[k] for k in {c.split(".")[0] for c in changed}},
                changed=changed,
            )
        )
    return actions


def _new_case(data: dict[str, Any], filed_by: str, filed_on: date) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "HS-0000-0000", "status": "applied"}
    record.update(data)
    record.setdefault("worker", {})
    record.setdefault("income", {})
    record["filed"] = {"by": filed_by, "on": filed_on.isoformat()}
    return record


def _merge(current: dict[str, Any], incoming: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The file as it would be after the sheet's values, and the dotted fields that change."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in current.items()}
    changed = []
    for key, value in incoming.items():
        if isinstance(value, dict) and key != "causes":
            base = dict(merged.get(key) or {})
            for sub, sub_value in value.items():
                if _norm(base.get(sub)) != _norm(sub_value):
                    changed.append(f"{key}.{sub}")
                    base[sub] = sub_value
            merged[key] = base
        elif key == "household":
            # The sheet says who lives in the household; what it has no column for (a
            # member's diagnosis) is kept from the file, matched by name.
            before = merged.get(key) or []
            known = {m.get("name"): m for m in before}
            members = [{**known.get(m.get("name"), {}), **m} for m in value]
            if _norm(_members(before)) != _norm(_members(members)):
                changed.append(key)
                merged[key] = members
        elif _norm(merged.get(key)) != _norm(value):
            changed.append(key)
            merged[key] = value
    return merged, changed


def _members(members: Any) -> list[dict[str, Any]]:
    defaults = {"health": "healthy", "monthly_income": "0.00"}
    return [{**defaults, **m} for m in members]


def _norm(value: Any) -> Any:
    """Compare the sheet's text with the record's values as the model would type them."""
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"[0-9]+\.[0-9]{1,2}", value):
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


def _validate_case(record: dict[str, Any]) -> list[str]:
    try:
        Case.model_validate(record)
    except ValidationError as exc:
        messages = []
        for err in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in err["loc"])
            heading = _heading_for(err["loc"])
            what = "is missing" if err["type"] == "missing" else err["msg"].lower()
            messages.append(f"{heading or loc} {what}")
        return messages
    return []


def _heading_for(loc: tuple[Any, ...]) -> str | None:
    for column in CASE_COLUMNS:
        if tuple(loc[: len(column.path)]) == column.path:
            return column.heading
    return None


# ---------------------------------------------------------------------------------------
# Writing the sheet back


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


def write_sheet(path: Path, cases: Iterable[Case], full: bool) -> int:
    """Write the collection sheet as .xlsx (two sheets) or .csv (members on repeated rows).
    Text cells are neutralised (`cells.neutral`); with `full` the file is the owner's only."""
    headings, rows, member_headings, members = export_rows(cases, full)
    from hardship_cli import cells
    from hardship_cli.load.yamlio import atomic_write

    mode = 0o600 if full else None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = io.StringIO()
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
        raise UsageError(f"{path}: export writes .xlsx or .csv")
    import openpyxl

    book = openpyxl.Workbook()
    main = book.active
    assert main is not None
    main.title = "困难职工"
    main.append(headings)
    for row in rows:
        cells.xlsx_append(main, row)
    for col, heading in enumerate(headings, start=1):
        if heading in ("工号", "身份证号", "联系电话", "银行账号"):
            for cell in main.iter_rows(min_row=2, min_col=col, max_col=col):
                cell[0].number_format = "@"
    sheet = book.create_sheet(MEMBERS_SHEET)
    sheet.append(member_headings)
    for member in members:
        cells.xlsx_append(sheet, member)
    atomic_write(path, cells.xlsx_bytes(book), mode=mode)
    return len(rows)


def _csv(value: Any) -> Any:
    if isinstance(value, float):
        return f"{Decimal(repr(value)):.2f}"
    return "" if value is None else value
