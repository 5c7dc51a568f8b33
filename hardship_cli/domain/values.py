"""The strict value types of a record: money, dates, numbers, text, IDs and funds.

Every scalar arrives from YAML as a string (see ``load/strict``); the types below turn a
string into what the schema asks for, strictly: money is a ``Decimal`` with at most two
decimals and never negative (and more than zero where it is an amount given), a date is an
ISO date, a number is digits, text holds no control character (tabs and line breaks only
in prose: notes, findings). Nothing is guessed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from hardship_cli.domain.enums import (
    CAMPAIGN_FUND_RE,
    CAMPAIGN_ID_RE,
    CASE_ID_RE,
    FIXED_FUNDS,
    GRANT_ID_RE,
    VISIT_ID_RE,
)
from hardship_cli.i18n import N_, _

_MONEY_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_INT_RE = re.compile(r"^[0-9]+$")


class BadValue(ValueError):
    """A value a record may not hold, said in the terminal's language: the message, the
    code of the problem it makes (``bad-money``...) and a hint. Pydantic keeps it as the
    cause of its ``value_error`` (load/errors turns that into the problem); anywhere else
    it is a ValueError like any other."""

    def __init__(self, message: str, code: str = "bad-value", hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


MONEY_HINT = N_("write yuan with at most two decimals, e.g. 1200.00")
DATE_HINT = N_("write a date as YYYY-MM-DD, e.g. 2026-03-05")
CONTROL_HINT = N_("remove it: a record holds no control characters")


def _bad_money(message: str) -> BadValue:
    return BadValue(message, "bad-money", _(MONEY_HINT))


def parse_money(value: Any) -> Decimal:
    """A non-negative amount of yuan with at most two decimals, from text or a number."""
    if isinstance(value, bool):
        raise _bad_money(_("not an amount of money: {value}").format(value=repr(value)))
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "") if _looks_grouped(value) else value.strip()
    else:
        raise _bad_money(_("not an amount of money: {value}").format(value=repr(value)))
    if text.startswith("-"):
        raise _bad_money(_("money must not be negative: {value}").format(value=text))
    if not _MONEY_RE.match(text):
        raise _bad_money(_("not an amount of money: {value}").format(value=repr(text)))
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards it
        raise _bad_money(_("not an amount of money: {value}").format(value=repr(text))) from exc
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise _bad_money(_("money has at most two decimals (fen): {value}").format(value=text))
    return amount


def _looks_grouped(text: str) -> bool:
    """`1,200.50` is a common way to write yuan; accept it only with well-placed commas."""
    return bool(re.fullmatch(r"\s*[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\s*", text))


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        raise BadValue(
            _("not a date: {value}").format(value=repr(value)), "bad-date", _(DATE_HINT)
        )
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadValue(
            _("not a date: {value} (the calendar has no such day)").format(value=repr(value)),
            "bad-date",
            _(DATE_HINT),
        ) from exc


def _not_whole(value: Any) -> BadValue:
    return BadValue(
        _("not a whole number: {value}").format(value=repr(value)),
        "bad-value",
        _("write digits only"),
    )


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _not_whole(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value.strip())
    raise _not_whole(value)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in ("true", "false"):
        return value.strip() == "true"
    raise BadValue(
        _("not true or false: {value}").format(value=repr(value)),
        "bad-value",
        _("write true or false"),
    )


def parse_text(value: Any) -> str:
    """Text stays text: YAML never turns it into a number or a boolean (see load/strict)."""
    if isinstance(value, str):
        return value
    raise BadValue(
        _("expected text, got {what}").format(what=describe(value)), "wrong-type", _("quote it")
    )


# Control characters never belong in a record: git's output that `history` reads is split
# on \x1f and \x1e, a terminal obeys \x1b, and none of them is something an officer types.
# Tabs and line breaks are allowed only in prose (notes, findings), which is multi-line by
# design; every other text is one line.
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_PROSE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_char(ch: str) -> str:
    """How a control character is named in a message: \\x1f."""
    return f"\\x{ord(ch):02x}"


def one_line(value: str) -> str:
    """Text of one line: no control character at all (tab and line break included)."""
    found = _CONTROL_IN_LINE.search(value)
    if found is None:
        return value
    ch = found.group()
    if ch == "\t":
        message = _(
            "control character {char} (a tab) is not allowed: this field is one line of text"
        )
    elif ch in "\n\r":
        message = _(
            "control character {char} (a line break) is not allowed: "
            "this field is one line of text"
        )
    else:
        message = _("control character {char} is not allowed in text")
    raise BadValue(message.format(char=control_char(ch)), "control-char", _(CONTROL_HINT))


def prose(value: str) -> str:
    """Multi-line text (notes, findings): tabs and line breaks, no other control character."""
    found = _CONTROL_IN_PROSE.search(value)
    if found is None:
        return value
    raise BadValue(
        _(
            "control character {char} is not allowed in text (only tabs and line breaks are)"
        ).format(char=control_char(found.group())),
        "control-char",
        _(CONTROL_HINT),
    )


def describe(value: Any) -> str:
    """What a value is, in words, for a message (never the value: it may be sensitive)."""
    if value is None:
        return _("nothing (null)")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return type(value).__name__


def _money_str(value: Decimal) -> str:
    return f"{value:.2f}"


Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    PlainSerializer(_money_str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
            ],
            "description": "yuan, at most two decimals, never negative",
        }
    ),
]
IsoDate = Annotated[
    date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def positive(amount: Decimal) -> Decimal:
    """An amount given (a grant, a donation) is more than nothing."""
    if amount <= 0:
        raise BadValue(
            _("an amount given must be more than 0.00, not {amount}").format(
                amount=f"{amount:.2f}"
            ),
            "zero-amount",
            _("write the amount given; cancel or delete help that gives nothing"),
        )
    return amount


# A grant's or a donation's amount: money, and more than zero.
Amount = Annotated[
    Money,
    AfterValidator(positive),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
            ],
            "description": "yuan, at most two decimals, more than zero",
        }
    ),
]
Int = Annotated[int, BeforeValidator(parse_int), WithJsonSchema({"type": "integer"})]
Bool = Annotated[bool, BeforeValidator(parse_bool), WithJsonSchema({"type": "boolean"})]
_LINE_SCHEMA = {"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}
_PROSE_SCHEMA = {
    "type": "string",
    "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$",
}
# Text of one line (most fields); Prose where a field is multi-line by design (notes,
# findings); Name is one line that is not empty.
Text = Annotated[
    str, BeforeValidator(parse_text), AfterValidator(one_line), WithJsonSchema(_LINE_SCHEMA)
]
Prose = Annotated[
    str, BeforeValidator(parse_text), AfterValidator(prose), WithJsonSchema(_PROSE_SCHEMA)
]
Name = Annotated[
    str,
    BeforeValidator(parse_text),
    AfterValidator(one_line),
    Field(min_length=1),
    WithJsonSchema(_LINE_SCHEMA),
]
CaseId = Annotated[str, BeforeValidator(parse_text), Field(pattern=CASE_ID_RE.pattern)]
GrantId = Annotated[str, BeforeValidator(parse_text), Field(pattern=GRANT_ID_RE.pattern)]
CampaignId = Annotated[str, BeforeValidator(parse_text), Field(pattern=CAMPAIGN_ID_RE.pattern)]
VisitId = Annotated[str, BeforeValidator(parse_text), Field(pattern=VISIT_ID_RE.pattern)]


def parse_fund(value: Any) -> str:
    text = parse_text(value)
    if text in FIXED_FUNDS or CAMPAIGN_FUND_RE.match(text):
        return text
    raise BadValue(
        _("unknown fund {value}: use union, higher_union, employer or campaign:DC-YYYY-NN").format(
            value=repr(text)
        )
    )


Fund = Annotated[
    str,
    BeforeValidator(parse_fund),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(FIXED_FUNDS)},
                {"type": "string", "pattern": CAMPAIGN_FUND_RE.pattern},
            ]
        }
    ),
]


# Where a value sits in a record: its keys and list indexes (as Source.line takes them).
Loc = tuple[str | int, ...]
