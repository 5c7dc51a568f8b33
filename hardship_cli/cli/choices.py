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
from collections.abc import Callable, Iterable

import typer

from hardship_cli.domain.vocabulary import code_of, codes, label
from hardship_cli.i18n import _
from hardship_cli.problems import printable


def _refuse(value: str, shown: list[str], candidates: Iterable[str]) -> typer.BadParameter:
    message = _("{value} is not one of: {choices}").format(
        value=printable(value), choices=", ".join(shown)
    )
    every = list(candidates)
    folded = value.strip().casefold()
    close = [c for c in every if folded and folded in c.casefold()][:1]
    close = close or difflib.get_close_matches(value, every, n=1, cutoff=0.6)
    if close:
        message += " " + _("(did you mean {suggestion}?)").format(suggestion=close[0])
    return typer.BadParameter(message)


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


def choice_parser(choices: Iterable[str]) -> Callable[[str], str]:
    """A parser for an option with fixed codes of its own (a format: md, html, pdf...),
    compared without case; the code comes back as written in `choices`."""
    known = {choice.casefold(): choice for choice in choices}

    def parse(value: str) -> str:
        found = known.get(value.strip().casefold())
        if found is not None:
            return found
        raise _refuse(value, list(known.values()), known.values())

    return parse
