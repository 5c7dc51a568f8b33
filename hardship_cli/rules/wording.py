"""How the rules say a list of things in the terminal's language (`chair, leader`;
`工会主席、分管领导`), and a code in words (`vocabulary.label`)."""

from __future__ import annotations

from collections.abc import Iterable

from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import pgettext


def listed(items: Iterable[str]) -> str:
    """Items one after another: `a, b, c` (Chinese: `a、b、c`)."""
    return pgettext("list", ", ").join(items)


def both(items: Iterable[str]) -> str:
    """Items all together: `a and b` (Chinese: `a和b`)."""
    return pgettext("list", " and ").join(items)


def labels(group: str, codes: Iterable[str]) -> list[str]:
    """The words for these codes of `group`, in the terminal's language."""
    return [label(group, code) for code in codes]


__all__ = ["both", "label", "labels", "listed"]
