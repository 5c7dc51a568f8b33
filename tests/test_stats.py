"""hardship stats, and the figures of stats, budget and the reports agree."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from tests.clirun import hardship
from tests.conftest import DEMO, TODAY


def stats_json(root, *args: str) -> dict:
    result = hardship("--root", root, "stats", "--format", "json", "--today", str(TODAY), *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_formats(small):
    doc = stats_json(small, "--by", "kind", "--year", "2026")
    assert doc["total"] == {"households": 3, "grants": 6, "amount": "13200.75"}
    out = hardship(
        "--root",
        small,
        "stats",
        "--by",
        "tier",
        "--of",
        "cases",
        "--year",
        "2026",
        "--format",
        "csv",
    ).out
    assert list(csv.reader(io.StringIO(out))) == [
        ["tier", "households", "people"],
        ["deep", "1", "3"],
        ["relative", "1", "2"],
        ["accident", "1", "3"],
        ["total", "3", "8"],
    ]
    table = hardship("--root", small, "stats", "--by", "kind,fund", "--year", "2026").out
    assert "13,200.75" in table and "donation drive DC-2026-01" in table


def test_alias_and_status_filter(small):
    doc = json.loads(
        hardship("--root", small, "aggregate", "--status", "all", "--format", "json").out
    )
    assert doc["total"]["grants"] == 10
    doc = stats_json(small, "--status", "rejected,proposed", "--by", "status")
    assert [r["status"] for r in doc["rows"]] == ["proposed", "rejected"]


def test_usage_errors(small):
    for args in (
        ["--by", "colour"],
        ["--month", "26-1"],
        ["--of", "cases", "--by", "fund"],
        ["--status", "active"],
    ):
        result = hardship("--root", small, "stats", *args)
        assert result.code == 2, args
        assert "Traceback" not in result.err and result.out == ""


def total_of(doc: dict) -> Decimal:
    return Decimal(doc["total"]["amount"])


def test_stats_budget_and_annual_agree_on_the_demo(tmp_path):
    stats_doc = stats_json(DEMO, "--year", "2026", "--by", "fund")
    budget = json.loads(
        hardship("--root", DEMO, "budget", "--format", "json", "--today", str(TODAY)).out
    )
    # help from the union's own funds is what the budget lines used
    own = sum(
        (Decimal(r["amount"]) for r in stats_doc["rows"] if not r["fund"].startswith("campaign:")),
        Decimal("0"),
    )
    assert own == Decimal(budget["committed"]) + Decimal(budget["spent"])
    by_fund = {f["fund"]: Decimal(f["committed"]) + Decimal(f["spent"]) for f in budget["funds"]}
    assert {r["fund"]: Decimal(r["amount"]) for r in stats_doc["rows"]} == {
        k: v for k, v in by_fund.items() if v
    }
    paid_from_drives = sum(
        (Decimal(c["paid"]) + Decimal(c["committed"]) for c in budget["campaigns"]), Decimal("0")
    )
    assert total_of(stats_doc) == own + paid_from_drives
    # the annual report's CSV shows the same totals
    out = hardship(
        "--root",
        DEMO,
        "report",
        "annual",
        "--year",
        "2026",
        "--format",
        "csv",
        "--lang",
        "en",
        "--today",
        str(TODAY),
    ).out
    blocks = {b.splitlines()[0]: list(csv.reader(io.StringIO(b))) for b in out.split("\n\n") if b}
    kind_total = blocks["By kind of help"][-1]
    assert kind_total[0] == "Total"
    assert Decimal(kind_total[-1]) == total_of(stats_doc)
    tiers = stats_json(DEMO, "--of", "cases", "--year", "2026", "--by", "tier")
    assert blocks["By tier"][-1][1:] == [
        str(tiers["total"]["households"]),
        str(tiers["total"]["people"]),
    ]
    budget_total = blocks["Budget use"][-1]
    assert budget_total[1:5] == [
        budget["allocated"],
        budget["committed"],
        budget["spent"],
        budget["remaining"],
    ]


def test_monthly_report_agrees_with_stats(small):
    doc = stats_json(small, "--month", "2026-10")
    out = hardship(
        "--root",
        small,
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--lang",
        "en",
        "--today",
        str(TODAY),
    ).out
    assert f"- Help (yuan): **{Decimal(doc['total']['amount']):,.2f}**" in out
    assert f"- Items of help: **{doc['total']['grants']}**" in out
    # by hand: on file at the end of October: HS-2025-0001 and HS-2026-0001
    assert "- Households on file (month end): **2**" in out

