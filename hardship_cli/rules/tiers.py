"""The tier of a case follows its per-capita income and the standard in force."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import OPEN_CASE_STATUSES, Case, Config, Level
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def level_matches_income(records: Records, config: Config, today: date) -> list[Problem]:
    return check_one_by_one(records, records.cases.values(), case_level, config)


def case_level(case: Case, src: Source, config: Config) -> list[Problem]:
    """The tier check of one open case against the standard in force when it was filed."""
    if case.status not in OPEN_CASE_STATUSES or case.level == Level.accident:
        return []
    standard = config.standard_on(case.filed.on)
    if standard is None:
        return [
            Problem(
                src.path,
                src.line("filed", "on"),
                "no-standard",
                _("no minimum living standard is in force on {day}").format(day=case.filed.on),
                _("add a `standards` entry in hardship.yaml that starts on or before it"),
                WARNING,
            )
        ]
    per_capita = case.per_capita_monthly
    expected = config.level_for(per_capita, case.filed.on)
    if expected == case.level:
        return []
    deep_line = standard.monthly * config.tiers.deep
    relative_line = standard.monthly * config.tiers.relative
    should = (
        label("tier", expected.value) if expected else _("no tier (above the relative line)")
    )
    return [
        Problem(
            src.path,
            src.line("level"),
            "tier-mismatch",
            _(
                "{id} is {tier}, but its per-capita income {income} against the standard "
                "{standard} (from {since}) makes it {should}"
            ).format(
                id=case.id,
                tier=label("tier", case.level.value),
                income=f"{per_capita:,.2f}",
                standard=f"{standard.monthly:,.2f}",
                since=standard.from_,
                should=should,
            ),
            _(
                "{deep} below {deep_line}, {relative} below {relative_line}; correct the "
                "level or the income"
            ).format(
                deep=label("tier", "deep"),
                deep_line=f"{deep_line:,.2f}",
                relative=label("tier", "relative"),
                relative_line=f"{relative_line:,.2f}",
            ),
            WARNING,
        )
    ]
