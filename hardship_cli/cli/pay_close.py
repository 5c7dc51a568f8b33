"""hardship pay / close: pay an approved grant with its voucher; close a case, deciding
what becomes of its grants not yet paid."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hardship_cli.cli.common import (
    AsOption,
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
from hardship_cli.problems import UsageError


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
    from hardship_cli.casework import grant_transitions

    if not voucher and interactive():
        voucher = str(typer.prompt("voucher reference (--voucher)"))
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
    from hardship_cli.casework import actions, case_transitions

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


def register(app: typer.Typer) -> None:
    app.command()(pay)
    app.command()(close)
