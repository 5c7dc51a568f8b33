"""Every reference points at a record that exists; every signature is an officer's."""

from __future__ import annotations

import functools
from datetime import date

from hardship_cli.domain.model import Case, Config, Grant
from hardship_cli.domain.vocabulary import label
from hardship_cli.domain.wording import labels, listed
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, Problem
from hardship_cli.rules.one_by_one import check_one_by_one


def grant_case_exists(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    cases = records.case_ids()
    for grant in records.grant_facts().values():
        if grant.case not in cases and grant.case not in records.unloaded:
            src = records.source(grant.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("case"),
                    "unknown-case",
                    _("grant {id} is for case {case}, which does not exist").format(
                        id=grant.id, case=grant.case
                    ),
                    _("correct the case ID, or file the household first (hardship add case)"),
                )
            )
    return problems


def campaign_beneficiary_exists(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    for campaign in records.campaigns.values():
        if (
            campaign.beneficiary is not None
            and campaign.beneficiary not in records.case_ids()
            and campaign.beneficiary not in records.unloaded
        ):
            src = records.source(campaign.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("beneficiary"),
                    "unknown-case",
                    _("campaign {id} is for case {case}, which does not exist").format(
                        id=campaign.id, case=campaign.beneficiary
                    ),
                    _("correct the case ID, or leave beneficiary empty for the general pool"),
                )
            )
    return problems


def visit_cases_exist(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    cases = records.case_ids()
    for visit in records.visits.values():
        for index, case_id in enumerate(visit.cases):
            if case_id not in cases and case_id not in records.unloaded:
                src = records.source(visit.id)  # made for a problem only: 10,000 visits
                problems.append(
                    Problem(
                        src.path,
                        src.line("cases", index),
                        "unknown-case",
                        _("visit {id} lists case {case}, which does not exist").format(
                            id=visit.id, case=case_id
                        ),
                        _("correct the case ID"),
                    )
                )
    return problems


def people_are_officers(records: Records, config: Config, today: date) -> list[Problem]:
    """Signatures on approvals and payments name officers from hardship.yaml, in their role."""
    ctx = CheckContext.of(config)
    problems = visitors_are_officers(records, config, today)
    problems.extend(check_one_by_one(records, records.cases.values(), case_signatures, ctx))
    problems.extend(check_one_by_one(records, records.grants.values(), grant_signatures, ctx))
    return problems


class CheckContext:
    """What the checks of one case or grant need of hardship.yaml, worked out once per
    config."""

    __slots__ = ("config", "names", "roles_of", "finance")

    _last: tuple[Config, CheckContext] | None = None

    def __init__(self, config: Config) -> None:
        self.config = config
        self.names = {o.name for o in config.officers}
        # asked once per signature: 200,000 in a city
        self.roles_of = functools.cache(config.roles_of)
        self.finance = {o.name for o in config.officers if o.role.value == "finance"}

    @classmethod
    def of(cls, config: Config) -> CheckContext:
        last = cls._last
        if last is not None and last[0] is config:
            return last[1]
        ctx = cls(config)
        cls._last = (config, ctx)
        return ctx

    def unknown(self, path: str, line: int | None, message: str) -> Problem:
        """`message` says which signature: it names {name}, who is not an officer."""
        return Problem(
            path,
            line,
            "unknown-officer",
            message,
            _("officers are: {names}; add them to `officers` in hardship.yaml").format(
                names=listed(sorted(self.names))
            ),
        )


def grant_signatures(grant: Grant, src: Source, ctx: CheckContext) -> list[Problem]:
    """The officers-and-roles check of one grant's approvals and payment."""
    problems = []
    names = ctx.names
    for index, step in enumerate(grant.approvals):
        if step.by not in names:
            problems.append(
                ctx.unknown(
                    src.path,
                    src.line("approvals", index, "by"),
                    _(
                        "approval of {id} by {name}, who is not an officer in hardship.yaml"
                    ).format(id=grant.id, name=step.by),
                )
            )
        elif step.role is not None and step.role not in ctx.roles_of(step.by):
            problems.append(
                _wrong_role(
                    src.path,
                    src.line("approvals", index, "role"),
                    step.by,
                    step.role.value,
                    ctx.config,
                )
            )
    paid = grant.paid
    if paid is not None:
        if paid.by not in names:
            problems.append(
                ctx.unknown(
                    src.path,
                    src.line("paid", "by"),
                    _(
                        "payment of {id} by {name}, who is not an officer in hardship.yaml"
                    ).format(id=grant.id, name=paid.by),
                )
            )
        elif paid.by not in ctx.finance:
            problems.append(
                Problem(
                    src.path,
                    src.line("paid", "by"),
                    "wrong-role",
                    _("{id} was marked paid by {name}, who is not a finance officer").format(
                        id=grant.id, name=paid.by
                    ),
                    _("only an officer with role finance marks a grant paid"),
                )
            )
    return problems


def case_signatures(case: Case, src: Source, ctx: CheckContext) -> list[Problem]:
    """The officers-and-roles check of one case's checks and approvals."""
    problems = []
    names = ctx.names
    for field_name, steps in (("checks", case.checks), ("approvals", case.approvals)):
        for index, step in enumerate(steps):
            if step.by not in names:
                problems.append(
                    ctx.unknown(
                        src.path,
                        src.line(field_name, index, "by"),
                        _(
                            "{step} of {id} by {name}, who is not an officer in hardship.yaml"
                        ).format(step=label("step", step.step.value), id=case.id, name=step.by),
                    )
                )
            elif step.role is not None and step.role not in ctx.roles_of(step.by):
                problems.append(
                    _wrong_role(
                        src.path,
                        src.line(field_name, index, "role"),
                        step.by,
                        step.role.value,
                        ctx.config,
                    )
                )
    return problems


def visitors_are_officers(records: Records, config: Config, today: date) -> list[Problem]:
    """people_are_officers for visits (cases and grants: one by one, see rules.per_record)."""
    problems = []
    names = CheckContext.of(config).names
    for visit in records.visits.values():
        src = records.source(visit.id)
        for index, who in enumerate(visit.visitors):
            if who not in names:
                problems.append(
                    Problem(
                        src.path,
                        src.line("visitors", index),
                        "unknown-officer",
                        _("visitor {name} is not an officer in hardship.yaml").format(name=who),
                        _("leaders who are not officers may be named in `notes`"),
                        WARNING,
                    )
                )
    return problems


def _wrong_role(path: str, line: int | None, who: str, role: str, config: Config) -> Problem:
    has = listed(labels("role", sorted(r.value for r in config.roles_of(who))))
    return Problem(
        path,
        line,
        "wrong-role",
        _("{name} signed as {role}, but is {roles} in hardship.yaml").format(
            name=who, role=label("role", role), roles=has
        ),
        _("use the role {name} holds, or add the role to `officers` in hardship.yaml").format(
            name=who
        ),
    )
