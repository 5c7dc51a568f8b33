"""Budget lines are not overdrawn, fund sources not overspent and per-case caps are
respected, year by year."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hardship_cli.domain.model import Config, Grant, GrantFacts, GrantKind
from hardship_cli.domain.money import (
    COUNTING,
    ZERO,
    budget_grants,
    cap_limits,
    counts,
    fund_uses_by_year,
    line_uses,
    per_case_year_breach,
    per_grant_breach,
    yuan,
)
from hardship_cli.domain.vocabulary import label
from hardship_cli.domain.wording import listed
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import ERROR, WARNING, Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def budget_lines_not_overdrawn(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    # Grouped by year once: a city union has 100,000 grants over ten years.
    by_year: dict[int, list[GrantFacts]] = defaultdict(list)
    for g in records.grant_facts().values():
        if g.status in COUNTING and g.campaign is None:
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
                        _("{amount} of help ({kind}) was approved in {year}, which has no "
                          "budget").format(
                            amount=yuan(use.used), kind=label("kind", use.kind.value), year=year
                        ),
                        _("write budgets/{year}.yaml with a line for {code}").format(
                            year=year, code=use.kind.value
                        ),
                    )
                )
                continue
            line = (
                src.line("lines", use.kind.value) if use.kind in budget.lines else src.line("lines")
            )
            passed = _overridden(grants, year, use.kind)
            message = _(
                "the budget line for {kind} in {year} is overdrawn: allocated {allocated}, "
                "spent {spent}, committed {committed}, over by {over}"
            ).format(
                kind=label("kind", use.kind.value),
                year=year,
                allocated=yuan(use.allocated),
                spent=yuan(use.spent),
                committed=yuan(use.committed),
                over=yuan(-use.remaining),
            )
            if passed:
                message += _(" (passed by override: {grants})").format(grants=listed(passed))
            problems.append(
                Problem(
                    src.path,
                    line,
                    "budget-overdrawn",
                    message,
                    _("raise the line (from the reserve) or cancel approved help"),
                    WARNING if passed else ERROR,
                )
            )
    return problems


def _overridden(grants: list[GrantFacts], year: int, kind: GrantKind) -> list[str]:
    return sorted(
        g.id for g in budget_grants(grants, year) if g.kind == kind and g.override_by is not None
    )


def caps_respected(records: Records, config: Config, today: date) -> list[Problem]:
    """The caps of each kind of help (per grant, per household a year), as approval checks
    them; a grant passed by an override is reported as a warning."""
    problems = caps_per_case_year(records, config, today)
    problems.extend(check_one_by_one(records, records.grants.values(), grant_cap, config))
    return problems


def grant_cap(grant: Grant, src: Source, config: Config) -> list[Problem]:
    """The per-grant cap of one approved or paid grant."""
    if not counts(grant):
        return []
    breach = per_grant_breach(config, grant)
    if breach is None:
        return []
    return [
        Problem(
            src.path,
            src.line("amount"),
            "cap-exceeded",
            breach.message + _passed(grant.override.by if grant.override else None),
            _("lower the amount, or split the help across kinds the rules allow"),
            WARNING if grant.override else ERROR,
        )
    ]


def caps_per_case_year(records: Records, config: Config, today: date) -> list[Problem]:
    """The yearly cap of each kind of help a household may receive (per grant: grant_cap)."""
    problems: list[Problem] = []
    limited = {kind for kind, cap in config.caps.items() if cap.per_case_year is not None}
    if not limited:
        return problems
    # One pass, no sort (a city union counts 80,000 grants): what each household had of
    # each capped kind a year, the year's last grant of it and its first one passed by an
    # override, by (date, id).
    totals: dict[tuple[str, GrantKind, int], Decimal] = {}
    last: dict[tuple[str, GrantKind, int], GrantFacts] = {}
    passed: dict[tuple[str, GrantKind, int], GrantFacts] = {}
    for grant in records.grant_facts().values():
        if grant.status not in COUNTING or grant.kind not in limited:
            continue
        key = (grant.case, grant.kind, grant.year)
        total = totals.get(key)
        if total is None:
            totals[key] = grant.amount
            last[key] = grant
        else:
            totals[key] = total + grant.amount
            latest = last[key]
            if (grant.proposed_on, grant.id) > (latest.proposed_on, latest.id):
                last[key] = grant
        if grant.override_by is not None:
            earliest = passed.get(key)
            if earliest is None or (grant.proposed_on, grant.id) < (
                earliest.proposed_on,
                earliest.id,
            ):
                passed[key] = grant
    limits = {kind: cap_limits(config, kind)[1] for kind in limited}
    over = [key for key, total in totals.items() if total > (limits[key[1]] or ZERO)]
    for key in sorted(over):
        total = totals[key]
        case_id, kind, year = key
        grant = last[key]
        # The year's last grant, counted with every other: the check approval makes.
        if per_case_year_breach(config, grant, total - grant.amount) is None:
            continue
        per_case_year = limits[kind]
        src = records.source(grant.id)
        overridden = passed.get(key)
        problems.append(
            Problem(
                src.path,
                src.line("amount"),
                "cap-exceeded",
                _(
                    "{case} received {amount} of help ({kind}) in {year}, over the cap of "
                    "{cap} a household a year"
                ).format(
                    case=case_id,
                    amount=yuan(total),
                    kind=label("kind", kind.value),
                    year=year,
                    cap=yuan(per_case_year or ZERO),
                )
                + (_passed(overridden.override_by) if overridden else ""),
                _("lower or cancel this grant; the cap is in hardship.yaml under caps"),
                WARNING if overridden else ERROR,
            )
        )
    return problems


def _passed(by: str | None) -> str:
    return _(" (passed by override of {name})").format(name=by) if by else ""


def fund_sources_not_overspent(records: Records, config: Config, today: date) -> list[Problem]:
    """Each fund source of a year's budget (`sources`) gives no more than planned, as
    approval checks it; passed by an override, a warning."""
    problems = []
    planned = {year for year, budget in records.budgets.items() if budget.sources}
    grants = records.grant_facts().values()
    uses = fund_uses_by_year(records.budgets, grants, planned)
    for year, funds in sorted(uses.items()):
        src = records.source(f"budget:{year}")
        for use in funds:
            if not use.overspent or use.planned is None:
                continue
            passed = sorted(
                g.id
                for g in budget_grants(grants, year)
                if g.fund == use.fund and g.override_by is not None
            )
            message = _(
                "the fund source {fund} in {year} is overspent: planned {planned}, spent "
                "{spent}, committed {committed}, over by {over}"
            ).format(
                fund=label("fund", use.fund),
                year=year,
                planned=yuan(use.planned),
                spent=yuan(use.spent),
                committed=yuan(use.committed),
                over=yuan(use.used - use.planned),
            )
            if passed:
                message += _(" (passed by override: {grants})").format(grants=listed(passed))
            problems.append(
                Problem(
                    src.path,
                    src.line("sources", use.fund),
                    "fund-overspent",
                    message,
                    _(
                        "plan more from this source in the budget's sources, or pay the help "
                        "from another source"
                    ),
                    WARNING if passed else ERROR,
                )
            )
    return problems
