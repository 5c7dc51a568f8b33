"""On a terminal, `add` asks for what is missing: the allowed values shown, a default or a
suggestion offered, a wrong choice asked again. Off a terminal it never asks.

The questions are intake's labels, in the terminal's language; a choice is shown in the
words of that language (its code, in English) and read back from the code or its word in
either language (`domain.vocabulary.code_of`): 男, male and Male are all ``male``.
"""

from __future__ import annotations

import difflib
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from hardship_cli.cli.common import interactive, state
from hardship_cli.domain.vocabulary import code_of, label
from hardship_cli.i18n import DEFAULT, _, language
from hardship_cli.problems import printable

if TYPE_CHECKING:
    from hardship_cli.casework.intake import Field


def group_of(choices: type[StrEnum] | None) -> str | None:
    """The vocabulary group whose codes are the values of `choices` (an enum of the
    domain), or None."""
    if choices is None:
        return None
    from hardship_cli.domain.enums import (
        Cause,
        Employment,
        GrantKind,
        Health,
        Level,
        Occasion,
        Sex,
    )

    groups: dict[type[StrEnum], str] = {
        Sex: "sex",
        Employment: "employment",
        Health: "health",
        Level: "tier",
        Cause: "cause",
        GrantKind: "kind",
        Occasion: "occasion",
    }
    return groups.get(choices)


def shown(field: Field, code: str) -> str:
    """A value of a choice as the terminal shows it: its word (医疗救助); in English the
    code itself (medical), which is what a person types there."""
    group = group_of(field.choices)
    if group is None or language() == DEFAULT:
        return code
    return label(group, code)


def read_choice(field: Field, answer: str) -> str:
    """What was typed for a choice, as its code when it names one (the code, or its word
    in either language); else as typed (refused by `not_a_choice`, or by the record's
    own check)."""
    group = group_of(field.choices)
    if group is None:
        return answer
    return code_of(group, answer) or answer


def listed(words: list[str]) -> str:
    """Words one after the other, as the terminal's language lists them (a, b, c; 甲、乙、丙)."""
    shown = words[0] if words else ""
    for word in words[1:]:
        shown = _("{first}, {next}").format(first=shown, next=word)
    return shown


def choices_of(field: Field) -> list[str]:
    return [c.value for c in field.choices] if field.choices is not None else []


def ask(field: Field, values: dict[str, Any], suggest: str | None = None) -> None:
    """On a terminal, ask for a missing value, showing the allowed values and default."""
    question = _(field.label)
    if field.choices is not None:
        question += " [{}]".format("|".join(shown(field, c) for c in choices_of(field)))
    default = suggest or field.default
    if default is not None and field.choices is not None:
        default = shown(field, default)
    while True:
        if field.many:
            answer = typer.prompt(
                _("{question} (several: separate with ;)").format(question=question),
                default=default or "",
                show_default=bool(default),
            )
            given: Any = [
                read_choice(field, a.strip()) for a in str(answer).split(";") if a.strip()
            ]
        else:
            answer = typer.prompt(
                question,
                default=default if default is not None else "",
                show_default=default is not None,
                hide_input=field.sensitive,
            )
            typed = str(answer).strip()
            given = read_choice(field, typed) if typed else None
        wrong = not_a_choice(field, given)
        if wrong is None:
            values[field.name] = given
            return
        typer.echo(wrong, err=True)  # and ask again: a typo costs one line, not the form


def not_a_choice(field: Field, given: Any) -> str | None:
    """Why an answer at the prompt is not one of the field's values, or None."""
    if field.choices is None or not given:
        return None
    allowed = choices_of(field)
    group = group_of(field.choices)
    for answer in given if isinstance(given, list) else [given]:
        if answer in allowed:
            continue
        words = [shown(field, c) for c in allowed]
        candidates = [*allowed, *words]
        if group is not None:
            candidates += [label(group, c, lang) for c in allowed for lang in ("zh", "en")]
        close = difflib.get_close_matches(answer, candidates, n=1, cutoff=0.6)
        if close:
            # The suggestion as the terminal shows a choice (its word; the code in English).
            suggestion = shown(field, read_choice(field, close[0]))
            return _("'{answer}' is not one of: {choices}; did you mean {suggestion}?").format(
                answer=printable(answer), choices=listed(words), suggestion=suggestion
            )
        return _("'{answer}' is not one of: {choices}").format(
            answer=printable(answer), choices=listed(words)
        )
    return None


def prompt_missing(kind: str, values: dict[str, Any], day: date, ctx: typer.Context) -> None:
    """Ask for every required field of `kind` not given; the level is suggested from the
    household's income, the visitor is who acts (`values["_by"]`)."""
    from hardship_cli.casework import intake

    if not interactive():
        return  # draft() refuses with every missing flag named
    for field in intake.FIELDS[kind]:
        if not field.required or values.get(field.name):
            continue
        suggest = None
        if field.name == "level":
            from hardship_cli.load.files import load_config

            config, _source, _problems = load_config(state(ctx).root)
            if config is not None:
                suggest = intake.suggest_level(config, values, day)
        if field.name == "visitor" and values.get("_by"):
            suggest = values["_by"]
        ask(field, values, suggest)
