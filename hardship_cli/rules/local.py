"""The checks of one grant on its own (with hardship.yaml): worked out once per grant.

A grant's signatures, status, self-approval, policy approvals and per-grant cap depend on
the grant and hardship.yaml alone. They are worked out when the grant is read and kept
with it in the parse cache (see ``bulk``), under a digest of hardship.yaml and of the code
of the checks, so that a warm `validate` of 100,000 grants re-checks only those that
changed; the checks that look across grants (links, budget lines, yearly caps, earmarks)
run over every grant's GrantFacts each time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import Config, Grant
from ..problems import Problem
from ..store import Records, Source
from .budgets import grant_cap
from .duties import grant_policy, grant_self_approval
from .references import GrantContext, grant_signatures
from .status import grant_status_problems


def grant_problems(grant: Grant, src: Source, config: Config) -> list[Problem]:
    """Every problem one grant has on its own; the same as the whole-root rules find in it
    (people_are_officers, grant_status_consistent, separation_of_duties,
    grant_approvals_cover_policy, caps_respected's per-grant cap)."""
    return [
        *grant_signatures(grant, src, GrantContext.of(config)),
        *grant_status_problems(grant, src),
        *grant_self_approval(grant, src),
        *grant_policy(grant, src, config),
        *grant_cap(grant, src, config),
    ]


_CODE = (
    "rules/local.py",
    "rules/references.py",
    "rules/status.py",
    "rules/duties.py",
    "rules/budgets.py",
    "workflow.py",
    "money.py",
    "model.py",
    "enums.py",
    "problems.py",
)
_code_digest: bytes | None = None


def digest(config_bytes: bytes) -> bytes:
    """What a grant's own problems depend on besides the grant: hardship.yaml, as written,
    and the code of the checks. Kept problems under another digest are worked out again."""
    global _code_digest
    if _code_digest is None:
        here = Path(__file__).resolve().parent.parent
        code = hashlib.sha256()
        for name in _CODE:
            code.update((here / name).read_bytes())
        _code_digest = code.digest()
    return hashlib.sha256(_code_digest + config_bytes).digest()[:16]


def problems_of(records: Records, config: Config) -> list[Problem]:
    """The grants' own problems: those kept from loading when they still apply, else
    worked out now."""
    kept = records.kept_grant_problems()
    if kept is not None:
        return [p for found in kept.values() for p in found]
    return [
        p
        for grant in records.grants.values()
        for p in grant_problems(grant, records.source(grant.id), config)
    ]
