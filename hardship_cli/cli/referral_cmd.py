"""hardship add referral / review referral: cases referred outward and what came back.

The two commands belong to the `add` and `review` groups (cli/filing.py, cli/review.py),
which register them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hardship_cli.cli.choices import vocabulary_parser
from hardship_cli.cli.common import (
    AsOption,
    CaseArgument,
    NoCommitOption,
    NoteOption,
    OnOption,
    TodayOption,
    action_days,
    say_done,
    state,
    who_acts,
)
from hardship_cli.domain.enums import ReferralStatus, ReferralTo
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError

HELP = {
    "add": N_(
        "Refer a case to the city union, civil affairs (民政), a hospital or a school for help "
        "the unit cannot give itself.\n\n"
        "Example: hardship add referral HS-2026-0001 --as 李明 --to civil_affairs "
        "--purpose 申请低保"
    ),
    "review": N_(
        "Record what came back from a referral: an answer, help received (amounts), or a "
        "refusal. Recurring help counts as household income from then on.\n\n"
        "Example: hardship review referral HS-2026-0001 1 --as 李明 --status helped --amount 2000"
    ),
}



def _money(value: str | None, flag: str) -> Any:
    if value is None:
        return None
    from hardship_cli.domain.values import parse_money

    try:
        return parse_money(value)
    except ValueError as exc:
        raise UsageError(_("{flag}: {reason}").format(flag=flag, reason=exc)) from None


def add_referral(
    ctx: typer.Context,
    case: CaseArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            parser=vocabulary_parser("referral_to"),
            metavar=N_("OFFICE"),
            help=N_("Where the case is referred: the code or its name (民政部门, civil_affairs)."),
        ),
    ],
    purpose: Annotated[
        str, typer.Option("--purpose", help=N_("What is asked for."), metavar=N_("TEXT"))
    ],
    body: Annotated[
        str | None,
        typer.Option(
            "--body",
            help=N_("The office, e.g. 某县民政局."),
            metavar=N_("NAME"),
            show_default=False,
        ),
    ] = None,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """add referral: a case referred outward (help: HELP)."""
    from hardship_cli.casework import actions
    from hardship_cli.casework.referrals import refer

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)

    def decide(records: Any, record: Any) -> Any:
        return refer(records.config, record, by, day, ReferralTo(to), purpose, body)

    if actions.kind_of(case) != "case":
        raise UsageError(_("{id} is not a case (HS-...)").format(id=case))
    say_done(actions.change(st.root, case, decide, now, commit=not no_commit))


def review_referral(
    ctx: typer.Context,
    case: CaseArgument,
    number: Annotated[
        int,
        typer.Argument(
            help=N_("Which referral of the case: 1, 2, ..."), metavar=N_("N"), show_default=False
        ),
    ],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            parser=vocabulary_parser("referral_status"),
            metavar=N_("STATUS"),
            help=N_("answered, helped or declined, or its name (已获帮助)."),
        ),
    ],
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help=N_("One-off help received (yuan)."),
            metavar=N_("AMOUNT"),
            show_default=False,
        ),
    ] = None,
    monthly_income: Annotated[
        str | None,
        typer.Option(
            "--monthly-income",
            help=N_("Recurring help received a month (yuan); counts as household income."),
            metavar=N_("AMOUNT"),
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """review referral: what came back from a referral (help: HELP)."""
    from hardship_cli.casework import actions
    from hardship_cli.casework.referrals import record_answer

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)
    once = _money(amount, "--amount")
    monthly = _money(monthly_income, "--monthly-income")

    def decide(records: Any, record: Any) -> Any:
        return record_answer(
            records.config, record, number, by, day, ReferralStatus(status), note, once, monthly
        )

    if actions.kind_of(case) != "case":
        raise UsageError(_("{id} is not a case (HS-...)").format(id=case))
    say_done(actions.change(st.root, case, decide, now, commit=not no_commit))
