"""hardship add: file a case, propose a grant, open a drive, record a donation or a visit.

Thin: each command reads its options (or, on a terminal, asks for what is missing), calls
one function of the core (`adding`, with `intake`), and prints what was done. The flags of
case, grant, campaign and visit are made from intake's fields.
"""

from __future__ import annotations

import inspect
import sys
from typing import Annotated, Any

import typer

from hardship_cli.cli.common import (
    AsOption,
    NoCommitOption,
    OnOption,
    TodayOption,
    action_days,
    interactive,
    say_done,
    say_notes,
    state,
    who_acts,
)
from hardship_cli.cli.prompts import ask, prompt_missing
from hardship_cli.cli.referral_cmd import add_referral
from hardship_cli.problems import printable

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


def _add(ctx: typer.Context, kind: str, options: dict[str, Any]) -> None:
    from hardship_cli.casework import adding

    st = state(ctx)
    by = who_acts(options.pop("as_name"))
    day, today = action_days(options.pop("on"), options.pop("today"))
    commit = not options.pop("no_commit")
    values = dict(options)
    values["_by"] = by
    prompt_missing(kind, values, day, ctx)
    values.pop("_by")
    done = adding.add(st.root, kind, values, by, day, today, commit)
    print(done.outcome.record_id)
    print(printable(done.outcome.subject), file=sys.stderr)
    say_notes(done)


def _field_parameters(kind: str) -> list[inspect.Parameter]:
    """A keyword option for each of intake's fields of `kind`, its help made from the field."""
    from hardship_cli.casework import intake

    params = []
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
    return params


def _make_add_command(kind: str) -> Any:
    """The `add KIND` command: intake's fields as flags, then --as, --on, --today,
    --no-commit."""

    def command(ctx: typer.Context, **options: Any) -> None:
        _add(ctx, kind, options)

    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    params.extend(_field_parameters(kind))
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
    from hardship_cli.casework import adding, intake

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)
    values: dict[str, Any] = {"donor": donor, "amount": amount}
    if interactive():
        for field in intake.DONATION_FIELDS:
            if not values.get(field.name):
                ask(field, values)
    done = adding.donate(st.root, campaign, values, anonymous, by, day, now, not no_commit)
    say_done(done)


def register(app: typer.Typer) -> None:
    add_app = typer.Typer(
        help="File a case, propose help, open a donation drive, record a donation or a visit.",
        no_args_is_help=True,
    )
    add_app.command("referral")(add_referral)
    for kind in ("case", "grant", "campaign"):
        add_app.command(kind)(_make_add_command(kind))
    add_app.command("donation")(donation)
    add_app.command("visit")(_make_add_command("visit"))
    app.add_typer(add_app, name="add")
