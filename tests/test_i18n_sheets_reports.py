"""Issue 13 in the sheets, the import and the reports: refusals in the terminal's language
(Chinese here, English unchanged), choice cells read in either language and stored as
codes, commit subjects in the language of the records root."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from hardship_cli import i18n
from hardship_cli.casework.sheets.columns import CASE_COLUMNS
from hardship_cli.casework.sheets.convert import CellError, convert
from hardship_cli.casework.sheets.reading import read_rows
from hardship_cli.load import store
from hardship_cli.problems import ConfigError, UsageError
from hardship_cli.report import Request, commit_report, commit_subject, records_lang
from hardship_cli.report.budgeting import budget_status
from hardship_cli.report.loader import template_parts
from hardship_cli.report.periods import parse_month
from hardship_cli.report.stats import field_names
from tests.clirun import hardship
from tests.rootkit import Root
from tests.test_sheets import collection_sheet, plan


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language("en")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout


def demo_root(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    assert hardship("init", root, "--demo").code == 0
    return root


HEAD = "工号,姓名,单位,性别,出生日期,就业状态,健康状况,家庭月收入,困难类别,致困原因"


def sheet(tmp_path: Path, *rows: str, head: str = HEAD) -> Path:
    target = tmp_path / "s.csv"
    target.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return target


# ---------------------------------------------------------------------------------------
# The import's refusals


def test_a_refused_row_names_its_column_in_chinese(root: Root, tmp_path: Path):
    book = collection_sheet(tmp_path)
    with speaking("zh"):
        reasons = {a.row: a.reason for a in plan(root, book) if a.what == "refused"}
    assert reasons == {
        7: "重复填报第 5 行的家庭",
        8: "家庭月收入“一千二”不是金额（请写数字，如 1200.00）",
    }
    # English unchanged
    reasons = {a.row: a.reason for a in plan(root, book) if a.what == "refused"}
    assert reasons[8] == "家庭月收入 '一千二' is not an amount (write digits, e.g. 1200.00)"


def test_a_choice_cell_naming_nothing_is_refused_with_the_choices(root: Root, tmp_path: Path):
    target = sheet(tmp_path, "0901,吴强,物流中心,男人,1979-02-03,在岗,健康,1500,深度困难,因病")
    with speaking("zh"):
        [refused] = plan(root, target)
    assert (refused.row, refused.what) == (2, "refused")
    assert refused.reason == "性别“男人”不在可选项之中：男、女、male、female"
    [refused] = plan(root, target)
    assert refused.reason == "性别 '男人' is not one of: 男、女、male、female"


def test_a_sensitive_cell_is_never_quoted_in_either_language():
    [id_number] = [c for c in CASE_COLUMNS if c.heading == "身份证号"]
    with pytest.raises(CellError) as refused:
        convert(id_number, 12.5)
    with speaking("zh"):
        assert refused.value.say(id_number, 12.5) == "身份证号（已隐藏）是小数，不是编号"
    assert refused.value.say(id_number, 12.5) == (
        "身份证号 (hidden) is a fraction, not an identifier"
    )


def test_a_member_sheet_refusal_names_its_sheet_and_row_in_chinese(tmp_path: Path):
    book = collection_sheet(tmp_path)
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb["家庭成员"].append(["0733", "孙强", "邻居", "2009-01-01", "健康", 0, "学生"])
    wb.save(book)
    with speaking("zh"):
        rows = read_rows(book, {})
    [errors] = [r.errors for r in rows if r.data.get("worker", {}).get("employee_id") == "0733"]
    assert errors == [
        "家庭成员第 5 行：与户主关系“邻居”不在可选项之中：配偶、妻子、丈夫、子女、儿子、"
        "女儿、父母、父亲、母亲、岳父母、公婆、兄弟姐妹、祖父母、孙子女、其他"
    ]


def test_sheet_and_limit_refusals_in_chinese(tmp_path: Path):
    target = tmp_path / "s.txt"
    target.write_text("x", encoding="utf-8")
    with speaking("zh"), pytest.raises(UsageError) as refused:
        read_rows(target, {})
    assert refused.value.message == f"{target}：导入只读取 .xlsx 或 .csv 文件"
    assert refused.value.hint == "请把表格另存为 Excel（.xlsx）或 CSV（UTF-8）"
    plain = sheet(tmp_path, "1,2,3", head="a,b,c")
    with speaking("zh"), pytest.raises(UsageError) as refused:
        read_rows(plain, {})
    assert refused.value.message == "工作表 s：找不到含已知列标题的标题行"


def test_the_import_speaks_chinese_on_the_command_line(tmp_path: Path):
    root = demo_root(tmp_path)
    book = collection_sheet(tmp_path)
    try:
        result = hardship("--lang", "zh", "--root", root, "import", "cases", book, "--as",
                          "李明", "--dry-run", "--on", "2026-11-29", "--format", "json")
    finally:
        i18n.set_language("en")
    assert result.code == 1
    rows = {r["row"]: r for r in json.loads(result.out)}
    assert rows[8]["action"] == "refused"  # JSON keeps its codes; the reason is for a person
    assert rows[8]["reason"] == "家庭月收入“一千二”不是金额（请写数字，如 1200.00）"


# ---------------------------------------------------------------------------------------
# Choice cells in either language


def test_choice_cells_in_either_language_are_stored_as_codes(root: Root, tmp_path: Path):
    target = sheet(
        tmp_path,
        "0901,吴强,物流中心,female,1979-02-03,on the job,elderly and frail,1500,"
        "hardship by accident,natural disaster、因病",
        "0902,赵六,物流中心,男,1979-02-03,retired,慢性病,1500,deep,schooling",
        head=HEAD,
    )
    first, second = plan(root, target)
    assert (first.what, second.what) == ("create", "create"), (first.reason, second.reason)
    assert first.data is not None and second.data is not None
    assert first.data["worker"]["sex"] == "female"
    assert first.data["worker"]["employment"] == "on_job"
    assert first.data["worker"]["health"] == "elderly_frail"
    assert first.data["level"] == "accident"
    assert first.data["causes"] == {"primary": "disaster", "secondary": ["serious_illness"]}
    assert second.data["level"] == "deep"
    assert second.data["worker"]["employment"] == "retired"


def test_a_member_relation_in_the_vocabularys_chinese_is_stored_as_its_code(tmp_path: Path):
    target = sheet(
        tmp_path,
        "0901,吴强,物流中心,男,1979-02-03,在岗,健康,1500,深度困难,因病,张大,岳父母/公婆",
        head=HEAD + ",成员姓名,与户主关系",
    )
    [row] = read_rows(target, {})
    assert row.errors == []
    assert row.members == [{"name": "张大", "relation": "parent_in_law"}]


# ---------------------------------------------------------------------------------------
# Commit subjects in the records root's language


def test_the_import_commit_is_in_the_roots_language_whatever_the_terminal(tmp_path: Path):
    root = demo_root(tmp_path)
    book = collection_sheet(tmp_path)
    result = hardship("--lang", "en", "--root", root, "import", "cases", book, "--as", "李明",
                      "--on", "2026-11-29")
    assert result.code == 1
    log = git(root, "log", "-1", "--format=%s%n%b")
    assert log.startswith("李明 导入 sheet.xlsx：新建 3 户，更新 0 户，拒绝 2 行\n第 4 行：")
    assert "拒绝的行：7, 8" in log
    assert "\nRecord: " in log and "\nAction: import\nBy: 李明\nRole: officer" in log


def test_an_english_root_commits_its_import_in_english(tmp_path: Path):
    root = demo_root(tmp_path)
    config = root / "hardship.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("locale: zh-CN", "locale: en"),
                      encoding="utf-8")
    git(root, "commit", "-qam", "english")
    book = collection_sheet(tmp_path)
    try:
        result = hardship("--lang", "zh", "--root", root, "import", "cases", book, "--as",
                          "李明", "--on", "2026-11-29")
    finally:
        i18n.set_language("en")
    assert result.code == 1
    log = git(root, "log", "-1", "--format=%s%n%b")
    assert log.startswith("import of sheet.xlsx by 李明: 3 new, 0 updated, 2 refused\nrow 4: ")
    assert "refused rows: 7, 8" in log and "\nAction: import\n" in log


def test_a_reports_commit_subject_is_in_the_roots_language(tmp_path: Path):
    root = demo_root(tmp_path)
    records = store.load(root)
    assert records_lang(records) == "zh"
    day = date(2026, 11, 3)
    request = Request("monthly", "md", "en", day, month="2026-10")
    assert commit_subject(request, day, "zh") == "报表：monthly 2026-10（en，md）"
    assert commit_subject(request, day, "en") == "report: monthly 2026-10 (en, md)"
    target = root / "reports" / "2026-10.md"
    target.parent.mkdir()
    target.write_text("# report\n", encoding="utf-8")
    assert commit_report(target, request, day, records)
    log = git(root, "log", "-1", "--format=%s%n%b")
    assert log.startswith("报表：monthly 2026-10（en，md）\n")
    assert "Record: 2026-10\nAction: report\nBy: hardship\nReport: monthly" in log


# ---------------------------------------------------------------------------------------
# Report refusals


def test_report_refusals_in_chinese(tmp_path: Path):
    root = demo_root(tmp_path)
    try:
        result = hardship("--lang", "zh", "--root", root, "report", "case", "HS-2099-0099")
    finally:
        i18n.set_language("en")
    assert result.code == 2
    assert "本档案根目录中没有档案 HS-2099-0099" in result.err
    assert (
        "每份档案都是 cases/档案编号.yaml（`hardship advise --all` 可列出在档的档案）："
        "请核对档案编号"
    ) in result.err
    result = hardship("--root", root, "report", "case", "HS-2099-0099")
    assert "no case HS-2099-0099 in this root" in result.err


@pytest.mark.parametrize(
    ("refuse", "zh", "en"),
    [
        (lambda: parse_month("2026-13"), "'2026-13' 不是月份", "'2026-13' is not a month"),
        (lambda: field_names("colour"), "不能按 'colour' 分组", "cannot group by 'colour'"),
        (
            lambda: template_parts("../secret"),
            "模板 '../secret' 被拒绝：名称中的 `..` 指向 templates 文件夹之外",
            "template '../secret' refused: `..` in its name points outside the templates "
            "folder",
        ),
    ],
)
def test_report_functions_refuse_in_the_terminals_language(refuse, zh, en):
    with speaking("zh"), pytest.raises((UsageError, ConfigError)) as refused:
        refuse()
    assert refused.value.message == zh
    with pytest.raises((UsageError, ConfigError)) as refused:
        refuse()
    assert refused.value.message == en


def test_a_year_without_a_budget_is_said_in_chinese(tmp_path: Path):
    records = store.load(demo_root(tmp_path))
    with speaking("zh"):
        status = budget_status(records, 2031, date(2031, 3, 1))
    assert status.notes == ["2031 年没有预算（budgets/2031.yaml）：各预算科目均无预算"]
    status = budget_status(records, 2031, date(2031, 3, 1))
    assert status.notes == ["no budget for 2031 (budgets/2031.yaml): every line is unbudgeted"]
