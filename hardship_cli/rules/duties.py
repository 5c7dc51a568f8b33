"""Separation of duties, and the approvals the policy asks for."""

from __future__ import annotations

from datetime import date

from ..model import Case, Config, Decision, Grant, GrantStatus
from ..problems import Problem
from ..store import Records, Source
from ..workflow import own_record, roles_missing


def separation_of_duties(records: Records, config: Config, today: date) -> list[Problem]:
    """Nobody approves what they filed or proposed."""
    problems = cases_self_approval(records, config, today)
    for grant in records.grants.values():
        problems.extend(grant_self_approval(grant, records.source(grant.id)))
    return problems


def cases_self_approval(records: Records, config: Config, today: date) -> list[Problem]:
    """separation_of_duties for cases (grants: grant_self_approval, one by one)."""
    problems = []
    for case in records.cases.values():
        problems.extend(case_self_approval(case, records.source(case.id)))
    return problems


def case_self_approval(case: Case, src: Source) -> list[Problem]:
    problems = []
    for index, step in enumerate(case.approvals):
        if own_record(case, step.by):
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "by"),
                    "self-approval",
                    f"{step.by} approved {case.id}, which they filed",
                    "another officer of the required role must approve it",
                )
            )
    return problems


def grant_self_approval(grant: Grant, src: Source) -> list[Problem]:
    problems = []
    for index, step in enumerate(grant.approvals):
        if own_record(grant, step.by):
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "by"),
                    "self-approval",
                    f"{step.by} approved {grant.id}, which they proposed",
                    "another officer of the required role must approve it",
                )
            )
    return problems


def grant_approvals_cover_policy(records: Records, config: Config, today: date) -> list[Problem]:
    """An approved or paid grant carries an approval from each role its amount requires."""
    problems = []
    for grant in records.grants.values():
        problems.extend(grant_policy(grant, records.source(grant.id), config))
    return problems


def grant_policy(grant: Grant, src: Source, config: Config) -> list[Problem]:
    if grant.status not in (GrantStatus.approved, GrantStatus.paid):
        return []
    if not any(s.decision == Decision.approved for s in grant.approvals):
        return []  # reported by status
    missing = [r.value for r in roles_missing(config, grant)]
    if not missing:
        return []
    required = config.roles_required(grant.amount)
    return [
        Problem(
            src.path,
            src.line("approvals"),
            "missing-approval",
            f"{grant.id} ({grant.amount:,.2f}) is {grant.status.value} without the "
            f"approval of: {', '.join(missing)}",
            "the policy in hardship.yaml requires "
            f"{' and '.join(r.value for r in required)} at this amount",
        )
    ]
