"""Options that take a choice accept the code or its word in either language.

    to: Annotated[str, typer.Option("--to", parser=vocabulary_parser("referral_to"),
                                    metavar=N_("OFFICE"), help=N_("Where the case is referred."))]

`--to civil_affairs`, `--to 民政部门` and `--to "civil affairs"` all give ``civil_affairs``
(the code is what is stored). A value that names nothing is refused in the terminal's
language with the choices and, when one is close, "did you mean". Formats and other
choices that have no word of the vocabulary use `choice_parser`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, TypeVar

import typer

from hardship_cli.domain.vocabulary import code_of, codes, label
from hardship_cli.i18n import _
from hardship_cli.problems import printable

E = TypeVar("E", bound=Enum)


def _refuse(value: str, shown: list[str], candidates: Iterable[str]) -> typer.BadParameter:
    return typer.BadParameter(refusal(value, shown, candidates))


def refusal(value: str, shown: Sequence[str], candidates: Iterable[str]) -> str:
    """"VALUE is not one of: CHOICES", and "(did you mean X?)" when one is close: the
    message of every refused choice (typer's own enum options too, see click_errors)."""
    message = _("{value} is not one of: {choices}").format(
        value=printable(value), choices=", ".join(shown)
    )
    every = list(candidates)
    folded = value.strip().casefold()
    close = [c for c in every if folded and folded in c.casefold()][:1]
    close = close or difflib.get_close_matches(value, every, n=1, cutoff=0.6)
    if close:
        message = joined(message, _("(did you mean {suggestion}?)").format(suggestion=close[0]))
    return message


def joined(first: str, then: str) -> str:
    """Two sentences of one message: a space between them after a Latin letter or
    stop, none after Chinese punctuation (``缺少选项 '--as'。可选：...``)."""
    if not first or not then:
        return first + then
    space = " " if first[-1].isascii() and then[0].isascii() else ""
    return first + space + then


def vocabulary_parser(group: str) -> Callable[[str], str]:
    """A parser for an option whose values are the codes of `group` (domain/vocabulary):
    the code, or its word in Chinese or English, -> the code."""

    def parse(value: str) -> str:
        found = code_of(group, value)
        if found is not None:
            return found
        every = codes(group)
        shown = [f"{code} ({label(group, code)})" for code in every]
        words = [label(group, code, lang) for code in every for lang in ("zh", "en")]
        raise _refuse(value, shown, [*every, *words])

    parse.__name__ = f"{group}_choice"
    return parse


def choice_parser(choices: Iterable[str] | type[E]) -> Callable[[str], Any]:
    """A parser for an option with fixed codes of its own (a format: md, html, pdf...),
    compared without case; the code comes back as written in `choices`. Given a StrEnum
    class, the member comes back:

        format: Annotated[TableOrJson, typer.Option("--format", parser=choice_parser(TableOrJson),
                                                    metavar="table|json", help=N_("..."))]
    """
    if isinstance(choices, type) and issubclass(choices, Enum):
        members: dict[str, Any] = {str(m.value): m for m in choices}
    else:
        members = {str(c): c for c in choices}
    known = {code.casefold(): code for code in members}

    def parse(value: Any) -> Any:
        if isinstance(value, Enum):
            return value  # a default, already a member
        found = known.get(str(value).strip().casefold())
        if found is not None:
            return members[found]
        raise _refuse(str(value), list(known.values()), known.values())

    return parse


def choices_metavar(choices: Iterable[str] | type[Enum]) -> str:
    """What the help shows for a choice option: ``md|html|pdf``."""
    if isinstance(choices, type) and issubclass(choices, Enum):
        return "|".join(str(m.value) for m in choices)
    return "|".join(choices)
