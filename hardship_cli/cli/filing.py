"""hardship add: file a case, propose a grant, open a drive, record a donation or a visit.

Thin: each command reads its options (or, on a terminal, asks for what is missing), calls
one function of the core (`adding`, with `intake`), and prints what was done. The flags of
case, grant, campaign and visit are made from intake's fields.
"""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Annotated, Any

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
from hardship_cli.cli.prompts import ask, choices_of, listed, prompt_missing, read_choice, shown
from hardship_cli.cli.referral_cmd import HELP as REFERRAL_HELP
from hardship_cli.cli.referral_cmd import add_referral
from hardship_cli.i18n import N_, _
from hardship_cli.problems import printable

if TYPE_CHECKING:
    from hardship_cli.casework.intake import Field

HELP = {
    "add": N_("File a case, propose help, open a donation drive, record a donation or a visit."),
    "case": N_(
        "File a household's case (status applied): the worker, the household, income, "
        "level and causes.\n\n"
        "Example: hardship add case --as 李明 --name 张伟 --employee-id 0107 --unit 烟叶站 "
        "--sex male --birth-date 1975-04-02 --employment on_job --household-income 2400 "
        "--level deep --cause serious_illness "
        "--member name=李梅,relation=spouse,monthly_income=1200"
    ),
    "grant": N_(
        "Propose help for a case (status proposed); approvals follow by the policy.\n\n"
        "Example: hardship add grant --as 李明 --case HS-2026-0001 --kind medical "
        "--amount 2000 --fund union --reason '术后自付部分'"
    ),
    "campaign": N_(
        "Open a donation drive (送温暖、献爱心), for a named colleague or the general pool.\n\n"
        "Example: hardship add campaign --as 李明 --title '为张伟献爱心' "
        "--beneficiary HS-2026-0001 --target 5000"
    ),
    "donation": N_(
        "Record a donation to a drive: one contribution appended to the campaign's file.\n\n"
        "Example: hardship add donation DC-2026-01 --as 李明 --donor 赵六 --amount 200"
    ),
    "visit": N_(
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
    values = _codes(kind, dict(options))
    values["_by"] = by
    prompt_missing(kind, values, day, ctx)
    values.pop("_by")
    done = adding.add(st.root, kind, values, by, day, today, commit)
    print(done.outcome.record_id)
    print(printable(done.outcome.subject), file=sys.stderr)
    say_notes(done)
    if kind == "case":
        from hardship_cli.cli.advise import say_programs

        say_programs(ctx, done.outcome.record_id, day)


def _codes(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The values of choice flags as codes where they name one (`--sex 男` is male); any
    other value is passed on as typed, for the record's check to refuse as validate would."""
    from hardship_cli.casework import intake

    for field in intake.FIELDS[kind]:
        value = options.get(field.name)
        if field.choices is None or value is None:
            continue
        if isinstance(value, list):
            options[field.name] = [read_choice(field, v) for v in value]
        else:
            options[field.name] = read_choice(field, value)
    return options


def field_help(field: Field) -> str:
    """The help of a field's flag in the terminal's language: its label, its choices
    (their words beside the codes), whether it repeats, whether it is required."""
    text = _(field.label)
    if field.choices is not None:
        words = [
            code
            if shown(field, code) == code
            else _("{code} ({word})").format(code=code, word=shown(field, code))
            for code in choices_of(field)
        ]
        text = _("{label}; one of: {choices}").format(label=text, choices=listed(words))
    if field.many:
        text = _("{label}; repeat for more").format(label=text)
    if field.required:
        text = _("{label} (required)").format(label=text)
    return text


def _metavar(field: Field) -> str:
    """The metavar of a field's flag, by the kind of value it takes."""
    if field.choices is not None:
        return N_("CODE")
    if "amount" in field.name or "income" in field.name or field.name == "target":
        return N_("AMOUNT")
    if "date" in field.name or field.name == "follow_up":
        return N_("DATE")
    if field.name in ("case", "beneficiary"):
        return N_("CASE")
    if field.name in ("name", "visitor", "donor"):
        return N_("NAME")
    return N_("TEXT")


def _field_parameters(kind: str) -> list[inspect.Parameter]:
    """A keyword option for each of intake's fields of `kind`, its help made from the field
    in the terminal's language (these are made when typer builds the command, after the
    language of the run is chosen)."""
    from hardship_cli.casework import intake

    params = []
    for field in intake.FIELDS[kind]:
        annotation: Any = list[str] | None if field.many else str | None
        option = typer.Option(
            field.flag, help=field_help(field), metavar=_metavar(field), show_default=False
        )
        params.append(
            inspect.Parameter(
                field.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[annotation, option],
            )
        )
    return params


class AddCommand:
    """The `add KIND` command: intake's fields as flags, then --as, --on, --today,
    --no-commit. Its signature, which typer reads for the flags, is made when typer builds
    the command tree (`hardship_cli.cli.main.run`, after the run's language is chosen), so
    that the help of each flag is in that language."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.__name__ = kind
        self.__doc__ = f"add {kind} (help: HELP)."
        self.__annotations__: dict[str, Any] = {}

    def __call__(self, ctx: typer.Context, **options: Any) -> None:
        _add(ctx, self.kind, options)

    @property
    def __signature__(self) -> inspect.Signature:
        params = [
            inspect.Parameter(
                "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
            )
        ]
        params.extend(_field_parameters(self.kind))
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
        return inspect.Signature(params)


def donation(
    ctx: typer.Context,
    campaign: Annotated[
        str,
        typer.Argument(
            help=N_("The campaign (DC-YYYY-NN)."), metavar=N_("CAMPAIGN"), show_default=False
        ),
    ],
    donor: Annotated[
        str | None,
        typer.Option(
            "--donor", help=N_("Who gave (required)."), metavar=N_("NAME"), show_default=False
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", help=N_("Yuan (required)."), metavar=N_("AMOUNT"), show_default=False
        ),
    ] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help=N_("Do not name the donor in reports."))
    ] = False,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """add donation: one contribution to a drive (help: HELP)."""
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
    add_app = typer.Typer(help=HELP["add"], no_args_is_help=True)
    add_app.command("referral", help=REFERRAL_HELP["add"])(add_referral)
    for kind in ("case", "grant", "campaign"):
        add_app.command(kind, help=HELP[kind])(AddCommand(kind))
    add_app.command("donation", help=HELP["donation"])(donation)
    add_app.command("visit", help=HELP["visit"])(AddCommand("visit"))
    app.add_typer(add_app, name="add")
