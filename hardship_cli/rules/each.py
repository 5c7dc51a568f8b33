"""A check of one record, run over many: how a whole-root rule is made of per-record checks
(see ``local``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hardship_cli.load.store import Records
from hardship_cli.problems import Problem


def each(
    records: Records, items: Iterable[Any], check: Callable[..., list[Problem]], *args: Any
) -> list[Problem]:
    """`check(record, its source, *args)` for every record of `items`, their problems in one
    list."""
    source = records.source
    return [p for record in items for p in check(record, source(record.id), *args)]
