"""`review list` and `due` read the grants' facts (what the cache keeps), never the rebuilt
grants (issue 16): what they say must be what the grants themselves say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hardship_cli.casework.waiting import waiting
from hardship_cli.domain.grant import WAITS
from hardship_cli.load import store
from tests.conftest import DEMO, TODAY


@pytest.mark.parametrize("as_name", [None, "李明", "王芳", "张建国", "赵丽"])
def test_what_waits_is_the_same_from_the_facts_as_from_the_grants(as_name: str | None):
    records = store.load(DEMO)
    assert records.config is not None
    from_facts = waiting(records.config, records.cases, records.grant_facts(), TODAY, as_name)
    from_grants = waiting(records.config, records.cases, records.grants, TODAY, as_name)
    assert from_facts == from_grants
    if as_name is None:
        assert {i.kind for i in from_facts} == {"case", "grant"}
        assert {i.action for i in from_facts} >= {"review approve", "pay"}


def test_a_grant_that_waits_keeps_its_approvals_in_its_facts_and_no_other_does():
    records = store.load(DEMO)
    facts = records.grant_facts()
    waits = [f for f in facts.values() if f.status in WAITS]
    done = [f for f in facts.values() if f.status not in WAITS]
    assert waits and done
    for fact in waits:
        grant = records.grants[fact.id]
        assert [(s.by, s.role, s.decision, s.on) for s in grant.approvals] == list(
            fact.approvals
        )
    assert all(f.approvals == () for f in done)


def test_the_facts_differ_when_an_approval_differs(tmp_path: Path):
    """The comparison above bites: an approval's author changed in the facts alone gives
    another list for the officer."""
    records = store.load(DEMO)
    assert records.config is not None
    facts = dict(records.grant_facts())
    proposed = next(f for f in facts.values() if f.status.value == "proposed" and f.approvals)
    step = proposed.approvals[0]
    facts[proposed.id] = proposed._replace(approvals=(step._replace(by="某某"),))
    ours = waiting(records.config, records.cases, facts, TODAY)
    theirs = waiting(records.config, records.cases, records.grants, TODAY)
    assert ours != theirs


def test_the_monthly_report_rebuilds_no_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The monthly report reads the cases' facts (names, status history, notices,
    referrals, advice): a warm load's cases stay pending while it is made."""
    from hardship_cli.cli.common import per_record_checks
    from hardship_cli.report import Request, produce

    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(tmp_path / "cache"))
    checks = per_record_checks()
    store.load(DEMO, checks=checks)  # fills the cache
    records = store.load(DEMO, checks=checks)
    pending = records.of_kind("case").pending
    assert pending > 20
    produce(records, Request("monthly", "md", "en", TODAY, month="2026-10"))
    assert records.of_kind("case").pending == pending


@pytest.mark.parametrize("planted", ["history", "notice_until", "name"])
def test_the_monthly_report_says_what_the_facts_say(planted: str, monkeypatch):
    """The comparison with the golden report bites: one fact changed changes the report."""
    from hardship_cli.report import Request, produce

    request = Request("monthly", "md", "en", TODAY, month="2026-10")
    records = store.load(DEMO)
    plain = produce(records, request)
    facts = dict(store.load(DEMO).case_facts())
    case = facts["HS-2026-0009"]  # filed, checked and on notice in October
    if planted == "history":
        changed = case._replace(history=case.history[:1])
    elif planted == "notice_until":
        changed = case._replace(notice_until=None)
    else:
        changed = case._replace(name="某某")
    facts[case.id] = changed
    records = store.load(DEMO)
    monkeypatch.setattr(records, "case_facts", lambda: facts)
    assert produce(records, request) != plain


def test_due_rebuilds_no_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`due` (reviews, files never helped, tiers against the standard, referrals waiting,
    advice, whom to visit first) reads the cases' facts: a warm load's cases stay pending."""
    from hardship_cli.casework import agenda
    from hardship_cli.cli.common import per_record_checks
    from hardship_cli.domain.model import Occasion

    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(tmp_path / "cache"))
    checks = per_record_checks()
    store.load(DEMO, checks=checks)  # fills the cache
    records = store.load(DEMO, checks=checks)
    pending = records.of_kind("case").pending
    found = agenda.due(records, TODAY, {}, Occasion.spring_festival, TODAY)
    assert records.of_kind("case").pending == pending
    assert found.reviews and found.visit_first and found.qualifies


@pytest.mark.parametrize("planted", ["members", "referral sent", "health"])
def test_due_says_what_the_facts_say(planted: str, monkeypatch: pytest.MonkeyPatch):
    """One fact changed changes what `due` lists: it reads the facts, not the cases."""
    from hardship_cli.casework import agenda
    from hardship_cli.domain.model import Health, Occasion

    def listed(records: Any) -> Any:
        return agenda.due(records, TODAY, {}, Occasion.spring_festival, TODAY).to_json()

    plain = listed(store.load(DEMO))
    records = store.load(DEMO)
    facts = dict(records.case_facts())
    for key, case in facts.items():
        if planted == "members":
            facts[key] = case._replace(members=())  # everyone lives alone
        elif planted == "referral sent":
            old = TODAY.replace(year=TODAY.year - 1)
            sent = tuple(r._replace(sent_on=old) for r in case.referrals)
            facts[key] = case._replace(referrals=sent)
        else:
            facts[key] = case._replace(health=Health.elderly_frail)
    monkeypatch.setattr(records, "case_facts", lambda: facts)
    assert listed(records) != plain
