"""One cell to the text the record holds; a cell that cannot be read as what its column
holds is a `CellError` (its row is refused), saying the column, the cell and why, in the
language of the terminal."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hardship_cli.casework.sheets.columns import Column
from hardship_cli.casework.sheets.headings import cell_text
from hardship_cli.domain.vocabulary import code_of
from hardship_cli.i18n import N_, _


class CellError(ValueError):
    """A cell its column cannot hold: `why` is a message marked with `N_` (placeholders
    {column}, {value} and those of `fill`), said by `say` in the terminal's language."""

    def __init__(self, why: str, **fill: str) -> None:
        self.why = why
        self.fill = fill
        super().__init__(why)

    def say(self, column: Column, value: Any) -> str:
        """The whole sentence: the column's heading, the cell (hidden where the column is
        sensitive) and why it cannot be read."""
        return _(self.why).format(column=column.heading, value=shown(column, value), **self.fill)


def shown(column: Column, value: Any) -> str:
    """A cell as a message quotes it: never the value of a sensitive column."""
    if column.sensitive:
        return _("(hidden)")
    return _("'{cell}'").format(cell=cell_text(value))


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
            raise CellError(N_("{column} {value} is a fraction, not an identifier"))
        if isinstance(value, (int, float)) and column.sensitive and len(str(int(value))) >= 16:
            raise CellError(
                N_(
                    "{column} {value} was stored as a number and lost digits: format the "
                    "column as text"
                )
            )
        return cell_text(value)
    if column.kind == "choice":
        code = _choice(column, cell_text(value))
        if code is None:
            raise CellError(N_("{column} {value} is not one of: {choices}"), choices=_words(column))
        return code
    if column.kind == "causes":
        causes = []
        for word in _cause_words(column, cell_text(value)):
            cause = _choice(column, word)
            if cause is None:
                raise CellError(
                    N_("{column} {value} holds '{word}', not one of: {choices}"),
                    word=word,
                    choices=_words(column),
                )
            if cause not in causes:
                causes.append(cause)
        if len(causes) > 4:
            raise CellError(
                N_(
                    "{column} {value} names more than four causes (one primary, up to three "
                    "secondary)"
                )
            )
        return {"primary": causes[0], "secondary": causes[1:]} if causes else None
    return cell_text(value)


def _choice(column: Column, word: str) -> str | None:
    """The code a choice cell names: a word of the sheet (妻子), the code itself, or the
    vocabulary's word for it in either language (深度困难, deep hardship); None if none."""
    assert column.choices is not None
    if word in column.choices:
        return column.choices[word]
    if word in column.choices.values():
        return word
    return code_of(column.group, word) if column.group else None


def _cause_words(column: Column, text: str) -> list[str]:
    """The causes a cell names, split at 、 , ; / and, where a part is not one cause
    (`natural disaster` is), at spaces."""
    words = []
    for part in re.split(r"\s*[、,，;；/]+\s*", text.strip()):
        if not part:
            continue
        if _choice(column, part) is not None:
            words.append(part)
        else:
            words.extend(part.split())
    return words


def _words(column: Column) -> str:
    """The words a choice column takes, as the sheet writes them."""
    assert column.choices is not None
    return "、".join(dict.fromkeys(column.choices))


def _money(value: Any) -> str:
    """A cell of yuan: an Excel number, or text like `1,800.00元`; then the model's own
    strict rule (two decimals at most, never negative) decides."""
    from hardship_cli.domain.values import parse_money

    if isinstance(value, bool):
        raise CellError(N_("{column} {value} is not an amount"))
    if isinstance(value, float):
        value = Decimal(repr(value))  # the number Excel shows, not its binary neighbour
    elif isinstance(value, str):
        value = re.sub(r"\s*元$", "", cell_text(value).replace("，", ","))
    try:
        return f"{parse_money(value):.2f}"
    except ValueError as exc:
        text = str(exc)
        if "negative" in text:
            raise CellError(N_("{column} {value} is negative")) from None
        if "two decimals" in text:
            raise CellError(N_("{column} {value} has more than two decimals")) from None
        raise CellError(
            N_("{column} {value} is not an amount (write digits, e.g. 1200.00)")
        ) from None


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise CellError(_NOT_A_DATE)
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise CellError(_NOT_A_DATE) from None


_NOT_A_DATE = N_("{column} {value} is not a date (write 1968-04-12)")
