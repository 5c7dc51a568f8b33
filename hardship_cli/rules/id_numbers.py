"""ID numbers that check themselves (GB 11643): the check digit, a real birth date that
agrees with the record's `birth_date`, and the sex digit that agrees with `sex`; for the
worker and for every member who has one. The number is never put into a message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hardship_cli.domain.idcard import birth_date_of, check_digit_ok, sex_of
from hardship_cli.domain.model import Case, Config
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def id_numbers_check_themselves(records: Records, config: Config, today: date) -> list[Problem]:
    return check_one_by_one(records, records.cases.values(), case_id_numbers, config)


def case_id_numbers(case: Case, src: Source, config: Config | None = None) -> list[Problem]:
    """The ID-number problems of one case (worker and members)."""
    found: list[Problem] = []
    people: list[tuple[tuple[str | int, ...], str, str | None, date | None, str | None]] = [
        (("worker",), _("the worker's"), case.worker.id_number, case.worker.birth_date,
         case.worker.sex.value),
    ]
    for i, member in enumerate(case.household):
        whose = _("member {n}'s ({name})").format(n=i + 1, name=member.name)
        people.append((("household", i), whose, member.id_number, member.birth_date, None))
    for path, whose, number, born, sex in people:
        if number:
            line = src.line(*path, "id_number")
            found.extend(
                Problem(src.path, line, code, _("{case}: {problem}").format(
                    case=case.id, problem=message), hint)
                for code, message, hint in id_number_findings(whose, number, born, sex)
            )
    return found


def id_number_findings(
    whose: str, number: str, born: date | None, sex: str | None
) -> Iterator[tuple[str, str, str]]:
    """(code, message, hint) of what a well-shaped ID number gets wrong; nothing when it
    is right. A number whose check digit fails says only that: its other digits cannot
    be trusted to say more."""
    if not check_digit_ok(number):
        yield (
            "id-check-digit",
            _("{whose} ID number fails its check digit (the 18th character)").format(whose=whose),
            _("a digit was mistyped: compare the number with the ID card, digit by digit"),
        )
        return
    in_number = birth_date_of(number)
    if in_number is None:
        yield (
            "id-birth-date",
            _("{whose} ID number holds no real birth date (digits 7 to 14)").format(whose=whose),
            _("digits 7 to 14 are the birth date, YYYYMMDD: check them against the ID card"),
        )
    elif born is not None and in_number != born:
        yield (
            "id-birth-date",
            _(
                "the birth date in {whose} ID number (digits 7 to 14) is not birth_date {born}"
            ).format(whose=whose, born=born),
            _("the ID number and birth_date name different days: check both against the ID card"),
        )
    said = sex_of(number)
    if sex is not None and said is not None and said != sex:
        yield (
            "id-sex",
            _("the sex digit of {whose} ID number (digit 17) says {said}, but sex is {sex}").format(
                whose=whose, said=label("sex", said), sex=label("sex", sex)
            ),
            _("digit 17 is odd for a man and even for a woman: check the number and sex"),
        )
