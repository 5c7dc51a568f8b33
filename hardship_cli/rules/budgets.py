"""Budget lines are not overdrawn and per-case caps are respected, year by year."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ..model import Config, Grant, GrantKind
from ..money import (
    ZERO,
    budget_grants,
    cap_limits,
    counts,
    line_uses,
    per_case_year_breach,
    per_grant_breach,
    yuan,
)
from ..problems import ERROR, WARNING, Problem
from ..store import Records


def budget_lines_not_overdrawn(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    # Grouped by year once: a city union has 100,000 grants over ten years.
    by_year: dict[int, list[Grant]] = defaultdict(list)
    for g in records.grants.values():
        if counts(g) and g.campaign is None:
            by_year[g.year].append(g)
    for year in sorted(by_year):
        grants = by_year[year]
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
            passed = _overridden(grants, year, use.kind)
            message = (
                f"budget line {use.kind.value} {year} is overdrawn: allocated "
                f"{yuan(use.allocated)}, spent {yuan(use.spent)}, committed "
                f"{yuan(use.committed)}, over by {yuan(-use.remaining)}"
            )
            if passed:
                message += f" (passed by override: {', '.join(passed)})"
            problems.append(
                Problem(
                    src.path,
                    line,
                    "budget-overdrawn",
                    message,
                    "raise the line (from the reserve) or cancel approved help",
                    WARNING if passed else ERROR,
                )
            )
    return problems


def _overridden(grants: list[Grant], year: int, kind: GrantKind) -> list[str]:
    return sorted(
        g.id for g in budget_grants(grants, year) if g.kind == kind and g.override is not None
    )


def caps_respected(records: Records, config: Config, today: date) -> list[Problem]:
    """The caps of each kind of help (per grant, per household a year), as approval checks
    them; a grant passed by an override is reported as a warning."""
    problems = []
    totals: dict[tuple[str, GrantKind, int], Decimal] = defaultdict(lambda: ZERO)
    last: dict[tuple[str, GrantKind, int], Grant] = {}
    passed: dict[tuple[str, GrantKind, int], Grant] = {}
    capped = {kind for kind, cap in config.caps.items() if cap.per_grant is not None}
    # One pass, no sort (a city union counts 80,000 grants): the year's last grant of a
    # kind for a household, and its first one passed by an override, by (date, id).
    for grant in records.grants.values():
        if not counts(grant):
            continue
        breach = per_grant_breach(config, grant) if grant.kind in capped else None
        if breach is not None:
            src = records.source(grant.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("amount"),
                    "cap-exceeded",
                    breach.message + _passed(grant),
                    "lower the amount, or split the help across kinds the rules allow",
                    WARNING if grant.override else ERROR,
                )
            )
        key = (grant.case, grant.kind, grant.year)
        totals[key] += grant.amount
        order = (grant.proposed.on, grant.id)
        latest = last.get(key)
        if latest is None or order > (latest.proposed.on, latest.id):
            last[key] = grant
        if grant.override is not None:
            earliest = passed.get(key)
            if earliest is None or order < (earliest.proposed.on, earliest.id):
                passed[key] = grant
    for key, total in sorted(totals.items()):
        case_id, kind, year = key
        grant = last[key]
        # The year's last grant, counted with every other: the check approval makes.
        if per_case_year_breach(config, grant, total - grant.amount) is None:
            continue
        _, per_case_year = cap_limits(config, kind)
        src = records.source(grant.id)
        overridden = passed.get(key)
        problems.append(
            Problem(
                src.path,
                src.line("amount"),
                "cap-exceeded",
                f"{case_id} received {yuan(total)} of {kind.value} help in {year}, over the "
                f"cap of {yuan(per_case_year or ZERO)} a household a year"
                + (_passed(overridden) if overridden else ""),
                "lower or cancel this grant; the cap is in hardship.yaml under caps",
                WARNING if overridden else ERROR,
            )
        )
    return problems


def _passed(grant: Grant) -> str:
    return f" (passed by override of {grant.override.by})" if grant.override else ""
