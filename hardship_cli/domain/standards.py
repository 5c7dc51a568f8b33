"""Minimum living standards (低保) change by date: who changes tier when one does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hardship_cli.domain.case import CaseFacts
from hardship_cli.domain.config import Config, Standard
from hardship_cli.domain.enums import OPEN_CASE_STATUSES, Level
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError

MOVES = ("falls_out", "deep_to_relative", "relative_to_deep", "none_to_relative", "none_to_deep")


@dataclass(frozen=True, slots=True)
class TierChange:
    case: CaseFacts
    per_capita: Decimal
    before: Level | None  # None: above the relative line
    after: Level | None

    @property
    def move(self) -> str:
        if self.after is None:
            return "falls_out"
        before = self.before.value if self.before else "none"
        return f"{before}_to_{self.after.value}"


@dataclass(frozen=True, slots=True)
class Impact:
    old: Standard | None
    new: Standard
    changes: list[TierChange]
    unchanged: int


def level_under(config: Config, per_capita: Decimal, monthly: Decimal) -> Level | None:
    if per_capita < monthly * config.tiers.deep:
        return Level.deep
    if per_capita < monthly * config.tiers.relative:
        return Level.relative
    return None


def impact(
    config: Config, cases: Iterable[CaseFacts], start: date, monthly: Decimal | None = None
) -> Impact:
    """Compare the standard in force the day before `start` with the new one: the one given
    as `monthly`, or the entry of hardship.yaml that starts on `start`. Open files only;
    hardship by accident (意外致困) does not follow income and is left out."""
    old = config.standard_on(start - timedelta(days=1))
    if monthly is None:
        new = next((s for s in config.standards if s.from_ == start), None)
        if new is None:
            raise UsageError(
                _("hardship.yaml has no standard starting on {date}").format(date=start),
                _("give the new figure with --monthly N, or add the standard to hardship.yaml"),
            )
    else:
        new = Standard.model_validate({"from": start, "monthly": monthly})
    changes = []
    unchanged = 0
    for case in sorted(cases, key=lambda c: c.id):
        if case.status not in OPEN_CASE_STATUSES or case.level == Level.accident:
            continue
        per_capita = case.per_capita
        before = level_under(config, per_capita, old.monthly) if old else None
        after = level_under(config, per_capita, new.monthly)
        if before == after:
            unchanged += 1
        else:
            changes.append(TierChange(case, per_capita, before, after))
    return Impact(old, new, changes, unchanged)


def mismatches_today(
    config: Config, cases: Iterable[CaseFacts], today: date
) -> list[TierChange]:
    """Open files whose level no longer matches the standard in force today (for `due`)."""
    standard = config.standard_on(today)
    if standard is None:
        return []
    result = []
    for case in sorted(cases, key=lambda c: c.id):
        if case.status not in OPEN_CASE_STATUSES or case.level == Level.accident:
            continue
        now = level_under(config, case.per_capita, standard.monthly)
        if now != case.level:
            result.append(TierChange(case, case.per_capita, case.level, now))
    return result
