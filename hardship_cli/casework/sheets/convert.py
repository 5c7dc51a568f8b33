"""One cell to the text the record holds; a cell that cannot be read as what its column
holds is a `CellError` (its row is refused)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hardship_cli.casework.sheets.columns import Column
from hardship_cli.casework.sheets.headings import cell_text


class CellError(ValueError):
    pass


def convert(column: Column, value: Any) -> Any:
    """One cell to the text the record holds (the model then types it strictly)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "money":
        return _money(value)
    if column.kind == "date":
        return _date(value)
    if column.kind == "id":
        if isinstance(value, float) and not value.is_integer():
            raise CellError("is a fraction, not an identifier")
        if isinstance(value, (int, float)) and column.sensitive and len(str(int(value))) >= 16:
            raise CellError("was stored as a number and lost digits: format the column as text")
        return cell_text(value)
    if column.kind == "choice":
        assert column.choices is not None
        word = cell_text(value)
        if word in column.choices:
            return column.choices[word]
        if word in column.choices.values():
            return word
        raise CellError(f"is not one of: {'、'.join(dict.fromkeys(column.choices))}")
    if column.kind == "causes":
        assert column.choices is not None
        words = [w for w in re.split(r"[、,，;；/\s]+", cell_text(value)) if w]
        causes = []
        for word in words:
            cause = column.choices.get(word, word if word in column.choices.values() else None)
            if cause is None:
                raise CellError(
                    f"holds {word!r}, not one of: {'、'.join(dict.fromkeys(column.choices))}"
                )
            if cause not in causes:
                causes.append(cause)
        if len(causes) > 4:
            raise CellError("names more than four causes (one primary, up to three secondary)")
        return {"primary": causes[0], "secondary": causes[1:]} if causes else None
    return cell_text(value)


def _money(value: Any) -> str:
    """A cell of yuan: an Excel number, or text like `1,800.00元`; then the model's own
    strict rule (two decimals at most, never negative) decides."""
    from hardship_cli.domain.values import parse_money

    if isinstance(value, bool):
        raise CellError("is not an amount")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the number Excel shows, not its binary neighbour
    elif isinstance(value, str):
        value = re.sub(r"\s*元$", "", cell_text(value).replace("，", ","))
    try:
        return f"{parse_money(value):.2f}"
    except ValueError as exc:
        text = str(exc)
        if "negative" in text:
            raise CellError("is negative") from None
        if "two decimals" in text:
            raise CellError("has more than two decimals") from None
        raise CellError("is not an amount (write digits, e.g. 1200.00)") from None


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise CellError("is not a date (write 1968-04-12)")
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise CellError("is not a date (write 1968-04-12)") from None
