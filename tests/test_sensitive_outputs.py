"""Leaks at the edges (issue 10, item 7): case notes are sensitive, and every file the tool
writes with sensitive fields is its owner's alone (mode 0600) from the moment it exists."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from hardship_cli.edit.atomic import atomic_write
from hardship_cli.load import store
from tests.clirun import hardship
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most users have: new files 0644 unless the tool says otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [f for row in csv.reader(io.StringIO(text)) for f in row]
    book = openpyxl.load_workbook(path)
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]


def open_notes(root: Path) -> list[str]:
    records = store.load(root)
    return [c.notes for c in records.cases.values() if c.notes and c.status.value not in
            ("closed", "rejected")]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_without_full_leaves_the_notes_out(demo_copy, tmp_path, suffix):
    notes = open_notes(demo_copy)
    assert len(notes) > 30
    # Among them the diagnoses the issue found in the notes column.
    assert sum("化疗" in n or "癌" in n or "尿毒症" in n for n in notes) >= 3
    out = tmp_path / f"sheet.{suffix}"
    assert hardship("--root", demo_copy, "export", "cases", "-o", out).code == 0
    written = cells(out)
    assert "备注" not in written
    assert [n for n in notes if n in written] == []
    assert not [w for w in written if any(n[:12] in w for n in notes)]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_with_full_carries_the_notes_in_a_private_file(demo_copy, tmp_path, suffix):
    out = tmp_path / f"sheet.{suffix}"
    assert hardship("--root", demo_copy, "export", "cases", "-o", out, "--full").code == 0
    written = cells(out)
    assert "备注" in written
    assert set(open_notes(demo_copy)) <= set(written)
    assert mode(out) == 0o600


def test_a_full_export_over_a_readable_file_makes_it_private(demo_copy, tmp_path):
    out = tmp_path / "sheet.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o644)
    assert hardship("--root", demo_copy, "export", "cases", "-o", out, "--full").code == 0
    assert mode(out) == 0o600


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_export_without_sensitive_columns_keeps_the_usual_mode(demo_copy, tmp_path, suffix):
    out = tmp_path / f"sheet.{suffix}"
    assert hardship("--root", demo_copy, "export", "cases", "-o", out).code == 0
    assert mode(out) == 0o644


def report(root: Path, *args: str | Path):
    return hardship("--root", root, "report", *args, "--today", str(TODAY))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_full_household_file_is_written_private(demo_copy, tmp_path, fmt):
    out = tmp_path / f"case.{fmt}"
    result = report(demo_copy, "case", "HS-2025-0001", "--full", "-o", out)
    assert result.code == 0, result.err
    assert "肺癌术后化疗" in out.read_text()  # the diagnosis: sensitive indeed
    assert mode(out) == 0o600


def test_reports_without_sensitive_fields_keep_the_usual_mode(demo_copy, tmp_path):
    for args in (
        ["case", "HS-2025-0001"],
        ["notice"],
        ["monthly", "--month", "2026-10"],
        ["annual", "--year", "2026", "--format", "csv"],
        ["annual", "--year", "2026", "--format", "xlsx"],
    ):
        out = tmp_path / f"{args[0]}.{args[-1] if args[0] == 'annual' else 'md'}"
        result = report(demo_copy, *args, "-o", out)
        assert result.code == 0, (args, result.err)
        assert mode(out) == 0o644, args
    assert "肺癌术后化疗" not in (tmp_path / "case.md").read_text()


def test_atomic_write_with_a_mode_never_shows_the_file_otherwise(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("old")
    path.chmod(0o644)
    atomic_write(path, "new", mode=0o600)
    assert path.read_text() == "new" and mode(path) == 0o600
    atomic_write(path, "again")  # without a mode an existing file keeps its own
    assert mode(path) == 0o600
    fresh = tmp_path / "fresh.txt"
    atomic_write(fresh, "x")
    assert mode(fresh) == 0o644
