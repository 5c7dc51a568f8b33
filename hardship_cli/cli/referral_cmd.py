"""hardship add referral / review referral: cases referred outward and what came back.

The two commands belong to the `add` and `review` groups (cli/filing.py, cli/review.py),
which register them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hardship_cli.cli.choices import vocabulary_parser
from hardship_cli.cli.common import (
    AsOption,
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
from hardship_cli.i18n import N_
from hardship_cli.problems import UsageError


def _money(value: str | None, flag: str) -> Any:
    if value is None:
        return None
    from hardship_cli.domain.values import parse_money

    try:
        return parse_money(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def add_referral(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="The case (HS-...).")],
    to: Annotated[
        str,
        typer.Option(
            "--to", parser=vocabulary_parser("referral_to"), metavar=N_("OFFICE"),
            help=N_("Where the case is referred: the code or its name (民政部门, civil_affairs)."),
        ),
    ],
    purpose: Annotated[str, typer.Option("--purpose", help="What is asked for.")],
    body: Annotated[
        str | None,
        typer.Option("--body", help="The office, e.g. 某县民政局.", show_default=False),
    ] = None,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Refer a case to the city union, civil affairs (民政), a hospital or a school for help
    the unit cannot give itself.

    Example: hardship add referral HS-2026-0001 --as 李明 --to civil_affairs --purpose 申请低保
    """
    from hardship_cli.casework import actions
    from hardship_cli.casework.referrals import refer

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)

    def decide(records: Any, record: Any) -> Any:
        return refer(records.config, record, by, day, ReferralTo(to), purpose, body)

    if actions.kind_of(case) != "case":
        raise UsageError(f"{case} is not a case (HS-...)")
    say_done(actions.change(st.root, case, decide, now, commit=not no_commit))


def review_referral(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="The case (HS-...).")],
    number: Annotated[int, typer.Argument(help="Which referral of the case: 1, 2, ...")],
    status: Annotated[
        ReferralStatus, typer.Option("--status", help="answered, helped or declined.")
    ],
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="One-off help received (yuan).", show_default=False),
    ] = None,
    monthly_income: Annotated[
        str | None,
        typer.Option(
            "--monthly-income",
            help="Recurring help received a month (yuan); counts as household income.",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    as_name: AsOption = None,
    on: OnOption = None,
    today: TodayOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """Record what came back from a referral: an answer, help received (amounts), or a
    refusal. Recurring help counts as household income from then on.

    Example: hardship review referral HS-2026-0001 1 --as 李明 --status helped --amount 2000
    """
    from hardship_cli.casework import actions
    from hardship_cli.casework.referrals import record_answer

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)
    once = _money(amount, "--amount")
    monthly = _money(monthly_income, "--monthly-income")

    def decide(records: Any, record: Any) -> Any:
        return record_answer(records.config, record, number, by, day, status, note, once, monthly)

    if actions.kind_of(case) != "case":
        raise UsageError(f"{case} is not a case (HS-...)")
    say_done(actions.change(st.root, case, decide, now, commit=not no_commit))
