"""How several words are written inside a message, in the terminal's language: a list
(`officer, chair` / `officer、chair`) and alternatives (`chair or leader` / `主席或分管领导`).

A whole sentence is one message; the words a sentence lists are joined here, so that the
separator follows the language too.
"""

from __future__ import annotations

from collections.abc import Iterable

from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _


def listed(words: Iterable[str]) -> str:
    """`a, b, c` (Chinese: `a、b、c`)."""
    # TRANSLATORS: between the items of a list inside a message (Chinese: 、).
    return _(", ").join(words)


def either(words: Iterable[str]) -> str:
    """`a or b or c` (Chinese: `a或b或c`)."""
    # TRANSLATORS: between alternatives inside a message, "chair or leader" (Chinese: 或).
    return _(" or ").join(words)


def both(words: Iterable[str]) -> str:
    """`a and b` (Chinese: `a和b`): all of them together."""
    return _(" and ").join(words)


def labels(group: str, codes: Iterable[str]) -> list[str]:
    """The words for these codes of `group` (domain/vocabulary), in the terminal's language."""
    return [label(group, code) for code in codes]
