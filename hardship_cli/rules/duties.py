"""Separation of duties, and the approvals the policy asks for."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import Case, Config, Decision, Grant, GrantStatus
from hardship_cli.domain.policy import own_record, roles_missing
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def separation_of_duties(records: Records, config: Config, today: date) -> list[Problem]:
    """Nobody approves what they filed or proposed."""
    return [
        *check_one_by_one(records, records.cases.values(), self_approvals),
        *check_one_by_one(records, records.grants.values(), self_approvals),
    ]


def self_approvals(record: Case | Grant, src: Source) -> list[Problem]:
    """Approvals of a case by whoever filed it, or of a grant by whoever proposed it."""
    problems = []
    did = "filed" if isinstance(record, Case) else "proposed"
    for index, step in enumerate(record.approvals):
        if own_record(record, step.by):
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "by"),
                    "self-approval",
                    f"{step.by} approved {record.id}, which they {did}",
                    "another officer of the required role must approve it",
                )
            )
    return problems


def grant_approvals_cover_policy(records: Records, config: Config, today: date) -> list[Problem]:
    """An approved or paid grant carries an approval from each role its amount requires."""
    return check_one_by_one(records, records.grants.values(), grant_policy, config)


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
