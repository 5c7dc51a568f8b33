"""Validators: plain functions (records, config, today) -> list[Problem], in one registry.

Adding a rule is adding a function here and its two tests: a record that passes and one
that fails with the exact message. `check` runs them in two parts (see ACROSS): a rule
that looks at one case or grant at a time is a per-record check in ``per_record.CHECKS``
(its result is kept in the cache with the record), a rule across records goes in ACROSS
and reads the records' facts; tests/test_incremental.py holds the two to what RULES find.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from hardship_cli.domain.model import Config
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem
from hardship_cli.rules import (
    budgets,
    calendar_known,
    dates,
    duties,
    earmarks,
    households,
    id_numbers,
    per_record,
    references,
    reviews,
    status,
    tiers,
)

Rule = Callable[[Records, Config, date], list[Problem]]

RULES: list[Rule] = [
    references.grant_case_exists,
    references.campaign_beneficiary_exists,
    references.visit_cases_exist,
    references.people_are_officers,
    households.one_household_one_file,
    status.case_status_consistent,
    status.grant_status_consistent,
    status.grant_help_only_to_filed,
    duties.separation_of_duties,
    duties.grant_approvals_cover_policy,
    tiers.level_matches_income,
    id_numbers.id_numbers_check_themselves,
    earmarks.campaign_money_to_beneficiary,
    earmarks.campaign_not_overspent,
    status.unpaid_help_settled_at_closing,
    budgets.budget_lines_not_overdrawn,
    budgets.fund_sources_not_overspent,
    budgets.caps_respected,
    dates.steps_not_after_today,
    reviews.reviews_not_overdue,
    calendar_known.holidays_known,
]


# How `check` runs the same rules: those across records over every record (cases and
# grants as their facts), and the checks of one case or grant on its own once per record
# (``per_record``: kept in the cache).
# Together they find exactly what RULES find (tests/test_rules.py holds them to it).
ACROSS: list[Rule] = [
    references.grant_case_exists,
    references.campaign_beneficiary_exists,
    references.visit_cases_exist,
    references.visitors_are_officers,
    households.one_household_one_file,
    status.grant_help_only_to_filed,
    earmarks.campaign_money_to_beneficiary,
    earmarks.campaign_not_overspent,
    status.unpaid_help_settled_at_closing,
    budgets.budget_lines_not_overdrawn,
    budgets.fund_sources_not_overspent,
    budgets.caps_per_case_year,
    dates.steps_not_after_today,
    reviews.reviews_not_overdue,
    calendar_known.holidays_known,
]


def check(records: Records, today: date) -> list[Problem]:
    """Every problem in a root: those found while loading, then every rule's."""
    problems = list(records.problems)
    config = records.config
    if config is not None:
        for rule in ACROSS:
            problems.extend(rule(records, config, today))
        problems.extend(per_record.problems_of(records, config))
    return sorted(problems, key=Problem.sort_key)
