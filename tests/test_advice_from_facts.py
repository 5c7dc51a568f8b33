"""Advice judges a household by its facts (CaseFacts, kept in the parse cache), never by
the rebuilt case (issue 16): `advise --all`, the monthly report's advice and `due` must
say what judging each rebuilt case in full says."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hardship_cli.cli.common import per_record_checks
from hardship_cli.domain.enums import CaseStatus
from hardship_cli.load import store
from hardship_cli.load.records import Records
from hardship_cli.rules.advice import QUALIFIES, TIER_ORDER, advise, advise_all
from tests.conftest import DEMO

# In and out of the windows of the demo's programs (金秋助学 07-01..09-30, 春节送温暖
# 12-15..02-15), before and after its standards change.
DAYS = [date(2026, 8, 1), date(2026, 11, 29), date(2026, 12, 20), date(2027, 1, 10)]


def brief(found: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            a.case.id,
            a.waiting_since,
            [(v.program.id, v.status, v.cap_left, v.closes, v.refer) for v in a.verdicts],
        )
        for a in found
    ]


def judged_in_full(records: Records, day: date) -> list[tuple[Any, ...]]:
    """advise --all the long way: every active household rebuilt and judged against every
    program, the qualifying verdicts kept."""
    assert records.config is not None
    grants = list(records.grant_facts().values())
    found = []
    for case in records.cases.values():
        if case.status != CaseStatus.active:
            continue
        mine = [g for g in grants if g.case == case.id]
        advice = advise(records.config, case.facts(), mine, day)
        advice.verdicts = [v for v in advice.verdicts if v.status == QUALIFIES]
        if advice.verdicts:
            found.append(advice)
    found.sort(key=lambda a: (TIER_ORDER[a.case.level], a.waiting_since, a.case.id))
    return brief(found)


def from_facts(records: Records, day: date) -> list[tuple[Any, ...]]:
    assert records.config is not None
    facts = records.case_facts().values()
    return brief(advise_all(records.config, facts, records.grant_facts().values(), day))


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_advice_from_the_facts_is_advice_from_the_cases(day: date):
    records = store.load(DEMO)
    ours = from_facts(records, day)
    assert ours == judged_in_full(store.load(DEMO), day)
    assert ours  # the demo has households that qualify on each of these days


def test_the_cache_keeps_what_advice_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A warm load's case facts (members, referrals, causes, expenses, name) are those of
    the cases rebuilt; judging every household rebuilds none of them."""
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(tmp_path / "cache"))
    checks = per_record_checks()
    store.load(DEMO, checks=checks)  # fills the cache
    records = store.load(DEMO, checks=checks)
    cases = records.of_kind("case")
    waiting = cases.pending
    assert waiting > 20
    for day in DAYS:
        from_facts(records, day)
    assert cases.pending == waiting
    facts = dict(records.case_facts())
    assert facts == {key: case.facts() for key, case in records.cases.items()}
    assert any(f.members for f in facts.values())
    assert any(f.referrals for f in facts.values())
    assert any(f.secondary for f in facts.values())


@pytest.mark.parametrize("planted", ["members", "referrals", "rigid_expenses"])
def test_the_comparison_can_fail(planted: str, monkeypatch: pytest.MonkeyPatch):
    """The comparison above bites: a household's facts one value off from its case give
    other advice."""
    records = store.load(DEMO)
    day = date(2026, 8, 1)
    facts = dict(records.case_facts())
    active = [f for f in facts.values() if f.status == CaseStatus.active]
    if planted == "members":
        # a child at university for every household: 金秋助学 is open on 08-01
        child = next(m for f in active for m in f.members if m.relation.value == "child")
        for f in active:
            facts[f.id] = f._replace(members=(child._replace(occupation="大学一年级"),))
    elif planted == "referrals":
        # every referral dropped: one that helped no longer counts as received
        for f in active:
            facts[f.id] = f._replace(referrals=())
    else:
        for f in active:
            facts[f.id] = f._replace(rigid_expenses=f.rigid_expenses + 5000)
    monkeypatch.setattr(records, "case_facts", lambda: facts)
    assert from_facts(records, day) != judged_in_full(store.load(DEMO), day)
