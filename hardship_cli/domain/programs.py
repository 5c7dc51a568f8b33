"""Programs of help, as dated policy in hardship.yaml: who runs each, the kind of help it
gives, when it is in force and open, how much it gives, and which households qualify.

A program is data, not code: the union writes its own kinds of help, the higher union's
金秋助学, the civil-affairs bureau's 低保, 临时救助 and 医疗救助 and the like into
hardship.yaml, and `hardship advise` tells, for one household on one day, which of them
it qualifies for (rules/advice.py). The conditions come from a fixed vocabulary (the
fields of `Conditions`); a name outside it, or a value of the wrong type, is a problem of
hardship.yaml at its line, like every other record.

```yaml
programs:
  - id: jinqiu                     # letters, digits, - and _; unique
    name: 金秋助学
    runner: higher_union           # union, higher_union, civil_affairs, hospital, school, other
    kind: schooling                # the kind of help (the kinds of grants)
    from: 2025-01-01               # in force from (and `until`, if it ends)
    window: {from: 07-01, until: 09-30}   # optional: the yearly application window
    amount: {up_to: 3000.00}       # fixed, up_to, or share (of the expense) with up_to
    conditions:                    # all must hold; none: every household qualifies
      tier: [deep, relative]
      member: {relation: [child], schooling: [大一]}
```

The conditions (each optional; all that are written must hold):

- `tier`: the household's tier is one of these (deep, relative, accident).
- `primary_cause`: the primary cause of hardship is one of these.
- `any_cause`: the primary or a secondary cause is one of these.
- `employment`: the worker's employment status is one of these.
- `income_below`: the per-capita monthly income (after rigid expenses, with recurring
  help received through referrals) is below this multiple of the standard in force.
- `member`: a member of the household (not the worker) matches every part given:
  `relation` (one of), `age_from` / `age_to` (age on the day, inclusive), `health` (one
  of), `schooling` (words, any of which appears in the member's occupation, e.g.
  `[大一]` or `[大学, 学院]`).
- `medical_expense_above`: the household's monthly rigid expenses
  (`income.rigid_expenses_monthly`: the medical bills and tuition it pays) are above this
  figure. A case records no separate medical figure; this is the one it has.
- `not_received`: `{kind: K, months: N}`: no grant of kind K proposed, approved or paid
  within the N months before the day.
- `no_open_referral`: `true`: no referral for this program is open (sent or answered).
  A referral is for a program when it goes to the program's runner and its purpose names
  the program (its name or its id).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from hardship_cli.domain.enums import Cause, Employment, GrantKind, Health, Level, Relation
from hardship_cli.domain.parts import Record
from hardship_cli.domain.values import Bool, Int, IsoDate, Money, Name, Prose, Text, parse_text
from hardship_cli.i18n import _


class Runner(StrEnum):
    """Who runs a program: the union itself, or someone a case is referred to."""

    union = "union"  # 本单位工会
    higher_union = "higher_union"  # 上级工会
    civil_affairs = "civil_affairs"  # 民政部门
    hospital = "hospital"
    school = "school"
    other = "other"


# Programs run by the union (or paid by it from the higher union's money) are given as
# grants; the others are asked for by a referral.
UNION_RUNNERS = frozenset({Runner.union, Runner.higher_union})

PROGRAM_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MONTH_DAY_RE = re.compile(r"^([0-9]{2})-([0-9]{2})$")


def parse_month_day(value: Any) -> tuple[int, int]:
    """`07-01`: a day of every year (month-day)."""
    if isinstance(value, tuple) and len(value) == 2:  # a model's own value, dumped
        value = month_day_text(value)
    text = parse_text(value).strip()
    found = _MONTH_DAY_RE.match(text)
    if found is None:
        raise ValueError(_("not a month-day (MM-DD, e.g. 07-01): {text}").format(text=repr(text)))
    month, day = int(found.group(1)), int(found.group(2))
    try:
        date(2000, month, day)  # a leap year: 02-29 is a day of the year
    except ValueError:
        raise ValueError(_("no such day of the year: {text}").format(text=text)) from None
    return month, day


def month_day_text(value: tuple[int, int]) -> str:
    return f"{value[0]:02d}-{value[1]:02d}"


MonthDay = Annotated[
    tuple[int, int],
    BeforeValidator(parse_month_day),
    PlainSerializer(month_day_text, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{2}-[0-9]{2}$"}),
]


def parse_program_id(value: Any) -> str:
    text = parse_text(value)
    if not PROGRAM_ID_RE.match(text):
        raise ValueError(
            _("a program's id is lower-case letters, digits, - and _ (e.g. jinqiu): {text}").format(
                text=repr(text)
            )
        )
    return text


ProgramId = Annotated[
    str,
    BeforeValidator(parse_program_id),
    WithJsonSchema({"type": "string", "pattern": PROGRAM_ID_RE.pattern}),
]


def _share(value: Decimal) -> Decimal:
    if not Decimal("0") < value <= Decimal("1"):
        raise ValueError(
            _("a share is more than 0 and at most 1 (0.70 is 70%), not {value}").format(value=value)
        )
    return value


Share = Annotated[Money, AfterValidator(_share)]


class Window(Record):
    """The yearly application window, from one month-day to another (inclusive); a window
    across the new year (12-01 to 02-28) is allowed."""

    from_: MonthDay = Field(alias="from")
    until: MonthDay

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def contains(self, day: date) -> bool:
        here = (day.month, day.day)
        if self.from_ <= self.until:
            return self.from_ <= here <= self.until
        return here >= self.from_ or here <= self.until

    def opens_after(self, day: date) -> date:
        """The next day the window opens, after `day` (when it is closed on `day`)."""
        start = day_in(day.year, self.from_)
        return start if start > day else day_in(day.year + 1, self.from_)

    def season_of(self, day: date) -> tuple[date, date]:
        """The window's latest season that opened on or before `day`: (first, last day)."""
        start = day_in(day.year, self.from_)
        if start > day:
            start = day_in(day.year - 1, self.from_)
        end_year = start.year if self.from_ <= self.until else start.year + 1
        return start, day_in(end_year, self.until)

    def closes_on(self, day: date) -> date:
        """The last day of the window open on `day`."""
        end = day_in(day.year, self.until)
        return end if end >= day else day_in(day.year + 1, self.until)


def day_in(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    if (month, day) == (2, 29):
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


class AmountRule(Record):
    """How much a program gives: a fixed amount, up to an amount, or a share of the
    expense (with an optional ceiling `up_to`)."""

    fixed: Money | None = None
    up_to: Money | None = None
    share: Share | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> AmountRule:
        if self.fixed is not None and (self.up_to is not None or self.share is not None):
            raise ValueError(_("an amount is fixed, up_to, or a share (with up_to): not both"))
        if self.fixed is None and self.up_to is None and self.share is None:
            raise ValueError(_("an amount needs fixed, up_to or share"))
        return self

    @property
    def most(self) -> Decimal | None:
        """The most one grant of the program gives (None: no figure)."""
        return self.fixed if self.fixed is not None else self.up_to


class MemberMatch(Record):
    """A household member with every part given: relation, age, health, schooling."""

    relation: list[Relation] | None = None
    age_from: Int | None = None
    age_to: Int | None = None
    health: list[Health] | None = None
    schooling: list[Annotated[Text, Field(min_length=1)]] | None = None

    @model_validator(mode="after")
    def _something(self) -> MemberMatch:
        if all(
            v is None
            for v in (self.relation, self.age_from, self.age_to, self.health, self.schooling)
        ):
            raise ValueError(
                _("a member condition names relation, age_from, age_to, health or schooling")
            )
        return self


class NotReceived(Record):
    kind: GrantKind
    months: Annotated[Int, Field(ge=1)]


class Conditions(Record):
    """The fixed vocabulary of conditions (see the module's documentation)."""

    tier: list[Level] | None = None
    primary_cause: list[Cause] | None = None
    any_cause: list[Cause] | None = None
    employment: list[Employment] | None = None
    income_below: Money | None = None
    member: MemberMatch | None = None
    medical_expense_above: Money | None = None
    not_received: NotReceived | None = None
    no_open_referral: Bool = False


# The order conditions are checked and shown in (the vocabulary, documented above).
CONDITIONS = (
    "tier",
    "primary_cause",
    "any_cause",
    "employment",
    "income_below",
    "member",
    "medical_expense_above",
    "not_received",
    "no_open_referral",
)


class Program(Record):
    id: ProgramId
    name: Name
    runner: Runner
    kind: GrantKind
    from_: IsoDate = Field(alias="from")
    until: IsoDate | None = None
    window: Window | None = None
    amount: AmountRule | None = None
    body: Text | None = None  # the office that runs it, e.g. 某县民政局
    conditions: Conditions = Field(default_factory=Conditions)
    note: Prose | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _dates(self) -> Program:
        if self.until is not None and self.until < self.from_:
            raise ValueError(
                _("a program ends after it starts: until {until} is before from {start}").format(
                    until=self.until, start=self.from_
                )
            )
        return self

    def in_force(self, day: date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)

    @property
    def by_referral(self) -> bool:
        """Asked for by a referral (run by others), not given as a grant of the union."""
        return self.runner not in UNION_RUNNERS


def unique_ids(programs: list[Program]) -> list[Program]:
    seen: set[str] = set()
    for program in programs:
        if program.id in seen:
            raise ValueError(
                _("two programs have the id {id}: an id names one program").format(id=program.id)
            )
        seen.add(program.id)
    return programs


Programs = Annotated[list[Program], AfterValidator(unique_ids)]
