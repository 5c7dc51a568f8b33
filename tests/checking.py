"""Run the loader and every rule on a test root, the way `hardship validate` does."""

from __future__ import annotations

from datetime import date

from hardship_cli import rules
from hardship_cli.load import store
from hardship_cli.problems import Problem
from tests.rootkit import Root

TODAY = date(2026, 11, 29)


def problems(root: Root, today: date = TODAY) -> list[Problem]:
    return rules.check(store.load(root.path), today)


def found(root: Root, today: date = TODAY) -> list[tuple[str, int | None, str, str]]:
    """(path, line, code, message) of every problem."""
    return [(p.path, p.line, p.code, p.message) for p in problems(root, today)]
