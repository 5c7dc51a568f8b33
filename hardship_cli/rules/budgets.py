"""Budget lines are not overdrawn and per-case caps are respected, year by year."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ..model import Config, GrantKind
from ..money import ZERO, cap_limits, counts, line_uses, yuan
from ..problems import Problem
from ..store import Records


def budget_lines_not_overdrawn(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    grants = list(records.grants.values())
    years = sorted({g.year for g in grants if counts(g) and g.campaign is None})
    for year in years:
        budget = records.budgets.get(year)
        if budget is None and f"budget:{year}" in records.unloaded:
            continue  # its file is broken, and reported
        src = records.source(f"budget:{year}")
        for use in line_uses(budget, grants, year):
            if not use.overdrawn:
                continue
            if budget is None:
                problems.append(
                    Problem(
                        f"budgets/{year}.yaml",
                        None,
                        "no-budget",
                        f"{yuan(use.used)} of {use.kind.value} help was approved in {year}, "
                        "which has no budget",
                        f"write budgets/{year}.yaml with a line for {use.kind.value}",
                    )
                )
                continue
            line = (
                src.line("lines", use.kind.value) if use.kind in budget.lines else src.line("lines")
            )
            problems.append(
                Problem(
                    src.path,
                    line,
                    "budget-overdrawn",
                    f"budget line {use.kind.value} {year} is overdrawn: allocated "
                    f"{yuan(use.allocated)}, spent {yuan(use.spent)}, committed "
                    f"{yuan(use.committed)}, over by {yuan(-use.remaining)}",
                    "raise the line (from the reserve) or cancel approved help",
                )
            )
    return problems


def caps_respected(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    totals: dict[tuple[str, GrantKind, int], Decimal] = defaultdict(lambda: ZERO)
    last: dict[tuple[str, GrantKind, int], str] = {}
    for grant in sorted(records.grants.values(), key=lambda g: (g.proposed.on, g.id)):
        if not counts(grant):
            continue
        per_grant, _ = cap_limits(config, grant.kind)
        if per_grant is not None and grant.amount > per_grant:
            src = records.source(grant.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("amount"),
                    "cap-exceeded",
                    f"{grant.id} gives {yuan(grant.amount)} of {grant.kind.value} help, over the "
                    f"cap of {yuan(per_grant)} a grant",
                    "lower the amount, or split the help across kinds the rules allow",
                )
            )
        key = (grant.case, grant.kind, grant.year)
        totals[key] += grant.amount
        last[key] = grant.id
    for (case_id, kind, year), total in sorted(totals.items()):
        _, per_case_year = cap_limits(config, kind)
        if per_case_year is not None and total > per_case_year:
            src = records.source(last[(case_id, kind, year)])
            problems.append(
                Problem(
                    src.path,
                    src.line("amount"),
                    "cap-exceeded",
                    f"{case_id} received {yuan(total)} of {kind.value} help in {year}, over the "
                    f"cap of {yuan(per_case_year)} a household a year",
                    "lower or cancel this grant; the cap is in hardship.yaml under caps",
                )
            )
    return problems
