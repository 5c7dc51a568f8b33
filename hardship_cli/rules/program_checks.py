"""The checks of the programs of hardship.yaml against the records (`hardship programs
check`): a yearly window that closed with qualifying households not helped (P-WINDOW), two
programs of the union paying the same kind within the year's cap (P-TWICE), a program's
amount above its kind's cap a grant (P-CAP)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hardship_cli.domain.case import CaseFacts, active_between
from hardship_cli.domain.config import Config
from hardship_cli.domain.enums import CaseStatus
from hardship_cli.domain.grant import GrantFacts
from hardship_cli.domain.money import cap_limits, yuan
from hardship_cli.domain.programs import UNION_RUNNERS, day_in
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _, ngettext
from hardship_cli.rules.advice import QUALIFIES, grants_by_case, judge, received


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # P-WINDOW, P-TWICE, P-CAP
    program: str
    message: str
    cases: tuple[str, ...] = ()


def check_programs(
    config: Config, cases: Iterable[CaseFacts], grants: Iterable[GrantFacts], day: date
) -> list[Finding]:
    found: list[Finding] = []
    live = [p for p in config.programs if p.in_force(day)]
    for program in live:
        per_grant, _per_year = cap_limits(config, program.kind)
        most = program.amount.most if program.amount is not None else None
        if (
            program.runner in UNION_RUNNERS
            and per_grant is not None
            and most is not None
            and most > per_grant
        ):
            found.append(
                Finding(
                    "P-CAP",
                    program.id,
                    _(
                        "program {id} gives up to {amount}, above the cap of {kind}: {cap} a grant"
                    ).format(
                        id=program.id,
                        amount=yuan(most),
                        cap=yuan(per_grant),
                        kind=label("kind", program.kind),
                    ),
                )
            )
    union = [p for p in live if p.runner in UNION_RUNNERS]
    for i, first in enumerate(union):
        for second in union[i + 1 :]:
            if first.kind == second.kind:
                found.append(
                    Finding(
                        "P-TWICE",
                        first.id,
                        _(
                            "programs {first} and {second} both pay {kind}: one household may be "
                            "paid twice within the year's cap"
                        ).format(first=first.id, second=second.id, kind=label("kind", first.kind)),
                    )
                )
    windowed = [p for p in live if p.window is not None]
    if windowed:
        by_case = grants_by_case(grants)
        active = [c for c in cases if c.status == CaseStatus.active]
        for program in windowed:
            window = program.window
            assert window is not None
            last_close = day_in(day.year, window.until)  # the window that closed this year
            if window.contains(day) or last_close >= day or not program.in_force(last_close):
                continue
            missed = tuple(
                c.id
                for c in active
                if active_between(c.status, c.since, c.closed_on, last_close)
                and judge(config, program, c, by_case.get(c.id, []), last_close).status == QUALIFIES
                and received(program, c, by_case.get(c.id, []), day) is None
            )
            if missed:
                found.append(
                    Finding(
                        "P-WINDOW",
                        program.id,
                        ngettext(
                            "the window of {id} closed on {day}; {count} qualifying household was "
                            "not helped",
                            "the window of {id} closed on {day}; {count} qualifying households "
                            "were not helped",
                            len(missed),
                        ).format(id=program.id, day=last_close, count=len(missed)),
                        missed,
                    )
                )
    return found
