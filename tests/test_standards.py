"""A new minimum living standard moves exactly the households between the old and new
thresholds, and `standards impact` names them before the change is made."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hardship_cli.domain.model import Level
from hardship_cli.domain.standards import impact, mismatches_today
from hardship_cli.load import store
from tests.clirun import hardship
from tests.rootkit import Root

CASE = "cases/HS-2026-0001.yaml"

# Per-capita incomes (three people, no rigid expenses): 2026's standard is 800.00, so deep
# is below 800 and relative below 1,600. The new standard is 900: deep below 900,
# relative below 1,800.
HOUSEHOLDS = {
    "0002": ("700.00", "deep"),  # stays deep
    "0003": ("850.00", "relative"),  # 800 <= 850 < 900: moves to deep
    "0004": ("1000.00", "relative"),  # stays relative
    "0005": ("1700.00", "accident"),  # accident: income does not decide
    "0006": ("1599.99", "relative"),  # stays relative
    "0007": ("899.99", "relative"),  # moves to deep
    "0008": ("900.00", "relative"),  # exactly the new line: stays relative
}


def plant(root: Root) -> None:
    for number, (per_capita, level) in HOUSEHOLDS.items():
        text = root.read(CASE).replace("HS-2026-0001", f"HS-2026-{number}")
        text = text.replace('employee_id: "0371"', f'employee_id: "9{number}"')
        text = text.replace('id_number: "999101196804121235"', "")
        text = text.replace("household_monthly: 2100.00",
                            f"household_monthly: {Decimal(per_capita) * 3:.2f}")
        text = text.replace("rigid_expenses_monthly: 600.00", "rigid_expenses_monthly: 0.00")
        text = text.replace("level: deep", f"level: {level}")
        root.write(f"cases/HS-2026-{number}.yaml", text)


def test_raising_the_standard_moves_exactly_those_between_the_lines(root: Root):
    plant(root)
    records = store.load(root.path)
    assert records.problems == []
    result = impact(records.config, records.case_facts().values(), date(2027, 1, 1),
                    Decimal("900.00"))
    assert result.old is not None and result.old.monthly == Decimal("800.00")
    moved = {(c.case.id, c.per_capita, c.before, c.after) for c in result.changes}
    assert moved == {
        ("HS-2026-0003", Decimal("850.00"), Level.relative, Level.deep),
        ("HS-2026-0007", Decimal("899.99"), Level.relative, Level.deep),
    }
    assert result.unchanged == 5  # 0001, 0002, 0004, 0006, 0008


def test_lowering_the_standard_drops_files_out_of_the_archive(root: Root):
    plant(root)
    records = store.load(root.path)
    result = impact(records.config, records.case_facts().values(), date(2027, 1, 1),
                    Decimal("750.00"))
    moves = {c.case.id: c.move for c in result.changes}
    # relative below 1,500 now: 1,599.99 falls out; deep below 750: 700 stays deep.
    assert moves == {"HS-2026-0006": "falls_out"}


def test_cli_names_them_before_the_change(root: Root):
    plant(root)
    before = root.read("hardship.yaml")
    result = hardship("--root", root.path, "standards", "impact", "--from", "2027-01-01",
                      "--monthly", "900", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert [(c["case"], c["per_capita"], c["move"]) for c in doc["changes"]] == [
        ("HS-2026-0003", "850.00", "relative_to_deep"),
        ("HS-2026-0007", "899.99", "relative_to_deep"),
    ]
    assert root.read("hardship.yaml") == before


def test_standard_already_in_the_configuration(root: Root):
    plant(root)
    root.replace("hardship.yaml", "    monthly: 800.00\n",
                 "    monthly: 800.00\n  - from: 2027-01-01\n    monthly: 900.00\n")
    result = hardship("--root", root.path, "standards", "impact", "--from", "2027-01-01",
                      "--format", "json")
    assert result.code == 0, result.err
    assert [c["case"] for c in json.loads(result.out)["changes"]] == [
        "HS-2026-0003", "HS-2026-0007"]
    missing = hardship("--root", root.path, "standards", "impact", "--from", "2027-02-01")
    assert missing.code == 2
    assert "hardship.yaml has no standard starting on 2027-02-01" in missing.err


def test_bad_figures_are_usage_errors(root: Root):
    result = hardship("--root", root.path, "standards", "impact", "--from", "2027-01-01",
                      "--monthly", "-5")
    assert result.code == 2
    assert "money must not be negative" in result.err


def test_mismatch_with_the_standard_in_force_today(root: Root):
    plant(root)
    root.replace("hardship.yaml", "    monthly: 800.00\n",
                 "    monthly: 800.00\n  - from: 2027-01-01\n    monthly: 900.00\n")
    records = store.load(root.path)
    cases = list(records.case_facts().values())
    assert mismatches_today(records.config, cases, date(2026, 12, 31)) == []
    later = mismatches_today(records.config, cases, date(2027, 1, 2))
    assert [(c.case.id, c.after) for c in later] == [
        ("HS-2026-0003", Level.deep), ("HS-2026-0007", Level.deep)]


def test_recurring_help_from_a_referral_counts_as_income(root: Root):
    root.replace(CASE, "review_due:", """referrals:
  - to: civil_affairs
    body: 某县民政局
    purpose: 申请低保
    sent: {by: 李明, on: 2026-02-01}
    status: helped
    answered: {on: 2026-03-01, note: 批准低保}
    monthly_income: 300.00
review_due:""")
    records = store.load(root.path)
    assert records.problems == []
    case = records.cases["HS-2026-0001"]
    # (2,100 + 300 - 600) / 3
    assert case.per_capita_monthly == Decimal("600.00")
    assert case.referral_income_monthly == Decimal("300.00")
