"""Which fields are sensitive: declared once, on the model, and read from there.

A field is sensitive when its type carries the marker: ``phone: Annotated[Text | None,
SENSITIVE] = None``. The marker is inert metadata (pydantic keeps it in the field's
``FieldInfo.metadata`` and neither validates nor describes it: the JSON Schema is the same
with it or without it). Nothing else lists sensitive fields: every consumer asks here.

What the union treats as sensitive (an officer's view, and what the stricter of the places
that used to keep their own list already hid):

- who a person is and where to find them: the worker's ID number, phone and address;
- health: the diagnosis of the worker and of each member of the household;
- where the money goes: the bank's name and the account;
- free text about a household, where officers write diagnoses and family matters: the
  notes of a case, grant, drive and visit, a visit's findings, the note of a check or
  approval, of a closing and of a referral's answer, an objection's text and resolution,
  a referral's purpose and note. (A budget's notes are about money, not people.)

Not sensitive: names (the notice masks them), units, birth dates, health status and
disability, income and the figures that statistics need.

What a sensitive value never reaches, and where that is derived from this declaration:
validation messages (``load/store``), the collection sheet without ``--full``
(``casework/sheets``), an echo at the intake prompt (``casework/intake``: typed unseen),
the household file without ``--full`` (``report/casefile``; with it, the worker's and the
bank's are its sensitive section), the public notice (``report/casefile``, from
``redacted`` records), and history (``edit/trail``: no value of a key that is sensitive in
any record is shown). tests/test_sensitive_fields.py holds every consumer to it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from hardship_cli.i18n import _

# A field's place in a record: its keys from the top, list items and mapping values passed
# through (a member's diagnosis is ("household", "diagnosis")).
Path = tuple[str, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Sensitive:
    """The mark of a sensitive field: ``Annotated[<type>, SENSITIVE]``."""


SENSITIVE = Sensitive()


def is_sensitive(info: FieldInfo) -> bool:
    """Whether a model's field carries the mark."""
    return any(isinstance(m, Sensitive) for m in info.metadata)


@cache
def sensitive_paths(model: type[BaseModel]) -> frozenset[Path]:
    """Every sensitive field of a record model and of the parts inside it, as the keys of
    the record that lead to it (aliases as written in YAML: a notice's `from`)."""
    found: set[Path] = set()
    _walk(model, (), found, set())
    return frozenset(found)


def _walk(model: type[BaseModel], at: Path, found: set[Path], seen: set[type]) -> None:
    if model in seen:
        return
    seen = seen | {model}
    for name, info in model.model_fields.items():
        path = (*at, info.alias or name)
        if is_sensitive(info):
            found.add(path)
            continue
        for inner in _models_in(info.annotation):
            _walk(inner, path, found, seen)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field holds: itself, or inside an optional, a list or a mapping."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, dict, typing.Annotated):
        args = typing.get_args(annotation)
        if origin is dict:
            args = args[1:]  # the values; a key is never a part
        elif origin is typing.Annotated:
            args = args[:1]
        return [m for arg in args for m in _models_in(arg)]
    return []


def is_sensitive_path(model: type[BaseModel], path: Iterable[str | int]) -> bool:
    """Whether the value at `path` (keys and list indexes, as a validation error or
    `Source.line` locates it) is a sensitive field or lies inside one."""
    keys = tuple(p for p in path if isinstance(p, str))
    paths = sensitive_paths(model)
    return any(keys[:n] in paths for n in range(1, len(keys) + 1))


def sensitive_keys(models: Iterable[type[BaseModel]]) -> frozenset[str]:
    """The keys that name a sensitive field in any of these models (`phone`, `notes`):
    where a consumer sees a key but not the record's shape (history), the strict reading."""
    return frozenset(path[-1] for model in models for path in sensitive_paths(model))


def hide(message: str, value: Any) -> str:
    """A message with the value it quotes left out, for a sensitive field (a message of
    the value types quotes the text it refused, stripped, sometimes without commas)."""
    if not isinstance(value, str) or not value.strip():
        return message
    hidden = _("(hidden)")
    quoted = {value, value.strip(), value.strip().replace(",", "")}
    for text in sorted(quoted, key=len, reverse=True):
        message = message.replace(repr(text), hidden)
        # "...: 1200.001" in English, "……：1200.001" in Chinese.
        if message.endswith((": " + text, "：" + text)):
            message = message[: -len(text)] + hidden
    return message


def redacted(record: M) -> M:
    """A copy of a record with every sensitive field emptied (None), its parts' included:
    what output that must hold nothing sensitive is made from (the public notice). The
    record itself is left as it is; one with nothing to empty is returned as it is."""
    update: dict[str, Any] = {}
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        if value is None:
            continue
        if is_sensitive(info):
            update[name] = None
        elif isinstance(value, BaseModel):
            new = redacted(value)
            if new is not value:
                update[name] = new
        elif isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
            items = [redacted(v) if isinstance(v, BaseModel) else v for v in value]
            if any(a is not b for a, b in zip(items, value, strict=True)):
                update[name] = items
        elif isinstance(value, dict) and any(isinstance(v, BaseModel) for v in value.values()):
            mapped = {k: redacted(v) if isinstance(v, BaseModel) else v for k, v in value.items()}
            if any(mapped[k] is not value[k] for k in value):
                update[name] = mapped
    return record.model_copy(update=update) if update else record


def sensitive_values(record: BaseModel, *parts: str) -> list[tuple[Path, Any]]:
    """The sensitive fields of the named parts of a record (`worker`, `bank`) with their
    values, in the model's order; a part the record lacks gives none."""
    found: list[tuple[Path, Any]] = []
    for part in parts:
        inner = getattr(record, part)
        if not isinstance(inner, BaseModel):
            continue
        for name, info in type(inner).model_fields.items():
            if is_sensitive(info):
                found.append(((part, info.alias or name), getattr(inner, name)))
    return found
