"""On a terminal, `add` asks for what is missing and asks again after a wrong choice."""

from __future__ import annotations

from typing import Any

from hardship_cli.casework import intake
from hardship_cli.cli import prompts


def field(name: str) -> intake.Field:
    return next(f for f in intake.GRANT_FIELDS + intake.VISIT_FIELDS if f.name == name)


def test_a_wrong_choice_is_asked_again(monkeypatch, capsys):
    answers = iter(["medcal", "medical"])
    asked: list[str] = []

    def prompt(text: str, **_: Any) -> str:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(prompts.typer, "prompt", prompt)
    values: dict[str, Any] = {}
    prompts.ask(field("kind"), values)
    assert values == {"kind": "medical"}
    assert len(asked) == 2
    assert ("'medcal' is not one of: living, medical, schooling, holiday, emergency, "
            "employment, legal, other; did you mean medical?") in capsys.readouterr().err


def test_free_text_and_lists_are_taken_as_typed(monkeypatch):
    answers = iter(["  化疗自付部分 ", "王芳; 李明"])
    monkeypatch.setattr(prompts.typer, "prompt", lambda text, **_: next(answers))
    values: dict[str, Any] = {}
    prompts.ask(field("reason"), values)
    prompts.ask(field("visitor"), values)
    assert values == {"reason": "化疗自付部分", "visitor": ["王芳", "李明"]}


def test_not_a_choice():
    assert prompts.not_a_choice(field("kind"), "living") is None
    assert prompts.not_a_choice(field("reason"), "anything") is None
    assert prompts.not_a_choice(field("occasion"), ["xyz"]) == (
        "'xyz' is not one of: spring_festival, mid_autumn, dragon_boat, labour_day, new_year, "
        "summer_cooling, routine, home_check, hospital")
