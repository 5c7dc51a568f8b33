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

    def bad(message: str, hint: str, *loc: object, src: Source = src) -> None:
        problems.append(
            Problem(
                src.path, src.line(*loc) if loc else src.line("status"), "status", message, hint
            )
        )

    if status == CaseStatus.applied and case.checks:
        bad(
            f"{case.id} is applied but already has checks",
            "set status: checked (or remove the checks)",
        )
    if status != CaseStatus.applied and status != CaseStatus.rejected and not case.checks:
        bad(
            f"{case.id} is {status.value} but has no check (first check or home visit)",
            "record the check: hardship review check " + case.id,
        )
    if status == CaseStatus.on_notice and case.notice is None:
        bad(
            f"{case.id} is on_notice but has no notice",
            "add notice: {from: DATE, until: DATE}, or run hardship review notice",
        )
    if status == CaseStatus.active:
        since = active_since(case)
        if since is None:
            bad(
                f"{case.id} is active but has no approval",
                "record the approval: hardship review approve " + case.id,
            )
        if case.notice is None:
            bad(
                f"{case.id} is active but was never on public notice",
                "add the notice it had: notice: {from: DATE, until: DATE}",
            )
        elif since is not None and not notice_ended(case, since):
            bad(
                f"{case.id} was approved on {since} before its notice ended on {case.notice.until}",
                "a case is approved only after the public notice has ended",
                "approvals",
            )
        if open_objections(case):
            bad(
                f"{case.id} is active while an objection to it is open",
                "settle the objection (resolved: {by, on}) first",
                "notice",
                "objections",
            )
    if status == CaseStatus.rejected and not any(
        s.decision == Decision.rejected for s in case.approvals
    ):
        bad(
            f"{case.id} is rejected but no step records the rejection",
            "add an approvals step with decision: rejected and a note saying why",
        )
    if status == CaseStatus.closed and case.closed is None:
        bad(
            f"{case.id} is closed but has no closing reason",
            "add closed: {on: DATE, reason: out_of_hardship|moved|deceased|ineligible|other}",
        )
    if status != CaseStatus.closed and case.closed is not None:
        bad(
            f"{case.id} has a closing record but its status is {status.value}",
            "set status: closed, or remove `closed`",
            "closed",
        )
    return problems


def grant_status_consistent(records: Records, config: Config, today: date) -> list[Problem]:
    return check_one_by_one(records, records.grants.values(), grant_status_problems)


def grant_status_problems(grant: Grant, src: Source) -> list[Problem]:
    """The status check of one grant: its status agrees with its steps and dates."""
    problems = []
    status = grant.status
    approved = [s for s in grant.approvals if s.decision == Decision.approved]
    if status in (GrantStatus.approved, GrantStatus.paid) and not approved:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                f"{grant.id} is {status.value} but has no approval",
                "record the approvals: hardship review approve " + grant.id,
            )
        )
    if status == GrantStatus.paid and grant.paid is None:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                f"{grant.id} is paid but has no payment (who, when, voucher)",
                "add paid: {by: NAME, on: DATE, voucher: REF}, or run hardship pay",
            )
        )
    if status != GrantStatus.paid and grant.paid is not None:
        problems.append(
            Problem(
                src.path,
                src.line("paid"),
                "status",
                f"{grant.id} records a payment but its status is {status.value}",
                "set status: paid, or remove `paid`",
            )
        )
    if status in (GrantStatus.rejected, GrantStatus.cancelled) and grant.ended is None:
        problems.append(
            Problem(
                src.path,
                src.line("status"),
                "status",
                f"{grant.id} is {status.value} but does not say who ended it and why",
                "add ended: {by: NAME, on: DATE, reason: ...}",
            )
        )
    if grant.paid is not None and approved and grant.paid.on < max(s.on for s in approved):
        problems.append(
            Problem(
                src.path,
                src.line("paid", "on"),
                "date-order",
                f"{grant.id} was paid on {grant.paid.on}, before it was approved",
                "a grant is paid only after its last approval",
            )
        )
    for index, step in enumerate(grant.approvals):
        if step.on < grant.proposed.on:
            problems.append(
                Problem(
                    src.path,
                    src.line("approvals", index, "on"),
                    "date-order",
                    f"{grant.id} was approved on {step.on}, before it was proposed "
                    f"on {grant.proposed.on}",
                    "correct the date",
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
                    f"{facts.id} ({facts.kind.value}) was proposed on {on} for "
                    f"{case.id}, but {when}",
                    "help goes only to approved files; use kind emergency for urgent relief "
                    "during intake",
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
        hint = (
            f"cancel it (hardship review cancel {grant.id} --as NAME --note REASON), or record "
            f"in {grant.case}'s file closed.keep_payable: {{grants: [{grant.id}], reason: WHY}}"
        )
        if grant.status == GrantStatus.approved:
            problems.append(
                Problem(
                    src.path,
                    src.line("status"),
                    "unpaid-after-closing",
                    f"{grant.id} is approved and unpaid, but {grant.case} was closed on "
                    f"{case.closed_on} without keeping it payable",
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
                    f"{grant.id} was paid on {grant.paid_on}, after {grant.case} was closed on "
                    f"{case.closed_on} without keeping it payable",
                    "a grant of a closed file is paid only when its closing kept it payable",
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
