"""Pydantic's validation errors as problems a member of the committee can act on: the
line of the field, a message in plain words, and a hint (a close key, the values allowed,
what an ID looks like). A sensitive field's value is never shown."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, NamedTuple

from pydantic import BaseModel

from hardship_cli.domain.kinds import KINDS
from hardship_cli.domain.sensitive import hide, is_sensitive_path
from hardship_cli.domain.values import BadValue, describe
from hardship_cli.domain.vocabulary import VOCABULARY, code_of, codes, label
from hardship_cli.domain.wording import listed
from hardship_cli.i18n import N_, _, ngettext
from hardship_cli.load import strict
from hardship_cli.problems import Problem

# Pydantic's error types of a value of the wrong shape: what was expected, in words.
_MAPPING_TYPES = frozenset({"model_type", "dict_type", "model_attributes_type"})
_WRONG_TYPES = _MAPPING_TYPES | {"list_type", "string_type"}


class Explained(NamedTuple):
    """One validation error in the terminal's language: the problem's code, the message
    and the hint (pydantic's own wording never reaches a person)."""

    code: str
    message: str
    hint: str = ""


def problem_from_error(
    model: type[BaseModel], err: Any, data: Any, lines: strict.Lines, path: str
) -> Problem:
    """A pydantic error of `model` at its line of the file `path`."""
    said = explain(model, err)
    return Problem(path, strict.line_of(lines, tuple(err["loc"])), *said)


def explain(model: type[BaseModel], err: Any) -> Explained:
    """A pydantic error (of ``ValidationError.errors(include_input=True)``) of `model`, in
    plain words: one message for each type of error, the messages of our own validators
    (``domain.values``: money, dates, text...) as they raised them, the values allowed
    where there is a choice. A sensitive field's value is never shown, nor one the errors
    were made without (``include_input=False``)."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    name = ".".join(str(p) for p in loc) or "record"
    leaf = str(loc[-1]) if loc else ""
    # Declared on the model (domain/sensitive.py); a value not given is not shown either.
    sensitive = is_sensitive_path(model, loc) or "input" not in err
    value = err.get("input")
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(leaf, known, n=1, cutoff=0.6)
        if close:
            hint = _("did you mean `{key}`?").format(key=close[0])
        elif known:
            hint = _("known keys here: {keys}").format(keys=listed(known))
        else:
            hint = ""
        return Explained("unknown-key", _("unknown key `{name}`").format(name=name), hint)
    if kind == "missing":
        return Explained(
            "missing",
            _("required field `{name}` is missing").format(name=name),
            _("add `{key}: ...`").format(key=leaf),
        )
    if kind in ("enum", "literal_error"):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _not_a_choice(name, choices, value, sensitive)
    given_none = "input" in err and value is None
    if given_none and kind in ("string_type", "value_error", "model_type", "dict_type"):
        return Explained(
            "missing",
            _("`{name}` has no value").format(name=name),
            _("write a value; if you mean the text null or ~, quote it"),
        )
    if kind == "value_error":
        return _own_error(name, loc, ctx.get("error"), value, sensitive)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if sensitive:
            message = _("`{name}` is not a record ID of the right kind").format(name=name)
        else:
            message = _("`{name}` is not a record ID of the right kind: {value}").format(
                name=name, value=_show(value)
            )
        return Explained(
            "bad-id",
            message,
            _("IDs look like {example}").format(example=_example_for_pattern(pattern)),
        )
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _size(kind, name, ctx, isinstance(value, str))
    if kind in _LIMITS:
        return Explained(
            "bad-value", _(_LIMITS[kind]).format(name=name, limit=_limit(ctx, kind))
        )
    if kind in _WRONG_TYPES:
        got = _kind_of(value)
        if kind in _MAPPING_TYPES:
            message = _("`{name}` should be a mapping, not {got}")
            hint = _("write a mapping here")
        elif kind == "list_type":
            message = _("`{name}` should be a list, not {got}")
            hint = _("write a list here")
        else:
            message = _("`{name}` should be text, not {got}")
            hint = _("quote it")
        return Explained("wrong-type", message.format(name=name, got=got), hint)
    # Anything else pydantic may say: in our words, with the value when it may be shown.
    if sensitive:
        return Explained("bad-value", _("`{name}` is not valid").format(name=name))
    return Explained(
        "bad-value", _("`{name}` is not valid: {value}").format(name=name, value=_show(value))
    )


def _not_a_choice(name: str, choices: list[str], value: Any, sensitive: bool) -> Explained:
    """A value that is not one of the codes allowed: the codes, with their words where the
    vocabulary has a group for them; the code meant, when the value is close to one or
    is its word (`医疗救助` for `medical`)."""
    group = _group_of(choices)
    allowed = listed(_choice(group, code) for code in choices)
    hint = _("use one of: {choices}").format(choices=allowed) if choices else ""
    if isinstance(value, str) and choices and not sensitive:
        meant = code_of(group, value) if group else None
        if meant is not None:
            hint = _("records hold the code: write `{code}` for {word}").format(
                code=meant, word=value
            )
        else:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            if close:
                hint = _("did you mean `{code}`? (use one of: {choices})").format(
                    code=close[0], choices=allowed
                )
    if sensitive:
        message = _("`{name}` is not allowed").format(name=name)
    else:
        message = _("`{name}` is not allowed: {value}").format(name=name, value=_show(value))
    return Explained("bad-value", message, hint)


def _group_of(choices: list[str]) -> str | None:
    """The group of the vocabulary whose codes are these choices (None: no such group)."""
    wanted = set(choices)
    return next((g for g in VOCABULARY if set(codes(g)) == wanted), None)


def _choice(group: str | None, code: str) -> str:
    """A code as a hint lists it: `medical (medical relief)`, `medical（医疗救助）`."""
    word = label(group, code) if group else code
    return code if word == code else _("{code} ({word})").format(code=code, word=word)


def _own_error(
    name: str, loc: tuple[Any, ...], error: Any, value: Any, sensitive: bool
) -> Explained:
    """A ValueError raised by a validator of ours: its message (already in the terminal's
    language), its code and hint when it is a BadValue."""
    message = str(error) if error is not None else _("the value is not valid")
    message = hide(message, value) if sensitive else message
    code, hint = (error.code, error.hint) if isinstance(error, BadValue) else ("bad-value", "")
    if loc:
        message = _("`{name}`: {message}").format(name=name, message=message)
    return Explained(code, message, hint)


# Bounds of a number (pydantic's type -> our message, and the key of its bound in ctx).
_LIMITS = {
    "greater_than_equal": N_("`{name}` must be at least {limit}"),
    "greater_than": N_("`{name}` must be more than {limit}"),
    "less_than_equal": N_("`{name}` must be at most {limit}"),
    "less_than": N_("`{name}` must be less than {limit}"),
}
_LIMIT_KEYS = {
    "greater_than_equal": "ge",
    "greater_than": "gt",
    "less_than_equal": "le",
    "less_than": "lt",
}


def _limit(ctx: dict[str, Any], kind: str) -> str:
    return str(ctx.get(_LIMIT_KEYS[kind], ""))


def _size(kind: str, name: str, ctx: dict[str, Any], text: bool) -> Explained:
    """A list with too few or too many items; a text too short (empty) or too long (a
    constraint on an annotated text is pydantic's `too_short` of a "Value", not of a
    string)."""
    if text and kind in ("too_short", "too_long"):
        kind = "string_" + kind
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 1))
        if n > 1:
            return Explained(
                "bad-value",
                ngettext(
                    "`{name}` is shorter than {n} character",
                    "`{name}` is shorter than {n} characters",
                    n,
                ).format(name=name, n=n),
            )
        return Explained(
            "bad-value", _("`{name}` is empty").format(name=name), _("write a value")
        )
    if kind == "string_too_long":
        n = int(ctx.get("max_length", 0))
        return Explained(
            "bad-value",
            ngettext(
                "`{name}` is longer than {n} character",
                "`{name}` is longer than {n} characters",
                n,
            ).format(name=name, n=n),
        )
    actual = ctx.get("actual_length")
    if kind == "too_short":
        n = int(ctx.get("min_length", 0))
        message = ngettext(
            "`{name}` needs at least {n} item", "`{name}` needs at least {n} items", n
        )
    else:
        n = int(ctx.get("max_length", 0))
        message = ngettext(
            "`{name}` holds at most {n} item, not {actual}",
            "`{name}` holds at most {n} items, not {actual}",
            n,
        )
    return Explained("bad-value", message.format(name=name, n=n, actual=actual))


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
        return _("text {value}").format(value=repr(value))
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
