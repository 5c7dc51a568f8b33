"""Loading a root: each schema defect is reported at its file and line, with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardship_cli.load import files, store
from hardship_cli.problems import ConfigError
from tests.checking import found, problems
from tests.rootkit import Root

CASE = "cases/HS-2026-0001.yaml"
GRANT = "grants/2026/GR-2026-0001.yaml"


def test_the_small_root_is_clean(root: Root):
    assert found(root) == []
    records = store.load(root.path)
    case = records.cases["HS-2026-0001"]
    assert case.worker.employee_id == "0371"
    assert str(records.grants["GR-2026-0001"].amount) == "1500.00"
    assert records.files == 5


def test_employee_id_and_name_stay_text(root: Root):
    root.replace(CASE, 'employee_id: "0371"', "employee_id: 007")
    root.replace(CASE, "name: 刘建华", "name: No")
    assert found(root) == []
    worker = store.load(root.path).cases["HS-2026-0001"].worker
    assert (worker.employee_id, worker.name) == ("007", "No")


def test_unknown_key_says_did_you_mean(root: Root):
    root.replace(GRANT, "amount: 1500.00", "amout: 1500.00")
    result = problems(root)
    assert [(p.line, p.code, p.message, p.hint) for p in result] == [
        (1, "missing", "required field `amount` is missing", "add `amount: ...`"),
        (4, "unknown-key", "unknown key `amout`", "did you mean `amount`?"),
    ]


def test_nested_unknown_key(root: Root):
    root.replace(CASE, "  unit: 物流中心", "  unti: 物流中心")
    result = [p for p in problems(root) if p.code == "unknown-key"]
    assert [(p.line, p.message, p.hint) for p in result] == [
        (6, "unknown key `worker.unti`", "did you mean `unit`?")
    ]


def test_wrong_type(root: Root):
    root.replace(CASE, "  unit: 物流中心", "  unit: [a, b]")
    assert found(root) == [(CASE, 6, "wrong-type", "`worker.unit`: expected text, got a list")]


def test_missing_value_says_quote_it(root: Root):
    root.replace(CASE, "  name: 刘建华", "  name: null")
    result = problems(root)
    assert [(p.line, p.code, p.message) for p in result] == [
        (4, "missing", "`worker.name` has no value")
    ]
    assert "quote it" in result[0].hint


def test_date_that_is_not_a_date(root: Root):
    root.replace(GRANT, "on: 2026-02-01", "on: 2026-02-30")
    assert found(root) == [
        (GRANT, 7, "bad-date",
         "`proposed.on`: not a date: '2026-02-30' (the calendar has no such day)")
    ]
    root.replace(GRANT, "on: 2026-02-30", "on: 1/2/2026")
    assert found(root) == [(GRANT, 7, "bad-date", "`proposed.on`: not a date: '1/2/2026'")]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1500.005", "`amount`: money has at most two decimals (fen): 1500.005"),
        ("-1500.00", "`amount`: money must not be negative: -1500.00"),
        ("一千五", "`amount`: not an amount of money: '一千五'"),
        ("1.5e3", "`amount`: not an amount of money: '1.5e3'"),
    ],
)
def test_bad_money(root: Root, amount: str, message: str):
    root.replace(GRANT, "amount: 1500.00", f"amount: {amount}")
    result = problems(root)
    assert [(p.line, p.code, p.message) for p in result] == [(4, "bad-money", message)]
    assert result[0].hint == "write yuan with at most two decimals, e.g. 1200.00"


def test_grouped_money_is_accepted(root: Root):
    root.replace(GRANT, "amount: 1500.00", 'amount: "1,500.00"')
    assert found(root) == []


def test_bad_enum_suggests(root: Root):
    root.replace(GRANT, "kind: medical", "kind: medicall")
    result = problems(root)
    assert [(p.line, p.code, p.message) for p in result] == [
        (3, "bad-value", "`kind` is not allowed: 'medicall'")
    ]
    assert result[0].hint.startswith("did you mean `medical`?")


def test_id_number_is_never_echoed(root: Root):
    root.replace(CASE, '"999101196804121235"', '"99910119680412"')
    result = problems(root)
    assert [(p.line, p.code) for p in result] == [(13, "bad-value")]
    assert "99910119680412" not in result[0].message + result[0].hint


def test_wrong_folder_for_kind(root: Root):
    root.write("cases/GR-2026-0009.yaml", root.read(GRANT).replace("0001", "0009", 1))
    assert found(root) == [
        ("cases/GR-2026-0009.yaml", 1, "wrong-folder",
         "GR-2026-0009 is a grant, but this file is in the cases folder")
    ]


def test_wrong_year_folder(root: Root):
    text = root.read(GRANT).replace("GR-2026-0001", "GR-2025-0001", 1)
    root.write("grants/2026/GR-2025-0001.yaml", text)
    assert ("grants/2026/GR-2025-0001.yaml", 1, "wrong-folder",
            "GR-2025-0001 belongs to 2025, but the file is in grants/2026/") in found(root)


def test_grant_outside_a_year_folder(root: Root):
    root.write("grants/GR-2026-0002.yaml", root.read(GRANT).replace("0001", "0002", 1))
    assert ("grants/GR-2026-0002.yaml", None, "wrong-folder",
            "a grant file belongs in a year folder, not directly in grants/") in found(root)


def test_file_name_is_not_its_id(root: Root):
    root.write("grants/2026/GR-2026-0002.yaml", root.read(GRANT).replace("0001", "0003", 1))
    result = [p for p in problems(root) if p.code == "id-mismatch"]
    assert [(p.path, p.line, p.message, p.hint) for p in result] == [
        ("grants/2026/GR-2026-0002.yaml", 1,
         "the file is named GR-2026-0002 but its id is GR-2026-0003",
         "rename the file to GR-2026-0003.yaml, or correct the id")
    ]


def test_duplicate_id_across_files(root: Root):
    root.write("grants/2026/GR-2026-0001.yml", root.read(GRANT))
    result = [p for p in problems(root) if p.code == "duplicate-id"]
    assert [(p.path, p.message) for p in result] == [
        ("grants/2026/GR-2026-0001.yml",
         "GR-2026-0001 is also defined in grants/2026/GR-2026-0001.yaml")
    ]


def test_budget_lines_beyond_total(root: Root):
    root.replace("budgets/2026.yaml", "total: 100000.00", "total: 90000.00")
    assert found(root) == [
        ("budgets/2026.yaml", 1, "bad-value",
         "lines and reserve add up to 100000.00, more than the total "
         "90000.00")
    ]


def test_find_root_upward_and_env(root: Root, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("HARDSHIP_ROOT", raising=False)
    deep = root.path / "cases"
    assert files.find_root(cwd=deep) == root.path
    monkeypatch.setenv("HARDSHIP_ROOT", str(root.path))
    assert files.find_root(cwd=tmp_path) == root.path
    monkeypatch.delenv("HARDSHIP_ROOT")
    with pytest.raises(ConfigError, match="no records root found"):
        files.find_root(cwd=tmp_path)
    with pytest.raises(ConfigError, match="not a records root"):
        files.find_root(tmp_path)
