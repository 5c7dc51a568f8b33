"""The conditions of a program (domain/programs.py), judged for one household on one day:
each that fails, with the household's figure and the threshold, in words and in stable
codes (`hardship advise`, rules/advice.py). A household is judged by its facts (CaseFacts,
kept in the parse cache): advice never rebuilds the cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hardship_cli.domain.case import CaseFacts, ReferralFacts
from hardship_cli.domain.config import Config
from hardship_cli.domain.enums import Cause, GrantKind, GrantStatus, ReferralStatus, ReferralTo
from hardship_cli.domain.grant import GrantFacts
from hardship_cli.domain.money import yuan
from hardship_cli.domain.programs import Program, Runner
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import N_, _, ngettext

# Grants that are help given or on its way (a rejected or cancelled one is not).
GIVEN = frozenset({GrantStatus.proposed, GrantStatus.approved, GrantStatus.paid})
OPEN_REFERRAL = frozenset({ReferralStatus.sent, ReferralStatus.answered})
# Where a case is referred for a program run by others (`add referral --to`).
REFER_TO: Mapping[Runner, ReferralTo] = {
    Runner.higher_union: ReferralTo.city_union,
    Runner.civil_affairs: ReferralTo.civil_affairs,
    Runner.hospital: ReferralTo.hospital,
    Runner.school: ReferralTo.school,
    Runner.other: ReferralTo.other,
}


@dataclass(frozen=True, slots=True)
class Failed:
    """A condition that fails: its name, the household's figure and the threshold (as
    stable text for JSON: codes, yuan with two decimals, dates) and the sentence, in the
    terminal's language, made when it is read (`advise --all` reads none)."""

    condition: str
    figure: str
    threshold: str
    say: Callable[[], str] = field(compare=False, repr=False)

    @property
    def message(self) -> str:
        return self.say()


def is_for(program: Program, purpose: str) -> bool:
    """Is a referral's purpose this program's (it names the program or its id)?"""
    return program.name in purpose or program.id in purpose


def program_referrals(program: Program, case: CaseFacts) -> list[tuple[int, ReferralFacts]]:
    if not case.referrals:
        return []
    target = REFER_TO.get(program.runner)
    return [
        (n, r)
        for n, r in enumerate(case.referrals, 1)
        if target is not None and r.to == target and is_for(program, r.purpose)
    ]


def failures(
    config: Config, program: Program, case: CaseFacts, grants: list[GrantFacts], day: date
) -> list[Failed]:
    """The conditions of the program the household does not meet, in the vocabulary's
    order."""
    return list(each_failure(config, program, case, grants, day))


def meets(
    config: Config, program: Program, case: CaseFacts, grants: list[GrantFacts], day: date
) -> bool:
    """Does the household meet every condition of the program? (Stops at the first that
    fails: `advise --all` asks it of fifty thousand pairs.)"""
    return next(each_failure(config, program, case, grants, day), None) is None


def each_failure(
    config: Config, program: Program, case: CaseFacts, grants: list[GrantFacts], day: date
) -> Iterator[Failed]:
    """The conditions the household does not meet, one by one, in the vocabulary's order."""
    c = program.conditions
    if c.tier is not None and case.level not in c.tier:
        yield (
            _one_of(
                "tier",
                "tier",
                case.level,
                c.tier,
                N_("tier is {figure}; the program asks for {threshold}"),
            )
        )
    if c.primary_cause is not None and case.cause not in c.primary_cause:
        yield (
            _one_of(
                "primary_cause",
                "cause",
                case.cause,
                c.primary_cause,
                N_("primary cause is {figure}; the program asks for {threshold}"),
            )
        )
    if c.any_cause is not None:
        causes = [case.cause, *case.secondary]
        if not set(causes) & set(c.any_cause):
            yield _any_cause(causes, c.any_cause)
    if c.employment is not None and case.employment not in c.employment:
        yield (
            _one_of(
                "employment",
                "employment",
                case.employment,
                c.employment,
                N_("employment is {figure}; the program asks for {threshold}"),
            )
        )
    if c.income_below is not None:
        yield from _income(config, case, c.income_below, day)
    if c.member is not None:
        yield from _member(program, case, day)
    if c.medical_expense_above is not None:
        spent = case.rigid_expenses
        if not spent > c.medical_expense_above:
            yield _medical(spent, c.medical_expense_above)
    if c.not_received is not None:
        yield from _not_received(c.not_received.kind, c.not_received.months, grants, day)
    if c.no_open_referral:
        for n, r in program_referrals(program, case):
            if r.status in OPEN_REFERRAL:
                yield _open_referral(n, r.sent_on)
                break


def _any_cause(causes: list[Cause], wanted: list[Cause]) -> Failed:
    return Failed(
        "any_cause",
        ",".join(causes),
        ",".join(wanted),
        lambda: _("causes are {figure}; the program asks for one of {threshold}").format(
            figure=_words("cause", causes), threshold=_words("cause", wanted)
        ),
    )


def _medical(spent: Decimal, above: Decimal) -> Failed:
    return Failed(
        "medical_expense_above",
        f"{spent:.2f}",
        f"{above:.2f}",
        lambda: _(
            "medical and other rigid expenses {figure} a month are not above {threshold}"
        ).format(figure=yuan(spent), threshold=yuan(above)),
    )


def _open_referral(n: int, sent: date) -> Failed:
    return Failed(
        "no_open_referral",
        f"referral {n}",
        str(sent),
        lambda: _("referral {n} for this program, sent {day}, is still open").format(n=n, day=sent),
    )


def _words(group: str, codes: Iterable[str]) -> str:
    return _(", ").join(label(group, str(code)) for code in codes) if codes else "-"


def _one_of(condition: str, group: str, figure: str, allowed: list, template: str) -> Failed:
    return Failed(
        condition,
        str(figure),
        ",".join(str(a) for a in allowed),
        lambda: _(template).format(
            figure=label(group, str(figure)), threshold=_words(group, allowed)
        ),
    )


def _income(config: Config, case: CaseFacts, multiple: Decimal, day: date) -> list[Failed]:
    standard = config.standard_on(day)
    per_capita = case.per_capita
    if standard is None:
        return [
            Failed(
                "income_below",
                f"{per_capita:.2f}",
                "",
                lambda: _("no minimum living standard is in force on {day}").format(day=day),
            )
        ]
    line = (standard.monthly * multiple).quantize(Decimal("0.01"))
    if per_capita < line:
        return []
    return [
        Failed(
            "income_below",
            f"{per_capita:.2f}",
            f"{line:.2f}",
            lambda: _(
                "per-capita income {figure} a month is not below {threshold} ({multiple} x the "
                "standard {standard})"
            ).format(
                figure=yuan(per_capita),
                threshold=yuan(line),
                multiple=_multiple(multiple),
                standard=yuan(standard.monthly),
            ),
        )
    ]


def _multiple(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _member(program: Program, case: CaseFacts, day: date) -> list[Failed]:
    want = program.conditions.member
    assert want is not None
    for member in case.members:
        if want.relation is not None and member.relation not in want.relation:
            continue
        if want.age_from is not None or want.age_to is not None:
            if member.birth_date is None:
                continue
            age = age_on(member.birth_date, day)
            if want.age_from is not None and age < want.age_from:
                continue
            if want.age_to is not None and age > want.age_to:
                continue
        if want.health is not None and member.health not in want.health:
            continue
        if want.schooling is not None and not any(
            word in (member.occupation or "") for word in want.schooling
        ):
            continue
        return []
    return [
        Failed(
            "member",
            "0",
            member_wanted(program, stable=True),
            lambda: ngettext(
                "0 of the household's {count} member matches ({threshold})",
                "0 of the household's {count} members match ({threshold})",
                len(case.members),
            ).format(count=len(case.members), threshold=member_wanted(program)),
        )
    ]


def member_wanted(program: Program, stable: bool = False) -> str:
    """The member a program asks for, in words (or, `stable`, in codes for JSON)."""
    want = program.conditions.member
    assert want is not None
    parts: list[str] = []
    if want.relation is not None:
        parts.append(
            "relation=" + ",".join(want.relation)
            if stable
            else _("relation: {values}").format(values=_words("relation", want.relation))
        )
    if want.age_from is not None or want.age_to is not None:
        low = "" if want.age_from is None else str(want.age_from)
        high = "" if want.age_to is None else str(want.age_to)
        parts.append(
            f"age={low}-{high}"
            if stable
            else _("aged {low} to {high}").format(low=low or "0", high=high or "-")
        )
    if want.health is not None:
        parts.append(
            "health=" + ",".join(want.health)
            if stable
            else _("health: {values}").format(values=_words("health", want.health))
        )
    if want.schooling is not None:
        parts.append(
            "schooling=" + ",".join(want.schooling)
            if stable
            else _("schooling: {values}").format(values=_(", ").join(want.schooling))
        )
    return ";".join(parts) if stable else _("; ").join(parts)


def _not_received(
    kind: GrantKind, months: int, grants: list[GrantFacts], day: date
) -> list[Failed]:
    since = months_before(day, months)
    recent = [
        g for g in grants if g.kind == kind and g.status in GIVEN and since < g.proposed_on <= day
    ]
    if not recent:
        return []
    last = max(recent, key=lambda g: (g.proposed_on, g.id))
    return [
        Failed(
            "not_received",
            str(last.proposed_on),
            str(months),
            lambda: _("received {kind} on {day} ({grant}), within the last {months} months").format(
                kind=label("kind", kind), day=last.proposed_on, grant=last.id, months=months
            ),
        )
    ]


def months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return date(year, month, 28)  # pragma: no cover
