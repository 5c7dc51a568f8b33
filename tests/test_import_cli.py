"""`hardship import cases` and `export cases` from the command line, on a git root."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.clirun import hardship
from tests.test_sheets import collection_sheet


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout


def demo_root(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    assert hardship("init", root, "--demo").code == 0
    return root


def test_dry_run_writes_nothing(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = collection_sheet(tmp_path)
    before = git(root, "rev-parse", "HEAD")
    result = hardship("--root", root, "import", "cases", sheet, "--as", "李明", "--dry-run",
                      "--on", "2026-11-29")
    assert result.code == 1  # two rows refused
    assert result.out.splitlines() == [
        "困难职工花名册 row 4: would create",
        "困难职工花名册 row 5: would create",
        "困难职工花名册 row 7: refused: repeats the household of row 5",
        "困难职工花名册 row 8: refused: 家庭月收入 '一千二' is not an amount (write digits, "
        "e.g. 1200.00)",
        "困难职工花名册 row 9: would create",
    ]
    assert "(dry run: nothing written)" in result.err
    assert git(root, "rev-parse", "HEAD") == before
    assert git(root, "status", "--porcelain") == ""


def test_import_creates_good_rows_in_one_commit_and_twice_changes_nothing(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = collection_sheet(tmp_path)
    cases_before = len(list((root / "cases").iterdir()))
    result = hardship("--root", root, "import", "cases", sheet, "--as", "李明",
                      "--on", "2026-11-29", "--format", "json")
    assert result.code == 1
    rows = json.loads(result.out)
    assert [(r["row"], r["action"], r["case"]) for r in rows] == [
        (4, "create", "HS-2026-0017"), (5, "create", "HS-2026-0018"),
        (7, "refused", None), (8, "refused", None), (9, "create", "HS-2026-0019"),
    ]
    assert len(list((root / "cases").iterdir())) == cases_before + 3
    log = git(root, "log", "-1", "--format=%an%n%s%n%b")
    # The subject in the root's language (zh-CN), whatever the terminal speaks (en here).
    assert log.startswith("李明\n李明 导入 sheet.xlsx：新建 3 户，更新 0 户，拒绝 2 行\n")
    assert "Action: import" in log and "拒绝的行：7, 8" in log
    assert git(root, "status", "--porcelain") == ""
    new = (root / "cases" / "HS-2026-0018.yaml").read_text(encoding="utf-8")
    assert new.startswith("# yaml-language-server: $schema=../.hardship/schema/case.schema.json")
    assert "employee_id: '0588'" in new or 'employee_id: "0588"' in new
    assert "status: applied" in new and "filed:\n  by: 李明" in new
    # validate stays free of errors (the sheet's tier figures may warn)
    assert hardship("--root", root, "validate", "--today", "2026-11-29").code == 0
    head = git(root, "rev-parse", "HEAD")
    again = hardship("--root", root, "import", "cases", sheet, "--as", "李明",
                     "--on", "2026-11-29", "--format", "json")
    assert [r["action"] for r in json.loads(again.out)] == [
        "unchanged", "unchanged", "refused", "refused", "unchanged"]
    assert git(root, "rev-parse", "HEAD") == head


def test_import_updates_in_place_with_a_small_diff(tmp_path: Path):
    root = demo_root(tmp_path)
    export = tmp_path / "out.csv"
    assert hardship("--root", root, "export", "cases", "-o", export, "--full").code == 0
    text = export.read_text(encoding="utf-8-sig")
    # past the lines that say whose the sheet is (unit, period, records, date) and a blank one
    lines = text.splitlines()[5:]
    header = lines[0].split(",")
    first = lines[1].split(",")
    col = header.index("家庭月收入")
    employee = first[header.index("工号")]
    first[col] = "9999.00"
    lines[1] = ",".join(first)
    # the household's other rows (one per member) carry the same figure
    for i in range(2, len(lines)):
        cells = lines[i].split(",")
        if cells[header.index("工号")] == employee:
            cells[col] = "9999.00"
            lines[i] = ",".join(cells)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = hardship("--root", root, "import", "cases", export, "--as", "李明",
                      "--on", "2026-11-29", "--format", "json")
    updated = [r for r in json.loads(result.out) if r["action"] == "update"]
    refused = [r for r in json.loads(result.out) if r["action"] == "refused"]
    assert len(updated) + len(refused) == 1, result.out
    if updated:
        diff = git(root, "show", "--format=", "--unified=0")
        changed = [ln for ln in diff.splitlines() if ln.startswith(("+", "-"))
                   and not ln.startswith(("+++", "---"))]
        assert changed == [ln for ln in changed if "household_monthly" in ln]
        assert len(changed) == 2
    else:
        # a richer household may now break its tier badly enough to be an error
        assert refused[0]["reason"]


def test_export_round_trip_through_the_cli(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = tmp_path / "back.xlsx"
    assert hardship("--root", root, "export", "cases", "-o", sheet, "--full").code == 0
    result = hardship("--root", root, "import", "cases", sheet, "--as", "李明", "--dry-run",
                      "--format", "json")
    assert result.code == 0, result.out
    assert {r["action"] for r in json.loads(result.out)} == {"unchanged"}


def test_import_as_someone_not_an_officer(tmp_path: Path):
    root = demo_root(tmp_path)
    sheet = collection_sheet(tmp_path)
    result = hardship("--root", root, "import", "cases", sheet, "--as", "路人甲", "--dry-run")
    assert result.code == 1  # refused, as every casework command refuses a stranger
    assert "路人甲 is not an officer in hardship.yaml" in result.err
    finance = hardship("--root", root, "import", "cases", sheet, "--as", "赵丽", "--dry-run")
    assert finance.code == 1
    assert ("importing the collection sheet needs an officer with role officer or chair or "
            "leader; 赵丽 is finance") in finance.err
