"""Roll-up across roots: totals equal the sum of each unit's own figures, per unit and in
total, each root's commit stamped, and a household filed in two units flagged."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.clirun import hardship
from tests.conftest import DEMO, SMALL, TODAY

SHARED = "HS-2025-0001"  # the household filed in both units


@pytest.fixture
def two_units(tmp_path: Path) -> tuple[Path, Path]:
    """The demo unit, and a second unit (the small root) that also filed one demo
    household: its case file copied over with the second unit's numbering."""
    first = tmp_path / "a"
    second = tmp_path / "b"
    shutil.copytree(DEMO, first)
    shutil.copytree(SMALL, second)
    text = (DEMO / "cases" / f"{SHARED}.yaml").read_text(encoding="utf-8")
    (second / "cases" / "HS-2025-0901.yaml").write_text(
        text.replace(SHARED, "HS-2025-0901"), encoding="utf-8")
    return first, second


def run_json(*args: str | Path) -> dict:
    result = hardship(*args)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def test_stats_rollup_is_the_sum_of_the_units(two_units):
    a, b = two_units
    one = run_json("--root", a, "stats", "--year", "2026", "--by", "kind", "--format", "json")
    two = run_json("--root", b, "stats", "--year", "2026", "--by", "kind", "--format", "json")
    both = hardship("--root", a, "--root", b, "stats", "--year", "2026", "--by", "kind",
                    "--format", "json")
    assert both.code == 0
    doc = json.loads(both.out)
    assert doc["by"] == ["org", "kind"]
    for measure in ("households", "grants"):
        assert doc["total"][measure] == one["total"][measure] + two["total"][measure]
    assert Decimal(doc["total"]["amount"]) == (
        Decimal(one["total"]["amount"]) + Decimal(two["total"]["amount"]))
    orgs = {r["org"] for r in doc["rows"]}
    assert len(orgs) == 2
    # the household filed twice is flagged on stderr, without its ID number
    assert f"({SHARED}) and in" in both.err and "duplicate-household" in both.err
    assert "99910" not in both.err


def test_budget_rollup_lists_units_and_sums_them(two_units):
    a, b = two_units
    args = ("budget", "--year", "2026", "--format", "json", "--today", str(TODAY))
    one, two = run_json("--root", a, *args), run_json("--root", b, *args)
    doc = run_json("--root", a, "--root", b, *args)
    assert [u["label"] for u in doc["units"]] == ["U1", "U2"]
    for key in ("allocated", "committed", "spent", "remaining", "total", "reserve"):
        assert Decimal(doc["total"][key]) == Decimal(one[key]) + Decimal(two[key]), key
        assert [u[key] for u in doc["units"]] == [one[key], two[key]]


def test_annual_report_rollup(two_units):
    a, b = two_units
    args = ("report", "annual", "--year", "2026", "--today", str(TODAY), "--lang", "en")

    def blocks(*roots: Path) -> dict[str, list[list[str]]]:
        roots_args = [x for r in roots for x in ("--root", str(r))]
        out = hardship(*roots_args, *args, "--format", "csv").out
        return {b.splitlines()[0]: list(csv.reader(io.StringIO(b)))
                for b in out.split("\n\n") if b}

    one, two, both = blocks(a), blocks(b), blocks(a, b)
    for title, columns in (("By tier", (1, 2)), ("By kind of help", (1, 2, 3)),
                           ("Budget use", (1, 2, 3, 4))):
        total = both[title][-1]
        for column in columns:
            assert Decimal(total[column]) == (
                Decimal(one[title][-1][column]) + Decimal(two[title][-1][column])), title
    units = both["By union unit"]
    assert len(units) == 1 + 1 + 2 + 1  # title, headings, two units, total
    assert units[-1][1] == str(int(one["By tier"][-1][1]) + int(two["By tier"][-1][1]))
    dups = both["Households filed in two units"]
    assert len(dups) == 3 and f"({SHARED}) and in" in dups[2][0]
    md = hardship("--root", a, "--root", b, *args).out
    assert "## Roll-up" in md and "U1 " in md and "U2 " in md


def test_single_root_commands_refuse_several_roots(two_units):
    a, b = two_units
    result = hardship("--root", a, "--root", b, "report", "monthly", "--today", str(TODAY))
    assert result.code == 2
    assert "works on one records root" in result.err
