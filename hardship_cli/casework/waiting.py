"""What waits for whom in the casework (`hardship review list`): each case or grant that
a step would move on, who may take it, since when, and what blocks it (a notice running,
an objection open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hardship_cli.domain.case import open_objections
from hardship_cli.domain.model import Case, CaseStatus, Config, Grant, GrantStatus, Role
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
    cases: dict[str, Case],
    grants: dict[str, Grant],
    today: date,
    as_name: str | None = None,
) -> list[Waiting]:
    """Every case and grant that waits for someone, oldest first; with `as_name`, only what
    that person may act on today."""
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


def _grant_waits(config: Config, grant: Grant, today: date) -> Waiting | None:
    """What a grant waits for: the approvals the policy still needs, or its payment."""
    what = _("{kind} {amount} for {case}").format(
        kind=label("kind", grant.kind.value), amount=yuan(grant.amount), case=grant.case
    )
    last = max((s.on for s in grant.approvals), default=grant.proposed.on)
    days = (today - last).days
    if grant.status == GrantStatus.proposed:
        missing = [r.value for r in roles_missing(config, grant)]
        if grant.override is not None:
            what = _("{kind} {amount} for {case}; override by {by}").format(
                kind=label("kind", grant.kind.value),
                amount=yuan(grant.amount),
                case=grant.case,
                by=grant.override.by,
            )
        return Waiting(grant.id, "grant", "proposed", missing, last, days, "review approve", what)
    if grant.status == GrantStatus.approved:
        finance = [Role.finance.value]
        return Waiting(grant.id, "grant", "approved", finance, last, days, "pay", what)
    return None


def _may_act(
    config: Config,
    cases: dict[str, Case],
    grants: dict[str, Grant],
    item: Waiting,
    name: str,
) -> bool:
    roles = {r.value for r in config.roles_of(name)}
    if item.blocked or not roles & set(item.roles):
        return False
    record: Case | Grant = cases[item.record] if item.kind == "case" else grants[item.record]
    if item.action == "review approve" and own_record(record, name):
        return False
    if isinstance(record, Grant) and any(s.by == name for s in record.approvals):
        return item.action == "pay" and "finance" in roles
    return True
