"""Report tables: what the templates, CSV and Excel all draw from, and cells in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hardship_cli.domain.money import yuan
from hardship_cli.load.records import Records
from hardship_cli.report.budgeting import BudgetStatus
from hardship_cli.report.labels import label

if TYPE_CHECKING:
    from hardship_cli.report.stats import Stats

# rows; a longer table may continue on the next printed page (between rows, its headings
# repeated), a shorter one is kept on one page
LONG_TABLE = 10
# columns whose cells no line may break inside: IDs and names (dates and figures by kind);
# in other cells, an ID or a date is kept on one line by itself (render.keep_tokens)
KEEP_COLS = frozenset(("col.case", "col.grant", "col.name", "col.month"))


@dataclass(frozen=True)
class Label:
    """A word to be looked up in the report's language (e.g. the "total" of a table)."""

    key: str


@dataclass
class Col:
    label: str  # label key of the heading
    kind: str = "text"  # text | code | int | money | pct | date
    prefix: str = ""  # for codes: the label namespace, e.g. "tier."

    @property
    def keep(self) -> bool:
        """Whether a cell of this column is printed on one line (an ID, a date, a name)."""
        return self.kind == "date" or self.label in KEEP_COLS


@dataclass
class Table:
    key: str
    title: str  # label key
    cols: list[Col]
    rows: list[list[Any]]
    total: list[Any] | None = None

    @property
    def long(self) -> bool:
        return len(self.rows) > LONG_TABLE


def code_label(prefix: str, code: str, lang: str) -> str:
    if prefix == "fund." and code.startswith("campaign:"):
        return f"{label(lang, 'fund.campaign')} {code.split(':', 1)[1]}"
    if not prefix:
        return code
    key = prefix + code
    text = label(lang, key)
    return code if text == key else text


def cell_text(value: Any, col: Col, lang: str, plain: bool = False) -> str:
    """A cell as text: money as 1,234.50 (plain: 1234.50), codes in words."""
    if value is None:
        return ""
    if isinstance(value, Label):
        return label(lang, value.key)
    if col.kind == "code":
        return code_label(col.prefix, str(value), lang)
    if col.kind == "money" and isinstance(value, Decimal):
        return f"{value:.2f}" if plain else yuan(value)
    if col.kind == "pct" and isinstance(value, Decimal):
        return f"{value}" if plain else f"{value}%"
    if col.kind in ("num", "change") and isinstance(value, Decimal):
        sign = "+" if col.kind == "change" and value > 0 else ""
        return sign + (f"{value:.2f}" if plain else yuan(value))
    if col.kind == "change" and isinstance(value, int):
        return f"{value:+d}" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


FIELD_COLS = {
    "tier": Col("col.tier", "code", "tier."),
    "cause": Col("col.cause", "code", "cause."),
    "unit": Col("col.unit"),
    "kind": Col("col.kind", "code", "kind."),
    "fund": Col("col.fund", "code", "fund."),
    "month": Col("col.month"),
    "sex": Col("field.sex", "code", "sex."),
    "age_band": Col("col.age", "code", "age_band."),
    "employment": Col("field.employment", "code", "employment."),
    "occasion": Col("col.occasion", "code", "occasion."),
    "close_reason": Col("col.reason", "code", "close_reason."),
}


def stats_table(key: str, title: str, result: Stats) -> Table:
    """A `stats.stats` result with one grouping field, as a report table with totals."""
    by = result.by[0]
    first = FIELD_COLS.get(by, Col(f"col.{by}"))
    if by == "status":
        first = Col(
            "col.status", "code", "grant_status." if result.of == "grants" else "case_status."
        )
    if result.of == "grants":
        cols = [
            first,
            Col("col.households", "int"),
            Col("col.grants", "int"),
            Col("col.amount", "money"),
        ]
    else:
        cols = [first, Col("col.households", "int"), Col("col.people", "int")]
    measures = result.measures
    rows = [[r[by], *[r[m] for m in measures]] for r in result.rows]
    total = [Label("col.total"), *[result.total[m] for m in measures]]
    return Table(key, title, cols, rows, total)


def budget_table(status: BudgetStatus) -> Table:
    cols = [
        Col("col.kind", "code", "kind."),
        Col("col.allocated", "money"),
        Col("col.committed", "money"),
        Col("col.spent", "money"),
        Col("col.remaining", "money"),
        Col("col.percent", "pct"),
        Col("col.runs_out", "date"),
        Col("col.mark"),
    ]
    rows = []
    for line in status.lines:
        use = line.use
        mark = (
            Label("mark.overdrawn")
            if line.overdrawn
            else (Label("mark.runs_out") if line.runs_out_early else None)
        )
        rows.append(
            [
                use.kind.value,
                use.allocated,
                use.committed,
                use.spent,
                use.remaining,
                use.percent,
                line.runs_out_on,
                mark,
            ]
        )
    total = [
        Label("col.total"),
        status.allocated,
        status.committed,
        status.spent,
        status.remaining,
        status.percent,
        None,
        None,
    ]
    return Table("budget", "sec.budget", cols, rows, total)


def campaigns_table(status: BudgetStatus, records: Records) -> Table:
    cols = [
        Col("col.campaign"),
        Col("col.beneficiary"),
        Col("col.target", "money"),
        Col("col.raised", "money"),
        Col("col.committed", "money"),
        Col("col.paid", "money"),
        Col("col.balance", "money"),
    ]
    rows = []
    for use in status.campaigns:
        c = use.campaign
        who: Any = Label("general_pool")
        if c.beneficiary:
            case = records.case(c.beneficiary)
            who = f"{c.beneficiary} {case.worker.name}" if case else c.beneficiary
        rows.append(
            [f"{c.id} {c.title}", who, c.target, use.raised, use.committed, use.spent, use.balance]
        )
    zero = Decimal("0.00")
    total = [
        Label("col.total"),
        None,
        None,
        sum((u.raised for u in status.campaigns), zero),
        sum((u.committed for u in status.campaigns), zero),
        sum((u.spent for u in status.campaigns), zero),
        sum((u.balance for u in status.campaigns), zero),
    ]
    return Table("campaigns", "sec.donations", cols, rows, total if rows else None)
