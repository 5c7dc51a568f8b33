"""Issue 14: every sheet the tool writes says whose it is and when (the union unit, the
period, the records' git commit, the date), the tool's own export still imports back
unchanged, and only record files mark a report as made from uncommitted records."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.clirun import hardship

ORG = "某县烟草专卖局（分公司）工会"
TODAY = "2026-11-29"


def demo_root(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    assert hardship("init", root, "--demo").code == 0
    return root


def head(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()[:12]


def about(rows: list[list[str]]) -> dict[str, str]:
    """The label -> value rows above the first blank row."""
    out = {}
    for row in rows:
        if not any(row):
            break
        out[row[0]] = row[1]
    return out


def test_annual_csv_starts_with_unit_year_commit_and_date(tmp_path):
    root = demo_root(tmp_path)
    for lang, want in (
        ("zh", {"填报单位": ORG, "统计期间": "2026", "档案版本": f"git {head(root)}",
                "生成日期": TODAY}),
        ("en", {"Union unit": ORG, "Period": "2026", "Records at": f"git {head(root)}",
                "Generated on": TODAY}),
    ):
        result = hardship("--root", root, "report", "annual", "--year", "2026", "--format",
                          "csv", "--lang", lang, "--today", TODAY)
        assert result.code == 0, result.err
        assert about(list(csv.reader(io.StringIO(result.out)))) == want


def test_annual_xlsx_opens_on_a_sheet_naming_unit_year_and_commit(tmp_path):
    root = demo_root(tmp_path)
    out = tmp_path / "annual.xlsx"
    result = hardship("--root", root, "report", "annual", "--year", "2026", "-o", out,
                      "--lang", "zh", "--today", TODAY)
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(out)
    first = book.worksheets[0]
    assert first.title == "报表说明"
    rows = [[c.value for c in row] for row in first.iter_rows()]
    assert rows[0] == ["困难职工帮扶工作年度统计报表 2026", None]
    assert about([[str(v or "") for v in r] for r in rows[1:]]) == {
        "填报单位": ORG, "统计期间": "2026", "档案版本": f"git {head(root)}", "生成日期": TODAY}
    assert all(c.data_type == "s" for row in first.iter_rows() for c in row if c.value)
    assert len(book.worksheets) > 5  # the tables follow, one a sheet


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_says_whose_and_imports_back_unchanged(tmp_path, suffix):
    root = demo_root(tmp_path)
    out = tmp_path / f"花名册.{suffix}"
    result = hardship("--root", root, "export", "cases", "-o", out, "--today", TODAY)
    assert result.code == 0, result.err
    if suffix == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(out)
        rows = [[str(c.value or "") for c in row] for row in book.worksheets[0].iter_rows()]
        members = [[c.value for c in row] for row in book["家庭成员"].iter_rows()]
        assert members[0][0] == "填报单位" and members[5][0] == "工号"
    assert about(rows) == {
        "填报单位": ORG,
        "统计期间": f"在册档案（截至 {TODAY}）",
        "档案版本": f"git {head(root)}",
        "生成日期": TODAY,
    }
    assert rows[5][:2] == ["工号", "姓名"]
    back = hardship("--root", root, "import", "cases", out, "--as", "李明", "--dry-run",
                    "--format", "json")
    assert back.code == 0, back.out + back.err
    actions = json.loads(back.out)
    assert len(actions) > 20 and {a["action"] for a in actions} == {"unchanged"}


def test_a_report_written_inside_the_root_does_not_mark_later_reports_dirty(tmp_path):
    root = demo_root(tmp_path)
    out = root / "build" / "annual-{year}.xlsx"
    args = ["--root", root, "report", "annual", "--year", "2026", "--today", TODAY]
    assert hardship(*args, "-o", out).code == 0
    assert (root / "build" / "annual-2026.xlsx").is_file()
    assert hardship("--root", root, "export", "cases", "-o", root / "x.csv").code == 0
    text = hardship(*args, "--lang", "zh").out
    assert f"git {head(root)}" in text and "含未提交的修改" not in text
    # A record file changed and not committed still marks it.
    case = next((root / "cases").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "含未提交的修改" in hardship(*args, "--lang", "zh").out
    case.write_text(case.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    (root / "hardship.yaml").write_text(
        (root / "hardship.yaml").read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    assert "含未提交的修改" in hardship(*args, "--lang", "zh").out
