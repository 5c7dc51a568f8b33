"""What waits for whom in the casework (`hardship review list`): each case or grant that
a step would move on, who may take it, since when, and what blocks it (a notice running,
an objection open)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from hardship_cli.domain.case import open_objections
from hardship_cli.domain.model import (
    Case,
    CaseStatus,
    Config,
    Grant,
    GrantFacts,
    GrantStatus,
    Role,
)
from hardship_cli.domain.money import yuan
from hardship_cli.domain.policy import (
    CASEWORK_ROLES,
    case_approvers,
    notice_ended,
    own_record,
    roles_missing,
)
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _, ngettext

# The statuses of a case in intake: the only cases that wait for a step.
CASE_INTAKE = frozenset({CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice})


@dataclass(frozen=True)
class Waiting:
    record: str
    kind: str  # case | grant
    status: str
    roles: list[str]  # who may act next
    since: date
    days: int
    action: str  # the command that moves it on
    note: str
    blocked: str = ""  # why nobody can act yet (notice running, objection open)

    @property
    def any_one(self) -> bool:
        """Whether one of the roles is enough (a case: casework, or one case approver);
        a proposed grant waits for each role the policy asks and has not yet had."""
        return self.kind == "case"

    def to_json(self) -> dict[str, object]:
        return {
            "record": self.record,
            "kind": self.kind,
            "status": self.status,
            "waiting_for": self.roles,
            "any_one": self.any_one,
            "since": self.since.isoformat(),
            "days": self.days,
            "action": self.action,
            "note": self.note,
            "blocked": self.blocked or None,
        }


def waiting(
    config: Config,
    cases: Mapping[str, Case],
    grants: Mapping[str, Grant | GrantFacts],
    today: date,
    as_name: str | None = None,
) -> list[Waiting]:
    """Every case and grant that waits for someone, oldest first; with `as_name`, only what
    that person may act on today. `grants`: the grants, or their facts (what the cache
    keeps: a city's 100,000 grants need not be rebuilt to list the few that wait); `cases`:
    at least those in intake (CASE_INTAKE)."""
    items = [
        *(w for case in cases.values() if (w := _case_waits(config, case, today))),
        *(w for grant in grants.values() if (w := _grant_waits(config, grant, today))),
    ]
    if as_name is not None:
        items = [i for i in items if _may_act(config, cases, grants, i, as_name)]
    return sorted(items, key=lambda i: (i.since, i.record))


def _case_waits(config: Config, case: Case, today: date) -> Waiting | None:
    """What a case in intake waits for: its check, its notice, or its approval."""
    casework = [r.value for r in CASEWORK_ROLES]
    if case.status == CaseStatus.applied:
        since = case.filed.on
        return Waiting(
            case.id, "case", "applied", casework, since, (today - since).days,
            "review check", _("home visit and first check"),
        )  # fmt: skip
    if case.status == CaseStatus.checked:
        since = max((s.on for s in case.checks), default=case.filed.on)
        return Waiting(
            case.id, "case", "checked", casework, since, (today - since).days,
            "review notice", _("put it on public notice"),
        )  # fmt: skip
    if case.status == CaseStatus.on_notice and case.notice is not None:
        note, blocked = _notice_state(case, today)
        approvers = [r.value for r in case_approvers(config)]
        since = case.notice.from_
        return Waiting(
            case.id, "case", "on_notice", approvers, since, (today - since).days,
            "review approve", note, blocked,
        )  # fmt: skip
    return None


def _notice_state(case: Case, today: date) -> tuple[str, str]:
    """(note, blocked) of a case on notice: when its notice ends, its open objections."""
    assert case.notice is not None
    objections = open_objections(case)
    ends = case.notice.until
    running = not notice_ended(case, today)
    left = (ends - today).days
    n = len(objections)
    if running and objections:
        note = ngettext(
            "notice until {until} (ends in {left} day); {n} objection(s) open",
            "notice until {until} (ends in {left} days); {n} objection(s) open",
            left,
        ).format(until=ends, left=left, n=n)
        blocked = _("notice runs until {until}; objection open").format(until=ends)
    elif running:
        note = ngettext(
            "notice until {until} (ends in {left} day)",
            "notice until {until} (ends in {left} days)",
            left,
        ).format(until=ends, left=left)
        blocked = _("notice runs until {until}").format(until=ends)
    elif objections:
        note = _("notice until {until}; {n} objection(s) open").format(until=ends, n=n)
        blocked = _("objection open")
    else:
        note = _("notice until {until}").format(until=ends)
        blocked = ""
    return note, blocked


def _grant_waits(config: Config, grant: Grant | GrantFacts, today: date) -> Waiting | None:
    """What a grant waits for: the approvals the policy still needs, or its payment."""
    what = _("{kind} {amount} for {case}").format(
        kind=label("kind", grant.kind.value), amount=yuan(grant.amount), case=grant.case
    )
    proposed_on = grant.proposed_on if isinstance(grant, GrantFacts) else grant.proposed.on
    last = max((s.on for s in grant.approvals), default=proposed_on)
    days = (today - last).days
    if grant.status == GrantStatus.proposed:
        missing = [r.value for r in roles_missing(config, grant)]
        override_by = (
            grant.override_by
            if isinstance(grant, GrantFacts)
            else grant.override.by
            if grant.override is not None
            else None
        )
        if override_by is not None:
            what = _("{kind} {amount} for {case}; override by {by}").format(
                kind=label("kind", grant.kind.value),
                amount=yuan(grant.amount),
                case=grant.case,
                by=override_by,
            )
        return Waiting(grant.id, "grant", "proposed", missing, last, days, "review approve", what)
    if grant.status == GrantStatus.approved:
        finance = [Role.finance.value]
        return Waiting(grant.id, "grant", "approved", finance, last, days, "pay", what)
    return None


def _may_act(
    config: Config,
    cases: Mapping[str, Case],
    grants: Mapping[str, Grant | GrantFacts],
    item: Waiting,
    name: str,
) -> bool:
    roles = {r.value for r in config.roles_of(name)}
    if item.blocked or not roles & set(item.roles):
        return False
    record = cases[item.record] if item.kind == "case" else grants[item.record]
    if item.action == "review approve" and own_record(record, name):
        return False
    if not isinstance(record, Case) and any(s.by == name for s in record.approvals):
        return item.action == "pay" and "finance" in roles
    return True
