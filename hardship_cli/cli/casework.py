"""hardship add / review / pay / close: the casework of the union's officers.

Thin: each command reads its options (or, on a terminal, asks for what is missing), calls
one function of the core (`actions` with `workflow` or `intake`), and prints what was done.
"""

from __future__ import annotations

import inspect
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hardship_cli.problems import UsageError, printable

if TYPE_CHECKING:
    from hardship_cli.casework.actions import Done
    from hardship_cli.casework.intake import Field

add_app = typer.Typer(
    help="File a case, propose help, open a donation drive, record a donation or a visit.",
    no_args_is_help=True,
)
review_app = typer.Typer(
    help="What waits for whom; check, notice, approve, reject or object to a case or grant.",
    no_args_is_help=True,
)

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Who acts: an officer named in hardship.yaml.", show_default=False),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Date of the action (YYYY-MM-DD): today or earlier, not before the step it "
        "follows; default: today.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
]
NoCommitOption = Annotated[
    bool, typer.Option("--no-commit", help="Write the change but do not commit it to git.")
]
NoteOption = Annotated[
    str | None,
    typer.Option(
        "--note", help="A note for the record (the reason, the finding).", show_default=False
    ),
]


# ---------------------------------------------------------------------------------------
# Shared helpers


def interactive() -> bool:
    """Prompts only on a terminal: cron and scripts get a usage error instead."""
    return sys.stdin.isatty()


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value!r} is not a date", "write it as YYYY-MM-DD") from None


def _days(on: str | None, today: str | None) -> tuple[date, date]:
    """(the day of the action, today): --on, else --today, else the calendar."""
    from hardship_cli.cli.main import parse_today

    now = parse_today(today)
    return (_date(on, "--on") or now), now


def _who(as_name: str | None) -> str:
    if as_name:
        return as_name
    if interactive():
        return str(typer.prompt("who acts (--as, an officer in hardship.yaml)"))
    raise UsageError("missing --as NAME: who acts", "name an officer from hardship.yaml")


def _say(done: Done, stdout_line: str | None = None) -> None:
    print(printable(stdout_line or done.outcome.subject))
    _notes(done)


def _notes(done: Done) -> None:
    """What an action adds on stderr; names and values in it shown escaped."""
    for note in done.notes:
        print(printable(note, lines=True), file=sys.stderr)
    if done.commit:
        print(f"committed {done.commit}", file=sys.stderr)


# ---------------------------------------------------------------------------------------
# add


def _ask(field: Field, values: dict[str, Any], suggest: str | None = None) -> None:
    """On a terminal, ask for a missing value, showing the allowed values and default."""
    label = field.label
    if field.choices is not None:
        label += f" [{'|'.join(c.value for c in field.choices)}]"
    default = suggest or field.default
    while True:
        if field.many:
            answer = typer.prompt(
                f"{label} (several: separate with ;)",
                default=default or "",
                show_default=bool(default),
            )
            given: Any = [a.strip() for a in str(answer).split(";") if a.strip()]
        else:
            answer = typer.prompt(
                label,
                default=default if default is not None else "",
                show_default=default is not None,
                hide_input=field.sensitive,
            )
            given = str(answer).strip() or None
        wrong = _not_a_choice(field, given)
        if wrong is None:
            values[field.name] = given
            return
        typer.echo(wrong, err=True)  # and ask again: a typo costs one line, not the form


def _not_a_choice(field: Field, given: Any) -> str | None:
    """Why an answer at the prompt is not one of the field's values, or None."""
    if field.choices is None or not given:
        return None
    import difflib

    allowed = [c.value for c in field.choices]
    for answer in given if isinstance(given, list) else [given]:
        if answer not in allowed:
            close = difflib.get_close_matches(answer, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            return f"{answer!r} is not one of: {', '.join(allowed)}{hint}"
    return None


def _prompt_missing(kind: str, values: dict[str, Any], day: date, ctx: typer.Context) -> None:
    from hardship_cli.casework import intake

    if not interactive():
        return  # draft() refuses with every missing flag named
    for field in intake.FIELDS[kind]:
        if not field.required or values.get(field.name):
            continue
        suggest = None
        if field.name == "level":
            from hardship_cli.cli.main import state
            from hardship_cli.load.files import load_config

            config, _source, _problems = load_config(state(ctx).root)
            if config is not None:
                suggest = intake.suggest_level(config, values, day)
        if field.name == "visitor" and values.get("_by"):
            suggest = values["_by"]
        _ask(field, values, suggest)


def _add(ctx: typer.Context, kind: str, options: dict[str, Any]) -> None:
    from hardship_cli.casework import actions
    from hardship_cli.cli.main import state

    st = state(ctx)
    by = _who(options.pop("as_name"))
    day, today = _days(options.pop("on"), options.pop("today"))
    commit = not options.pop("no_commit")
    values = dict(options)
    values["_by"] = by
    _prompt_missing(kind, values, day, ctx)
    values.pop("_by")
    done = actions.add(st.root, kind, values, by, day, today, commit)
    print(done.outcome.record_id)
    print(printable(done.outcome.subject), file=sys.stderr)
    _notes(done)


_ADD_HELP = {
    "case": (
        "File a household's case (status applied): the worker, the household, income, "
        "level and causes.\n\nExample: hardship add case --as 李明 --name 张伟 "
        "--employee-id 0107 --unit 烟叶站 --sex male --birth-date 1975-04-02 "
        "--employment on_job --household-income 2400 --level deep --cause serious_illness "
        "--member name=李梅,relation=spouse,monthly_income=1200"
    ),
    "grant": (
        "Propose help for a case (status proposed); approvals follow by the policy.\n\n"
        "Example: hardship add grant --as 李明 --case HS-2026-0001 --kind medical "
        "--amount 2000 --fund union --reason '术后自付部分'"
    ),
    "campaign": (
        "Open a donation drive (送温暖、献爱心), for a named colleague or the general pool."
        "\n\nExample: hardship add campaign --as 李明 --title '为张伟献爱心' "
        "--beneficiary HS-2026-0001 --target 5000"
    ),
    "visit": (
        "Record a visit to one or more households (holiday visits, home checks).\n\n"
        "Example: hardship add visit --as 王芳 --occasion spring_festival --visitor 王芳 "
        "--case HS-2026-0001 --case HS-2026-0002 --goods '米面油' --on 2027-01-20"
    ),
}


def _make_add_command(kind: str) -> Any:
    from hardship_cli.casework import intake

    def command(ctx: typer.Context, **options: Any) -> None:
        _add(ctx, kind, options)

    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    for field in intake.FIELDS[kind]:
        text = field.label
        if field.choices is not None:
            text += f"; one of: {', '.join(c.value for c in field.choices)}"
        if field.many:
            text += "; repeat for more"
        if field.required:
            text += " (required)"
        annotation: Any = list[str] | None if field.many else str | None
        params.append(
            inspect.Parameter(
                field.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    annotation, typer.Option(field.flag, help=text, show_default=False)
                ],
            )
        )
    for name, annotation, default in (
        ("as_name", AsOption, None),
        ("on", OnOption, None),
        ("today", TodayOption, None),
        ("no_commit", NoCommitOption, False),
    ):
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {}
    command.__doc__ = _ADD_HELP[kind]
    command.__name__ = kind
    return command


def donation(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(help="The campaign (DC-YYYY-NN).")],
    donor: Annotated[
        str | None, typer.Option("--donor", help="Who gave (required).", show_default=False)
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help="Yuan (required).", show_default=False)
    ] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Do not name the donor in reports.")
    ] = False,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Record a donation to a drive: one contribution appended to the campaign's file.

    Example: hardship add donation DC-2026-01 --as 李明 --donor 赵六 --amount 200
    """
    from hardship_cli.casework import actions, intake
    from hardship_cli.cli.main import state

    st = state(ctx)
    by = _who(as_name)
    day, now = _days(on, today)
    values: dict[str, Any] = {"donor": donor, "amount": amount}
    if interactive():
        for field in intake.DONATION_FIELDS:
            if not values.get(field.name):
                _ask(field, values)
    done = actions.donate(st.root, campaign, values, anonymous, by, day, now, not no_commit)
    _say(done)


# ---------------------------------------------------------------------------------------
# review: the steps of a case or a grant


def _act(
    ctx: typer.Context,
    record_id: str,
    as_name: str | None,
    on: str | None,
    today: str | None,
    no_commit: bool,
    decide_case: Any,
    decide_grant: Any,
) -> None:
    from hardship_cli.casework import actions
    from hardship_cli.cli.main import state

    st = state(ctx)
    by = _who(as_name)
    day, now = _days(on, today)
    kind = actions.kind_of(record_id)
    if kind == "case" and decide_case is not None:

        def decide(records: Any, record: Any) -> Any:
            return decide_case(records, record, by, day)

    elif kind == "grant" and decide_grant is not None:

        def decide(records: Any, record: Any) -> Any:
            return decide_grant(records, record, by, day)

    else:
        what = "a case (HS-...)" if decide_grant is None else "a case or a grant"
        if decide_case is None:
            what = "a grant (GR-...)"
        raise UsageError(f"{record_id} is a {kind}; this step is for {what}")
    done = actions.change(st.root, record_id, decide, now, commit=not no_commit)
    _say(done)


@review_app.command("check")
def review_check(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The case (HS-...).")],
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Record the first check and home visit of a case (applied -> checked), or the yearly
    review of an active case (sets the next review date).

    Example: hardship review check HS-2026-0001 --as 李明 --note '入户核实，情况属实'
    """
    from hardship_cli.casework import transitions as workflow

    _act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: workflow.check_case(r.config, c, by, day, note),
        None,
    )


@review_app.command("notice")
def review_notice(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The case (HS-...).")],
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Put a checked case on public notice (公示) for the policy's notice days, counted in
    working days (weekends and hardship.yaml holidays skipped).

    Example: hardship review notice HS-2026-0001 --as 李明 --on 2026-03-02
    """
    from hardship_cli.casework import transitions as workflow

    _act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: workflow.start_notice(r.config, c, by, day),
        None,
    )


@review_app.command("object")
def review_object(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The case (HS-...).")],
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Record an objection to a case on notice (its text in --note); approval waits until
    it is settled.

    Example: hardship review object HS-2026-0001 --as 李明 --note '有职工反映其家庭收入不实'
    """
    from hardship_cli.casework import transitions as workflow

    _act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: workflow.object_to_case(r.config, c, by, day, note),
        None,
    )


@review_app.command("approve")
def review_approve(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The case (HS-...) or grant (GR-...).")],
    as_name: AsOption = None,
    note: NoteOption = None,
    resolve_objection: Annotated[
        bool,
        typer.Option(
            "--resolve-objection",
            help="Settle the open objections (the finding in --note), then approve.",
        ),
    ] = False,
    override: Annotated[
        bool,
        typer.Option(
            "--override",
            help="Pass a budget line or cap (the policy's highest role, with --reason).",
        ),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the override is right.", show_default=False),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Approve a case after its notice, or a grant in a role its amount requires. The
    approval that completes a grant checks its budget line and caps.

    Example: hardship review approve GR-2026-0003 --as 王芳
    """
    from hardship_cli.casework import transitions as workflow

    if reason is not None and not override:
        raise UsageError("--reason goes with --override")
    if override and not (reason and reason.strip()):
        if interactive():
            reason = str(typer.prompt("why the override is right (--reason)"))
        else:
            raise UsageError("--override needs --reason TEXT: why the override is right")

    def grant_step(r: Any, g: Any, by: str, day: date) -> Any:
        if resolve_objection:
            raise UsageError("--resolve-objection is for a case on notice")
        return workflow.approve_grant(
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
            raise UsageError("--override is for a grant over its budget line or cap")
        return workflow.approve_case(r.config, c, by, day, note, resolve_objection)

    _act(ctx, record, as_name, on, today, no_commit, case_step, grant_step)


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The case (HS-...) or grant (GR-...).")],
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Reject a case in intake or a proposed grant, with the reason in --note.

    Example: hardship review reject HS-2026-0004 --as 王芳 --note '人均收入高于低保两倍'
    """
    from hardship_cli.casework import transitions as workflow

    _act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        lambda r, c, by, day: workflow.reject_case(r.config, c, by, day, note),
        lambda r, g, by, day: workflow.reject_grant(r.config, g, by, day, note),
    )


@review_app.command("cancel")
def review_cancel(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="The grant (GR-...).")],
    as_name: AsOption = None,
    note: NoteOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Withdraw a grant not yet paid (who proposed it, or an approver), with the reason.

    Example: hardship review cancel GR-2026-0005 --as 李明 --note '重复申请'
    """
    from hardship_cli.casework import transitions as workflow

    _act(
        ctx,
        record,
        as_name,
        on,
        today,
        no_commit,
        None,
        lambda r, g, by, day: workflow.cancel_grant(r.config, g, by, day, note),
    )


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    as_name: Annotated[
        str | None,
        typer.Option("--as", help="Only what this officer can act on now.", show_default=False),
    ] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    today: TodayOption = None,
) -> None:
    """What waits, for whom (the roles still needed), for how long; notices ending soon and
    objections open.

    Example: hardship review list --as 王芳
    """
    from hardship_cli.casework.transitions import waiting
    from hardship_cli.cli.main import parse_today, state

    if format not in ("text", "json"):
        raise UsageError(f"--format {format!r}: use text or json")
    st = state(ctx)
    now = parse_today(today)
    records = st.load()
    if records.config is None:
        from hardship_cli.problems import ConfigError

        raise ConfigError("hardship.yaml has problems", "run hardship validate")
    if as_name is not None and not records.config.roles_of(as_name):
        raise UsageError(f"{as_name} is not an officer in hardship.yaml")
    items = waiting(records.config, records.cases, records.grants, now, as_name)
    if format == "json":
        doc = {"today": now.isoformat(), "as": as_name, "items": [i.to_json() for i in items]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if not items:
        print(printable("nothing waits" + (f" for {as_name}" if as_name else "")), file=sys.stderr)
        return
    rows = [
        tuple(
            printable(cell)
            for cell in (
                i.record,
                i.status,
                ", ".join(i.roles) or "-",
                str(i.since),
                str(i.days),
                i.action,
                i.note + (f"  [blocked: {i.blocked}]" if i.blocked else ""),
            )
        )
        for i in items
    ]
    header = ("record", "status", "waits for", "since", "days", "next", "")
    widths = [max(_width(r[n]) for r in [header, *rows]) for n in range(6)]
    for row in [header, *rows]:
        cells = [_pad(row[n], widths[n]) if n != 4 else row[n].rjust(widths[n]) for n in range(6)]
        print("  ".join(cells) + "  " + row[6])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# ---------------------------------------------------------------------------------------
# pay, close


def pay(
    ctx: typer.Context,
    grant: Annotated[str, typer.Argument(help="The grant (GR-...).")],
    as_name: AsOption = None,
    voucher: Annotated[
        str | None,
        typer.Option(
            "--voucher", help="The payment voucher's reference (required).", show_default=False
        ),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Mark an approved grant paid (finance only), with the voucher that proves it.

    Example: hardship pay GR-2026-0003 --as 赵敏 --voucher 记-2026-031 --on 2026-03-12
    """
    from hardship_cli.casework import transitions as workflow

    if not voucher and interactive():
        voucher = str(typer.prompt("voucher reference (--voucher)"))
    _act(
        ctx,
        grant,
        as_name,
        on,
        today,
        no_commit,
        None,
        lambda r, g, by, day: workflow.pay_grant(
            r.config, g, r.cases.get(g.case), by, day, voucher
        ),
    )


def close(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="The case (HS-...).")],
    as_name: AsOption = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="out_of_hardship, moved, deceased, ineligible or other (required).",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    cancel_pending: Annotated[
        bool,
        typer.Option(
            "--cancel-pending",
            help="Cancel the case's approved grants not yet paid (each its own commit).",
        ),
    ] = False,
    keep_payable: Annotated[
        str | None,
        typer.Option(
            "--keep-payable",
            metavar="REASON",
            help="Keep the case's approved, unpaid grants payable after the closing, for "
            "this reason (recorded on the closing).",
            show_default=False,
        ),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Close an active case (随时脱困随时撤档), with the reason. Approved grants not yet
    paid need a choice: --cancel-pending, or --keep-payable REASON (finance may still pay
    them); without one the closing is refused with the grants listed.

    Example: hardship close HS-2026-0002 --as 李明 --reason out_of_hardship --note '已再就业'
    """
    from hardship_cli.casework import actions
    from hardship_cli.casework import transitions as workflow
    from hardship_cli.cli.main import state

    if not reason:
        if interactive():
            reason = str(typer.prompt("reason [out_of_hardship|moved|deceased|ineligible|other]"))
        else:
            raise UsageError(
                "missing --reason: out_of_hardship, moved, deceased, ineligible or other"
            )
    why = reason
    if actions.kind_of(case) != "case":
        raise UsageError(f"{case} is not a case (HS-...)")
    st = state(ctx)
    by = _who(as_name)
    day, now = _days(on, today)

    def decide(records: Any, record: Any) -> Any:
        return workflow.close_case(
            records.config,
            record,
            by,
            day,
            why,
            note,
            records.grants.values(),
            cancel_pending,
            keep_payable,
        )

    for done in actions.change_many(st.root, case, decide, now, commit=not no_commit):
        _say(done)


def register(app: typer.Typer) -> None:
    for kind in ("case", "grant", "campaign"):
        add_app.command(kind)(_make_add_command(kind))
    add_app.command("donation")(donation)
    add_app.command("visit")(_make_add_command("visit"))
    app.add_typer(add_app, name="add")
    app.add_typer(review_app, name="review")
    app.command()(pay)
    app.command()(close)
