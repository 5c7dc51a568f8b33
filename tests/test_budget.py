"""hardship budget: the figures of the small root by hand, the marks, the exit code."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import hardship


def budget_json(root: Path, *args: str) -> tuple[int, dict]:
    result = hardship("--root", root, "budget", "--format", "json", "--today", "2026-11-29", *args)
    return result.code, json.loads(result.out)


def test_lines_by_hand(small):
    code, doc = budget_json(small)
    assert code == 1  # schooling is overdrawn by 0.25
    lines = {line["kind"]: line for line in doc["lines"]}
    assert lines["living"] == {
        "kind": "living",
        "allocated": "3000.00",
        "committed": "2400.50",
        "spent": "0.00",
        "remaining": "599.50",
        "percent": "80.0",
        "runs_out_on": "2027-02-20",
        "overdrawn": False,
        "runs_out_before_year_end": False,
    }
    assert lines["schooling"]["overdrawn"] is True
    assert lines["schooling"]["remaining"] == "-0.25"
    assert lines["emergency"]["runs_out_before_year_end"] is True  # used up already
    assert lines["medical"]["runs_out_on"] is None
    # campaign money (GR-2026-0003) is not on a line
    assert (doc["committed"], doc["spent"]) == ("2400.50", "5800.25")
    assert (doc["total"], doc["reserve"], doc["unallocated"]) == ("20000.00", "5000.00", "3500.00")


def test_funds_and_drives(small):
    _, doc = budget_json(small)
    funds = {f["fund"]: f for f in doc["funds"]}
    assert funds["union"]["spent"] == "5300.25"
    assert funds["employer"]["remaining"] == "-400.50"
    assert funds["campaign:DC-2026-01"]["planned"] is None
    assert funds["campaign:DC-2026-01"]["spent"] == "5000.00"
    (drive,) = doc["campaigns"]
    assert (drive["raised"], drive["paid"], drive["balance"]) == ("5500.00", "5000.00", "500.00")


def test_exit_0_when_no_line_is_overdrawn_and_no_source_overspent(small):
    text = (small / "budgets/2026.yaml").read_text()
    (small / "budgets/2026.yaml").write_text(
        text.replace("schooling: 1500.00", "schooling: 1600.00").replace(
            "employer: 2000.00", "employer: 2400.50"
        )
    )
    code, doc = budget_json(small)
    assert code == 0 and doc["overdrawn"] is False and doc["overspent"] is False


def test_exit_1_when_only_a_fund_source_is_overspent(small):
    """The employer planned 2,000.00 and 2,400.50 of its help is approved: budget marks the
    source and exits 1 though every line is within its allocation."""
    text = (small / "budgets/2026.yaml").read_text()
    (small / "budgets/2026.yaml").write_text(
        text.replace("schooling: 1500.00", "schooling: 1600.00")
    )
    code, doc = budget_json(small)
    assert code == 1 and doc["overdrawn"] is False and doc["overspent"] is True
    funds = {f["fund"]: f for f in doc["funds"]}
    assert [f for f in funds if funds[f]["overspent"]] == ["employer"]
    table = hardship("--root", small, "budget", "--today", "2026-11-29")
    assert table.code == 1
    (row,) = [line for line in table.out.splitlines() if "employer" in line]
    assert "-400.50" in row and "OVERSPENT" in row
    assert "OVERDRAWN" not in table.out


def test_table_marks_lines(small):
    result = hardship("--root", small, "budget", "--today", "2026-11-29")
    assert result.code == 1
    assert "OVERDRAWN" in result.out and "RUNS OUT" in result.out
    assert "5,800.25" in result.out and "DC-2026-01" in result.out


def test_a_year_without_a_budget(small):
    result = hardship("--root", small, "budget", "--year", "2024", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["has_budget"] is False
    assert "no budget for 2024" in result.err


def test_json_is_one_document_on_stdout(small):
    result = hardship("--root", small, "budget", "--format", "json", "--year", "2025")
    assert result.code == 0
    json.loads(result.out)
