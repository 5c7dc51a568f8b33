"""A record's status agrees with what it holds."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.case import active_since, open_objections
from hardship_cli.domain.model import (
    Case,
    CaseFacts,
    CaseStatus,
    Config,
    Decision,
    Grant,
    GrantKind,
    GrantStatus,
    StepName,
)
from hardship_cli.domain.policy import filing_problem, notice_ended
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def case_status_consistent(records: Records, config: Config, today: date) -> list[Problem]:
    return check_one_by_one(records, records.cases.values(), case_status_problems)


def case_status_problems(case: Case, src: Source) -> list[Problem]:
    """The status check of one case: its status agrees with its steps and dates."""
    problems: list[Problem] = []
    status = case.status
    said = label("case_status", status.value)
    cid = case.id

    def bad(message: str, hint: str, *loc: object, src: Source = src) -> None:
        problems.append(
            Problem(
                src.path, src.line(*loc) if loc else src.line("status"), "status", message, hint
            )
        )

    if status == CaseStatus.applied and case.checks:
        bad(
            _("{id} is {status} but already has checks").format(id=cid, status=said),
            _("set status: checked (or remove the checks)"),
        )
    if status != CaseStatus.applied and status != CaseStatus.rejected and not case.checks:
        bad(
            _("{id} is {status} but has no check (first check or home visit)").format(
                id=cid, status=said
            ),
            _("record the check: hardship review check {id}").format(id=cid),
        )
    if status == CaseStatus.on_notice and case.notice is None:
        bad(
            _("{id} is {status} but has no notice").format(id=cid, status=said),
            _("add notice: {{from: DATE, until: DATE}}, or run hardship review notice").format(),
        )
    if status == CaseStatus.active:
        since = active_since(case)
        if since is None:
            bad(
                _("{id} is {status} but has no approval").format(id=cid, status=said),
                _("record the approval: hardship review approve {id}").format(id=cid),
            )
        if case.notice is None:
            bad(
                _("{id} is {status} but was never on public notice").format(
                    id=cid, status=said
                ),
                _("add the notice it had: notice: {{from: DATE, until: DATE}}").format(),
            )
        elif since is not None and not notice_ended(case, since):
            bad(
                _("{id} was approved on {on} before its notice ended on {until}").format(
                    id=cid, on=since, until=case.notice.until
                ),
                _("a case is approved only after the public notice has ended"),
                "approvals",
            )
        if open_objections(case):
            bad(
                _("{id} is {status} while an objection to it is open").format(
                    id=cid, status=said
                ),
                _("settle the objection (resolved: {{by, on}}) first").format(),
                "notice",
                "objections",
            )
    if status == CaseStatus.rejected and not any(
        s.decision == Decision.rejected for s in case.approvals
    ):
        bad(
            _("{id} is {status} but no step records the rejection").format(
                id=cid, status=said
            ),
            _("add an approvals step with decision: rejected and a note saying why"),
        )
    if status == CaseStatus.closed and case.closed is None:
        bad(
            _("{id} is {status} but has no closing reason").format(id=cid, status=said),
            _(
                "add closed: {{on: DATE, reason: "
                "out_of_hardship|moved|deceased|ineligible|other}}"
            ).format(),
        )
    if status != CaseStatus.closed and case.closed is not None:
        bad(
            _("{id} has a closing record but its status is {status}").format(
                id=cid, status=said
            ),
            _("set status: closed, or remove `closed`"),
            "closed",
        )
    return problems


def grant_status_consistent(records: Records, config: Config, today: date) -> list[Problem]:
    return check_one_by_one(records, records.grants.values(), grant_status_problems)


def grant_status_problems(grant: Grant, src: Source) -> list[Problem]:
    """The status check of one grant: its status agrees with its steps and dates."""
    problems = []
    status = grant.status
    said = label("grant_status", status.value)
    gid = grant.id
    approved = [s for s in grant.approvals if s.decision == Decision.approved]
    if status in (GrantStatus.approved, GrantStatus.paid) and not approved:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                _("{id} is {status} but has no approval").format(id=gid, status=said),
                _("record the approvals: hardship review approve {id}").format(id=gid),
            )
        )
    if status == GrantStatus.paid and grant.paid is None:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                _("{id} is {status} but has no payment (who, when, voucher)").format(
                    id=gid, status=said
                ),
                _("add paid: {{by: NAME, on: DATE, voucher: REF}}, or run hardship pay").format(),
            )
        )
    if status != GrantStatus.paid and grant.paid is not None:
        problems.append(
            Problem(
                src.path,
                src.line("paid"),
                "status",
                _("{id} records a payment but its status is {status}").format(
                    id=gid, status=said
                ),
                _("set status: paid, or remove `paid`"),
            )
        )
    if status in (GrantStatus.rejected, GrantStatus.cancelled) and grant.ended is None:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                _("{id} is {status} but does not say who ended it and why").format(
                    id=gid, status=said
                ),
                _("add ended: {{by: NAME, on: DATE, reason: ...}}").format(),
            )
        )
    if grant.paid is not None and approved and grant.paid.on < max(s.on for s in approved):
        problems.append(
            Problem(
                src.path,
                src.line("paid", "on"),
                "date-order",
                _("{id} was paid on {on}, before it was approved").format(
                    id=gid, on=grant.paid.on
                ),
                _("a grant is paid only after its last approval"),
            )
        )
    for index, step in enumerate(grant.approvals):
        if step.on < grant.proposed.on:
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "on"),
                    "date-order",
                    _("{id} was approved on {on}, before it was proposed on {proposed}").format(
                        id=gid, on=step.on, proposed=grant.proposed.on
                    ),
                    _("correct the date"),
                )
            )
    return problems


def grant_help_only_to_filed(records: Records, config: Config, today: date) -> list[Problem]:
    """先建档、后帮扶: help goes to households whose file was approved (emergency excepted)."""
    problems = []
    emergency_ok = config.policy.emergency_before_active
    # Each case's window of filing: (approved on, last day open or None), or None.
    windows: dict[str, tuple[date, date | None] | None] = {
        key: _filed_window(facts) for key, facts in records.case_facts().items()
    }
    for facts in records.grant_facts().values():
        if facts.status in ENDED:
            continue
        if facts.case not in windows:
            continue  # no such case: reported by references
        window = windows[facts.case]
        if facts.kind == GrantKind.emergency and emergency_ok:
            continue
        on = facts.proposed_on
        if window is not None and window[0] <= on and (window[1] is None or on <= window[1]):
            continue
        case = records.cases[facts.case]
        when = filing_problem(config, case, facts.kind, on)
        if when is not None:
            src = records.source(facts.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("case"),
                    "not-filed",
                    _("{id} ({kind}) was proposed on {on} for {case}, but {reason}").format(
                        id=facts.id,
                        kind=label("kind", facts.kind.value),
                        on=on,
                        case=case.id,
                        reason=when,
                    ),
                    _(
                        "help goes only to approved files; use kind emergency for urgent "
                        "relief during intake"
                    ),
                )
            )
    return problems


ENDED = frozenset({GrantStatus.rejected, GrantStatus.cancelled})


def unpaid_help_settled_at_closing(records: Records, config: Config, today: date) -> list[Problem]:
    """A file is closed with its approved, unpaid grants cancelled or kept payable (with
    the reason, closed.keep_payable); a grant is paid after the closing only when kept."""
    problems = []
    closed = {
        key: facts
        for key, facts in records.case_facts().items()
        if facts.status == CaseStatus.closed and facts.closed_on is not None
    }
    for grant in records.grant_facts().values():
        case = closed.get(grant.case)
        if case is None or case.closed_on is None or grant.id in case.kept_payable:
            continue
        src = records.source(grant.id)
        hint = _(
            "cancel it (hardship review cancel {id} --as NAME --note REASON), or record in "
            "{case}'s file closed.keep_payable: {{grants: [{id}], reason: WHY}}"
        ).format(id=grant.id, case=grant.case)
        if grant.status == GrantStatus.approved:
            problems.append(
                Problem(
                    src.path,
                    src.line("status"),
                    "unpaid-after-closing",
                    _(
                        "{id} is approved and unpaid, but {case} was closed on {on} without "
                        "keeping it payable"
                    ).format(id=grant.id, case=grant.case, on=case.closed_on),
                    hint,
                )
            )
        elif (
            grant.status == GrantStatus.paid
            and grant.paid_on is not None
            and grant.paid_on > case.closed_on
        ):
            problems.append(
                Problem(
                    src.path,
                    src.line("paid", "on"),
                    "paid-after-closing",
                    _(
                        "{id} was paid on {paid}, after {case} was closed on {on} without "
                        "keeping it payable"
                    ).format(id=grant.id, paid=grant.paid_on, case=grant.case, on=case.closed_on),
                    _("a grant of a closed file is paid only when its closing kept it payable"),
                )
            )
    return problems


def _filed_window(case: CaseFacts) -> tuple[date, date | None] | None:
    """The days on which `was_active_on(case, day)` holds: from approval to closing (or
    open-ended); None when there are none (filing_problem then says why)."""
    since = case.since
    if since is None:
        return None
    if case.status == CaseStatus.closed and case.closed_on is not None:
        return since, case.closed_on
    if case.status in (CaseStatus.active, CaseStatus.closed):
        return since, None
    return None


__all__ = [
    "StepName",
    "case_status_consistent",
    "grant_help_only_to_filed",
    "grant_status_consistent",
    "unpaid_help_settled_at_closing",
]
