"""The base of every record, and the parts several kinds of record share: a dated step
(check, review, approval), a signature, a payment, an override, an ending."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from hardship_cli.domain.enums import Decision, Role, StepName
from hardship_cli.domain.sensitive import SENSITIVE
from hardship_cli.domain.values import IsoDate, Name, Prose, Text


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


# ---------------------------------------------------------------------------------------
# Shared parts


class Step(Record):
    """One dated opinion: a check, a home visit, a review or an approval."""

    step: StepName = StepName.approve
    by: Name
    role: Role | None = None
    on: IsoDate
    decision: Decision = Decision.approved
    note: Annotated[Prose | None, SENSITIVE] = None


class Signed(Record):
    by: Name
    on: IsoDate


class Proposed(Signed):
    reason: Text | None = None


class Payment(Record):
    by: Name
    on: IsoDate
    voucher: Name


class Override(Record):
    """A budget or cap refusal passed by an approver of the highest role, with a reason."""

    by: Name
    role: Role
    on: IsoDate
    reason: Name
    rule: Text | None = None


class Ended(Record):
    """Why a grant was rejected or cancelled."""

    by: Name
    on: IsoDate
    reason: Name
