"""hardship summary: the state of the fund at a glance."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Annotated

import typer

from hardship_cli.cli.common import parse_today, state


def summary(
    ctx: typer.Context,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
    ] = None,
) -> None:
    """A short table of the root: households by status and tier, help by status this year.

    Example: hardship --root records summary
    """
    from rich.table import Table

    from hardship_cli.cli.reading import safe_console
    from hardship_cli.domain.money import yuan

    st = state(ctx)
    day = parse_today(today)
    records = st.load()
    console = safe_console()
    org = records.config.organisation.name if records.config else str(st.root)
    cases = Table(title=f"{org}: households", title_justify="left")
    cases.add_column("status")
    for level in ("deep", "relative", "accident"):
        cases.add_column(level, justify="right")
    cases.add_column("total", justify="right")
    by = Counter((c.status.value, c.level.value) for c in records.cases.values())
    for status in ("applied", "checked", "on_notice", "active", "rejected", "closed"):
        row = [by[(status, lv)] for lv in ("deep", "relative", "accident")]
        cases.add_row(status, *(str(n) for n in row), str(sum(row)))
    console.print(cases)
    grants = Table(title=f"help proposed in {day.year}", title_justify="left")
    grants.add_column("status")
    grants.add_column("grants", justify="right")
    grants.add_column("yuan", justify="right")
    count: Counter[str] = Counter()
    amount: dict[str, Decimal] = {}
    for g in records.grants.values():
        if g.year == day.year:
            count[g.status.value] += 1
            amount[g.status.value] = amount.get(g.status.value, Decimal(0)) + g.amount
    for status in ("proposed", "approved", "paid", "rejected", "cancelled"):
        grants.add_row(status, str(count[status]), yuan(amount.get(status, Decimal(0))))
    console.print(grants)


def register(app: typer.Typer) -> None:
    app.command()(summary)
