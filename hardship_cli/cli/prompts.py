"""On a terminal, `add` asks for what is missing: the allowed values shown, a default or a
suggestion offered, a wrong choice asked again. Off a terminal it never asks."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from hardship_cli.cli.common import interactive, state

if TYPE_CHECKING:
    from hardship_cli.casework.intake import Field


def ask(field: Field, values: dict[str, Any], suggest: str | None = None) -> None:
    """On a terminal, ask for a missing value, showing the allowed values and default."""
    label = field.label
    if field.choices is not None:
        label += f" [{'|'.join(c.value for c in field.choices)}]"
    default = suggest or field.default
    while True:
        if field.many:
            answer = typer.prompt(
                f"{label} (several: separate with ;)",
                default=default or "",
                show_default=bool(default),
            )
            given: Any = [a.strip() for a in str(answer).split(";") if a.strip()]
        else:
            answer = typer.prompt(
                label,
                default=default if default is not None else "",
                show_default=default is not None,
                hide_input=field.sensitive,
            )
            given = str(answer).strip() or None
        wrong = not_a_choice(field, given)
        if wrong is None:
            values[field.name] = given
            return
        typer.echo(wrong, err=True)  # and ask again: a typo costs one line, not the form


def not_a_choice(field: Field, given: Any) -> str | None:
    """Why an answer at the prompt is not one of the field's values, or None."""
    if field.choices is None or not given:
        return None
    import difflib

    allowed = [c.value for c in field.choices]
    for answer in given if isinstance(given, list) else [given]:
        if answer not in allowed:
            close = difflib.get_close_matches(answer, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            return f"{answer!r} is not one of: {', '.join(allowed)}{hint}"
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
