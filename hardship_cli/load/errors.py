"""Pydantic's validation errors as problems a member of the committee can act on: the
line of the field, a message in plain words, and a hint (a close key, the values allowed,
what an ID looks like). A sensitive field's value is never shown."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from hardship_cli.domain.kinds import KINDS
from hardship_cli.domain.sensitive import hide, is_sensitive_path
from hardship_cli.domain.values import describe
from hardship_cli.load import strict
from hardship_cli.problems import Problem


def problem_from_error(
    model: type[BaseModel], err: Any, data: Any, lines: strict.Lines, path: str
) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    name = ".".join(str(p) for p in loc) or "record"
    leaf = str(loc[-1]) if loc else ""
    sensitive = is_sensitive_path(model, loc)  # declared on the model: domain/sensitive.py
    line = strict.line_of(lines, loc)
    value = err.get("input")
    shown = "" if sensitive else f": {_show(value)}"
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(leaf, known, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys here: {', '.join(known)}"
        return Problem(path, line, "unknown-key", f"unknown key `{name}`", hint)
    if kind == "missing":
        return Problem(
            path,
            line,
            "missing",
            f"required field `{name}` is missing",
            f"add `{leaf}: ...`",
        )
    if kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        hint = f"use one of: {', '.join(choices)}" if choices else ""
        if isinstance(value, str) and choices and not sensitive:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            if close:
                hint = f"did you mean `{close[0]}`? ({hint})"
        return Problem(path, line, "bad-value", f"`{name}` is not allowed{shown}", hint)
    if value is None and kind in ("string_type", "value_error", "model_type", "dict_type"):
        return Problem(
            path,
            line,
            "missing",
            f"`{name}` has no value",
            "write a value; if you mean the text null or ~, quote it",
        )
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        message = hide(message, value) if sensitive else message
        code, hint = _value_error_code(message)
        return Problem(path, line, code, f"`{name}`: {message}" if loc else message, hint)
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        return Problem(
            path,
            line,
            "bad-id",
            f"`{name}` is not a record ID of the right kind{shown}",
            f"IDs look like {_example_for_pattern(pattern)}",
        )
    if kind in ("too_long", "too_short"):
        return Problem(path, line, "bad-value", f"`{name}`: {err['msg'].lower()}")
    if kind in ("model_type", "dict_type", "list_type", "string_type", "model_attributes_type"):
        expected = {
            "model_type": "a mapping",
            "dict_type": "a mapping",
            "model_attributes_type": "a mapping",
            "list_type": "a list",
            "string_type": "text",
        }[kind]
        got = _kind_of(value)
        hint = "quote it" if expected == "text" else f"write {expected} here"
        return Problem(path, line, "wrong-type", f"`{name}` should be {expected}, not {got}", hint)
    return Problem(path, line, "bad-value", f"`{name}`: {err['msg']}")


def _value_error_code(message: str) -> tuple[str, str]:
    if "control character" in message:
        return "control-char", "remove it: a record holds no control characters"
    if "amount given must be more than" in message:
        return "zero-amount", "write the amount given; cancel or delete help that gives nothing"
    if "money" in message:
        return "bad-money", "write yuan with at most two decimals, e.g. 1200.00"
    if "not a date" in message:
        return "bad-date", "write a date as YYYY-MM-DD, e.g. 2026-03-05"
    if "whole number" in message:
        return "bad-value", "write digits only"
    if "true or false" in message:
        return "bad-value", "write true or false"
    if "expected text" in message:
        return "wrong-type", "quote it"
    return "bad-value", ""


def _example_for_pattern(pattern: str) -> str:
    for kind in KINDS.values():
        if kind.prefix in pattern:
            return kind.example()
    return pattern


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return _kind_of(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return f"text {value!r}"
    return describe(value)


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at `loc` accepts, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation
