"""The record kinds of a hardship fund, in one place to import them from.

This module is a facade, on purpose and the only one: the record kinds live in a module
each (``case``, ``grant``, ``campaign``, ``visit``, ``budget``, ``config`` for
hardship.yaml; ``parts`` for the base ``Record`` and the parts they share) and are
re-exported here with the enumerations of the domain (``enums``), so that the modules that
read records name one import point. ``KINDS`` maps each kind to its model. What is not a
record kind is imported from where it lives: the strict value types from ``values``, the
facts of a case's history from ``case``, which fields are sensitive from ``sensitive``.
"""

from __future__ import annotations

from hardship_cli.domain.budget import Budget
from hardship_cli.domain.campaign import Campaign, Contribution
from hardship_cli.domain.case import (
    Answer,
    Bank,
    Case,
    CaseFacts,
    Causes,
    Closed,
    Income,
    KeptPayable,
    Member,
    Notice,
    Objection,
    Referral,
    Worker,
)
from hardship_cli.domain.config import (
    Cap,
    Config,
    GitPolicy,
    ImportLimits,
    Officer,
    Organisation,
    Policy,
    Standard,
    Threshold,
    Tiers,
)
from hardship_cli.domain.enums import (
    CAMPAIGN_FUND_RE,
    CAMPAIGN_ID_RE,
    CASE_ID_RE,
    FIXED_FUNDS,
    GRANT_ID_RE,
    OPEN_CASE_STATUSES,
    VISIT_ID_RE,
    CaseStatus,
    Cause,
    CloseReason,
    Decision,
    Employment,
    GrantKind,
    GrantStatus,
    Health,
    Level,
    Locale,
    Occasion,
    ReferralStatus,
    ReferralTo,
    Relation,
    Role,
    Sex,
    StepName,
)
from hardship_cli.domain.grant import Grant, GrantFacts, GrantLike
from hardship_cli.domain.parts import Ended, Override, Payment, Proposed, Record, Signed, Step
from hardship_cli.domain.visit import Visit

__all__ = [
    # the record kinds and their parts
    "Answer",
    "Bank",
    "Budget",
    "Campaign",
    "Cap",
    "Case",
    "CaseFacts",
    "Causes",
    "Closed",
    "Config",
    "Contribution",
    "Ended",
    "GitPolicy",
    "Grant",
    "GrantFacts",
    "GrantLike",
    "ImportLimits",
    "Income",
    "KeptPayable",
    "Member",
    "Notice",
    "Objection",
    "Officer",
    "Organisation",
    "Override",
    "Payment",
    "Policy",
    "Proposed",
    "Record",
    "Referral",
    "Signed",
    "Standard",
    "Step",
    "Threshold",
    "Tiers",
    "Visit",
    "Worker",
    "KINDS",
    # the enumerations (domain/enums.py)
    "CAMPAIGN_FUND_RE",
    "CAMPAIGN_ID_RE",
    "CASE_ID_RE",
    "FIXED_FUNDS",
    "GRANT_ID_RE",
    "OPEN_CASE_STATUSES",
    "VISIT_ID_RE",
    "CaseStatus",
    "Cause",
    "CloseReason",
    "Decision",
    "Employment",
    "GrantKind",
    "GrantStatus",
    "Health",
    "Level",
    "Locale",
    "Occasion",
    "ReferralStatus",
    "ReferralTo",
    "Relation",
    "Role",
    "Sex",
    "StepName",
]

KINDS: dict[str, type[Record]] = {
    "case": Case,
    "grant": Grant,
    "campaign": Campaign,
    "visit": Visit,
    "budget": Budget,
    "config": Config,
}
