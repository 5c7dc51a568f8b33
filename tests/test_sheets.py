"""The units' yearly collection sheet: read, matched, planned row by row, written back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from hardship_cli.casework.importing.plan import plan_import
from hardship_cli.casework.sheets.columns import Column, load_mapping
from hardship_cli.casework.sheets.convert import CellError, convert
from hardship_cli.casework.sheets.reading import read_rows
from hardship_cli.casework.sheets.writing import write_sheet
from hardship_cli.load import store
from hardship_cli.problems import UsageError
from tests.rootkit import Root

HEADINGS = ["序号", "工号", "姓名", "性别", "出生日期", "身份证号", "单位", "就业状态",
            "健康状况", "家庭月收入（元）", "月刚性支出", "困难类别", "致困原因", "备注"]


def collection_sheet(path: Path) -> Path:
    """A realistic sheet: a title row, headings merged over two rows, a blank row, a
    duplicate household, a row with a text amount, and a members sheet."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "困难职工花名册"
    ws.append(["某县烟草专卖局2027年度困难职工花名册"])
    ws.merge_cells("A1:N1")
    # Two header rows: "收入情况" spans the two income columns, other headings are merged
    # vertically (their text sits in the upper cell).
    ws.append([h if h not in ("家庭月收入（元）", "月刚性支出") else None for h in HEADINGS])
    ws.cell(row=2, column=10, value="收入情况")
    ws.merge_cells("J2:K2")
    ws.append([None] * 9 + ["家庭月收入（元）", "月刚性支出"] + [None] * 3)
    for col in "ABCDEFGHILMN":
        ws.merge_cells(f"{col}2:{col}3")
    ws.append([1, "0371", "刘建华", "男", "1968-04-12", "999101196804121235", "物流中心",
               "在岗", "大病", 2100, 600, "深度困难", "因病、因学", "化疗中"])
    ws.append([2, "0588", "陈秀兰", "女", "1975/3/8", "999101197503080024", "营销部", "在岗",
               "慢性病", 3000.5, 0, "相对困难", "因学", None])
    ws.append([None] * 14)  # a blank row
    ws.append([3, "0588", "陈秀兰", "女", "1975-03-08", "999101197503080024", "营销部", "在岗",
               "慢性病", 3000.5, 0, "相对困难", "因学", "重复填报"])
    ws.append([4, "0612", "周志强", "男", "1980-11-02", "999101198011020038", "专卖管理科",
               "在岗", "健康", "一千二", 0, "深度困难", "因灾", None])
    ws.append([5, "0733", "孙丽", "女", "1982-06-30", "999101198206300048", "办公室", "病休",
               "重病", "1,800.00元", 500, "深度困难", "因病", None])
    members = book.create_sheet("家庭成员")
    members.append(["工号", "姓名", "关系", "出生日期", "健康状况", "月收入", "职业"])
    members.append(["0371", "王秀英", "配偶", "1970-01-01", "健康", 0, "无业"])
    members.append(["0371", "刘洋", "子女", "2008-09-01", "健康", 0, "学生"])
    members.append(["0588", "李明亮", "子女", "2010-05-05", "健康", 0, "学生"])
    target = path / "sheet.xlsx"
    book.save(target)
    return target


def plan(root: Root, sheet: Path, mapping: dict[str, str] | None = None):
    rows = read_rows(sheet, mapping or {})
    records = store.load(root.path)
    return plan_import(rows, records.cases.values(), "李明", date(2027, 1, 10))


def test_realistic_sheet_plans_row_by_row(root: Root, tmp_path: Path):
    actions = plan(root, collection_sheet(tmp_path))
    summary = [(a.row, a.what, a.case_id, a.reason) for a in actions]
    assert summary == [
        (4, "update", "HS-2026-0001", ""),
        (5, "create", None, ""),
        (7, "refused", None, "repeats the household of row 5"),
        (8, "refused", None, "家庭月收入 '一千二' is not an amount (write digits, e.g. 1200.00)"),
        (9, "create", None, ""),
    ]
    update = actions[0]
    # The sheet drops the case's bank, phone and household details it does not carry; only
    # the columns it has are compared.
    assert update.changed == ["notes", "household"]
    created = actions[1].data
    assert created["worker"]["birth_date"] == "1975-03-08"
    assert created["income"] == {"household_monthly": "3000.50",
                                 "rigid_expenses_monthly": "0.00"}
    assert created["household"] == [{"name": "李明亮", "relation": "child",
                                     "birth_date": "2010-05-05", "health": "healthy",
                                     "monthly_income": "0.00", "occupation": "学生"}]
    assert created["causes"] == {"primary": "schooling", "secondary": []}
    assert created["status"] == "applied" and created["filed"] == {"by": "李明",
                                                                 "on": "2027-01-10"}
    assert actions[4].data["income"]["household_monthly"] == "1800.00"


def test_export_then_import_changes_nothing(root: Root, tmp_path: Path):
    records = store.load(root.path)
    for suffix in ("xlsx", "csv"):
        target = tmp_path / f"out.{suffix}"
        assert write_sheet(target, records.cases.values(), full=True) == 1
        actions = plan(root, target)
        assert [(a.what, a.case_id) for a in actions] == [("unchanged", "HS-2026-0001")], suffix


def test_export_without_full_leaves_sensitive_columns_out(root: Root, tmp_path: Path):
    records = store.load(root.path)
    target = tmp_path / "out.xlsx"
    write_sheet(target, records.cases.values(), full=False)
    book = openpyxl.load_workbook(target)
    headings = [c.value for c in book["困难职工"][1]]
    assert "身份证号" not in headings and "银行账号" not in headings
    cells = [str(c.value) for row in book["困难职工"].iter_rows() for c in row]
    assert "999101196804121235" not in cells
    amount = book["困难职工"].cell(row=2, column=headings.index("家庭月收入") + 1).value
    assert isinstance(amount, (int, float)) and amount == 2100
    # Without the ID numbers the same sheet still matches by employee number.
    assert [a.what for a in plan(root, target)] == ["unchanged"]


def test_mapping_file_renames_headings(root: Root, tmp_path: Path):
    target = tmp_path / "other.csv"
    target.write_text("员工编号,职工姓名,部门,性别,出生年月,就业,月收入,类别,原因\n"
                      "0900,吴强,物流中心,男,1979-02-03,在岗,1500,深度困难,因病\n",
                      encoding="utf-8")
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("员工编号: 工号\n职工姓名: 姓名\n部门: 单位\n出生年月: 出生日期\n"
                            "就业: 就业状态\n月收入: 家庭月收入\n类别: 困难类别\n原因: 致困原因\n",
                            encoding="utf-8")
    mapping = load_mapping(mapping_file)
    actions = plan(root, target, mapping)
    assert [(a.row, a.what) for a in actions] == [(2, "create")]
    assert actions[0].data["worker"]["name"] == "吴强"


def test_bad_mapping_and_headerless_sheets_are_usage_errors(tmp_path: Path):
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("员工编号: 工号码\n", encoding="utf-8")
    with pytest.raises(UsageError, match="maps to `工号码`, which is not a heading"):
        load_mapping(mapping_file)
    target = tmp_path / "x.csv"
    target.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no header row with the known headings"):
        read_rows(target, {})


def test_id_number_stored_as_a_number_is_refused(root: Root, tmp_path: Path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "身份证号", "单位", "性别", "出生日期", "就业状态", "家庭月收入",
               "困难类别", "致困原因"])
    ws.append(["0950", "郑云", 999101196804121235, "物流中心", "男", "1968-04-12", "在岗", 900,
               "深度困难", "因病"])
    target = tmp_path / "n.xlsx"
    book.save(target)
    actions = plan(root, target)
    assert [(a.what, a.reason) for a in actions] == [
        ("refused", "身份证号 (hidden) was stored as a number and lost digits: format the "
                    "column as text")]


def test_repeated_rows_carry_members(root: Root, tmp_path: Path):
    target = tmp_path / "r.csv"
    target.write_text(
        "工号,姓名,单位,性别,出生日期,就业状态,家庭月收入,困难类别,致困原因,成员姓名,与户主关系\n"
        "0901,吴强,物流中心,男,1979-02-03,在岗,1500,深度困难,因病,吴小强,子女\n"
        "0901,吴强,物流中心,男,1979-02-03,在岗,1500,深度困难,因病,张兰,配偶\n"
        "0901,吴强,物流中心,男,1979-02-03,在岗,1600,深度困难,因病,吴大,父母\n",
        encoding="utf-8")
    actions = plan(root, target)
    assert [(a.row, a.what) for a in actions] == [(2, "create"), (4, "refused")]
    assert [m["name"] for m in actions[0].data["household"]] == ["吴小强", "张兰"]
    assert actions[1].reason == "repeats the household of row 2 with different household figures"


MONEY = Column(("income", "household_monthly"), "家庭月收入", "money")


@pytest.mark.parametrize(
    ("cell", "text"),
    [(2100, "2100.00"), (3000.5, "3000.50"), ("1,800.00元", "1800.00"), ("1800", "1800.00")],
)
def test_money_cells_read(cell, text):
    assert convert(MONEY, cell) == text


@pytest.mark.parametrize(
    ("cell", "why"),
    [("一千二", "is not an amount (write digits, e.g. 1200.00)"), (-5, "is negative"),
     ("12.345", "has more than two decimals"), (True, "is not an amount")],
)
def test_money_cells_refused(cell, why):
    with pytest.raises(CellError) as refused:
        convert(MONEY, cell)
    assert refused.value.say(MONEY, cell) == f"家庭月收入 '{cell}' {why}"
