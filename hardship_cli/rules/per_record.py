"""The per-record checks: those of one case or grant on its own (with hardship.yaml),
run once per record.

A grant's signatures, status, self-approval, policy approvals and per-grant cap, and a
case's signatures, status, self-approval and tier, depend on the record and hardship.yaml
alone. They are worked out when the record is read and kept with it in the parse cache
(see ``load.bulk``), under a digest of hardship.yaml and of the code of the checks, so that a
warm `validate` of 100,000 grants re-checks only those that changed; the checks that look
across records (links, one file a household, help only to filed households, budget
lines, yearly caps, earmarks, reviews due) run over every record's facts each time.

The loader imports no rule: its caller hands it PER_RECORD_CHECKS (``load(root,
checks=...)``; the CLI does so for every load of a command).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as remembered
from pathlib import Path
from typing import Any

from hardship_cli.domain.model import Case, Config, Grant
from hardship_cli.i18n import CATALOGS, DOMAIN, LOCALE_DIR, language
from hardship_cli.load import cache
from hardship_cli.load.checks import PerRecordChecks
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.load.store import load
from hardship_cli.problems import Problem
from hardship_cli.rules.budgets import grant_cap
from hardship_cli.rules.duties import grant_policy, self_approvals
from hardship_cli.rules.id_numbers import case_id_numbers
from hardship_cli.rules.one_by_one import check_one_by_one
from hardship_cli.rules.references import CheckContext, case_signatures, grant_signatures
from hardship_cli.rules.status import case_status_problems, grant_status_problems
from hardship_cli.rules.tiers import case_level


def grant_problems(grant: Grant, src: Source, config: Config) -> list[Problem]:
    """Every problem one grant has on its own; the same as the whole-root rules find in it
    (people_are_officers, grant_status_consistent, separation_of_duties,
    grant_approvals_cover_policy, caps_respected's per-grant cap)."""
    return [
        *grant_signatures(grant, src, CheckContext.of(config)),
        *grant_status_problems(grant, src),
        *self_approvals(grant, src),
        *grant_policy(grant, src, config),
        *grant_cap(grant, src, config),
    ]


def case_problems(case: Case, src: Source, config: Config) -> list[Problem]:
    """Every problem one case has on its own; the same as the whole-root rules find in it
    (people_are_officers, case_status_consistent, separation_of_duties,
    level_matches_income, id_numbers_check_themselves)."""
    return [
        *case_signatures(case, src, CheckContext.of(config)),
        *case_status_problems(case, src),
        *self_approvals(case, src),
        *case_level(case, src, config),
        *case_id_numbers(case, src, config),
    ]


CHECKS: dict[str, Callable[[Any, Source, Config], list[Problem]]] = {
    "case": case_problems,
    "grant": grant_problems,
}


def digest(config_bytes: bytes) -> bytes:
    """What a record's per-record problems depend on besides the record: hardship.yaml, as
    written, the code of the checks (the source of every module of the package, as the
    parse cache's key has it: computed, so a module the checks come to use counts), and
    the language their messages are in (the terminal's, and its catalog as compiled).
    Problems kept under another digest are worked out again."""
    words = _catalog_digest(language())
    return hashlib.sha256(cache.source_digest() + words + config_bytes).digest()[:16]


@remembered
def _catalog_digest(lang: str) -> bytes:
    """The language of the messages and the bytes of its compiled catalog (a translation
    changed drops the problems kept in the old wording)."""
    mo = LOCALE_DIR / CATALOGS.get(lang, lang) / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        data = mo.read_bytes()
    except OSError:
        data = b""
    return hashlib.sha256(lang.encode() + b"\0" + data).digest()


# What the loader's callers hand it (see ``load.checks``).
PER_RECORD_CHECKS = PerRecordChecks(CHECKS, digest)


def problems_of(records: Records, config: Config) -> list[Problem]:
    """The per-record problems of every case and grant: those loading found when they
    still apply, else worked out now."""
    found: list[Problem] = []
    for kind, check in CHECKS.items():
        kept = records.per_record_problems(kind)
        if kept is not None:
            found.extend(p for problems in kept.values() for p in problems)
            continue
        every = records.grants if kind == "grant" else records.cases
        found.extend(check_one_by_one(records, every.values(), check, config))
    return found


def load_checked(root: Path, **options: Any) -> Records:
    """``store.load`` handed the per-record checks (what the CLI does for a command)."""
    return load(root, checks=PER_RECORD_CHECKS, **options)
