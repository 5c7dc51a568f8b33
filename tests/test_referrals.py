"""Referrals outward and what came back, through the command line."""

from __future__ import annotations

import pytest

from hardship_cli.load import store
from tests.clirun import hardship
from tests.rootkit import Root

CASE = "HS-2026-0001"


def refer(root: Root, *extra: str):
    return hardship("--root", root.path, "add", "referral", CASE, "--as", "李明", "--to",
                    "civil_affairs", "--body", "某县民政局", "--purpose", "申请低保",
                    "--on", "2026-03-01", "--today", "2026-03-01", "--no-commit", *extra)


def answer(root: Root, *args: str):
    return hardship("--root", root.path, "review", "referral", CASE, *args, "--as", "李明",
                    "--today", "2026-04-01", "--no-commit")


def test_refer_and_record_recurring_help(root: Root):
    result = refer(root)
    assert result.code == 0, result.err
    assert "档案 HS-2026-0001 由李明（工会干事）转介至某县民政局：转介 1" in (
        result.out + result.err)
    result = answer(root, "1", "--status", "helped", "--monthly-income", "300",
                    "--note", "批准低保", "--on", "2026-04-01")
    assert result.code == 0, result.err
    assert "per-capita income is now 600.00 a month (was 500.00)" in result.out + result.err
    case = store.load(root.path).cases[CASE]
    referral = case.referrals[0]
    assert (referral.status.value, str(referral.monthly_income), str(referral.answered.on)) == (
        "helped", "300.00", "2026-04-01")
    assert str(case.per_capita_monthly) == "600.00"
    assert hardship("--root", root.path, "validate", "--today", "2026-04-01").code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["2", "--status", "answered", "--on", "2026-04-01"], 2,
         "HS-2026-0001 has 1 referral(s); there is no referral 2"),
        (["1", "--status", "answered", "--amount", "100", "--on", "2026-04-01"], 2,
         "amounts received go with --status helped"),
        (["1", "--status", "helped", "--on", "2026-04-01"], 2,
         "help received needs --amount (one-off) or --monthly-income (recurring), or both"),
        (["1", "--status", "declined", "--on", "2026-02-01"], 2,
         "the answer on 2026-02-01 is before the referral was sent (2026-03-01)"),
        (["1", "--status", "helped", "--amount", "-5", "--on", "2026-04-01"], 2,
         "--amount: money must not be negative: -5"),
    ],
)
def test_answers_refused_with_the_reason(root: Root, args, code, message):
    assert refer(root).code == 0
    before = root.read(f"cases/{CASE}.yaml")
    result = answer(root, *args)
    assert result.code == code
    assert message in result.err
    assert root.read(f"cases/{CASE}.yaml") == before


def test_a_settled_referral_is_not_answered_twice(root: Root):
    assert refer(root).code == 0
    assert answer(root, "1", "--status", "declined", "--on", "2026-04-01").code == 0
    again = answer(root, "1", "--status", "helped", "--amount", "100", "--on", "2026-04-02")
    assert again.code == 1
    assert "referral 1 of HS-2026-0001 is already declined" in again.err


def test_only_open_files_are_referred(root: Root):
    root.replace(f"cases/{CASE}.yaml", "status: active", "status: closed")
    root.replace(f"cases/{CASE}.yaml", "review_due: 2027-01-20",
                 "closed: {on: 2026-02-28, reason: moved}")
    root.remove("grants/2026/GR-2026-0001.yaml")
    root.replace("campaigns/DC-2026-01.yaml", "beneficiary: HS-2026-0001\n", "")
    result = refer(root)
    assert result.code == 1
    assert "HS-2026-0001 is closed: only an open file is referred" in result.err


def test_monthly_report_lists_open_referrals_and_what_came_back(root: Root):
    assert refer(root).code == 0
    report = hardship("--root", root.path, "report", "monthly", "--month", "2026-03",
                      "--today", "2026-04-02", "--lang", "en").out
    assert "## Referrals" in report
    assert "| 2026-03-01 | HS-2026-0001 \\#1 | 刘建华 | civil affairs | sent |" in report
    assert "申请低保" not in report  # purposes can tell an illness
    assert answer(root, "1", "--status", "helped", "--amount", "2000",
                  "--on", "2026-04-01").code == 0
    report = hardship("--root", root.path, "report", "monthly", "--month", "2026-04",
                      "--today", "2026-05-02", "--lang", "en").out
    assert "| 2026-03-01 | HS-2026-0001 \\#1 | 刘建华 | civil affairs | help received | " \
           "2026-04-01 | 2,000.00 |" in report
    may = hardship("--root", root.path, "report", "monthly", "--month", "2026-05",
                   "--today", "2026-06-02", "--lang", "en").out
    assert "HS-2026-0001 \\#1" not in may


def test_due_lists_unanswered_referrals_and_tiers_that_no_longer_fit(root: Root):
    import json

    assert refer(root).code == 0
    early = json.loads(hardship("--root", root.path, "due", "--today", "2026-03-20",
                                "--format", "json").out)
    assert early["referrals_unanswered"] == []
    late = json.loads(hardship("--root", root.path, "due", "--today", "2026-04-15",
                               "--format", "json").out)
    assert late["referrals_unanswered"] == [
        {"record": CASE, "date": "2026-03-01",
         "note": "referral 1 to 某县民政局 unanswered since 2026-03-01"}]
    assert late["tier_no_longer_fits"] == []
    # A new standard makes the household (500.00 a head) relative no more: still deep.
    # Raise its income instead: 1,000.00 a head is relative under 800.00.
    root.replace(f"cases/{CASE}.yaml", "household_monthly: 2100.00", "household_monthly: 3600.00")
    later = json.loads(hardship("--root", root.path, "due", "--today", "2026-04-15",
                                "--format", "json").out)
    assert [(i["record"], i["note"]) for i in later["tier_no_longer_fits"]] == [
        (CASE, "deep hardship, but per-capita 1,000.00 against today's standard 800.00 is "
               "relative hardship")]
