"""Incremental validation finds what the catalogue of rules finds, however the root was loaded.

`rules.check` no longer runs the 19 whole-root rules of `rules.RULES`: it runs the rules
across records over each grant's GrantFacts, and takes each grant's own problems
(signatures, status, self-approval, policy, per-grant cap) as loading worked them out,
kept in the parse cache under a digest of hardship.yaml. These tests hold it to the
catalogue on every way of loading a root (cold, from the cache, through the worker
processes with and without the cache), after changes to hardship.yaml, to a grant, to a
case, to grants in memory, with a damaged cache, and through the real command.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hardship_cli import rules
from hardship_cli.domain.model import CaseStatus, Closed, CloseReason, GrantKind, GrantStatus
from hardship_cli.load import cache, cache_folder, parsing
from hardship_cli.load import files as record_files
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem
from hardship_cli.rules import (
    budgets,
    calendar_known,
    dates,
    duties,
    earmarks,
    households,
    id_numbers,
    references,
    reviews,
    tiers,
)
from hardship_cli.rules import status as status_rules
from hardship_cli.rules.per_record import load_checked
from tests.clirun import hardship_process
from tests.conftest import DEMO, SMALL, TODAY
from tests.rootkit import Root
from tests.test_rules import grant

CONFIG = "hardship.yaml"
CASE = "cases/HS-2026-0001.yaml"
GRANT = "grants/2026/GR-2026-0001.yaml"
CAMPAIGN = "campaigns/DC-2026-01.yaml"
VISIT = "visits/2026/VS-2026-0001.yaml"
BUDGET = "budgets/2026.yaml"
PAID = "paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}\n"


# ---------------------------------------------------------------------------------------
# Helpers: file times, the ways of loading a root, and what the catalogue finds


def age(root: Path, seconds: float = 120) -> None:
    """Date every file back: a file written within two seconds is never cached."""
    past = time.time() - seconds
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, (past, past))


_edits = itertools.count(1)


def edited(path: Path) -> None:
    """Give an edited file a time stamp of its own, old enough to be cached, and never
    the one its cache entry was made from."""
    past = time.time() - 60 + next(_edits) / 1000
    os.utime(path, (past, past))


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new = change(text)
    assert new != text, f"{path.name}: the edit changed nothing"
    path.write_text(new, encoding="utf-8")
    edited(path)


@contextlib.contextmanager
def workers() -> Iterator[None]:
    """Loads in here parse in worker processes (which also type, check and pickle the
    grants, in groups of three files), as a root of 20,000 files would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parsing, "PARALLEL_MIN", 1)
        patch.setattr(parsing, "CHUNK", 3)
        patch.setenv("HARDSHIP_JOBS", "3")
        yield


def load_with_workers(root: Path, *, cache: bool) -> Records:
    with workers():
        records = load_checked(root, cache=cache)
    assert records.loading.processes > 1, "the worker path was not taken"
    return records


# name -> how the root is loaded; each leaves the cache of that way behind it.
WAYS = (
    "cold",
    "first",
    "warm",
    "workers",
    "workers-first",
    "workers-warm",
    "baseline",
    "libyaml-workers",
)


def load_way(root: Path, way: str) -> Records:
    """Load `root` one way: cold (no cache), first (writing the cache), warm (all from a
    cache a single process wrote), and the same through the worker processes (warm: all
    from a cache the workers wrote, grants pickled in groups); cold with the reference
    parser alone (baseline), and with libyaml in the workers."""
    if way == "cold":
        return load_checked(root, cache=False)
    if way == "workers":
        return load_with_workers(root, cache=False)
    if way in ("baseline", "libyaml-workers"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HARDSHIP_PARSER", way.split("-")[0])
            if way == "baseline":
                return load_checked(root, cache=False)
            return load_with_workers(root, cache=False)
    cache_folder.clear(root)
    if way.startswith("workers"):
        first = load_with_workers(root, cache=True)
    else:
        first = load_checked(root, cache=True)
    assert first.loading.cached == 0
    if way.endswith("first"):
        return first
    warm = load_checked(root, cache=True)
    assert warm.loading.cached == warm.files, f"{way}: not every file came from the cache"
    return warm


def catalogue(records: Records, today: date = TODAY) -> list[Problem]:
    """Loading's problems and every rule of the catalogue, sorted as `rules.check` sorts."""
    found = list(records.problems)
    if records.config is not None:
        found += [p for rule in rules.RULES for p in rule(records, records.config, today)]
    return sorted(found, key=Problem.sort_key)


def check(records: Records) -> list[Problem]:
    return rules.check(records, TODAY)


def codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


def snapshot(records: Records) -> dict[str, Any]:
    """Everything a command can see of loaded records; grants read last, so that the
    facts and problems loading kept are taken first."""
    kept_facts = dict(records.grant_facts())
    found = check(records)
    grants = records.grants
    return {
        "check": found,
        "kept facts": kept_facts,
        "kept fact types": {k: [type(v) for v in f] for k, f in kept_facts.items()},
        "facts": records.grant_facts(),
        "grants": grants,
        "cases": records.cases,
        "campaigns": records.campaigns,
        "visits": records.visits,
        "budgets": records.budgets,
        "sources": {k: (s.path, dict(s.lines)) for k, s in records.sources.items()},
        "problems": sorted(records.problems, key=Problem.sort_key),
        "unloaded": records.unloaded,
        "files": records.files,
        "check after reading": check(records),
    }


# ---------------------------------------------------------------------------------------
# Roots: the demo, the small hand-made one, and one planted defect (or a few) per rule


def second_case(root: Root, **changes: str) -> None:
    text = root.read(CASE).replace("HS-2026-0001", "HS-2026-0002")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    root.write("cases/HS-2026-0002.yaml", text)


def other_household(root: Root) -> None:
    second_case(
        root,
        **{
            'employee_id: "0371"': 'employee_id: "0999"',
            '"999101196804121235"': '"999101197001010026"',
        },
    )


def dated(proposed: str, approved: str, paid: str) -> dict[str, str]:
    return {
        "on: 2026-02-01": f"on: {proposed}",
        "on: 2026-02-02": f"on: {approved}",
        "on: 2026-02-05": f"on: {paid}",
    }


def plant_unknown_officers(root: Root) -> None:
    grant(
        root, "0002", **{"amount: 1500.00": "amount: 300.00", "paid: {by: 赵丽": "paid: {by: 陈静"}
    )
    grant(root, "0003", **{"by: 王芳, role: chair": "by: 王芳, role: leader"})
    grant(root, "0004", **{"paid: {by: 赵丽": "paid: {by: 钱某"})
    root.replace(GRANT, "by: 王芳, role: chair", "by: 王小芳, role: chair")
    root.replace(CASE, "step: home_visit, by: 李明", "step: home_visit, by: 孙某")
    root.replace(VISIT, "visitors: [王芳, 李明]", "visitors: [王芳, 李明, 周某]")


def plant_grant_status(root: Root) -> None:
    grant(root, "0002", **{PAID: ""})  # paid, no payment
    grant(root, "0003", **{"status: paid": "status: cancelled", PAID: ""})  # no reason
    grant(
        root,
        "0004",
        **{
            "status: paid": "status: approved",
            "  - {by: 王芳, role: chair, on: 2026-02-02}\n": "",
            "approvals:\n": "approvals: []\n",
            PAID: "",
        },
    )
    grant(root, "0005", **{"status: paid": "status: approved"})  # a payment, not paid
    grant(root, "0006", **{"on: 2026-02-02": "on: 2026-01-30"})  # approved before proposed
    root.replace(GRANT, "on: 2026-02-05", "on: 2026-02-01")  # paid before approved


def plant_not_filed(root: Root) -> None:
    grant(root, "0002", **dated("2026-01-10", "2026-01-21", "2026-01-22"))
    grant(
        root,
        "0003",
        **{"kind: medical": "kind: emergency", **dated("2026-01-10", "2026-01-21", "2026-01-22")},
    )


def plant_case_closed_before_grant(root: Root) -> None:
    root.replace(CASE, "status: active", "status: closed")
    root.replace(
        CASE, "review_due: 2027-01-20", "closed: {on: 2026-01-31, reason: out_of_hardship}"
    )


def plant_self_approval(root: Root) -> None:
    grant(
        root,
        "0002",
        **{"amount: 1500.00": "amount: 300.00", "by: 王芳, role: chair": "by: 李明, role: officer"},
    )
    root.replace(CASE, "filed: {by: 李明", "filed: {by: 王芳")


def plant_missing_approval(root: Root) -> None:
    grant(
        root,
        "0002",
        **{"amount: 1500.00": "amount: 600.00", "by: 王芳, role: chair": "by: 陈静, role: officer"},
    )
    root.replace(GRANT, "amount: 1500.00", "amount: 2500.00")


def plant_earmark(root: Root) -> None:
    other_household(root)
    grant(
        root,
        "0002",
        **{"case: HS-2026-0001": "case: HS-2026-0002", "fund: union": "fund: campaign:DC-2026-01"},
        **dated("2026-03-05", "2026-03-06", "2026-03-07"),
    )
    grant(root, "0003", **{"fund: union": "fund: campaign:DC-2099-09"})


def plant_overspent(root: Root) -> None:
    grant(
        root,
        "0002",
        **{"fund: union": "fund: campaign:DC-2026-01", "amount: 1500.00": "amount: 2000.00"},
    )
    grant(
        root,
        "0003",
        **{"fund: union": "fund: campaign:DC-2026-01", "amount: 1500.00": "amount: 1400.00"},
    )


def plant_per_grant_cap(root: Root) -> None:
    root.replace(CONFIG, "medical: {per_grant: 10000.00", "medical: {per_grant: 1000.00")
    grant(
        root,
        "0002",
        **{
            "approvals:\n": "override: {by: 张建国, role: leader, on: 2026-02-02, reason: 急需}\n"
            "approvals:\n"
        },
    )


def plant_per_case_year_cap(root: Root) -> None:
    root.replace(CONFIG, "per_case_year: 20000.00", "per_case_year: 2500.00")
    grant(root, "0002", **dated("2026-03-01", "2026-03-02", "2026-03-05"))


def plant_broken_files(root: Root) -> None:
    """Loading's own problems: a file that does not parse, an unknown key, a file named
    for another ID, two files with one ID, a grant for a case whose file is broken."""
    root.write("grants/2026/GR-2026-0002.yaml", "id: GR-2026-0002\ncase: [unclosed\n")
    grant(root, "0003", **{"kind: medical": "kind: medical\nsurprise: 1"})
    root.write("grants/2026/GR-2026-0004.yaml", root.read(GRANT))  # GR-2026-0001 again
    root.write("grants/2026/GR-2026-0005.yaml", root.read(GRANT).replace("0001", "0006", 1))
    second_case(root, **{"level: deep": "level: deeep"})
    grant(root, "0007", **{"case: HS-2026-0001": "case: HS-2026-0002"})
    grant(root, "0008", **{"amount: 1500.00": "amount: 15.005"})


def plant_many(root: Root) -> None:
    """A defect in each of several grants, so that the workers' groups of three hold
    grants with and without problems, and the rules across grants see them all."""
    other_household(root)
    grant(
        root,
        "0002",
        **{"amount: 1500.00": "amount: 300.00", "by: 王芳, role: chair": "by: 李明, role: officer"},
    )
    grant(root, "0003", **{"amount: 1500.00": "amount: 12000.00"})
    grant(root, "0004", **{"case: HS-2026-0001": "case: HS-2026-0404"})
    grant(
        root,
        "0005",
        **{"case: HS-2026-0001": "case: HS-2026-0002", "fund: union": "fund: campaign:DC-2026-01"},
    )
    grant(root, "0006", **{PAID: ""})
    grant(root, "0007", **dated("2026-01-10", "2026-01-21", "2026-01-22"))
    grant(
        root,
        "0008",
        **{"fund: union": "fund: campaign:DC-2026-01", "amount: 1500.00": "amount: 3000.00"},
    )
    grant(
        root,
        "0009",
        **{
            "status: paid": "status: rejected",
            PAID: "ended: {by: 王芳, on: 2026-02-03, reason: 重复}\n",
        },
    )
    root.replace(BUDGET, "medical: 40000.00", "medical: 16000.00")
    root.replace(CASE, "household_monthly: 2100.00", "household_monthly: 3600.00")
    root.replace(CASE, "review_due: 2027-01-20", "review_due: 2026-11-01")


# name -> (rules of the catalogue it must trip, how the defect is planted)
def plant_notice_into_2027(root: Root) -> None:
    """A case on notice until a year whose holidays nobody knows (the calendar package
    knows up to 2026)."""
    root.replace(CASE, "notice: {from: 2026-01-12, until: 2026-01-16}",
                 "notice: {from: 2026-11-27, until: 2027-01-04}")
    root.replace(CASE, "status: active", "status: on_notice")


PLANTED: dict[str, tuple[tuple[Callable[..., list[Problem]], ...], Callable[[Root], None]]] = {
    "unknown-case": (
        (references.grant_case_exists,),
        lambda r: r.replace(GRANT, "case: HS-2026-0001", "case: HS-2026-0099"),
    ),
    "unknown-beneficiary": (
        (references.campaign_beneficiary_exists,),
        lambda r: r.replace(CAMPAIGN, "beneficiary: HS-2026-0001", "beneficiary: HS-2026-0042"),
    ),
    "unknown-visited-case": (
        (references.visit_cases_exist,),
        lambda r: r.replace(VISIT, "cases: [HS-2026-0001]", "cases: [HS-2026-0001, HS-2026-0077]"),
    ),
    "unknown-officers": ((references.people_are_officers,), plant_unknown_officers),
    "duplicate-household": (
        (households.one_household_one_file,),
        lambda r: second_case(r, **{'"999101196804121235"': '"999101197001010026"'}),
    ),
    "case-status": (
        (status_rules.case_status_consistent,),
        lambda r: r.replace(CASE, "status: active", "status: closed"),
    ),
    "grant-status": ((status_rules.grant_status_consistent,), plant_grant_status),
    "not-filed": ((status_rules.grant_help_only_to_filed,), plant_not_filed),
    "closed-before-grant": (
        (status_rules.grant_help_only_to_filed, status_rules.unpaid_help_settled_at_closing),
        plant_case_closed_before_grant,
    ),
    "self-approval": ((duties.separation_of_duties,), plant_self_approval),
    "missing-approval": ((duties.grant_approvals_cover_policy,), plant_missing_approval),
    "tier": (
        (tiers.level_matches_income,),
        lambda r: r.replace(CASE, "household_monthly: 2100.00", "household_monthly: 3600.00"),
    ),
    "holidays-unknown": (
        (calendar_known.holidays_known,),
        plant_notice_into_2027,
    ),
    "id-number": (
        (id_numbers.id_numbers_check_themselves,),
        lambda r: r.replace(CASE, "sex: male", "sex: female"),
    ),
    "earmark": ((earmarks.campaign_money_to_beneficiary,), plant_earmark),
    "overspent": ((earmarks.campaign_not_overspent,), plant_overspent),
    "budget-overdrawn": (
        (budgets.budget_lines_not_overdrawn,),
        lambda r: r.replace(BUDGET, "medical: 40000.00", "medical: 1000.00"),
    ),
    "no-budget": ((budgets.budget_lines_not_overdrawn,), lambda r: r.remove(BUDGET)),
    "fund-overspent": (
        (budgets.fund_sources_not_overspent,),
        lambda r: r.replace(BUDGET, "union: 80000.00", "union: 1000.00"),
    ),
    "dated-ahead": (
        (dates.steps_not_after_today,),
        lambda r: r.replace(GRANT, "on: 2026-02-05, voucher", "on: 2026-12-01, voucher"),
    ),
    "per-grant-cap": ((budgets.caps_respected,), plant_per_grant_cap),
    "per-case-year-cap": ((budgets.caps_respected,), plant_per_case_year_cap),
    "review-overdue": (
        (reviews.reviews_not_overdue,),
        lambda r: r.replace(CASE, "review_due: 2027-01-20", "review_due: 2026-06-01"),
    ),
    "broken-files": ((), plant_broken_files),
    "many": (
        (
            duties.separation_of_duties,
            budgets.caps_respected,
            duties.grant_approvals_cover_policy,
            references.grant_case_exists,
            earmarks.campaign_money_to_beneficiary,
            earmarks.campaign_not_overspent,
            status_rules.grant_status_consistent,
            status_rules.grant_help_only_to_filed,
            budgets.budget_lines_not_overdrawn,
            tiers.level_matches_income,
            reviews.reviews_not_overdue,
        ),
        plant_many,
    ),
}

ROOTS = ("demo", "small", *PLANTED)


def make_root(tmp_path: Path, name: str) -> Path:
    """A private, aged copy of the named root (a planted one is built from rootkit)."""
    target = tmp_path / name
    if name == "demo":
        shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".hardship-cache"))
    elif name == "small":
        shutil.copytree(SMALL, target, ignore=shutil.ignore_patterns(".hardship-cache"))
    else:
        PLANTED[name][1](Root(target))
    age(target)
    return target


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return make_root(tmp_path, "demo")


@pytest.fixture
def kit(tmp_path: Path) -> Root:
    """A valid rootkit root, aged, to plant a defect in after the cache was written."""
    root = Root(tmp_path / "kit")
    age(root.path)
    return root


# ---------------------------------------------------------------------------------------
# 1. rules.check finds exactly what the catalogue finds, on every way of loading


def test_every_rule_of_the_catalogue_is_planted() -> None:
    """The planted roots between them trip each of the 21 rules (checked below)."""
    planted = {rule for rules_tripped, _ in PLANTED.values() for rule in rules_tripped}
    assert planted == set(rules.RULES)


@pytest.mark.parametrize("name", [n for n in PLANTED if PLANTED[n][0]])
def test_each_planted_defect_trips_its_rules(tmp_path: Path, name: str) -> None:
    """A planted root is no test of a rule unless that rule finds something in it."""
    records = load_checked(make_root(tmp_path, name), cache=False)
    assert records.config is not None
    for rule in PLANTED[name][0]:
        assert rule(records, records.config, TODAY), f"{name}: {rule.__name__} found nothing"


@pytest.mark.parametrize("name", ROOTS)
def test_check_finds_what_the_catalogue_finds(tmp_path: Path, name: str) -> None:
    """rules.check (facts and kept own problems) == loading's problems + the 21 RULES,
    cold, warm, and through the workers, before and after the grants are read."""
    root = make_root(tmp_path, name)
    expected = catalogue(load_checked(root, cache=False))
    if name != "demo":
        assert expected, "a planted root with nothing to find"
    for way in WAYS:
        records = load_way(root, way)
        assert check(records) == expected, f"{way}: check, grants never read"
        assert catalogue(records) == expected, f"{way}: the catalogue on these records"
        assert check(records) == expected, f"{way}: check, after the grants were read"
        fresh = load_checked(root, cache="first" in way or "warm" in way)
        assert catalogue(fresh) == expected, f"{way}: the catalogue on a fresh load"


# ---------------------------------------------------------------------------------------
# 2. Every way of loading gives the same records


@pytest.mark.parametrize("name", ["demo", "small", "grant-status", "broken-files", "many"])
def test_every_way_loads_the_same_records(tmp_path: Path, name: str) -> None:
    """Cold, warm and worker loads agree on problems and, once the grants are read, on
    every record; the facts loading kept are those of the grants it kept."""
    root = make_root(tmp_path, name)
    cold = snapshot(load_checked(root, cache=False))
    assert cold["kept facts"] == cold["facts"] == {k: g.facts() for k, g in cold["grants"].items()}
    for way in WAYS:
        seen = snapshot(load_way(root, way))
        for key, value in cold.items():
            assert seen[key] == value, f"{way}: {key} differs from a cold load"
        assert seen["kept facts"] == {k: g.facts() for k, g in seen["grants"].items()}, way


def test_kept_per_record_problems_are_those_of_the_records(tmp_path: Path) -> None:
    """What loading kept of each case's and grant's own checks is what the checks find in
    it, and it is no longer trusted once the records are read."""
    root = make_root(tmp_path, "many")
    for way in WAYS:
        records = load_way(root, way)
        assert records.config is not None
        for kind in ("grant", "case"):
            kept = records.per_record_problems(kind)
            assert kept is not None, f"{way}: loading kept no per-record problems of {kind}s"
            kept_found = sorted((p for found in kept.values() for p in found), key=Problem.sort_key)
            check = rules.per_record.CHECKS[kind]
            own = [
                p
                for key, record in getattr(records, f"{kind}s").items()
                for p in check(record, records.source(key), records.config)
            ]
            assert kept_found == sorted(own, key=Problem.sort_key), (way, kind)
            assert records.per_record_problems(kind) is None, f"{way}: still trusted after reading"


# ---------------------------------------------------------------------------------------
# 3. A changed hardship.yaml: kept own problems are not reused under another digest


def _threshold(text: str) -> str:
    return text.replace("up_to: 2000.00", "up_to: 1000.00")


def _medical_cap(text: str) -> str:
    return text.replace("per_grant: 10000.00", "per_grant: 1000.00")


def _holiday_cap(text: str) -> str:
    return text.replace("per_grant: 3000.00", "per_grant: 300.00", 1)


def _no_finance(text: str) -> str:
    return re.sub(r"  - name: 赵丽\n    role: finance\n    email: \S+\n", "", text)


def _no_chair(text: str) -> str:
    return re.sub(r"  - name: 王芳\n    role: chair\n    email: \S+\n", "", text)


def _role(text: str) -> str:
    return text.replace("  - name: 陈静\n    role: officer", "  - name: 陈静\n    role: finance")


def _comment(text: str) -> str:
    return text + "# a comment: the same policy in other bytes\n"


def _broken(text: str) -> str:
    return text.replace("  notice_days: 5", "  notice_days: five")


CONFIG_CHANGES: dict[str, tuple[Callable[[str], str], str | None]] = {
    "threshold": (_threshold, "missing-approval"),
    "medical-cap": (_medical_cap, "cap-exceeded"),
    "holiday-cap": (_holiday_cap, "cap-exceeded"),
    "no-finance": (_no_finance, "unknown-officer"),
    "no-chair": (_no_chair, "unknown-officer"),
    "role": (_role, "wrong-role"),
    "comment": (_comment, None),
    "broken": (_broken, "bad-value"),
}


def assert_warm_is_cold(root: Path, lineage: str, what: str) -> list[Problem]:
    """The next cached load (of this lineage) finds what a cold load finds, and so does
    the one after it, which finds every file in the cache."""
    cold = check(load_checked(root, cache=False))
    with workers() if lineage == "workers" else contextlib.nullcontext():
        warm = load_checked(root)
        assert check(warm) == cold, f"{what}: the first load from the cache"
        assert catalogue(warm) == cold, f"{what}: the catalogue on the first cached load"
        again = load_checked(root)
    assert check(again) == cold, f"{what}: the second load from the cache"
    assert again.loading.cached == again.files, f"{what}: the cache was not kept up"
    return cold


@pytest.mark.parametrize("lineage", ["single", "workers"])
@pytest.mark.parametrize("change", CONFIG_CHANGES)
def test_a_changed_hardship_yaml_is_checked_again(demo: Path, change: str, lineage: str) -> None:
    """After hardship.yaml changes (and changes back), a warm load reports exactly what
    a cold one does: no grant's own problems are reused from the other hardship.yaml."""
    edit, appears = CONFIG_CHANGES[change]
    original = (demo / CONFIG).read_text(encoding="utf-8")
    before = assert_warm_is_cold(demo, lineage, "unchanged")
    rewrite(demo / CONFIG, edit)
    after = assert_warm_is_cold(demo, lineage, f"{change}")
    if appears is None:
        assert after == before
    else:
        assert appears in codes(after) - codes(before), f"{change} revealed nothing"
    (demo / CONFIG).write_text(original, encoding="utf-8")
    assert assert_warm_is_cold(demo, lineage, f"{change} undone") == before


@pytest.mark.parametrize("lineage", ["single", "workers"])
def test_hardship_yaml_changed_on_a_planted_root(kit: Root, lineage: str) -> None:
    """The same on a small root, with the exact problems: a lower cap, then a policy that
    asks for more approvals, then an officer gone; each time warm == cold."""
    assert assert_warm_is_cold(kit.path, lineage, "clean") == []
    kit.replace(CONFIG, "medical: {per_grant: 10000.00", "medical: {per_grant: 1000.00")
    found = assert_warm_is_cold(kit.path, lineage, "cap")
    assert [(p.path, p.code) for p in found] == [(GRANT, "cap-exceeded")]
    kit.replace(CONFIG, "{up_to: 2000.00, roles: [chair]}", "{up_to: 1000.00, roles: [chair]}")
    found = assert_warm_is_cold(kit.path, lineage, "threshold")
    assert codes(found) == {"cap-exceeded", "missing-approval"}
    kit.replace(CONFIG, "  - {name: 赵丽, role: finance, email: zhaoli@example.org}\n", "")
    found = assert_warm_is_cold(kit.path, lineage, "officer")
    assert codes(found) == {"cap-exceeded", "missing-approval", "unknown-officer"}


def test_hardship_yaml_saved_while_a_load_reads_it(
    kit: Root, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hardship.yaml saved (a lower cap) just after a load has read it: that load checks
    the grants with the policy it read, so what it keeps must not pass for the new
    policy's: the next load finds the grant over the new cap, as a cold load does."""
    assert assert_warm_is_cold(kit.path, "single", "clean") == []
    lower = kit.read(CONFIG).replace("per_grant: 10000.00", "per_grant: 1000.00")
    real = record_files.read_bytes
    saved: list[str] = []

    def read_bytes(path: Path | str) -> bytes:
        data = real(path)
        if os.path.basename(path) == CONFIG and not saved:
            saved.append(os.fspath(path))
            kit.write(CONFIG, lower)  # the officer's editor saves it now
        return data

    monkeypatch.setattr(record_files, "read_bytes", read_bytes)
    during = load_checked(kit.path)
    monkeypatch.undo()
    assert saved, "the load did not read hardship.yaml through files.read_bytes"
    assert check(during) == catalogue(during)
    cold = check(load_checked(kit.path, cache=False))
    assert [(p.path, p.code) for p in cold] == [(GRANT, "cap-exceeded")]
    assert check(load_checked(kit.path)) == cold


# ---------------------------------------------------------------------------------------
# 4. One record edited after the cache was written


def _self_approved(root: Root) -> None:
    root.replace(GRANT, "amount: 1500.00", "amount: 300.00")
    root.replace(GRANT, "by: 王芳, role: chair", "by: 李明, role: officer")


def _over_the_cap(root: Root) -> None:
    root.replace(GRANT, "amount: 1500.00", "amount: 12000.00")


def _case_closed_before(root: Root) -> None:
    plant_case_closed_before_grant(root)


def _cancelled(root: Root) -> None:
    root.replace(GRANT, "status: paid", "status: cancelled")


def _moved_to_campaign(root: Root) -> None:
    root.replace(GRANT, "fund: union", "fund: campaign:DC-2026-01")
    root.replace(GRANT, "amount: 1500.00", "amount: 5000.00")


def _broken_grant(root: Root) -> None:
    root.replace(GRANT, "amount: 1500.00", "amount: 15.005")


def _copied_grant(root: Root) -> None:
    root.write("grants/2026/GR-2026-0002.yaml", root.read(GRANT))


def _budget_cut(root: Root) -> None:
    root.replace(BUDGET, "medical: 40000.00", "medical: 1000.00")


RECORD_EDITS: dict[str, tuple[Callable[[Root], None], set[str]]] = {
    "self-approved": (_self_approved, {"self-approval", "missing-approval"}),
    "over-the-cap": (_over_the_cap, {"cap-exceeded", "missing-approval"}),
    "case-closed-before": (_case_closed_before, {"not-filed", "paid-after-closing"}),
    "cancelled": (_cancelled, {"status"}),
    "moved-to-campaign": (_moved_to_campaign, {"earmark-overspent", "missing-approval"}),
    "broken-grant": (_broken_grant, {"bad-money"}),
    "copied-grant": (_copied_grant, {"id-mismatch", "duplicate-id"}),
    "budget-cut": (_budget_cut, {"budget-overdrawn"}),
}


@pytest.mark.parametrize("lineage", ["single", "workers"])
@pytest.mark.parametrize("edit", RECORD_EDITS)
def test_an_edited_record_is_seen_warm_as_cold(kit: Root, edit: str, lineage: str) -> None:
    """A grant (or the case, or the budget it depends on) edited after the cache was
    written: the next warm load reports exactly what a cold load does; undone, the same."""
    plant, expected = RECORD_EDITS[edit]
    originals = {
        p.relative_to(kit.path).as_posix(): p.read_text(encoding="utf-8")
        for p in kit.path.rglob("*.yaml")
    }
    assert assert_warm_is_cold(kit.path, lineage, "clean") == []
    plant(kit)
    for path in kit.path.rglob("*.yaml"):
        if originals.get(path.relative_to(kit.path).as_posix()) != path.read_text("utf-8"):
            edited(path)
    found = assert_warm_is_cold(kit.path, lineage, edit)
    assert codes(found) == expected
    for rel, text in originals.items():
        if kit.read(rel) != text:
            kit.write(rel, text)
            edited(kit.path / rel)
    (kit.path / "grants/2026/GR-2026-0002.yaml").unlink(missing_ok=True)
    assert assert_warm_is_cold(kit.path, lineage, f"{edit} undone") == []


def _demo_grant(demo: Path) -> Path:
    """The demo's first paid grant of 2026 that asks only a chair's approval."""
    for path in sorted((demo / "grants" / "2026").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "status: paid" in text and text.count("role: chair") == 1 and "leader" not in text:
            return path
    raise AssertionError("no such grant in the demo")


@pytest.mark.parametrize("lineage", ["single", "workers"])
def test_demo_grant_and_case_edited(demo: Path, lineage: str) -> None:
    """On the demo root: one grant made self-approved, then raised over its cap, then its
    case closed before it was proposed; each time warm == cold."""
    assert assert_warm_is_cold(demo, lineage, "demo") == []
    path = _demo_grant(demo)
    text = path.read_text(encoding="utf-8")
    proposer = re.search(r"proposed:\n  by: (\S+)", text)
    approver = re.search(r"approvals:\n  - step: approve\n    by: (\S+)", text)
    assert proposer and approver
    rewrite(
        path,
        lambda t: t.replace(f"proposed:\n  by: {proposer[1]}", f"proposed:\n  by: {approver[1]}"),
    )
    found = assert_warm_is_cold(demo, lineage, "self-approved")
    assert "self-approval" in codes(found)
    rewrite(path, lambda t: re.sub(r"(?m)^amount: .*$", "amount: 19999.00", t))
    found = assert_warm_is_cold(demo, lineage, "over the cap")
    assert {"self-approval", "missing-approval"} <= codes(found)
    case_id = re.search(r"(?m)^case: (\S+)", text)
    proposed_on = re.search(r"proposed:\n  by: \S+\n  on: (\S+)", text)
    assert case_id and proposed_on
    case = demo / "cases" / f"{case_id[1]}.yaml"
    day_before = date.fromisoformat(proposed_on[1]).toordinal() - 1
    closed = date.fromordinal(day_before).isoformat()

    def close(t: str) -> str:
        t = re.sub(r"(?m)^status: \w+$", "status: closed", t)
        t = re.sub(r"(?m)^review_due: .*\n", "", t)
        return t + f"closed:\n  on: {closed}\n  reason: out_of_hardship\n"

    rewrite(case, close)
    found = assert_warm_is_cold(demo, lineage, "case closed")
    assert "not-filed" in codes(found)


# ---------------------------------------------------------------------------------------
# 5. Grants and cases changed in memory after they were read


def _raise_amount(records: Records) -> None:
    records.grants["GR-2026-0001"].amount = Decimal("12000.00")


def _cancel(records: Records) -> None:
    records.grants["GR-2026-0001"].status = GrantStatus.cancelled


def _no_approvals(records: Records) -> None:
    records.grants["GR-2026-0001"].approvals = []


def _other_case(records: Records) -> None:
    records.grants["GR-2026-0001"].case = "HS-2026-0099"


def _proposed_early(records: Records) -> None:
    records.grants["GR-2026-0001"].proposed.on = date(2026, 1, 10)


def _proposed_by_approver(records: Records) -> None:
    records.grants["GR-2026-0001"].proposed.by = "王芳"


def _replaced(records: Records) -> None:
    old = records.grants["GR-2026-0001"]
    records.grants["GR-2026-0001"] = old.model_copy(
        update={"kind": GrantKind.holiday, "amount": Decimal("4000.00")}
    )


def _added(records: Records) -> None:
    old = records.grants["GR-2026-0001"]
    records.grants["GR-2026-0002"] = old.model_copy(
        update={"id": "GR-2026-0002", "fund": "campaign:DC-2026-01", "amount": Decimal("5000.00")}
    )


def _removed(records: Records) -> None:
    del records.grants["GR-2026-0001"]


def _case_closed_early(records: Records) -> None:
    case = records.cases["HS-2026-0001"]
    case.status = CaseStatus.closed
    case.closed = Closed(on=date(2026, 1, 15), reason=CloseReason.out_of_hardship)


def _case_income_up(records: Records) -> None:
    records.cases["HS-2026-0001"].income.household_monthly = Decimal("90000.00")


def _case_removed(records: Records) -> None:
    del records.cases["HS-2026-0001"]


MEMORY_CHANGES: dict[str, tuple[Callable[[Records], None], set[str]]] = {
    "case-closed-before-the-grant": (_case_closed_early, {"not-filed", "paid-after-closing"}),
    "case-income-up": (_case_income_up, {"tier-mismatch"}),
    "case-removed": (_case_removed, {"unknown-case"}),
    "amount-over-cap": (_raise_amount, {"cap-exceeded", "missing-approval"}),
    "cancelled": (_cancel, {"status"}),
    "no-approvals": (_no_approvals, {"status"}),
    "unknown-case": (_other_case, {"unknown-case"}),
    "proposed-before-filing": (_proposed_early, {"not-filed"}),
    "proposed-by-approver": (_proposed_by_approver, {"self-approval", "missing-approval"}),
    "replaced": (_replaced, {"cap-exceeded", "missing-approval"}),
    "added": (_added, {"earmark-overspent", "missing-approval"}),
    "removed": (_removed, set()),
}


@pytest.mark.parametrize("way", ["cold", "warm", "workers", "workers-warm"])
@pytest.mark.parametrize("change", MEMORY_CHANGES)
def test_a_grant_changed_in_memory_is_checked_as_it_is_now(
    kit: Root, change: str, way: str
) -> None:
    """Once `grants` (or `cases`) was read, a change to a grant (or case) shows in
    rules.check: its facts and its own problems are worked out afresh, whether checked
    before the change or not."""
    records = load_way(kit.path, way)
    assert check(records) == []
    mutate, expected = MEMORY_CHANGES[change]
    mutate(records)
    found = check(records)
    assert codes(found) == expected
    assert found == catalogue(records)
    assert records.grant_facts() == {k: g.facts() for k, g in records.grants.items()}
    assert records.case_facts() == {k: c.facts() for k, c in records.cases.items()}

    untouched = load_way(kit.path, way)
    mutate(untouched)  # the first check comes after the change
    assert check(untouched) == found


@pytest.mark.parametrize("way", ["warm", "workers-warm"])
def test_changes_in_memory_come_and_go(kit: Root, way: str) -> None:
    """Checked, changed, checked, changed back, checked: each check sees the grant as it
    is then, nothing remembered from the check before."""
    records = load_way(kit.path, way)
    grant_read = records.grants["GR-2026-0001"]
    assert check(records) == []
    grant_read.amount = Decimal("12000.00")
    assert codes(check(records)) == {"cap-exceeded", "missing-approval"}
    grant_read.amount = Decimal("1500.00")
    assert check(records) == []
    grant_read.fund = "campaign:DC-2026-01"
    grant_read.amount = Decimal("3400.00")
    assert codes(check(records)) == {"earmark-overspent", "missing-approval"}
    assert check(records) == catalogue(records)


# ---------------------------------------------------------------------------------------
# 6. A damaged shard is a miss: never an error, never a wrong answer


@pytest.mark.parametrize("lineage", ["single", "workers"])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -1])
def test_a_damaged_grants_shard_is_a_miss(demo: Path, lineage: str, where: float) -> None:
    """Bytes flipped inside grants.2026.en.pickle: the load reads those files again and
    finds what a cold load finds, then writes the shard anew."""
    rewrite(demo / CONFIG, _medical_cap)  # something for the own checks to find
    expected = assert_warm_is_cold(demo, lineage, "before the damage")
    assert "cap-exceeded" in codes(expected)
    shard = cache_folder.shard_path(demo, "grants/2026")
    assert shard.name == "grants.2026.en.pickle"
    blob = bytearray(shard.read_bytes())
    at = len(blob) - 1 if where == -1 else int(len(blob) * where)
    for i in range(at, min(at + 8, len(blob))):
        blob[i] ^= 0xFF
    shard.write_bytes(bytes(blob))
    with workers() if lineage == "workers" else contextlib.nullcontext():
        warm = load_checked(demo)
    assert warm.loading.cached < warm.files
    assert snapshot(warm) == snapshot(load_checked(demo, cache=False))
    assert assert_warm_is_cold(demo, lineage, "after the damage") == expected


# ---------------------------------------------------------------------------------------
# 7. The real command: the same output cold, warm, and after an edit


def validate(root: Path, *cached: str) -> tuple[int, str]:
    result = hardship_process(
        "--root", root, *cached, "validate", "--today", "2026-11-29", "--format", "json"
    )
    assert result.code in (0, 1), result.err
    json.loads(result.out)
    return result.code, result.out


def test_cli_validate_cold_warm_and_after_an_edit(demo: Path) -> None:
    """`hardship validate --format json`: --no-cache, the first cached run and a warm
    one print the same; after one grant is edited, warm prints what --no-cache does."""
    rewrite(demo / CONFIG, _threshold)
    cold = validate(demo, "--no-cache")
    assert not cache_folder.cache_dir(demo).exists()
    assert cold[0] == 1 and "missing-approval" in cold[1]
    assert validate(demo) == cold  # writes the cache
    assert any(cache_folder.shards(demo))
    assert validate(demo) == cold  # from the cache
    rewrite(_demo_grant(demo), lambda t: re.sub(r"(?m)^amount: .*$", "amount: 19999.00", t))
    warm = validate(demo)
    assert warm == validate(demo, "--no-cache")
    assert warm != cold and "19,999.00" in warm[1]
    assert validate(demo) == warm


@pytest.mark.parametrize("way", WAYS)
def test_a_folder_named_like_a_record_is_not_a_record(tmp_path: Path, way: str) -> None:
    """A folder named GR-….yaml among the grants is left out by every way of loading, the
    same as a cold load does, and a warm load around it still uses the cache."""
    root = make_root(tmp_path, "small")
    year = sorted(p for p in (root / "grants").iterdir() if p.is_dir())[0]
    (year / f"GR-{year.name}-9999.yaml").mkdir()
    cold = load_checked(root, cache=False)
    records = load_way(root, way)
    assert check(records) == check(cold)
    assert records.files == cold.files
    assert f"GR-{year.name}-9999" not in records.grant_facts()


def test_the_digest_covers_hardship_yaml_and_every_rules_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Kept per-record problems are re-checked when hardship.yaml (any byte) or the code of any
    rules module changes (households.py here, which the hand-kept list left out)."""
    per_record = rules.per_record
    assert per_record.digest(b"a: 1\n") != per_record.digest(b"a: 1\n#\n")
    before = per_record.digest(b"a: 1\n")
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        return real(path) + (b"\n# changed\n" if path.name == "households.py" else b"")

    # worked out again (uncached) while the test lasts
    monkeypatch.setattr(cache, "source_digest", cache.source_digest.__wrapped__)
    monkeypatch.setattr(Path, "read_bytes", edited)
    assert per_record.digest(b"a: 1\n") != before
