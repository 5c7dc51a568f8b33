"""hardship pay / close: pay an approved grant with its voucher; close a case, deciding
what becomes of its grants not yet paid."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hardship_cli.cli.choices import vocabulary_parser
from hardship_cli.cli.common import (
    AsOption,
    CaseArgument,
    GrantArgument,
    NoCommitOption,
    NoteOption,
    OnOption,
    TodayOption,
    act,
    action_days,
    interactive,
    say_done,
    state,
    who_acts,
)
from hardship_cli.cli.prompts import listed
from hardship_cli.domain.vocabulary import codes, label
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError

HELP = {
    "pay": N_(
        "Mark an approved grant paid (finance only), with the voucher that proves it.\n\n"
        "Example: hardship pay GR-2026-0003 --as 赵敏 --voucher 记-2026-031 --on 2026-03-12"
    ),
    "close": N_(
        "Close an active case (随时脱困随时撤档), with the reason. Approved grants not yet "
        "paid need a choice: --cancel-pending, or --keep-payable REASON (finance may still "
        "pay them); without one the closing is refused with the grants listed.\n\n"
        "Example: hardship close HS-2026-0002 --as 李明 --reason out_of_hardship --note '已再就业'"
    ),
}


def pay(
    ctx: typer.Context,
    grant: GrantArgument,
    as_name: AsOption = None,
    voucher: Annotated[
        str | None,
        typer.Option(
            "--voucher",
            help=N_("The payment voucher's reference (required)."),
            metavar=N_("VOUCHER"),
            show_default=False,
        ),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """pay: an approved grant paid, with its voucher (help: HELP)."""
    from hardship_cli.casework import grant_transitions

    if not voucher and interactive():
        voucher = str(typer.prompt(_("voucher reference (--voucher)")))
    act(
        ctx,
        grant,
        as_name,
        on,
        today,
        no_commit,
        None,
        lambda r, g, by, day: grant_transitions.pay_grant(
            r.config, g, r.cases.get(g.case), by, day, voucher
        ),
    )


def close(
    ctx: typer.Context,
    case: CaseArgument,
    as_name: AsOption = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            parser=vocabulary_parser("close_reason"),
            metavar=N_("REASON"),
            help=N_(
                "Why the file is closed (required): out_of_hardship, moved, deceased, "
                "ineligible or other, or its name (已脱困)."
            ),
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    cancel_pending: Annotated[
        bool,
        typer.Option(
            "--cancel-pending",
            help=N_("Cancel the case's approved grants not yet paid (each its own commit)."),
        ),
    ] = False,
    keep_payable: Annotated[
        str | None,
        typer.Option(
            "--keep-payable",
            metavar=N_("TEXT"),
            help=N_(
                "Keep the case's approved, unpaid grants payable after the closing, for "
                "this reason (recorded on the closing)."
            ),
            show_default=False,
        ),
    ] = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """close: an active case closed, with its reason (help: HELP)."""
    from hardship_cli.casework import actions, case_transitions

    if not reason:
        if interactive():
            reason = _ask_reason()
        else:
            raise UsageError(
                _("missing --reason: {choices}").format(choices=_reasons()),
                _("give the code or its name, e.g. --reason out_of_hardship"),
            )
    why = reason
    if actions.kind_of(case) != "case":
        raise UsageError(_("{id} is not a case (HS-...)").format(id=case))
    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)

    def decide(records: Any, record: Any) -> Any:
        return case_transitions.close_case(
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
        say_done(done)


def _reasons() -> str:
    """The reasons of a closing: each code with its word (out_of_hardship (已脱困), ...)."""
    return listed(
        [
            _("{code} ({word})").format(code=code, word=label("close_reason", code))
            for code in codes("close_reason")
        ]
    )


def _ask_reason() -> str:
    """On a terminal: the reason of a closing, asked until it names one (code or word)."""
    parse = vocabulary_parser("close_reason")
    while True:
        answer = str(typer.prompt(_("reason [{choices}]").format(choices=_reasons())))
        try:
            return parse(answer)
        except typer.BadParameter as exc:
            typer.echo(exc.message, err=True)


def register(app: typer.Typer) -> None:
    app.command(help=HELP["pay"])(pay)
    app.command(help=HELP["close"])(close)
