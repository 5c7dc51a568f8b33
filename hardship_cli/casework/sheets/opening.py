"""Opening a sheet file: refused when too big to read (on disk, or unpacked from an Excel
file's zip), then its rows streamed, a sheet longer than the limit stopped at the first
row past it."""

from __future__ import annotations

import csv
import os
import stat
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from hardship_cli.domain.model import ImportLimits
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError

MB = 1024 * 1024
MAX_COLUMNS = 1_000  # cells further right are never a heading's; a row may not widen the read
ZIP_MAX_PARTS = 10_000  # an Excel file has a few dozen parts
RAISE = {
    "max_rows": N_(
        "if the sheet is genuine, raise the limit with --max-rows N, or imports: max_rows in "
        "hardship.yaml"
    ),
    "max_file_mb": N_(
        "if the sheet is genuine, raise the limit with --max-size MB, or imports: max_file_mb "
        "in hardship.yaml"
    ),
    "max_unpacked_mb": N_(
        "if the sheet is genuine, raise the limit with --max-unpacked MB, or imports: "
        "max_unpacked_mb in hardship.yaml"
    ),
    "max_ratio": N_(
        "if the sheet is genuine, raise the limit with imports: max_ratio in hardship.yaml"
    ),
}
_RESAVE = N_("open it in Excel and save it again as .xlsx")


def _too_big(what: str, limit: str) -> UsageError:
    return UsageError(what, _(RAISE[limit]))


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
        raise UsageError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read it ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            _("{path}: not a regular file").format(path=path), _("give the sheet's file itself")
        )
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise UsageError(
            _("{path}: import reads .xlsx or .csv files").format(path=path),
            _("save the sheet as Excel (.xlsx) or CSV (UTF-8)"),
        )
    if info.st_size > limits.max_file_mb * MB:
        raise _too_big(
            _("{path}: the file is {size}, more than the limit of {limit} MB").format(
                path=path, size=_mb(info.st_size), limit=limits.max_file_mb
            ),
            "max_file_mb",
        )
    if suffix != ".csv":
        _check_zip(path, limits)


def _check_zip(path: Path, limits: ImportLimits) -> None:
    import zipfile

    parts = _zip_entries(path)
    if parts is not None and parts > ZIP_MAX_PARTS:
        raise UsageError(
            _("{path}: the file holds {parts} parts; an Excel file holds a few dozen").format(
                path=path, parts=f"{parts:,}"
            ),
            _(_RESAVE),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise UsageError(
            _("{path}: not a readable Excel file (not a zip archive)").format(path=path),
            _(_RESAVE),
        ) from None
    total = sum(m.file_size for m in members)
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is not None and total > limits.max_unpacked_mb * MB:
        raise _too_big(
            _(
                "{path}: its parts unpack to {size} ({part} alone {part_size}), more than the "
                "limit of {limit} MB"
            ).format(
                path=path,
                size=_mb(total),
                part=largest.filename,
                part_size=_mb(largest.file_size),
                limit=limits.max_unpacked_mb,
            ),
            "max_unpacked_mb",
        )
    for member in members:
        # Small parts (styles, a short sheet) may compress very well; a large one that
        # grows hundreds of times is a zip bomb, not a sheet.
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > limits.max_ratio:
            raise _too_big(
                _(
                    "{path}: its part {part} unpacks {ratio} times its packed size ({packed} "
                    "to {unpacked}), more than the limit of {limit} times"
                ).format(
                    path=path,
                    part=member.filename,
                    ratio=f"{ratio:,.0f}",
                    packed=_mb(member.compress_size),
                    unpacked=_mb(member.file_size),
                    limit=limits.max_ratio,
                ),
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
        raise UsageError(
            _("{path}: not a readable Excel file ({error})").format(
                path=path, error=type(exc).__name__
            )
        ) from None
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
            _("{path}:{line}: not a readable CSV line ({error})").format(
                path=path, line=reader.line_num, error=exc
            ),
            _("save the sheet again as CSV (UTF-8) from Excel"),
        ) from None


def _xlsx_rows(path: Path, ws: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    ws.reset_dimensions()  # the size a file declares is not trusted: rows come as they are
    try:
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, cells[:MAX_COLUMNS]
    except Exception as exc:  # noqa: BLE001 - openpyxl and its XML parser raise many kinds
        raise UsageError(
            _("{path}: sheet {sheet} is not readable ({error})").format(
                path=path, sheet=ws.title, error=type(exc).__name__
            ),
            _(_RESAVE),
        ) from None


def _counted(
    path: Path, name: str, rows: Iterator[tuple[int, Sequence[Any]]], limits: ImportLimits
) -> Iterator[tuple[int, Sequence[Any]]]:
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise _too_big(
                _(
                    "{path}: sheet {sheet} has more than {limit} rows (the limit; blank rows "
                    "count too); nothing was read past row {limit}"
                ).format(path=path, sheet=name, limit=f"{limits.max_rows:,}"),
                "max_rows",
            )
        yield row
