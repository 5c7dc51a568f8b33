"""Which help a household qualifies for: each program of hardship.yaml (domain/programs.py)
judged for one case on one day (`hardship advise`), and the households that qualify for
help they have not received (`advise --all`).

A verdict is one of: `received` (this year, with the grant or the referral), `fails` (the
conditions that fail, each with the household's figure and the threshold:
rules/conditions.py), `not_open` (every condition holds, the yearly window opens on a
later day) and `qualifies`. For a program of the union, the cap of its kind left this
year; for a program of others, the `hardship add referral` line that asks for it.

A household is judged by its facts (CaseFacts): neither one household's advice nor ten
thousand households' rebuild a case from the cache.
"""

from __future__ import annotations

import gc
import re
import shlex
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hardship_cli.domain.case import CaseFacts
from hardship_cli.domain.config import Config
from hardship_cli.domain.enums import CaseStatus, GrantKind, Level, ReferralStatus
from hardship_cli.domain.grant import GrantFacts
from hardship_cli.domain.money import cap_limits, counts
from hardship_cli.domain.programs import UNION_RUNNERS, Program, Runner
from hardship_cli.i18n import N_, _
from hardship_cli.rules.conditions import (
    GIVEN,
    REFER_TO,
    Failed,
    failures,
    meets,
    program_referrals,
)

# Verdicts, in the order they are shown.
QUALIFIES = "qualifies"
NOT_OPEN = "not_open"
RECEIVED = "received"
FAILS = "fails"
STATUSES = (QUALIFIES, NOT_OPEN, RECEIVED, FAILS)

TIER_ORDER = {Level.deep: 0, Level.relative: 1, Level.accident: 2}

RUNNER_WORDS = {
    Runner.union: N_("this union"),
    Runner.higher_union: N_("the higher union"),
    Runner.civil_affairs: N_("civil-affairs bureau"),
    Runner.hospital: N_("a hospital"),
    Runner.school: N_("a school"),
    Runner.other: N_("another body"),
}


def runner_word(runner: Runner) -> str:
    return _(RUNNER_WORDS[runner])


@dataclass(slots=True)
class Verdict:
    program: Program
    status: str
    failed: list[Failed] = field(default_factory=list)
    received: str | None = None  # a grant's id, or `referral N`
    received_on: date | None = None
    opens: date | None = None  # not_open: the day the window opens
    closes: date | None = None  # qualifies with a window: its last day
    cap_left: Decimal | None = None  # programs of the union: the kind's cap left this year
    refer: str | None = None  # programs of others: the line that sends the referral


@dataclass(slots=True)
class Advice:
    case: CaseFacts
    day: date
    verdicts: list[Verdict]  # advise_all's: the qualifying ones only
    waiting_since: date  # the last help given, else the day the file was approved or filed

    @property
    def qualifying(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == QUALIFIES]

    @property
    def waited_days(self) -> int:
        return (self.day - self.waiting_since).days


def grants_by_case(grants: Iterable[GrantFacts]) -> dict[str, list[GrantFacts]]:
    found: dict[str, list[GrantFacts]] = defaultdict(list)
    for grant in grants:
        found[grant.case].append(grant)
    return found


def advise(config: Config, case: CaseFacts, grants: list[GrantFacts], day: date) -> Advice:
    """Each program in force on `day`, judged for this household (its grants given; those
    proposed after `day` are not yet known on it)."""
    grants = [g for g in grants if g.proposed_on <= day]
    used = year_totals(grants)
    verdicts = [
        judge(config, p, case, grants, day, used) for p in config.programs if p.in_force(day)
    ]
    order = {status: i for i, status in enumerate(STATUSES)}
    verdicts.sort(key=lambda v: order[v.status])  # stable: hardship.yaml's order within
    return Advice(case, day, verdicts, waiting_since(case, grants))


def advise_all(
    config: Config, cases: Iterable[CaseFacts], grants: Iterable[GrantFacts], day: date
) -> list[Advice]:
    """Every active household that qualifies for a program it has not received, by tier
    (deep first), then the longest wait since its last help. Each advice holds only the
    qualifying verdicts: the others are not worked out (a program whose window is closed
    on `day` cannot qualify; a condition that fails ends a program's judging)."""
    by_case = grants_by_case(g for g in grants if g.proposed_on <= day)
    programs = [
        p
        for p in config.programs
        if p.in_force(day) and (p.window is None or p.window.contains(day))
    ]
    found = []
    # The collector off while ten thousand households are judged (the verdicts hold no
    # cycles; it walked the growing list again and again: a fifth of the time).
    collect = gc.isenabled()
    gc.disable()
    try:
        for case in cases:
            if case.status != CaseStatus.active:
                continue
            mine = by_case.get(case.id, [])
            wins = [
                p
                for p in programs
                if meets(config, p, case, mine, day) and received(p, case, mine, day) is None
            ]
            if wins:
                used = year_totals(mine)
                verdicts = [judge(config, p, case, mine, day, used) for p in wins]
                found.append(Advice(case, day, verdicts, waiting_since(case, mine)))
    finally:
        if collect:
            gc.enable()
    found.sort(key=lambda a: (TIER_ORDER[a.case.level], a.waiting_since, a.case.id))
    return found


def waiting_since(case: CaseFacts, grants: list[GrantFacts]) -> date:
    given = [g.proposed_on for g in grants if g.status in GIVEN]
    if given:
        return max(given)
    return case.since or case.filed_on


# ---------------------------------------------------------------------------------------
# One program, one household


def year_totals(grants: list[GrantFacts]) -> dict[tuple[GrantKind, int], Decimal]:
    """What one household received (approved or paid) of each kind in each year: its
    grants summed once, not once a program (money.case_year_total, for all kinds)."""
    totals: dict[tuple[GrantKind, int], Decimal] = {}
    for g in grants:
        if counts(g):
            key = (g.kind, g.year)
            totals[key] = totals.get(key, Decimal("0")) + g.amount
    return totals


def judge(
    config: Config,
    program: Program,
    case: CaseFacts,
    grants: list[GrantFacts],
    day: date,
    used: dict[tuple[GrantKind, int], Decimal] | None = None,
) -> Verdict:
    """One program for one household; `used`: its year_totals (worked out here if not
    given)."""
    verdict = Verdict(program, FAILS)
    if program.runner in UNION_RUNNERS:
        _per_grant, per_year = cap_limits(config, program.kind)
        if per_year is not None:
            if used is None:
                used = year_totals([g for g in grants if g.case == case.id])
            year_total = used.get((program.kind, day.year), Decimal("0"))
            verdict.cap_left = max(per_year - year_total, Decimal("0"))
    got = received(program, case, grants, day)
    if got is not None:
        verdict.status = RECEIVED
        verdict.received, verdict.received_on = got
        if program.window is not None and not program.window.contains(day):
            verdict.opens = program.window.opens_after(day)
        return verdict
    verdict.failed = failures(config, program, case, grants, day)
    if verdict.failed:
        return verdict
    window = program.window
    if window is not None and not window.contains(day):
        verdict.status = NOT_OPEN
        verdict.opens = window.opens_after(day)
    else:
        verdict.status = QUALIFIES
        if window is not None:
            verdict.closes = window.closes_on(day)
    if program.runner not in UNION_RUNNERS:
        verdict.refer = referral_line(program, case)
    return verdict


def referral_line(program: Program, case: CaseFacts) -> str:
    words = [
        "hardship",
        "add",
        "referral",
        case.id,
        "--to",
        REFER_TO[program.runner].value,
        "--purpose",
        program.name,
    ]
    if program.body:
        words += ["--body", program.body]
    return " ".join(shell_word(w) for w in words)


_PLAIN_WORD = re.compile(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~]+")


def shell_word(word: str) -> str:
    """A word of a command line to copy: as it is when the shell reads it so (Chinese
    included), else quoted."""
    return word if _PLAIN_WORD.fullmatch(word) else shlex.quote(word)


def received(
    program: Program, case: CaseFacts, grants: list[GrantFacts], day: date
) -> tuple[str, date] | None:
    """The help of this program the household received in its period (the window's
    latest season, else this year): a grant of its kind (from the higher union's fund,
    for its programs), or a referral for it that helped (recurring help, such as 低保金,
    counts as long as it runs)."""
    if program.window is not None:
        start, end = program.window.season_of(day)
        end = min(end, day)
    else:
        start, end = date(day.year, 1, 1), day
    if program.runner in UNION_RUNNERS:
        mine = [
            g
            for g in grants
            if g.kind == program.kind
            and g.status in GIVEN
            and start <= g.proposed_on <= end
            and (program.runner == Runner.union or g.fund == "higher_union")
        ]
        if mine:
            last = max(mine, key=lambda g: (g.proposed_on, g.id))
            return last.id, last.proposed_on
    for n, referral in reversed(program_referrals(program, case)):
        r = referral
        if r.status != ReferralStatus.helped:
            continue
        on = r.answered_on if r.answered_on is not None else r.sent_on
        if on <= day and (start <= on <= end or r.recurring):
            return f"referral {n}", on  # stable (JSON); shown with received_text
    return None


def received_text(what: str) -> str:
    """A grant's id as it is; `referral N` in the terminal's language."""
    if what.startswith("referral "):
        return _("referral {n}").format(n=what.removeprefix("referral "))
    return what
