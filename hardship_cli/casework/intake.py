"""New records: what each kind asks for, how typed answers become a record, and its ID.

The fields here are the domain's (which are required, which values are allowed, what a
sensible default is); the CLI turns them into flags and prompts. Everything typed arrives
as text and is checked by the record model, so a bad value gets the message `validate`
would give.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from hardship_cli.domain.enums import (
    Cause,
    Employment,
    GrantKind,
    Health,
    Level,
    Occasion,
    Sex,
)
from hardship_cli.domain.kinds import KINDS
from hardship_cli.domain.vocabulary import code_of, codes, label
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError, printable

# Sequence width of each kind's IDs (DC-2026-01, the others HS-2026-0001).


@dataclass(frozen=True)
class Field:
    """One thing an officer types when adding a record."""

    name: str  # flag name without dashes, with underscores: employee_id -> --employee-id
    path: tuple[str, ...]  # where it goes in the record
    label: str
    required: bool = False
    choices: type[StrEnum] | None = None
    many: bool = False  # repeatable flag -> list
    default: str | None = None  # offered at the prompt; never used without asking

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def shown(self) -> str:
        """The label in the terminal's language (for the flag's help and the prompt)."""
        return _(self.label)

    @property
    def group(self) -> str | None:
        """The vocabulary group of a choice field (domain/vocabulary): its codes' words."""
        return CHOICE_GROUPS.get(self.choices) if self.choices is not None else None

    @property
    def choices_shown(self) -> str | None:
        """The choices of a choice field as a person reads them, in the terminal's language
        (`living（生活救助）、medical（医疗救助）...`), for the flag's help and the prompt."""
        return choice_list(self.group) if self.group is not None else None

    def problem(self, given: str | list[str] | None) -> str | None:
        """Why an answer (at the prompt) names no choice of this field, in the terminal's
        language with the choices and a did-you-mean; None when every answer names one
        (the code, or its word in either language) or the field is not a choice."""
        if self.group is None or not given:
            return None
        for answer in given if isinstance(given, list) else [given]:
            refused = choice_problem(self.group, answer.strip(SPACES), self.flag)
            if refused is not None:
                return _("; ").join(t for t in (refused.message, refused.hint) if t)
        return None

    @property
    def sensitive(self) -> bool:
        """Never echoed: prompted without showing the input. As the model declares it
        (domain/sensitive.py) of the field at this path in the record of any kind here
        (tests/test_sensitive_fields.py holds each kind to its own model)."""
        from hardship_cli.domain.model import Campaign, Case, Contribution, Grant, Visit
        from hardship_cli.domain.sensitive import is_sensitive_path

        models = (Case, Grant, Campaign, Visit, Contribution)
        return any(is_sensitive_path(model, self.path) for model in models)


# The vocabulary group of each kind of choice: what a person may type for it is the code or
# its word in either language (`--kind 医疗救助`, `--level 深度困难`, `--cause 因病`).
CHOICE_GROUPS: dict[type[StrEnum], str] = {
    Level: "tier",
    Cause: "cause",
    GrantKind: "kind",
    Employment: "employment",
    Sex: "sex",
    Health: "health",
    Occasion: "occasion",
}


def choice_list(group: str) -> str:
    """The choices of a group as a person reads them: `code (word)`, in the terminal's
    language."""
    return _(", ").join(choice_shown(group, code) for code in codes(group))


def choice_shown(group: str, code: str) -> str:
    """One choice as a person reads it: `medical (medical relief)`, `medical（医疗救助）`."""
    return _("{code} ({word})").format(code=code, word=label(group, code))


def _suggestion(group: str, text: str) -> str | None:
    """The choice `text` is close to, as `code (word)`, or None."""
    import difflib

    spellings = {
        spelled: code
        for code in codes(group)
        for spelled in (code, label(group, code, "zh"), label(group, code, "en"))
    }
    folded = text.strip().casefold()
    close = [s for s in spellings if folded and folded in s.casefold()][:1]
    close = close or difflib.get_close_matches(text.strip(), list(spellings), n=1, cutoff=0.6)
    if not close:
        return None
    return choice_shown(group, spellings[close[0]])


def choice_problem(group: str, text: str, flag: str) -> UsageError | None:
    """Why `text` names no choice of `group` (the refusal, in the terminal's language, with
    the choices and a did-you-mean), or None when it names one."""
    if code_of(group, text) is not None:
        return None
    close = _suggestion(group, text)
    return UsageError(
        _("{flag} {value} is not one of: {choices}").format(
            flag=flag, value=printable(repr(text)), choices=choice_list(group)
        ),
        _("did you mean {suggestion}?").format(suggestion=close) if close else "",
    )


def read_choice(group: str, text: str, flag: str) -> str:
    """The code `text` names in `group` (the code, or its word in Chinese or English); a
    value naming nothing is refused with the choices."""
    found = code_of(group, text.strip(SPACES))
    if found is not None:
        return found
    problem = choice_problem(group, text.strip(SPACES), flag)
    assert problem is not None
    raise problem


def read_fund(text: str) -> str:
    """A grant's fund: union, higher_union or employer (the code or its word), or
    campaign:DC-YYYY-NN (`募捐:DC-2026-01` as well)."""
    head, sep, tail = text.partition(":")
    if not sep:
        head, sep, tail = text.partition("：")
    if sep:
        if code_of("fund", head.strip()) == "campaign":
            return f"campaign:{tail.strip()}"
        return text  # the record's check names what is wrong with it
    found = code_of("fund", text)
    if found is not None and found != "campaign":
        return found
    if found == "campaign":
        raise UsageError(
            _("--fund campaign names its drive: campaign:DC-YYYY-NN"),
            _("e.g. --fund campaign:DC-2026-01"),
        )
    fixed = [c for c in codes("fund") if c != "campaign"]
    close = _suggestion("fund", text)
    if close is not None and not close.startswith("campaign"):
        hint = _("did you mean {suggestion}?").format(suggestion=close)
    else:
        hint = _("money raised by a drive: --fund campaign:DC-YYYY-NN")
    raise UsageError(
        _("--fund {value} is not one of: {choices}").format(
            value=printable(repr(text)),
            choices=_(", ").join(choice_shown("fund", c) for c in fixed),
        ),
        hint,
    )


CASE_FIELDS = (
    Field("name", ("worker", "name"), N_("the worker's name"), True),
    Field("employee_id", ("worker", "employee_id"), N_("employee number"), True),
    Field("unit", ("worker", "unit"), N_("unit (department)"), True),
    Field("sex", ("worker", "sex"), N_("sex"), True, Sex),
    Field("birth_date", ("worker", "birth_date"), N_("birth date (YYYY-MM-DD)"), True),
    Field("employment", ("worker", "employment"), N_("employment status"), True, Employment),
    Field("health", ("worker", "health"), N_("health"), False, Health, default="healthy"),
    Field("disability", ("worker", "disability"), N_("disability")),
    Field("phone", ("worker", "phone"), N_("phone")),
    Field("id_number", ("worker", "id_number"), N_("ID number")),
    Field("address", ("worker", "address"), N_("address")),
    Field(
        "member",
        ("household",),
        N_(
            "household member: name=...,relation=...[,birth_date=...,health=...,"
            "monthly_income=...,occupation=...]"
        ),
        many=True,
    ),
    Field("housing", ("housing",), N_("housing")),
    Field(
        "household_income",
        ("income", "household_monthly"),
        N_("household income a month (yuan)"),
        True,
    ),
    Field(
        "rigid_expenses",
        ("income", "rigid_expenses_monthly"),
        N_("rigid expenses a month, e.g. medical bills (yuan)"),
    ),
    Field("level", ("level",), N_("level of hardship"), True, Level),
    Field("cause", ("causes", "primary"), N_("main cause of hardship"), True, Cause),
    Field("secondary", ("causes", "secondary"), N_("other cause (up to 3)"), False, Cause, True),
    Field("bank_name", ("bank", "name"), N_("bank")),
    Field("bank_account", ("bank", "account"), N_("bank account")),
    Field("notes", ("notes",), N_("notes")),
)

GRANT_FIELDS = (
    Field("case", ("case",), N_("case ID (HS-...)"), True),
    Field("kind", ("kind",), N_("kind of help"), True, GrantKind),
    Field("amount", ("amount",), N_("amount (yuan)"), True),
    Field(
        "fund",
        ("fund",),
        N_("fund: union, higher_union, employer or campaign:DC-YYYY-NN"),
        True,
        default="union",
    ),
    Field("reason", ("proposed", "reason"), N_("why this help"), True),
    Field("notes", ("notes",), N_("notes")),
)

CAMPAIGN_FIELDS = (
    Field("title", ("title",), N_("title of the drive"), True),
    Field("beneficiary", ("beneficiary",), N_("case it raises money for (empty: general pool)")),
    Field("target", ("target",), N_("target (yuan)")),
    Field("purpose", ("purpose",), N_("purpose")),
    Field("notes", ("notes",), N_("notes")),
)

VISIT_FIELDS = (
    Field("occasion", ("occasion",), N_("occasion"), True, Occasion),
    Field("visitor", ("visitors",), N_("visitor"), True, many=True),
    Field("case", ("cases",), N_("case visited (HS-...)"), True, many=True),
    Field("goods", ("goods",), N_("money or goods given")),
    Field("findings", ("findings",), N_("what the visit found")),
    Field("follow_up", ("follow_up",), N_("follow up on (YYYY-MM-DD)")),
    Field("notes", ("notes",), N_("notes")),
)

DONATION_FIELDS = (
    Field("donor", ("donor",), N_("donor's name"), True),
    Field("amount", ("amount",), N_("amount (yuan)"), True),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "case": CASE_FIELDS,
    "grant": GRANT_FIELDS,
    "campaign": CAMPAIGN_FIELDS,
    "visit": VISIT_FIELDS,
    "donation": DONATION_FIELDS,
}

# The date each new record is dated by (the action's --on day).
DATED_BY: dict[str, Callable[[str, date], dict[str, Any]]] = {
    "case": lambda by, day: {"status": "applied", "filed": {"by": by, "on": day.isoformat()}},
    "grant": lambda by, day: {
        "status": "proposed",
        "proposed": {"by": by, "on": day.isoformat()},
    },
    "campaign": lambda by, day: {"opened": day.isoformat()},
    "visit": lambda by, day: {"on": day.isoformat()},
    "donation": lambda by, day: {"on": day.isoformat()},
}

# Field order of each kind in a new file (the model's order).
_ORDER = {
    "case": (
        "id status worker household housing income level causes bank filed checks approvals "
        "notice review_due closed notes"
    ).split(),
    "grant": "id case kind amount fund status proposed approvals paid override ended notes".split(),
    "campaign": "id title beneficiary opened closed target purpose contributions notes".split(),
    "visit": "id on occasion visitors cases goods findings follow_up notes".split(),
    "donation": "donor amount on anonymous".split(),
}


def missing_fields(kind: str, values: dict[str, Any]) -> list[Field]:
    return [f for f in FIELDS[kind] if f.required and _blank(_trimmed(values.get(f.name)))]


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list) and not value)


# The spaces trimmed from typed text: the ASCII and the ideographic (full-width) space, no
# more: a control character at either end (a tab, \x85) is refused, never taken away.
SPACES = " \u3000"


def _trimmed(value: Any) -> Any:
    """Text as typed, without the spaces around it (`--name " 张三 "` is 张三), as `--as`
    is trimmed; a value of spaces only is blank."""
    if isinstance(value, str):
        return value.strip(SPACES)
    if isinstance(value, list):
        return [v.strip(SPACES) if isinstance(v, str) else v for v in value]
    return value


def draft(kind: str, values: dict[str, Any], by: str, day: date) -> dict[str, Any]:
    """The plain data (text) of a new record from the values typed, before it has an ID."""
    missing = missing_fields(kind, values)
    if missing:
        raise UsageError(
            _("missing {fields}").format(
                fields=_(", ").join(
                    _("{code} ({word})").format(code=f.flag, word=f.shown) for f in missing
                )
            ),
            _("give them as flags; hardship asks for missing values only on a terminal"),
        )
    data: dict[str, Any] = {}
    for f in FIELDS[kind]:
        value = _trimmed(values.get(f.name))
        if _blank(value):
            continue
        if f.name == "member":
            value = [parse_member(text) for text in value or []]
        elif f.group is not None:
            group = f.group
            if isinstance(value, list):
                value = [read_choice(group, v, f.flag) for v in value]
            else:
                value = read_choice(group, value, f.flag)
        elif kind == "grant" and f.name == "fund" and isinstance(value, str):
            value = read_fund(value)
        _put(data, f.path, value)
    for key, value in DATED_BY[kind](by, day).items():
        if isinstance(value, dict):
            data[key] = {**value, **data.get(key, {})}
        else:
            data.setdefault(key, value)
    order = _ORDER[kind]
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else 99)}


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    here = data
    for part in path[:-1]:
        here = here.setdefault(part, {})
    here[path[-1]] = value


_MEMBER_KEYS = ("name", "relation", "birth_date", "health", "monthly_income", "occupation")
# The keys of a member written in Chinese (姓名=李梅,关系=配偶).
_MEMBER_WORDS = {
    "姓名": "name",
    "关系": "relation",
    "与户主关系": "relation",
    "出生日期": "birth_date",
    "健康": "health",
    "健康状况": "health",
    "月收入": "monthly_income",
    "职业": "occupation",
}
# The member's fields that are choices: the code or its word in either language.
_MEMBER_CHOICES = {"relation": "relation", "health": "health"}


def parse_member(text: str) -> dict[str, str]:
    """`name=李梅,relation=spouse,monthly_income=1500` -> a household member's fields
    (`姓名=李梅,关系=配偶` as well: a relation or health is its code or its word)."""
    member: dict[str, str] = {}
    for part in re.split(r"[,，]", text):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip(SPACES).replace("-", "_")
        key = _MEMBER_WORDS.get(key, key)
        if not sep or key not in _MEMBER_KEYS:
            raise UsageError(
                _("--member {value}: write key=value pairs separated by commas").format(
                    value=printable(repr(text))
                ),
                _("keys: {keys}; e.g. --member name=李梅,relation=spouse").format(
                    keys=", ".join(_MEMBER_KEYS)
                ),
            )
        value = value.strip()
        if key in _MEMBER_CHOICES and value:
            value = read_choice(_MEMBER_CHOICES[key], value, f"--member {key}=")
        member[key] = value
    return member


def suggest_level(config: Any, values: dict[str, Any], day: date) -> str | None:
    """The level the income points to, offered at the prompt (the officer decides)."""
    from decimal import Decimal, InvalidOperation

    try:
        income = Decimal(str(values.get("household_income") or ""))
        rigid = Decimal(str(values.get("rigid_expenses") or "0"))
    except InvalidOperation:
        return None
    size = 1 + len(values.get("member") or [])
    per_capita = max(income - rigid, Decimal(0)) / size
    level = config.level_for(per_capita, day)
    return level.value if level is not None else None


# ---------------------------------------------------------------------------------------
# IDs and places


def record_path(kind: str, record_id: str) -> str:
    """Where a record of this kind and ID lives, relative to the root."""
    place = KINDS[kind]
    folder, by_year = place.folder, place.by_year
    if by_year:
        return f"{folder}/{record_id.split('-')[1]}/{record_id}.yaml"
    return f"{folder}/{record_id}.yaml"


def schema_ref(kind: str, rel: str) -> str:
    """The relative path from a record file to its JSON Schema, for the editor's line."""
    depth = rel.count("/")
    return "../" * depth + f".hardship/schema/{kind}.schema.json"


def next_id(root: Path, kind: str, year: int) -> str:
    """The next free ID of a kind and year, from the file names alone (the caller holds
    the root's lock, so no other command can take the same one)."""
    from hardship_cli.load import (
        odd_files,  # here, not at the top: `hardship --help` builds on this module
    )

    place = KINDS[kind]
    folder, prefix, by_year = place.folder, place.prefix, place.by_year
    rel = f"{folder}/{year}" if by_year else folder
    base = root / rel
    # The new file goes into this folder: never one that is (or is reached through) a
    # symbolic link, which would put it outside the root.
    odd_files.check_place(base, rel)
    pattern = re.compile(rf"^{prefix}-{year}-(\d+)\.ya?ml$")
    highest = 0
    try:
        with os.scandir(base) as entries:
            for entry in entries:
                match = pattern.match(entry.name)
                if match:
                    highest = max(highest, int(match.group(1)))
    except FileNotFoundError:
        pass
    width = place.width
    number = highest + 1
    if len(str(number)) > place.max_width:
        raise UsageError(_("no free {kind} number left in {year}").format(kind=kind, year=year))
    return f"{prefix}-{year}-{number:0{width}d}"
