"""hardship summary: the state of the fund at a glance."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import typer

from hardship_cli.cli.common import TodayOption, parse_today, state
from hardship_cli.i18n import N_, _

HELP = N_(
    "A short table of the root: households by status and tier, help by status this year."
    "\n\n"
    "Example: hardship --root records summary"
)

TIERS = ("deep", "relative", "accident")
CASE_STATUSES = ("applied", "checked", "on_notice", "active", "rejected", "closed")
GRANT_STATUSES = ("proposed", "approved", "paid", "rejected", "cancelled")


def summary(ctx: typer.Context, today: TodayOption = None) -> None:
    """The root at a glance (the help is HELP)."""
    from rich.table import Table

    from hardship_cli.cli.reading import safe_console
    from hardship_cli.domain.money import yuan
    from hardship_cli.domain.vocabulary import label
    from hardship_cli.i18n import language
    from hardship_cli.report.labels import label as heading

    lang = language()
    st = state(ctx)
    day = parse_today(today)
    records = st.load()
    console = safe_console()
    org = records.config.organisation.name if records.config else str(st.root)
    cases = Table(title=_("{org}: households").format(org=org), title_justify="left")
    cases.add_column(heading(lang, "col.status"))
    for level in TIERS:
        cases.add_column(label("tier", level), justify="right")
    cases.add_column(heading(lang, "col.total"), justify="right")
    by = Counter((c.status.value, c.level.value) for c in records.cases.values())
    for status in CASE_STATUSES:
        row = [by[(status, lv)] for lv in TIERS]
        cases.add_row(label("case_status", status), *(str(n) for n in row), str(sum(row)))
    console.print(cases)
    grants = Table(title=_("help proposed in {year}").format(year=day.year), title_justify="left")
    grants.add_column(heading(lang, "col.status"))
    grants.add_column(heading(lang, "col.grants"), justify="right")
    grants.add_column(heading(lang, "col.amount"), justify="right")
    count: Counter[str] = Counter()
    amount: dict[str, Decimal] = {}
    for g in records.grants.values():
        if g.year == day.year:
            count[g.status.value] += 1
            amount[g.status.value] = amount.get(g.status.value, Decimal(0)) + g.amount
    for status in GRANT_STATUSES:
        grants.add_row(
            label("grant_status", status),
            str(count[status]),
            yuan(amount.get(status, Decimal(0))),
        )
    console.print(grants)


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(summary)
