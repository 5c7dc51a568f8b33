"""Sheets that would exhaust the machine, and imports stopped half-way (issue 10, item 5).

The attacks: a small .xlsx whose sheet unpacks to hundreds of megabytes, a sheet of more
rows than any unit has, a file too large; an import whose writes fail, or that is
interrupted with Ctrl-C or SIGTERM, half-way. The root must then be exactly as it was.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardship_cli import rules
from hardship_cli.casework import intake
from hardship_cli.casework.importing import commit
from hardship_cli.casework.importing.case_text import new_case_text
from hardship_cli.casework.sheets.reading import read_rows
from hardship_cli.domain.model import Case
from hardship_cli.edit import commits, roundtrip
from hardship_cli.load import store
from hardship_cli.problems import Problem, UsageError
from tests.clirun import REPO, hardship
from tests.test_import_cli import demo_root, git

HEADINGS = ["工号", "姓名", "单位", "性别", "出生日期", "就业状态", "健康状况", "家庭月收入",
            "月刚性支出", "困难类别", "致困原因", "备注"]
RAISE_ROWS = "--max-rows N, or imports: max_rows in hardship.yaml"


def household(i: int) -> list[str]:
    """A generated household: a new employee, income under the deep line."""
    return [f"9{i:06d}", f"职工{i}", "物流中心", "男", f"1970-01-{1 + i % 28:02d}", "在岗", "大病",
            f"{700 + i % 50}.00", "0", "深度困难", "因病", ""]


def csv_sheet(path: Path, count: int, extra: list[list[str]] | None = None) -> Path:
    lines = [",".join(HEADINGS)] + [",".join(household(i)) for i in range(count)]
    lines += [",".join(row) for row in extra or []]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_sheet(path: Path, count: int) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADINGS)
    for i in range(count):
        ws.append(household(i))
    book.save(path)
    return path


def clean(root: Path) -> bool:
    """Nothing changed, staged or left behind (temporary files included)."""
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    return git(root, "status", "--porcelain", "--untracked-files=all") == "" and not leftovers


def import_(root: Path, sheet: Path, *flags: str):
    return hardship("--root", root, "import", "cases", sheet, "--as", "李明", "--on",
                    "2026-11-29", *flags)


# ---------------------------------------------------------------------------------------
# Limits, checked before the sheet is parsed


def test_a_file_over_the_size_limit_is_refused_and_the_flag_raises_it(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "big.csv", 3)
    with sheet.open("a", encoding="utf-8") as handle:
        handle.write("\n" * (1024 * 1024 + 100_000))  # blank lines: 1.1 MB
    result = import_(root, sheet, "--max-size", "1", "--dry-run")
    assert result.code == 2
    assert result.err == (
        f"hardship: {sheet}: the file is 1.1 MB, more than the limit of 1 MB\n"
        "    hint: if the sheet is genuine, raise the limit with --max-size MB, or "
        "imports: max_file_mb in hardship.yaml\n"
    )
    assert result.out == ""
    raised = import_(root, sheet, "--max-size", "2", "--dry-run", "--max-rows", "2000000")
    assert raised.code == 0, raised.err
    assert "3 row(s): 3 new" in raised.err


def test_the_limits_come_from_hardship_yaml(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 5)
    config = root / "hardship.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "imports:\n  max_rows: 4\n",
                      encoding="utf-8")
    result = import_(root, sheet, "--dry-run")
    assert result.code == 2
    assert "sheet s has more than 4 rows (the limit;" in result.err
    # the flag wins over the setting
    assert import_(root, sheet, "--dry-run", "--max-rows", "6").code == 0


def test_too_many_csv_rows_stop_the_reading_at_the_limit(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = tmp_path / "long.csv"
    # a million-row sheet in spirit: the default limit of 20,000 rows stops it
    sheet.write_text(",".join(HEADINGS) + "\n" + "1,a\n" * 20_000, encoding="utf-8")
    result = import_(root, sheet, "--dry-run")
    assert result.code == 2
    assert result.err == (
        f"hardship: {sheet}: sheet long has more than 20,000 rows (the limit; blank rows "
        "count too); nothing was read past row 20,000\n"
        f"    hint: if the sheet is genuine, raise the limit with {RAISE_ROWS}\n"
    )
    assert clean(root)


def test_too_many_xlsx_rows_are_refused_and_the_flag_raises_the_limit(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = xlsx_sheet(tmp_path / "rows.xlsx", 10)  # a header and 10 households: 11 rows
    result = import_(root, sheet, "--max-rows", "10")
    assert result.code == 2
    assert result.err == (
        f"hardship: {sheet}: sheet Sheet has more than 10 rows (the limit; blank rows "
        "count too); nothing was read past row 10\n"
        f"    hint: if the sheet is genuine, raise the limit with {RAISE_ROWS}\n"
    )
    assert clean(root)
    raised = import_(root, sheet, "--max-rows", "11", "--format", "json")
    assert raised.code == 0, raised.err
    assert [r["action"] for r in json.loads(raised.out)] == ["create"] * 10


def test_rows_the_file_skips_count_too(tmp_path: Path):
    """A sheet declaring one row a million rows down: openpyxl yields the blank rows in
    between, and the count stops them at the limit."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADINGS)
    ws.append(household(1))
    ws.cell(row=1_000_000, column=1, value="9999999")
    sheet = tmp_path / "far.xlsx"
    book.save(sheet)
    with pytest.raises(UsageError, match="sheet Sheet has more than 20,000 rows"):
        read_rows(sheet, {})


def zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A real workbook whose sheet's XML is `unpacked_mb` of repeated rows: a few hundred
    kilobytes on disk."""
    book = openpyxl.Workbook()
    book.active.append(HEADINGS)
    buffer = io.BytesIO()
    book.save(buffer)
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>' * 20_000
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')
                for _ in range(unpacked_mb * 1024 * 1024 // len(row) + 1):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return path


# Started from a small process of its own: a child forked from pytest would count pytest's
# memory as its own peak (Linux keeps the high-water mark across exec).
MEASURE = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen([sys.executable, "-m", "hardship_cli", *sys.argv[1:]],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = process.stderr.read().decode("utf-8")
_pid, status, usage = os.wait4(process.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), err, time.perf_counter() - started,
                  usage.ru_maxrss // 1024]))
"""


def run_measured(*args: str | Path) -> tuple[int, str, float, int]:
    """`python -m hardship_cli ARGS` in its own process: exit code, stderr, wall seconds,
    peak memory (MiB)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, check=True)
    code, err, seconds, peak = json.loads(done.stdout)
    return code, err, seconds, peak


def test_a_zip_bomb_is_refused_fast_and_small(tmp_path: Path):
    root = demo_root(tmp_path)
    bomb = zip_bomb(tmp_path / "bomb.xlsx", 300)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    code, err, seconds, peak = run_measured("--root", root, "import", "cases", bomb, "--as",
                                            "李明", "--dry-run")
    assert code == 2
    assert err.startswith(f"hardship: {bomb}: its parts unpack to 300.0 MB "
                          "(xl/worksheets/sheet1.xml alone 300.0 MB), more than the limit of "
                          "200 MB\n"), err
    assert "--max-unpacked MB, or imports: max_unpacked_mb in hardship.yaml" in err
    assert seconds < 5, seconds
    assert peak < 200, peak
    # Raising the size limit does not let a bomb through: it grows hundreds of times.
    code, err, seconds, peak = run_measured("--root", root, "import", "cases", bomb, "--as",
                                            "李明", "--dry-run", "--max-unpacked", "1000")
    assert code == 2
    assert "its part xl/worksheets/sheet1.xml unpacks " in err
    assert "times its packed size" in err and "more than the limit of 200 times" in err
    assert "imports: max_ratio in hardship.yaml" in err
    assert seconds < 5 and peak < 200, (seconds, peak)
    assert clean(root)


def test_a_zip_whose_directory_understates_a_part_is_not_read_past_it(tmp_path: Path):
    """The limits trust the sizes the zip declares; a part declared small is never unpacked
    past that size (zipfile stops there and the check sum fails)."""
    bomb = zip_bomb(tmp_path / "liar.xlsx", 20)
    data = bytearray(bomb.read_bytes())
    # the sheet's entry in the central directory: declare it 1 KiB unpacked
    at = data.find(b"PK\x01\x02" + data[4:6])  # a central entry (same "version needed")
    name = b"xl/worksheets/sheet1.xml"
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    assert data[at + 24 : at + 28] != b"\xff\xff\xff\xff"  # no zip64 sizes at 20 MB
    data[at + 24 : at + 28] = (1024).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    with zipfile.ZipFile(bomb) as liar:
        assert liar.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    root = demo_root(tmp_path)
    code, err, seconds, peak = run_measured("--root", root, "import", "cases", bomb, "--as",
                                            "李明", "--dry-run")
    assert code == 2, err
    assert err.startswith(f"hardship: {bomb}: ")
    assert seconds < 5 and peak < 200, (seconds, peak)


def test_what_is_not_a_sheet_is_refused(tmp_path: Path):
    root = demo_root(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = import_(root, fifo, "--dry-run")
    assert (result.code, result.err) == (
        2, f"hardship: {fifo}: not a regular file\n    hint: give the sheet's file itself\n")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("工号,姓名\n", encoding="utf-8")
    result = import_(root, fake, "--dry-run")
    assert result.code == 2
    assert f"hardship: {fake}: not a readable Excel file (not a zip archive)" in result.err


# ---------------------------------------------------------------------------------------
# All or nothing


def test_an_import_is_one_commit(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 30)
    before = int(git(root, "rev-list", "--count", "HEAD"))
    result = import_(root, sheet)
    assert result.code == 0, result.err
    assert int(git(root, "rev-list", "--count", "HEAD")) == before + 1
    files = git(root, "show", "--name-only", "--format=").split()
    assert files == [f"cases/HS-2026-{n:04d}.yaml" for n in range(17, 47)]
    message = git(root, "log", "-1", "--format=%s%n%b")
    assert message.startswith("李明 导入 s.csv：新建 30 户，更新 0 户，拒绝 0 行\n")
    assert "Action: import" in message and "By: 李明" in message
    assert clean(root)


def updating_sheet(root: Path, tmp_path: Path, new: int) -> tuple[Path, str]:
    """The root's own sheet with one household's notes changed, and `new` households more."""
    export = tmp_path / "export.csv"
    assert hardship("--root", root, "export", "cases", "-o", export, "--full").code == 0
    # past the lines that say whose the sheet is (unit, period, records, date) and a blank one
    lines = export.read_text(encoding="utf-8-sig").splitlines()[5:]
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("备注")] = "二〇二七年复核"
    lines[1] = ",".join(first)
    for i in range(new):
        row = dict(zip(HEADINGS, household(i), strict=True))
        lines.append(",".join(row.get(h, "") for h in header))
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return export, first[header.index("工号")]


def failing_after(count: int, error: BaseException):
    real = commit.place
    done = []

    def place(*args, **kwargs):
        if len(done) == count:
            raise error
        done.append(args[0])
        return real(*args, **kwargs)

    return place, done


@pytest.mark.parametrize("at", [0, 1, 4])
def test_a_write_failing_half_way_leaves_the_root_as_it_was(tmp_path: Path, monkeypatch, at):
    root = demo_root(tmp_path)
    sheet, _employee = updating_sheet(root, tmp_path, 5)
    head = git(root, "rev-parse", "HEAD")
    full = OSError(28, "No space left on device", str(root / "cases" / "HS-2026-0020.yaml"))
    place, done = failing_after(at, full)
    monkeypatch.setattr(commit, "place", place)
    result = import_(root, sheet)
    assert len(done) == at
    created = max(at - 1, 0)  # the sheet's first row updates a file, the others are new
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot write {root}/cases/HS-2026-0020.yaml: the disk is full; "
        f"the import was undone ({created} new file(s) removed, {at - created} file(s) given "
        "back their old content); the records are as they were and nothing was committed\n"
        "    hint: free some space, then run the command again\n"
    )
    assert git(root, "rev-parse", "HEAD") == head
    assert clean(root)


def test_a_folder_it_may_not_write_is_said_and_nothing_is_left(tmp_path: Path, monkeypatch):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 3)
    real = os.open

    def read_only(path, flags, *args, **kwargs):  # cases/ as a read-only folder (tests run
        if str(path).endswith(".tmp") and flags & os.O_CREAT:  # as root, who writes anyway)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = import_(root, sheet)
    monkeypatch.undo()
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot write {root}/cases/HS-2026-0017.yaml: permission denied; the import "
        "was undone (0 new file(s) removed, 0 file(s) given back their old content); the "
        "records are as they were and nothing was committed\n"
        "    hint: you may not write (or read) there: check the owner and permissions with "
        "`ls -ld` (is the records root read-only for you?)\n"
    )
    assert clean(root)


def test_ctrl_c_half_way_undoes_the_import_and_says_so(tmp_path: Path, monkeypatch):
    root = demo_root(tmp_path)
    sheet, _employee = updating_sheet(root, tmp_path, 8)
    head = git(root, "rev-parse", "HEAD")
    place, done = failing_after(5, KeyboardInterrupt())
    monkeypatch.setattr(commit, "place", place)
    result = import_(root, sheet)
    assert result.code == 130
    assert result.err == (
        "hardship: interrupted: the import was undone (4 new file(s) removed, 1 file(s) given "
        "back their old content); the records are as they were and nothing was committed\n"
    )
    assert git(root, "rev-parse", "HEAD") == head
    assert clean(root)


def test_sigterm_half_way_undoes_the_import(tmp_path: Path, monkeypatch):
    """A timeout's kill (SIGTERM) is undone as Ctrl-C is: 600 s used to leave 4,172 files."""
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 6)
    real = commit.place
    done = []

    def place(*args, **kwargs):
        if len(done) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        done.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(commit, "place", place)
    result = import_(root, sheet)
    assert result.code == 130
    assert result.err.startswith("hardship: interrupted: the import was undone (3 new file(s) "
                                 "removed, 0 file(s) given back")
    assert clean(root)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_ctrl_c_during_the_commit_undoes_the_files_and_git_s_index(tmp_path: Path, monkeypatch):
    root = demo_root(tmp_path)
    sheet, _employee = updating_sheet(root, tmp_path, 3)
    head = git(root, "rev-parse", "HEAD")

    def commit(pending: commits.Pending, message: commits.Message) -> str:
        git(pending.top, "add", "--", *pending.rels)  # git had staged them when Ctrl-C came
        raise KeyboardInterrupt

    monkeypatch.setattr(commits.Pending, "commit", commit)
    result = import_(root, sheet)
    assert result.code == 130
    assert "3 new file(s) removed, 1 file(s) given back their old content" in result.err
    assert git(root, "rev-parse", "HEAD") == head
    assert clean(root)


def test_git_refusing_the_commit_undoes_the_import(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 3)
    hook = Path(git(root, "rev-parse", "--git-path", "hooks").strip())
    hook = hook if hook.is_absolute() else root / hook
    hook.mkdir(parents=True, exist_ok=True)
    (hook / "pre-commit").write_text("#!/bin/sh\necho 'refused by the hook' >&2\nexit 1\n")
    (hook / "pre-commit").chmod(0o755)
    result = import_(root, sheet)
    assert result.code == 1
    assert result.err == (
        "hardship: git did not commit the import (refused by the hook): the import was undone "
        "(3 new file(s) removed, 0 file(s) given back their old content); the records are as "
        "they were and nothing was committed\n"
        "    hint: see why git refused (a hook, the repository's state), then import again\n"
    )
    assert clean(root)


def test_dry_run_writes_nothing_at_all(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 3)
    head = git(root, "rev-parse", "HEAD")
    result = import_(root, sheet, "--dry-run")
    assert result.code == 0
    assert git(root, "rev-parse", "HEAD") == head
    assert clean(root)


# ---------------------------------------------------------------------------------------
# One check of the whole result


def flag_named(name: str):
    """A rule across records that finds an error in each case whose worker has `name`."""

    def rule(records, config, today):
        return [Problem(records.source(c.id).path, None, "test-rule", f"{c.id} is named {name}")
                for c in records.cases.values() if c.worker.name == name]

    return rule


def test_rows_the_rules_refuse_are_refused_alone_and_ids_stay_dense(tmp_path: Path,
                                                                     monkeypatch):
    root = demo_root(tmp_path)
    monkeypatch.setattr(rules, "ACROSS", [*rules.ACROSS, flag_named("职工1")])
    sheet = csv_sheet(tmp_path / "s.csv", 3)
    result = import_(root, sheet, "--format", "json")
    assert result.code == 1
    rows = [(r["row"], r["action"], r["case"], r["reason"]) for r in json.loads(result.out)]
    assert rows == [
        (2, "create", "HS-2026-0017", ""),
        (3, "refused", None, "test-rule the new case is named 职工1"),
        (4, "create", "HS-2026-0018", ""),
    ]
    assert git(root, "log", "-1", "--format=%s").startswith(
        "李明 导入 s.csv：新建 2 户，更新 0 户，拒绝 1 行")
    assert clean(root)


def test_an_error_no_row_explains_refuses_the_whole_sheet(tmp_path: Path, monkeypatch):
    root = demo_root(tmp_path)

    def over_budget(records, config, today):  # in a file of no row, naming no row's case
        return [Problem("budgets/2026.yaml", None, "test-rule", "over budget")
                for c in records.cases.values() if c.worker.name == "职工2"]

    monkeypatch.setattr(rules, "ACROSS", [*rules.ACROSS, over_budget])
    head = git(root, "rev-parse", "HEAD")
    result = import_(root, csv_sheet(tmp_path / "s.csv", 3))
    assert result.code == 1
    assert result.err == (
        "hardship: refused: importing the sheet would make validate report\n"
        "budgets/2026.yaml: test-rule over budget\n"
        "    hint: nothing was written; correct the sheet or the records, then import again\n"
    )
    assert git(root, "rev-parse", "HEAD") == head
    assert clean(root)


def test_two_thousand_rows_import(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 2_000)
    result = import_(root, sheet, "--format", "json")
    assert result.code == 0, result.err
    assert [r["case"] for r in json.loads(result.out)][-1] == "HS-2026-2016"
    assert len(git(root, "show", "--name-only", "--format=").split()) == 2_000
    assert clean(root)
    assert hardship("--root", root, "validate", "--today", "2026-11-29").code == 0


# ---------------------------------------------------------------------------------------
# The fast text of a new case is ruamel's text


def test_new_case_text_is_what_ruamel_writes_for_the_demo(tmp_path: Path):
    records = store.load(REPO / "records", cache=False)
    for case in records.cases.values():
        ref = intake.schema_ref("case", intake.record_path("case", case.id))
        assert new_case_text(case, ref) == roundtrip.new_record_text(case, ref)


# Any text, and text made of what YAML gives a meaning (indicators, numbers, booleans).
texts = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30),
    st.text(st.sampled_from(list(" -?:,[]{}#&*!|>'\"%@`.0123456789abcyYnNoOeE+_~\t\u3000中")),
            min_size=1, max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(name=texts, unit=texts, notes=texts, employee=texts)
def test_new_case_text_is_what_ruamel_writes(name, unit, notes, employee):
    data = {"id": "HS-2026-0017", "status": "applied",
            "worker": {"employee_id": employee, "name": name, "unit": unit, "sex": "male",
                       "birth_date": "1970-01-01", "employment": "on_job",
                       "health": "healthy"},
            "household": [{"name": name, "relation": "child", "birth_date": "2010-05-05"}],
            "income": {"household_monthly": "700.00", "rigid_expenses_monthly": "0.00"},
            "level": "deep", "causes": {"primary": "serious_illness",
                                        "secondary": ["schooling"]},
            "filed": {"by": "李明", "on": "2026-11-29"}, "notes": notes}
    try:
        case = Case.model_validate(data)
    except Exception:  # noqa: BLE001 - text the model refuses is not written at all
        return
    assert new_case_text(case, "../x") == roundtrip.new_record_text(case, "../x")


# ---------------------------------------------------------------------------------------
# The import is an action like any other: git is asked before a file is written


def test_git_missing_from_path_refuses_the_import_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = demo_root(tmp_path)
    sheet = csv_sheet(tmp_path / "s.csv", 3)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = import_(root, sheet)
    assert result.code == 2
    assert result.err.startswith(
        "hardship: git is not installed (no git on PATH): this root keeps its audit trail in "
        "git; nothing was written\n"
    )
    monkeypatch.undo()
    assert clean(root)


def test_a_hand_edited_case_blocks_the_import_that_would_sweep_it(tmp_path: Path) -> None:
    root = demo_root(tmp_path)
    sheet, employee = updating_sheet(root, tmp_path, 0)
    updated = next(
        p for p in sorted((root / "cases").iterdir())
        if f'employee_id: "{employee}"' in p.read_text("utf-8")
    )
    edited = updated.read_text("utf-8") + "# edited by hand\n"
    updated.write_text(edited, encoding="utf-8")
    result = import_(root, sheet)
    assert result.code == 1
    assert f"cases/{updated.name} was changed and the change is not committed" in result.err
    assert updated.read_text("utf-8") == edited
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    assert status == f" M cases/{updated.name}\n"


def test_an_import_on_a_root_without_git_by_choice_writes_without_a_commit(
    tmp_path: Path,
) -> None:
    root = tmp_path / "unit"
    assert hardship("init", root, "--demo", "--no-git").code == 0
    sheet = csv_sheet(tmp_path / "s.csv", 2)
    result = import_(root, sheet)
    assert result.code == 0, result.err
    assert not (root / ".git").exists()
    assert len(list((root / "cases").glob("HS-2026-*.yaml"))) >= 2
