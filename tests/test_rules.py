"""Every validation rule: the small root passes it, and one planted defect fails it with the
exact message. The rules run in-process, the way `hardship validate` runs them."""

from __future__ import annotations

from datetime import date

from hardship_cli import rules
from hardship_cli.load import store
from hardship_cli.rules import (
    budgets,
    dates,
    duties,
    earmarks,
    households,
    references,
    reviews,
    tiers,
)
from hardship_cli.rules import status as status_rules
from tests.checking import TODAY, found
from tests.rootkit import Root

CASE = "cases/HS-2026-0001.yaml"
GRANT = "grants/2026/GR-2026-0001.yaml"
CAMPAIGN = "campaigns/DC-2026-01.yaml"
VISIT = "visits/2026/VS-2026-0001.yaml"


def run(rule, root: Root, today: date = TODAY):
    records = store.load(root.path)
    assert records.problems == [], records.problems
    assert records.config is not None
    return [(p.path, p.line, p.code, p.severity, p.message) for p in
            rule(records, records.config, today)]


def second_case(root: Root, **changes: str) -> None:
    text = root.read(CASE).replace("HS-2026-0001", "HS-2026-0002")
    for old, new in changes.items():
        text = text.replace(old, new)
    root.write("cases/HS-2026-0002.yaml", text)


def grant(root: Root, number: str, **changes: str) -> str:
    text = root.read(GRANT).replace("GR-2026-0001", f"GR-2026-{number}")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    rel = f"grants/2026/GR-2026-{number}.yaml"
    root.write(rel, text)
    return rel


def test_registry_holds_every_rule():
    assert len(rules.RULES) == len(set(rules.RULES)) == 21


def test_clean_root_passes_every_rule(root: Root):
    for rule in rules.RULES:
        assert run(rule, root) == [], rule.__name__


# --- references -----------------------------------------------------------------------


def test_grant_for_unknown_case(root: Root):
    root.replace(GRANT, "case: HS-2026-0001", "case: HS-2026-0099")
    assert run(references.grant_case_exists, root) == [
        (GRANT, 2, "unknown-case", "error",
         "grant GR-2026-0001 is for case HS-2026-0099, which does not exist")
    ]


def test_campaign_for_unknown_case(root: Root):
    root.replace(CAMPAIGN, "beneficiary: HS-2026-0001", "beneficiary: HS-2026-0042")
    assert run(references.campaign_beneficiary_exists, root) == [
        (CAMPAIGN, 3, "unknown-case", "error",
         "campaign DC-2026-01 is for case HS-2026-0042, which does not exist")
    ]


def test_visit_to_unknown_case(root: Root):
    root.replace(VISIT, "cases: [HS-2026-0001]", "cases: [HS-2026-0001, HS-2026-0077]")
    assert run(references.visit_cases_exist, root) == [
        (VISIT, 5, "unknown-case", "error",
         "visit VS-2026-0001 lists case HS-2026-0077, which does not exist")
    ]


def test_approval_by_someone_not_an_officer(root: Root):
    root.replace(GRANT, "by: 王芳, role: chair", "by: 王小芳, role: chair")
    assert run(references.people_are_officers, root) == [
        (GRANT, 9, "unknown-officer", "error",
         "approval of GR-2026-0001 by 王小芳, who is not an officer in hardship.yaml")
    ]


def test_approval_in_a_role_not_held(root: Root):
    root.replace(GRANT, "by: 王芳, role: chair", "by: 王芳, role: leader")
    assert run(references.people_are_officers, root) == [
        (GRANT, 9, "wrong-role", "error", "王芳 signed as leader, but is chair in hardship.yaml")
    ]


def test_paid_by_someone_not_finance(root: Root):
    root.replace(GRANT, "paid: {by: 赵丽", "paid: {by: 李明")
    assert run(references.people_are_officers, root) == [
        (GRANT, 10, "wrong-role", "error",
         "GR-2026-0001 was marked paid by 李明, who is not a finance officer")
    ]


# --- one household, one file ------------------------------------------------------------


def test_same_employee_filed_twice(root: Root):
    second_case(root, **{'"999101196804121235"': '"999101197001010026"'})
    assert run(households.one_household_one_file, root) == [
        ("cases/HS-2026-0002.yaml", 5, "duplicate-household", "error",
         "HS-2026-0002 and HS-2026-0001 are both open for employee 0371")
    ]


def test_same_id_number_filed_twice(root: Root):
    second_case(root, **{'employee_id: "0371"': 'employee_id: "0999"'})
    result = run(households.one_household_one_file, root)
    assert result == [
        ("cases/HS-2026-0002.yaml", 13, "duplicate-household", "error",
         "HS-2026-0002 and HS-2026-0001 are both open for the same ID number")
    ]


def test_closed_case_does_not_count_as_a_second_file(root: Root):
    second_case(root, **{"status: active": "status: closed",
                         "review_due: 2027-01-20": "closed: {on: 2026-06-01, reason: moved}"})
    assert run(households.one_household_one_file, root) == []


# --- status consistency -----------------------------------------------------------------


def test_active_case_without_approval(root: Root):
    root.replace(CASE, "  - {step: approve, by: 王芳, role: chair, on: 2026-01-20}\n", "")
    root.replace(CASE, "approvals:\n", "approvals: []\n")
    assert run(status_rules.case_status_consistent, root) == [
        (CASE, 2, "status", "error", "HS-2026-0001 is active but has no approval")
    ]


def test_case_approved_before_notice_ended(root: Root):
    root.replace(CASE, "on: 2026-01-20}", "on: 2026-01-15}")
    assert run(status_rules.case_status_consistent, root) == [
        (CASE, 33, "status", "error",
         "HS-2026-0001 was approved on 2026-01-15 before its notice ended on 2026-01-16")
    ]


def test_active_case_with_open_objection(root: Root):
    root.replace(CASE, "until: 2026-01-16}",
                 "until: 2026-01-16, objections: [{by: 陈静, on: 2026-01-13, text: 收入不实}]}")
    assert run(status_rules.case_status_consistent, root) == [
        (CASE, 32, "status", "error", "HS-2026-0001 is active while an objection to it is open")
    ]


def test_closed_case_without_reason(root: Root):
    root.replace(CASE, "status: active", "status: closed")
    assert run(status_rules.case_status_consistent, root) == [
        (CASE, 2, "status", "error", "HS-2026-0001 is closed but has no closing reason")
    ]


def test_approved_grant_without_approvals(root: Root):
    rel = grant(root, "0002", **{"status: paid": "status: approved",
                                 "  - {by: 王芳, role: chair, on: 2026-02-02}\n": "",
                                 "approvals:\n": "approvals: []\n",
                                 "paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}\n": ""})
    assert run(status_rules.grant_status_consistent, root) == [
        (rel, 6, "status", "error", "GR-2026-0002 is approved but has no approval")
    ]


def test_paid_grant_without_payment(root: Root):
    rel = grant(root, "0002", **{"paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}\n": ""})
    assert run(status_rules.grant_status_consistent, root) == [
        (rel, 6, "status", "error",
         "GR-2026-0002 is paid but has no payment (who, when, voucher)")
    ]


def test_paid_before_approved(root: Root):
    root.replace(GRANT, "on: 2026-02-05", "on: 2026-02-01")
    assert run(status_rules.grant_status_consistent, root) == [
        (GRANT, 10, "date-order", "error",
         "GR-2026-0001 was paid on 2026-02-01, before it was approved")
    ]


def test_cancelled_grant_without_reason(root: Root):
    grant(root, "0002", **{"status: paid": "status: cancelled",
                           "paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}\n": ""})
    assert run(status_rules.grant_status_consistent, root) == [
        ("grants/2026/GR-2026-0002.yaml", 6, "status", "error",
         "GR-2026-0002 is cancelled but does not say who ended it and why")
    ]


# --- help only to filed households --------------------------------------------------------


def test_grant_to_a_case_in_intake(root: Root):
    grant(root, "0002", **{"on: 2026-02-01": "on: 2026-01-10",
                           "on: 2026-02-02": "on: 2026-01-21", "on: 2026-02-05": "on: 2026-01-22"})
    assert run(status_rules.grant_help_only_to_filed, root) == [
        ("grants/2026/GR-2026-0002.yaml", 2, "not-filed", "error",
         "GR-2026-0002 (medical relief) was proposed on 2026-01-10 for HS-2026-0001, but its file "
         "was approved on 2026-01-20")
    ]


def test_emergency_relief_may_go_to_a_case_in_intake(root: Root):
    grant(root, "0002", **{"kind: medical": "kind: emergency", "on: 2026-02-01": "on: 2026-01-10",
                           "on: 2026-02-02": "on: 2026-01-21", "on: 2026-02-05": "on: 2026-01-22"})
    assert run(status_rules.grant_help_only_to_filed, root) == []


def test_grant_after_the_file_was_closed(root: Root):
    root.replace(CASE, "status: active", "status: closed")
    root.replace(CASE, "review_due: 2027-01-20",
                 "closed: {on: 2026-01-31, reason: out_of_hardship}")
    assert run(status_rules.grant_help_only_to_filed, root) == [
        (GRANT, 2, "not-filed", "error",
         "GR-2026-0001 (medical relief) was proposed on 2026-02-01 for HS-2026-0001, but its file "
         "was closed on 2026-01-31")
    ]


# --- separation of duties and the policy ---------------------------------------------------


def test_officer_approves_own_proposal(root: Root):
    grant(root, "0002", **{"amount: 1500.00": "amount: 300.00",
                           "by: 王芳, role: chair": "by: 李明, role: officer"})
    assert run(duties.separation_of_duties, root) == [
        ("grants/2026/GR-2026-0002.yaml", 9, "self-approval", "error",
         "李明 approved GR-2026-0002, which they proposed")
    ]


def test_case_approved_by_who_filed_it(root: Root):
    root.replace(CASE, "filed: {by: 李明", "filed: {by: 王芳")
    assert run(duties.separation_of_duties, root) == [
        (CASE, 34, "self-approval", "error", "王芳 approved HS-2026-0001, which they filed")
    ]


def test_large_grant_missing_the_leader(root: Root):
    root.replace(GRANT, "amount: 1500.00", "amount: 2500.00")
    assert run(duties.grant_approvals_cover_policy, root) == [
        (GRANT, 8, "missing-approval", "error",
         "GR-2026-0001 (2,500.00) is paid without the approval of: leader")
    ]


def test_large_grant_with_chair_and_leader(root: Root):
    root.replace(GRANT, "amount: 1500.00", "amount: 2500.00")
    root.replace(GRANT, "on: 2026-02-02}",
                 "on: 2026-02-02}\n  - {by: 张建国, role: leader, on: 2026-02-03}")
    assert run(duties.grant_approvals_cover_policy, root) == []


# --- tiers ------------------------------------------------------------------------------


def test_level_disagrees_with_income(root: Root):
    root.replace(CASE, "household_monthly: 2100.00", "household_monthly: 3600.00")
    assert run(tiers.level_matches_income, root) == [
        (CASE, 24, "tier-mismatch", "warning",
         "HS-2026-0001 is deep hardship, but its per-capita income 1,000.00 against the "
         "standard 800.00 (from 2026-01-01) makes it relative hardship")
    ]


def test_standard_in_force_on_the_filing_date(root: Root):
    # 2,100 - 600 over 3 people = 500 a head; deep under either standard.
    root.replace(CASE, "household_monthly: 2100.00", "household_monthly: 2850.00")
    # 750 a head: deep under 2026's 800, relative under 2025's 700.
    assert run(tiers.level_matches_income, root) == []
    root.replace(CASE, "filed: {by: 李明, on: 2026-01-05}", "filed: {by: 李明, on: 2025-12-20}")
    assert [r[4] for r in run(tiers.level_matches_income, root)] == [
        "HS-2026-0001 is deep hardship, but its per-capita income 750.00 against the standard "
        "700.00 (from 2025-01-01) makes it relative hardship"
    ]


# --- earmarks ---------------------------------------------------------------------------


def test_campaign_money_to_someone_else(root: Root):
    second_case(root, **{'employee_id: "0371"': 'employee_id: "0999"',
                         '"999101196804121235"': '"999101197001010026"'})
    grant(root, "0002", **{"case: HS-2026-0001": "case: HS-2026-0002",
                           "fund: union": "fund: campaign:DC-2026-01",
                           "on: 2026-02-01": "on: 2026-03-05", "on: 2026-02-02": "on: 2026-03-06",
                           "on: 2026-02-05": "on: 2026-03-07"})
    assert run(earmarks.campaign_money_to_beneficiary, root) == [
        ("grants/2026/GR-2026-0002.yaml", 2, "earmark", "error",
         "GR-2026-0002 gives money raised for HS-2026-0001 (DC-2026-01) to HS-2026-0002")
    ]


def test_campaign_spent_beyond_what_it_raised(root: Root):
    grant(root, "0002", **{"fund: union": "fund: campaign:DC-2026-01",
                           "amount: 1500.00": "amount: 2000.00"})
    assert run(earmarks.campaign_not_overspent, root) == []
    grant(root, "0003", **{"fund: union": "fund: campaign:DC-2026-01",
                           "amount: 1500.00": "amount: 1400.00"})
    assert run(earmarks.campaign_not_overspent, root) == [
        ("grants/2026/GR-2026-0003.yaml", 4, "earmark-overspent", "error",
         "grants from DC-2026-01 add up to 3,400.00, more than the 3,300.00 it raised")
    ]


# --- budgets and caps -------------------------------------------------------------------


def test_budget_line_overdrawn(root: Root):
    root.replace("budgets/2026.yaml", "medical: 40000.00", "medical: 1000.00")
    assert run(budgets.budget_lines_not_overdrawn, root) == [
        ("budgets/2026.yaml", 5, "budget-overdrawn", "error",
         "the budget line for medical relief in 2026 is overdrawn: allocated 1,000.00, "
         "spent 1,500.00, committed 0.00, over by 500.00")
    ]


def test_fund_source_overspent(root: Root):
    root.replace("budgets/2026.yaml", "union: 80000.00", "union: 1000.00")
    assert run(budgets.fund_sources_not_overspent, root) == [
        ("budgets/2026.yaml", 9, "fund-overspent", "error",
         "the fund source union budget in 2026 is overspent: planned 1,000.00, spent "
         "1,500.00, committed 0.00, over by 500.00")
    ]
    # Within its plan (1,500.00 planned, 1,500.00 spent), it passes.
    root.replace("budgets/2026.yaml", "union: 1000.00", "union: 1500.00")
    assert run(budgets.fund_sources_not_overspent, root) == []


def test_help_in_a_year_without_budget(root: Root):
    root.remove("budgets/2026.yaml")
    assert run(budgets.budget_lines_not_overdrawn, root) == [
        ("budgets/2026.yaml", None, "no-budget", "error",
         "1,500.00 of help (medical relief) was approved in 2026, which has no budget")
    ]


def test_campaign_grants_do_not_draw_on_the_budget(root: Root):
    root.replace("budgets/2026.yaml", "medical: 40000.00", "medical: 1500.00")
    grant(root, "0002", **{"fund: union": "fund: campaign:DC-2026-01"})
    assert run(budgets.budget_lines_not_overdrawn, root) == []


def test_per_grant_cap(root: Root):
    root.replace("hardship.yaml", "medical: {per_grant: 10000.00", "medical: {per_grant: 1000.00")
    assert run(budgets.caps_respected, root) == [
        (GRANT, 4, "cap-exceeded", "error",
         "GR-2026-0001 gives 1,500.00 of medical relief, over the cap of 1,000.00 a grant")
    ]


def test_per_case_year_cap(root: Root):
    root.replace("hardship.yaml", "per_case_year: 20000.00", "per_case_year: 2500.00")
    grant(root, "0002", **{"on: 2026-02-01": "on: 2026-03-01", "on: 2026-02-02": "on: 2026-03-02",
                           "on: 2026-02-05": "on: 2026-03-05"})
    assert run(budgets.caps_respected, root) == [
        ("grants/2026/GR-2026-0002.yaml", 4, "cap-exceeded", "error",
         "HS-2026-0001 received 3,000.00 of help (medical relief) in 2026, over the cap of "
         "2,500.00 a household a year")
    ]


def test_rejected_grants_use_no_money(root: Root):
    root.replace("hardship.yaml", "per_case_year: 20000.00", "per_case_year: 2500.00")
    grant(root, "0002", **{"status: paid": "status: rejected",
                           "paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}":
                           "ended: {by: 王芳, on: 2026-02-03, reason: 重复申请}"})
    assert run(budgets.caps_respected, root) == []


# --- reviews ------------------------------------------------------------------------------


def test_review_overdue(root: Root):
    assert run(reviews.reviews_not_overdue, root, date(2027, 1, 20)) == []
    assert run(reviews.reviews_not_overdue, root, date(2027, 2, 1)) == [
        (CASE, 35, "review-overdue", "warning",
         "HS-2026-0001 was due for review on 2027-01-20 (12 days ago)")
    ]


def test_review_due_defaults_to_the_cycle(root: Root):
    root.replace(CASE, "review_due: 2027-01-20\n", "")
    assert run(reviews.reviews_not_overdue, root, date(2027, 1, 21)) == [
        (CASE, 2, "review-overdue", "warning",
         "HS-2026-0001 was due for review on 2027-01-20 (1 day ago)")
    ]


def test_found_sorts_by_place(root: Root):
    root.replace(GRANT, "case: HS-2026-0001", "case: HS-2026-0099")
    assert [p[2] for p in found(root)][:1] == ["unknown-case"]


# --- dates ------------------------------------------------------------------------------


def test_step_dated_after_today(root: Root):
    root.replace(GRANT, "on: 2026-02-05, voucher", "on: 2026-12-01, voucher")
    root.replace(CAMPAIGN, "amount: 2000.00, on: 2026-03-03", "amount: 2000.00, on: 2026-12-02")
    assert run(dates.steps_not_after_today, root) == [
        (GRANT, 10, "dated-ahead", "error",
         "GR-2026-0001: `paid.on` is 2026-12-01, after today (2026-11-29)"),
        (CAMPAIGN, 7, "dated-ahead", "error",
         "DC-2026-01: `contributions.1.on` is 2026-12-02, after today (2026-11-29)"),
    ]
    assert run(dates.steps_not_after_today, root, date(2026, 12, 2)) == []


def test_days_ahead_by_design_are_not_steps(root: Root):
    """A notice's end, a review due and a follow-up are ahead by design."""
    root.replace(CASE, "review_due: 2027-01-20", "review_due: 2027-12-31")
    root.replace(VISIT, "findings: 病情稳定", "findings: 病情稳定\nfollow_up: 2027-01-10")
    assert run(dates.steps_not_after_today, root) == []


# --- closing --------------------------------------------------------------------------


def test_help_paid_after_the_closing_without_the_choice(root: Root):
    root.replace(CASE, "status: active", "status: closed")
    root.replace(CASE, "review_due: 2027-01-20", "closed: {on: 2026-02-03, reason: moved}")
    assert run(status_rules.unpaid_help_settled_at_closing, root) == [
        (GRANT, 10, "paid-after-closing", "error",
         "GR-2026-0001 was paid on 2026-02-05, after HS-2026-0001 was closed on 2026-02-03 "
         "without keeping it payable"),
    ]
    root.replace(CASE, "reason: moved}", "reason: moved, keep_payable: {grants: [GR-2026-0001], "
                 "reason: 已签批}}")  # fmt: skip
    assert run(status_rules.unpaid_help_settled_at_closing, root) == []


def test_approved_help_left_unpaid_by_the_closing(root: Root):
    root.replace(CASE, "status: active", "status: closed")
    root.replace(CASE, "review_due: 2027-01-20", "closed: {on: 2026-02-03, reason: moved}")
    root.replace(GRANT, "status: paid", "status: approved")
    root.replace(GRANT, "paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}\n", "")
    assert run(status_rules.unpaid_help_settled_at_closing, root) == [
        (GRANT, 6, "unpaid-after-closing", "error",
         "GR-2026-0001 is approved and unpaid, but HS-2026-0001 was closed on 2026-02-03 "
         "without keeping it payable"),
    ]
