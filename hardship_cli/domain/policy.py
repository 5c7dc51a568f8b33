"""The policy facts that validate and the casework share: who does casework and who
approves, separation of duties, the roles an amount still needs, filing before help,
the notice's working days, and when a file is due for review (动态管理).

Each fact is defined here once: `rules/` judges the records with these functions, and
the transitions of `casework/` decide with the same ones, so that what an action lets
through validate never reports.
"""

from __future__ import annotations

from datetime import date, timedelta

from hardship_cli.domain import workdays
from hardship_cli.domain.case import active_since, was_active_on
from hardship_cli.domain.model import (
    Case,
    CaseFacts,
    Config,
    Decision,
    Grant,
    GrantFacts,
    GrantKind,
    Role,
)
from hardship_cli.domain.vocabulary import label
from hardship_cli.domain.wording import either, listed
from hardship_cli.i18n import _
from hardship_cli.problems import Refused

# Who does casework (files, checks, notices, records objections and visits).
CASEWORK_ROLES = (Role.officer, Role.chair, Role.leader)


# ---------------------------------------------------------------------------------------
# Separation of duties and approvals


def own_record(record: Case | Grant | GrantFacts, name: str) -> bool:
    """Separation of duties: the person who filed a case or proposed a grant."""
    if isinstance(record, Case):
        return name == record.filed.by
    if isinstance(record, GrantFacts):
        return name == record.proposed_by
    return name == record.proposed.by


def roles_missing(config: Config, grant: Grant | GrantFacts) -> list[Role]:
    """The roles the policy requires at this amount that no valid approval covers yet.

    An approval counts for a role when its author holds that role in hardship.yaml (and
    signed in it, when the step names a role), and did not propose the grant.
    """
    required = config.roles_required(grant.amount)
    have = {
        role
        for s in grant.approvals
        if s.decision == Decision.approved and not own_record(grant, s.by)
        for role in config.roles_of(s.by)
        if s.role is None or s.role == role
    }
    return [r for r in required if r not in have]


def top_role(config: Config) -> Role:
    """The highest role in the policy: the last role of its last threshold. Only an
    approver with this role may pass a grant over a budget line or a cap."""
    return config.policy.thresholds[-1].roles[-1]


def case_approvers(config: Config) -> tuple[Role, ...]:
    """The roles that approve (or reject) a case into the archive (policy.case_approvers)."""
    return tuple(config.policy.case_approvers)


# ---------------------------------------------------------------------------------------
# Who is acting


def acting_roles(config: Config, name: str) -> set[Role]:
    """The roles `name` holds in hardship.yaml; refused when they are not an officer."""
    roles = config.roles_of(name)
    if not roles:
        names = listed(sorted({o.name for o in config.officers}))
        raise Refused(
            _("{name} is not an officer in hardship.yaml").format(name=name),
            _("officers are: {names}; add them to `officers` in hardship.yaml").format(names=names),
        )
    return roles


def acting_as(config: Config, name: str, allowed: tuple[Role, ...], what: str) -> Role:
    """The first of the `allowed` roles that `name` holds; refused when they hold none.
    `what` names the action in the terminal's language (`_("checking {case}")`)."""
    roles = acting_roles(config, name)
    for role in allowed:
        if role in roles:
            return role
    has = listed(label("role", r.value) for r in sorted(roles))
    need = either(label("role", r.value) for r in allowed)
    raise Refused(
        _("{what} needs an officer with role {need}; {name} is {has}").format(
            what=what, need=need, name=name, has=has
        )
    )


# ---------------------------------------------------------------------------------------
# Filing before help


def filing_problem(config: Config, case: Case, kind: GrantKind, proposed_on: date) -> str | None:
    """先建档、后帮扶: why help of `kind` proposed on `proposed_on` may not go to `case`,
    or None when it may.

    Help goes to a household whose file was approved (active) on the day the help was
    proposed; emergency relief may go to a case still in intake when the policy says so.
    """
    if kind == GrantKind.emergency and config.policy.emergency_before_active:
        return None
    if was_active_on(case, proposed_on):
        return None
    since = active_since(case)
    # A clause the callers put in their sentence ("..., but {when}; ...").
    if since and case.closed is not None and proposed_on > case.closed.on:
        return _("its file was closed on {date}").format(date=case.closed.on)
    if since:
        return _("its file was approved on {date}").format(date=since)
    return _("its file was never approved")


# ---------------------------------------------------------------------------------------
# The notice (公示) and its working days


def notice_ended(case: Case, day: date) -> bool:
    """Is the public notice over on `day` (the day after its last day, or later)?"""
    return case.notice is not None and day > case.notice.until


def is_working_day(config: Config, day: date) -> bool:
    """A working day: hardship.yaml's workdays and holidays, then the official calendar
    (domain/workdays.py), then Monday to Friday."""
    return workdays.is_working_day(config, day)


def notice_until(config: Config, start: date, days: int | None = None) -> date:
    """The last day of a notice that starts on `start` and lasts `days` working days
    (policy.notice_days): weekends and holidays do not count, adjusted workdays do."""
    count = config.policy.notice_days if days is None else days
    day = start
    counted = 0
    while True:
        if is_working_day(config, day):
            counted += 1
            if counted >= count:
                return day
        day += timedelta(days=1)


# ---------------------------------------------------------------------------------------
# Reviews (动态管理): each active file is reviewed at least once a cycle


def review_due_from(day: date, cycle_days: int) -> date:
    """The next review of a file approved or reviewed on `day`: one review cycle
    (policy.review_cycle_days) later."""
    return day + timedelta(days=cycle_days)


def review_due_on(case: Case | CaseFacts, cycle_days: int) -> date | None:
    """When a file is due for review: the date it records (`review_due`, set by its
    approval and by each review), else one cycle after it was approved into the archive;
    None for a file never approved. Validate, the agenda and the reports all ask here."""
    if case.review_due is not None:
        return case.review_due
    since = case.since if isinstance(case, CaseFacts) else active_since(case)
    return review_due_from(since, cycle_days) if since is not None else None
