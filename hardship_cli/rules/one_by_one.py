"""A check of one record run over many records: how a whole-root rule is made of
per-record checks (see ``per_record``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hardship_cli.load.records import Records
from hardship_cli.problems import Problem


def check_one_by_one(
    records: Records, items: Iterable[Any], check: Callable[..., list[Problem]], *args: Any
) -> list[Problem]:
    """`check(record, its source, *args)` for every record of `items`, their problems in one
    list."""
    source = records.source
    return [p for record in items for p in check(record, source(record.id), *args)]
