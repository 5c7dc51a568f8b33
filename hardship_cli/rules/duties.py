"""Separation of duties, and the approvals the policy asks for."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import Case, Config, Decision, Grant, GrantStatus
from hardship_cli.domain.policy import own_record, roles_missing
from hardship_cli.domain.vocabulary import label
from hardship_cli.domain.wording import both, labels, listed
from hardship_cli.i18n import _
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
    for index, step in enumerate(record.approvals):
        if own_record(record, step.by):
            said = (
                _("{name} approved {id}, which they filed")
                if isinstance(record, Case)
                else _("{name} approved {id}, which they proposed")
            )
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "by"),
                    "self-approval",
                    said.format(name=step.by, id=record.id),
                    _("another officer of the required role must approve it"),
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
    missing = labels("role", (r.value for r in roles_missing(config, grant)))
    if not missing:
        return []
    required = config.roles_required(grant.amount)
    return [
        Problem(
            src.path,
            src.line("approvals"),
            "missing-approval",
            _("{id} ({amount}) is {status} without the approval of: {roles}").format(
                id=grant.id,
                amount=f"{grant.amount:,.2f}",
                status=label("grant_status", grant.status.value),
                roles=listed(missing),
            ),
            _("the policy in hardship.yaml requires {roles} at this amount").format(
                roles=both(labels("role", (r.value for r in required)))
            ),
        )
    ]
