"""hardship.yaml: the organisation, the living standards and tiers, caps, the approval
policy, the officers (and their signing keys), holidays, import limits, git."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from hardship_cli.domain.enums import GrantKind, Level, Locale, Role
from hardship_cli.domain.parts import Record
from hardship_cli.domain.programs import Programs
from hardship_cli.domain.values import Bool, Int, IsoDate, Money, Name, Text, parse_text
from hardship_cli.i18n import _


class Organisation(Record):
    name: Name
    parent: Text | None = None  # the higher union that receives the statistics
    area: Text | None = None
    address: Text | None = None


class Standard(Record):
    """A minimum living standard (低保) in force from a date."""

    from_: IsoDate = Field(alias="from")
    monthly: Money
    area: Text | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Tiers(Record):
    """Multipliers of the standard: deep below 1 x 低保, relative below 2 x 低保."""

    deep: Money = Decimal("1")
    relative: Money = Decimal("2")


class Cap(Record):
    per_grant: Money | None = None
    per_case_year: Money | None = None


class Threshold(Record):
    """Up to this amount (inclusive), these roles must approve; the last has no limit."""

    up_to: Money | None = None
    roles: list[Role] = Field(min_length=1)


class Policy(Record):
    thresholds: list[Threshold] = Field(min_length=1)
    notice_days: Int = 5
    review_cycle_days: Int = 365
    emergency_before_active: Bool = True
    # Who approves a household's file after its notice: any one of these roles.
    case_approvers: list[Role] = Field(default_factory=lambda: [Role.chair, Role.leader])


def parse_signing_key(value: Any) -> str:
    """An OpenSSH public key, as in a .pub file (`ssh-ed25519 AAAA... comment`), or the
    fingerprint of an OpenPGP key (40 hexadecimal digits, spaces allowed)."""
    text = parse_text(value).strip()
    fingerprint = text.replace(" ", "").upper()
    if re.fullmatch(r"[0-9A-F]{40}", fingerprint):
        return fingerprint
    if not SIGNING_KEY_RE.match(text):
        raise ValueError(
            _(
                "not an SSH public key: write it as in the officer's .pub file "
                "(ssh-ed25519 AAAA... name), or an OpenPGP key's 40-digit fingerprint"
            )
        )
    return text


SIGNING_KEY_RE = re.compile(
    r"^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+=*( .*)?$"
)
SigningKey = Annotated[str, BeforeValidator(parse_signing_key), WithJsonSchema({"type": "string"})]


class Officer(Record):
    name: Name
    role: Role
    email: Text | None = None
    # Their public SSH key, or their OpenPGP key's fingerprint: with `git: {sign:
    # required}`, their actions' commits must be signed with the matching private key.
    signing_key: SigningKey | None = None


class GitPolicy(Record):
    """How actions reach git, the audit trail."""

    commit: Bool = True  # false: this root runs without git, on purpose (no audit trail)
    sign: Literal["off", "required"] = "off"  # required: every action commit is signed


class ImportLimits(Record):
    """How big a sheet `import cases` reads; a bigger unit raises them here (or by flag)."""

    max_rows: Annotated[Int, Field(ge=1)] = 20_000  # rows of a sheet, blank ones included
    max_file_mb: Annotated[Int, Field(ge=1)] = 50  # the file as it is on disk
    max_unpacked_mb: Annotated[Int, Field(ge=1)] = 200  # an .xlsx's parts unpacked, together
    max_ratio: Annotated[Int, Field(ge=1)] = 200  # how many times a large part may grow


class Config(Record):
    organisation: Organisation
    locale: Locale = Locale.zh_CN
    currency: Literal["CNY"] = "CNY"
    standards: list[Standard] = Field(min_length=1)
    tiers: Tiers = Field(default_factory=Tiers)
    caps: dict[GrantKind, Cap] = Field(default_factory=dict)
    policy: Policy
    officers: list[Officer] = Field(min_length=1)
    holidays: list[IsoDate] = Field(default_factory=list)  # public holidays, for notice days
    workdays: list[IsoDate] = Field(default_factory=list)  # weekend days worked (调休)
    imports: ImportLimits = Field(default_factory=ImportLimits)
    git: GitPolicy = Field(default_factory=GitPolicy)
    programs: Programs = Field(default_factory=list)  # domain/programs.py

    def standard_on(self, day: date) -> Standard | None:
        """The standard in force on a day: the latest whose `from` is not after it."""
        best: Standard | None = None
        for standard in self.standards:
            if standard.from_ <= day and (best is None or standard.from_ >= best.from_):
                best = standard
        return best

    def roles_of(self, name: str) -> set[Role]:
        return {o.role for o in self.officers if o.name == name}

    def officer(self, name: str) -> Officer | None:
        for o in self.officers:
            if o.name == name:
                return o
        return None

    def roles_required(self, amount: Decimal) -> list[Role]:
        for threshold in self.policy.thresholds:
            if threshold.up_to is None or amount <= threshold.up_to:
                return list(threshold.roles)
        return list(self.policy.thresholds[-1].roles)

    def level_for(self, per_capita: Decimal, day: date) -> Level | None:
        """deep / relative from income alone; None when above the relative line."""
        standard = self.standard_on(day)
        if standard is None:
            return None
        if per_capita < standard.monthly * self.tiers.deep:
            return Level.deep
        if per_capita < standard.monthly * self.tiers.relative:
            return Level.relative
        return None


