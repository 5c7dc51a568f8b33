"""What a commit did to a record's file: the fields it changed, in words, and the step
dates it wrote. Values are shown only for the fields in ``SHOWN_FIELDS``: the others may
be sensitive (ID numbers, phones, accounts, diagnoses), and are named, never shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hardship_cli.i18n import _
from hardship_cli.load import fastyaml

# Values shown in a history line; other fields are named, never shown (they may be
# sensitive: ID numbers, phones, accounts, diagnoses).
# A key the model declares sensitive in any record (domain/sensitive.py) is never shown,
# listed here or not.
SHOWN_FIELDS = frozenset(
    {"status", "level", "amount", "kind", "fund", "case", "review_due", "target", "occasion"}
)
# The keys of a record that date a step (approvals[].on, paid.on, notice.from, ...).
STEP_DATE_KEYS = frozenset({"on", "from"})


@dataclass
class Change:
    """What a commit did to a record's file."""

    words: list[str]  # `status: proposed -> approved`, `approvals: +1`, ...
    fields: set[str] = field(default_factory=set)  # top-level fields changed
    created: bool = False
    deleted: bool = False
    dates: list[date] = field(default_factory=list)  # step dates new in this change


def describe_change(before: bytes | None, after: bytes | None) -> list[str]:
    """The fields a commit changed, in words: `status: proposed -> approved`,
    `approvals: +1`, `paid added`, `worker.phone changed` (values of sensitive fields are
    never shown: only the fields in SHOWN_FIELDS that the model does not declare sensitive
    show their values)."""
    return compare(before, after).words


def compare(before: bytes | None, after: bytes | None) -> Change:
    """What a commit did to a record's file: in words, which fields, the step dates."""
    if after is None:
        return Change([_("file deleted")], deleted=True)
    new = fastyaml.parse(after, "new").data
    if before is None:
        return Change([_("created")], created=True, dates=_new_dates({}, new))
    old = fastyaml.parse(before, "old").data
    if not isinstance(old, dict) or not isinstance(new, dict):
        return Change([_("changed (the file did not parse as a record)")], {"?"})
    changes: list[str] = []
    fields: set[str] = set()
    for key in _ordered_union(old, new):
        a, b = old.get(key), new.get(key)
        if a != b:
            fields.add(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for sub in _ordered_union(a, b):
                _compare(f"{key}.{sub}", a.get(sub), b.get(sub), changes)
        else:
            _compare(key, a, b, changes)
    return Change(changes, fields, dates=_new_dates(old, new))


def _new_dates(old: Any, new: Any) -> list[date]:
    """The step dates (`on`, `from` at any depth) that are new or changed in `new`."""
    before = dict(_step_dates(old, ""))
    found: list[date] = []
    for where, value in _step_dates(new, ""):
        if before.get(where) != value:
            try:
                found.append(date.fromisoformat(str(value)))
            except ValueError:
                continue  # validate names a malformed date
    return found


def _step_dates(tree: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in STEP_DATE_KEYS and isinstance(value, str | date):
                yield f"{where}.{key}", value
            else:
                yield from _step_dates(value, f"{where}.{key}")
    elif isinstance(tree, list):
        for number, item in enumerate(tree):
            yield from _step_dates(item, f"{where}[{number}]")


def _compare(key: str, a: Any, b: Any, changes: list[str]) -> None:
    if a == b:
        return
    from hardship_cli.domain.model import KINDS
    from hardship_cli.domain.sensitive import sensitive_keys

    leaf = key.rsplit(".", 1)[-1]
    shown = leaf in SHOWN_FIELDS and leaf not in sensitive_keys(KINDS.values())
    if isinstance(a, list) or isinstance(b, list):
        la = a if isinstance(a, list) else []
        lb = b if isinstance(b, list) else []
        if lb[: len(la)] == la and len(lb) > len(la):
            changes.append(f"{key}: +{len(lb) - len(la)}")
        else:
            changes.append(_("{field} changed").format(field=key))
    elif a is None:
        changes.append(
            _("{field} added: {value}").format(field=key, value=b)
            if shown
            else _("{field} added").format(field=key)
        )
    elif b is None:
        changes.append(_("{field} removed").format(field=key))
    elif shown and isinstance(a, str) and isinstance(b, str):
        changes.append(f"{key}: {a} -> {b}")
    else:
        changes.append(_("{field} changed").format(field=key))


def _ordered_union(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    keys = list(b)
    keys += [k for k in a if k not in b]
    return keys
