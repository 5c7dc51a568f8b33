"""What a transition returns, and the rules every transition keeps when it dates a step.

A transition (`case_transitions`, `grant_transitions`, `referrals`) is a plain function:
it takes the records as loaded, the acting officer's name, the day and the options, and
returns an `Outcome` holding the changed copy of the record; or it raises `Refused`
naming the rule and the figures. Nothing in them reads or writes a file (see `actions`).

What they say to the person at the terminal (refusals, hints, `says`) is in the terminal's
language (`i18n._`); the commit subject is in the root's (`register`: hardship.yaml's
`locale`), whatever the terminal speaks, and its trailers stay English (edit/commits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hardship_cli.domain.model import (
    Campaign,
    Case,
    Config,
    Decision,
    Grant,
    Role,
    Step,
    StepName,
    Visit,
)
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import DEFAULT, N_, _, gettext_in, normalize
from hardship_cli.problems import UsageError


@dataclass(frozen=True)
class Outcome:
    """What an action did: the record as it is now, and how to tell it."""

    record: Case | Grant | Campaign | Visit
    action: str  # file | check | review | notice | object | approve | reject | ...
    by: str
    role: Role | None
    # One line, as the union's register would read, in the root's language (`register`).
    subject: str
    # More lines for the person at the terminal, in the terminal's language.
    says: list[str] = field(default_factory=list)
    override: bool = False
    on: date = field(kw_only=True)  # the day the step is dated (never after today)
    # Changes to other records the action makes first, each its own commit (a case's
    # closing cancels its approved, unpaid grants): see actions.change_many.
    first: tuple[Outcome, ...] = field(default=(), kw_only=True)

    @property
    def record_id(self) -> str:
        return self.record.id


# How a list of words is joined in the terminal's language (`words`).
AND, OR, COMMA = N_(" and "), N_(" or "), N_(", ")


def word(group: str, code: str) -> str:
    """A code as the terminal says it (domain/vocabulary)."""
    return label(group, code)


def words(group: str, codes: Iterable[str], joiner: str = COMMA) -> str:
    """Codes as the terminal says them, joined: `chair and leader`, 工会主席和分管领导."""
    return _(joiner).join(label(group, str(c)) for c in codes)


@dataclass(frozen=True)
class Register:
    """The union's register: the language of the records root (hardship.yaml's `locale`),
    in which commit subjects are written, whatever the terminal speaks. Trailers stay the
    English keys programs read (edit/commits)."""

    lang: str

    def __call__(self, message: str) -> str:
        """`message` (marked with `N_` where it is written) in the root's language."""
        return gettext_in(self.lang, message)

    def word(self, group: str, code: str) -> str:
        """The root's word for a code (domain/vocabulary)."""
        return label(group, code, self.lang)

    def words(self, group: str, codes: Iterable[str], joiner: str = COMMA) -> str:
        return self(joiner).join(self.word(group, str(c)) for c in codes)

    def who(self, by: str, role: Role | None) -> str:
        """The acting officer and the role they act in: 李明 (officer), 李明（工会干事）."""
        if role is None:
            return by
        return self(N_("{by} ({role})")).format(by=by, role=self.word("role", role.value))


def register(config: Config | None) -> Register:
    """The register of the root whose hardship.yaml is `config`."""
    locale = config.locale.value if config is not None else None
    return Register(normalize(locale) or DEFAULT)


def not_after_today(what: str, day: date, today: date) -> None:
    """An action is never dated after the day it is recorded (today, or --today): a
    notice, an approval or a payment cannot be dated ahead to pass a rule. Back-dating
    (a paper approval recorded later) is kept to the order of the steps (not_before)."""
    if day > today:
        raise UsageError(
            _(
                "{what} dated {day}, after today ({today}): an action is never dated in the future"
            ).format(what=what, day=day, today=today),
            _("date it the day it happened (--on), today or earlier"),
        )


def not_before(day: date, earliest: date, what: str, since: str) -> None:
    """A step is not dated before the step it follows (`since`: what happened on
    `earliest`)."""
    if day < earliest:
        raise UsageError(
            _("{what} on {day} would come before {since} on {earliest}").format(
                what=what, day=day, since=since, earliest=earliest
            ),
            _("date it {earliest} or later (--on)").format(earliest=earliest),
        )


def rejection(by: str, role: Role, day: date, reason: str) -> Step:
    """The step that rejects a case in intake or a proposed grant."""
    return Step(
        step=StepName.reject,
        by=by,
        role=role,
        on=day,
        decision=Decision.rejected,
        note=reason.strip(),
    )
