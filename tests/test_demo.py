"""The demo root is realistic and clean: tests and `make demo` run on it."""

from __future__ import annotations

from collections import Counter

from hardship_cli import rules
from hardship_cli.domain.model import CaseStatus, GrantKind, GrantStatus, Level
from hardship_cli.load import store
from tests.clirun import hardship
from tests.conftest import DEMO, TODAY


def test_demo_validates_clean():
    result = hardship("--root", DEMO, "validate", "--today", str(TODAY))
    assert result.code == 0, result.out
    assert result.out == ""


def test_demo_covers_the_domain():
    records = store.load(DEMO)
    assert rules.check(records, TODAY) == []
    assert 35 <= len(records.cases) <= 50
    assert 180 <= len(records.grants) <= 260
    assert len(records.campaigns) == 3
    assert {2025, 2026} <= set(records.budgets)
    statuses = Counter(c.status for c in records.cases.values())
    assert set(statuses) == set(CaseStatus)
    assert {c.level for c in records.cases.values()} == set(Level)
    assert {g.kind for g in records.grants.values()} >= set(GrantKind) - {GrantKind.other}
    assert {g.status for g in records.grants.values()} == set(GrantStatus)
    assert any(c.beneficiary for c in records.campaigns.values())
    on_notice = [c for c in records.cases.values() if c.status == CaseStatus.on_notice]
    assert any(o.resolved is None for c in on_notice if c.notice for o in c.notice.objections)
    workers = [c.worker for c in records.cases.values()]
    assert all(w.id_number and len(w.id_number) == 18 for w in workers)
    assert any(w.diagnosis for w in workers)
