"""hardship review: what waits for whom, and the steps of a case or a grant (check, notice,
object, approve, reject, cancel); `review referral` comes from cli/referral_cmd.py.

Thin: each step names the transition of the core (`casework.case_transitions`,
`casework.grant_transitions`) that it takes; `common.act` loads the record, applies it
and commits.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer

from hardship_cli.cli.common import (
    AsOption,
    CaseArgument,
    GrantArgument,
    NoCommitOption,
    NoteOption,
    OnOption,
    TextOrJsonOption,
    TodayOption,
    act,
    action_days,
    interactive,
    parse_today,
    state,
)
from hardship_cli.cli.console import columns
from hardship_cli.cli.referral_cmd import HELP as REFERRAL_HELP
from hardship_cli.cli.referral_cmd import review_referral
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import N_, _, pgettext
from hardship_cli.problems import UsageError, printable

RecordArgument = Annotated[
    str,
    typer.Argument(
        help=N_("The case (HS-...) or grant (GR-...)."), metavar=N_("RECORD"), show_default=False
    ),
]


def review_check(
    ctx: typer.Context,
    record: CaseArgument,
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review check: the first check of a case, or its yearly review (help: HELP)."""
    from hardship_cli.casework import case_transitions

    act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: case_transitions.check_case(r.config, c, by, day, note),
        None,
    )


def review_notice(
    ctx: typer.Context,
    record: CaseArgument,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review notice: a checked case on public notice (help: HELP)."""
    from hardship_cli.casework import case_transitions

    act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: case_transitions.start_notice(r.config, c, by, day),
        None,
    )


def review_object(
    ctx: typer.Context,
    record: CaseArgument,
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review object: an objection to a case on notice (help: HELP)."""
    from hardship_cli.casework import case_transitions

    act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: case_transitions.object_to_case(r.config, c, by, day, note),
        None,
    )


def review_approve(
    ctx: typer.Context,
    record: RecordArgument,
    as_name: AsOption = None,
    note: NoteOption = None,
    resolve_objection: Annotated[
        bool,
        typer.Option(
            "--resolve-objection",
            help=N_("Settle the open objections (the finding in --note), then approve."),
        ),
    ] = False,
    override: Annotated[
        bool,
        typer.Option(
            "--override",
            help=N_("Pass a budget line or cap (the policy's highest role, with --reason)."),
        ),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help=N_("Why the override is right."),
            metavar=N_("TEXT"),
            show_default=False,
        ),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review approve: a case after its notice, or a grant (help: HELP)."""
    from hardship_cli.casework import case_transitions, grant_transitions

    if reason is not None and not override:
        raise UsageError(_("--reason goes with --override"))
    if override and not (reason and reason.strip()):
        if interactive():
            reason = str(typer.prompt(_("why the override is right (--reason)")))
        else:
            raise UsageError(_("--override needs --reason TEXT: why the override is right"))

    def grant_step(r: Any, g: Any, by: str, day: date) -> Any:
        if resolve_objection:
            raise UsageError(_("--resolve-objection is for a case on notice"))
        return grant_transitions.approve_grant(
            r.config,
            g,
            r.cases.get(g.case),
            list(r.grants.values()),
            r.budgets,
            r.campaigns,
            by,
            day,
            note,
            reason if override else None,
        )

    def case_step(r: Any, c: Any, by: str, day: date) -> Any:
        if override:
            raise UsageError(_("--override is for a grant over its budget line or cap"))
        return case_transitions.approve_case(r.config, c, by, day, note, resolve_objection)

    act(ctx, record, as_name, on, today, no_commit, case_step, grant_step)
    if record.startswith("HS-"):
        from hardship_cli.cli.advise import say_programs

        say_programs(ctx, record, action_days(on, today)[0])


def review_reject(
    ctx: typer.Context,
    record: RecordArgument,
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review reject: a case in intake or a proposed grant (help: HELP)."""
    from hardship_cli.casework import case_transitions, grant_transitions

    act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: case_transitions.reject_case(r.config, c, by, day, note),
        lambda r, g, by, day: grant_transitions.reject_grant(r.config, g, by, day, note),
    )


def review_cancel(
    ctx: typer.Context,
    record: GrantArgument,
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review cancel: withdraw a grant not yet paid (help: HELP)."""
    from hardship_cli.casework import grant_transitions

    act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        None,
        lambda r, g, by, day: grant_transitions.cancel_grant(r.config, g, by, day, note),
    )


def review_list(
    ctx: typer.Context,
    as_name: Annotated[
        str | None,
        typer.Option(
            "--as",
            help=N_("Only what this officer can act on now."),
            metavar=N_("NAME"),
            show_default=False,
        ),
    ] = None,
    format: TextOrJsonOption = "text",
    today: TodayOption = None,
) -> None:
    """review list: what waits, for whom (help: HELP)."""
    from hardship_cli.casework.intake import SPACES
    from hardship_cli.casework.waiting import CASE_INTAKE, waiting

    st = state(ctx)
    now = parse_today(today)
    records = st.load()
    if records.config is None:
        from hardship_cli.problems import ConfigError

        raise ConfigError(_("hardship.yaml has problems"), _("run hardship validate"))
    as_name = as_name.strip(SPACES) if as_name is not None else None  # as every --as
    if as_name is not None and not records.config.roles_of(as_name):
        raise UsageError(_("{name} is not an officer in hardship.yaml").format(name=as_name))
    # The grants' facts, and the cases in intake alone: nothing else is rebuilt.
    in_intake = [c for c, f in records.case_facts().items() if f.status in CASE_INTAKE]
    cases = {cid: case for cid in in_intake if (case := records.case(cid)) is not None}
    items = waiting(records.config, cases, records.grant_facts(), now, as_name)
    if format == "json":
        doc = {"today": now.isoformat(), "as": as_name, "items": [i.to_json() for i in items]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if not items:
        nothing = (
            _("nothing waits for {name}").format(name=as_name) if as_name else _("nothing waits")
        )
        print(printable(nothing), file=sys.stderr)
        return
    rows = [
        (
            i.record,
            label(f"{i.kind}_status", i.status),
            roles_in_words(i.roles, i.any_one),
            str(i.since),
            str(i.days),
            i.action,
            i.note + (_blocked(i.blocked) if i.blocked else ""),
        )
        for i in items
    ]
    header = (_("record"), _("status"), _("waits for"), _("since"), _("days"), _("next"), "")
    print("\n".join(columns(header, rows, right=frozenset({4}))))


def _blocked(reason: str) -> str:
    return "  " + _("[blocked: {reason}]").format(reason=reason)


def roles_in_words(roles: list[str], any_one: bool) -> str:
    """The roles an item waits for, in words: "chair or leader" (any one of them), "chair,
    leader" (each of them)."""
    words = [label("role", role) for role in roles]
    if not words:
        return "-"
    shown = words[0]
    for place, word in enumerate(words[1:], start=2):
        if not any_one:
            shown = _("{first}, {next}").format(first=shown, next=word)
        elif place < len(words):
            # Before the last of several: English says "or" each time, Chinese lists (、).
            shown = pgettext("roles, not the last", "{first} or {next}").format(
                first=shown, next=word
            )
        else:
            shown = _("{first} or {next}").format(first=shown, next=word)
    return shown


HELP = {
    "check": N_(
        "Record the first check and home visit of a case (applied -> checked), or the yearly "
        "review of an active case (sets the next review date).\n\n"
        "Example: hardship review check HS-2026-0001 --as 李明 --note '入户核实，情况属实'"
    ),
    "notice": N_(
        "Put a checked case on public notice (公示) for the policy's notice days, counted in "
        "working days (weekends and hardship.yaml holidays skipped).\n\n"
        "Example: hardship review notice HS-2026-0001 --as 李明 --on 2026-03-02"
    ),
    "object": N_(
        "Record an objection to a case on notice (its text in --note); approval waits until "
        "it is settled.\n\n"
        "Example: hardship review object HS-2026-0001 --as 李明 --note '有职工反映其家庭收入不实'"
    ),
    "approve": N_(
        "Approve a case after its notice, or a grant in a role its amount requires. The "
        "approval that completes a grant checks its budget line and caps.\n\n"
        "Example: hardship review approve GR-2026-0003 --as 王芳"
    ),
    "reject": N_(
        "Reject a case in intake or a proposed grant, with the reason in --note.\n\n"
        "Example: hardship review reject HS-2026-0004 --as 王芳 --note '人均收入高于低保两倍'"
    ),
    "cancel": N_(
        "Withdraw a grant not yet paid (who proposed it, or an approver), with the reason."
        "\n\nExample: hardship review cancel GR-2026-0005 --as 李明 --note '重复申请'"
    ),
    "list": N_(
        "What waits, for whom, for how long; notices ending soon and objections open. A case "
        'waits for any one of its roles ("chair or leader"), a grant for each role its '
        'approvals still need ("chair, leader").\n\n'
        "Example: hardship review list --as 王芳"
    ),
}


def register(app: typer.Typer) -> None:
    review_app = typer.Typer(
        help=N_(
            "What waits for whom; check, notice, approve, reject or object to a case or grant."
        ),
        no_args_is_help=True,
    )
    review_app.command("check", help=HELP["check"])(review_check)
    review_app.command("notice", help=HELP["notice"])(review_notice)
    review_app.command("object", help=HELP["object"])(review_object)
    review_app.command("approve", help=HELP["approve"])(review_approve)
    review_app.command("reject", help=HELP["reject"])(review_reject)
    review_app.command("cancel", help=HELP["cancel"])(review_cancel)
    review_app.command("list", help=HELP["list"])(review_list)
    review_app.command("referral", help=REFERRAL_HELP["review"])(review_referral)
    app.add_typer(review_app, name="review")
