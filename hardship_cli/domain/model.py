"""The record kinds of a hardship fund and the enumerations of the domain.

Every scalar arrives from YAML as a string (see ``yamlio``); the types below turn a string
into what the schema asks for, strictly: money is a ``Decimal`` with at most two decimals
and never negative (and more than zero where it is an amount given), a date is an ISO date,
a number is digits, text holds no control character (tabs and line breaks only in prose:
notes, findings). Nothing is guessed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, NamedTuple, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from hardship_cli.domain.enums import (  # noqa: F401 - the model's vocabulary, re-exported
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

# ---------------------------------------------------------------------------------------
# Strict scalar types

_MONEY_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_INT_RE = re.compile(r"^[0-9]+$")


def parse_money(value: Any) -> Decimal:
    """A non-negative amount of yuan with at most two decimals, from text or a number."""
    if isinstance(value, bool):
        raise ValueError(f"not an amount of money: {value!r}")
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "") if _looks_grouped(value) else value.strip()
    else:
        raise ValueError(f"not an amount of money: {value!r}")
    if text.startswith("-"):
        raise ValueError(f"money must not be negative: {text}")
    if not _MONEY_RE.match(text):
        raise ValueError(f"not an amount of money: {text!r}")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards it
        raise ValueError(f"not an amount of money: {text!r}") from exc
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"money has at most two decimals (fen): {text}")
    return amount


def _looks_grouped(text: str) -> bool:
    """`1,200.50` is a common way to write yuan; accept it only with well-placed commas."""
    return bool(re.fullmatch(r"\s*[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\s*", text))


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        raise ValueError(f"not a date: {value!r}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r} ({exc})") from exc


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not a whole number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value.strip())
    raise ValueError(f"not a whole number: {value!r}")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in ("true", "false"):
        return value.strip() == "true"
    raise ValueError(f"not true or false: {value!r}")


def parse_text(value: Any) -> str:
    """Text stays text: YAML never turns it into a number or a boolean (see yamlio)."""
    if isinstance(value, str):
        return value
    raise ValueError(f"expected text, got {describe(value)}")


# Control characters never belong in a record: git's output that `history` reads is split
# on \x1f and \x1e, a terminal obeys \x1b, and none of them is something an officer types.
# Tabs and line breaks are allowed only in prose (notes, findings), which is multi-line by
# design; every other text is one line.
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_PROSE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_char(ch: str) -> str:
    """How a control character is named in a message: \\x1f."""
    return f"\\x{ord(ch):02x}"


def one_line(value: str) -> str:
    """Text of one line: no control character at all (tab and line break included)."""
    found = _CONTROL_IN_LINE.search(value)
    if found is None:
        return value
    ch = found.group()
    if ch in "\t\n\r":
        what = "a tab" if ch == "\t" else "a line break"
        raise ValueError(
            f"control character {control_char(ch)} ({what}) is not allowed: "
            "this field is one line of text"
        )
    raise ValueError(f"control character {control_char(ch)} is not allowed in text")


def prose(value: str) -> str:
    """Multi-line text (notes, findings): tabs and line breaks, no other control character."""
    found = _CONTROL_IN_PROSE.search(value)
    if found is None:
        return value
    raise ValueError(
        f"control character {control_char(found.group())} is not allowed in text "
        "(only tabs and line breaks are)"
    )


def describe(value: Any) -> str:
    """What a value is, in words, for a message (never the value: it may be sensitive)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _money_str(value: Decimal) -> str:
    return f"{value:.2f}"


Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    PlainSerializer(_money_str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
            ],
            "description": "yuan, at most two decimals, never negative",
        }
    ),
]
IsoDate = Annotated[
    date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def positive(amount: Decimal) -> Decimal:
    """An amount given (a grant, a donation) is more than nothing."""
    if amount <= 0:
        raise ValueError(f"an amount given must be more than 0.00, not {amount:.2f}")
    return amount


# A grant's or a donation's amount: money, and more than zero.
Amount = Annotated[
    Money,
    AfterValidator(positive),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
            ],
            "description": "yuan, at most two decimals, more than zero",
        }
    ),
]
Int = Annotated[int, BeforeValidator(parse_int), WithJsonSchema({"type": "integer"})]
Bool = Annotated[bool, BeforeValidator(parse_bool), WithJsonSchema({"type": "boolean"})]
_LINE_SCHEMA = {"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}
_PROSE_SCHEMA = {
    "type": "string",
    "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$",
}
# Text of one line (most fields); Prose where a field is multi-line by design (notes,
# findings); Name is one line that is not empty.
Text = Annotated[
    str, BeforeValidator(parse_text), AfterValidator(one_line), WithJsonSchema(_LINE_SCHEMA)
]
Prose = Annotated[
    str, BeforeValidator(parse_text), AfterValidator(prose), WithJsonSchema(_PROSE_SCHEMA)
]
Name = Annotated[
    str,
    BeforeValidator(parse_text),
    AfterValidator(one_line),
    Field(min_length=1),
    WithJsonSchema(_LINE_SCHEMA),
]
CaseId = Annotated[str, BeforeValidator(parse_text), Field(pattern=CASE_ID_RE.pattern)]
GrantId = Annotated[str, BeforeValidator(parse_text), Field(pattern=GRANT_ID_RE.pattern)]
CampaignId = Annotated[str, BeforeValidator(parse_text), Field(pattern=CAMPAIGN_ID_RE.pattern)]
VisitId = Annotated[str, BeforeValidator(parse_text), Field(pattern=VISIT_ID_RE.pattern)]


def parse_fund(value: Any) -> str:
    text = parse_text(value)
    if text in FIXED_FUNDS or CAMPAIGN_FUND_RE.match(text):
        return text
    raise ValueError(
        f"unknown fund {text!r}: use union, higher_union, employer or campaign:DC-YYYY-NN"
    )


Fund = Annotated[
    str,
    BeforeValidator(parse_fund),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(FIXED_FUNDS)},
                {"type": "string", "pattern": CAMPAIGN_FUND_RE.pattern},
            ]
        }
    ),
]


# Where a value sits in a record: its keys and list indexes (as Source.line takes them).
Loc = tuple[str | int, ...]


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
    note: Prose | None = None


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


# ---------------------------------------------------------------------------------------
# case


class Worker(Record):
    name: Name
    employee_id: Name
    unit: Name
    sex: Sex
    birth_date: IsoDate
    employment: Employment
    health: Health = Health.healthy
    disability: Text | None = None
    diagnosis: Text | None = None  # sensitive
    phone: Text | None = None  # sensitive
    id_number: Text | None = None  # sensitive
    address: Text | None = None

    @field_validator("id_number")
    @classmethod
    def _id_number_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9]{17}[0-9X]", value):
            # Never echo the value: it is sensitive.
            raise ValueError("an ID number has 18 characters: 17 digits and a digit or X")
        return value


class Member(Record):
    name: Name
    relation: Relation
    birth_date: IsoDate | None = None
    health: Health = Health.healthy
    monthly_income: Money = Decimal("0")
    occupation: Text | None = None
    diagnosis: Text | None = None  # sensitive


class Income(Record):
    household_monthly: Money
    rigid_expenses_monthly: Money = Decimal("0")


class Causes(Record):
    primary: Cause
    secondary: list[Cause] = Field(default_factory=list, max_length=3)


class Objection(Record):
    by: Name
    on: IsoDate
    text: Annotated[Prose, Field(min_length=1)]
    resolved: Signed | None = None
    resolution: Prose | None = None


class Notice(Record):
    from_: IsoDate = Field(alias="from")
    until: IsoDate
    objections: list[Objection] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class KeptPayable(Record):
    """Approved grants a case's closing left payable, and why (else they are cancelled)."""

    grants: list[GrantId] = Field(min_length=1)
    reason: Name


class Closed(Record):
    on: IsoDate
    reason: CloseReason
    by: Name | None = None
    note: Prose | None = None
    keep_payable: KeptPayable | None = None


class Bank(Record):
    name: Name
    account: Name  # sensitive


class Answer(Record):
    on: IsoDate
    note: Prose | None = None


class Referral(Record):
    """A referral outward and what came back. A recurring amount received (e.g. 低保金
    granted by civil affairs) counts as household income from the day it starts."""

    to: ReferralTo
    body: Text | None = None  # the office, e.g. 某县民政局
    purpose: Name
    sent: Signed
    status: ReferralStatus = ReferralStatus.sent
    answered: Answer | None = None
    amount: Money | None = None  # one-off help received
    monthly_income: Money | None = None  # recurring help, counted as household income
    note: Prose | None = None


class Case(Record):
    id: CaseId
    status: CaseStatus
    worker: Worker
    household: list[Member] = Field(default_factory=list)
    housing: Text | None = None
    income: Income
    level: Level
    causes: Causes
    bank: Bank | None = None
    filed: Signed
    checks: list[Step] = Field(default_factory=list)
    approvals: list[Step] = Field(default_factory=list)
    notice: Notice | None = None
    referrals: list[Referral] = Field(default_factory=list)
    review_due: IsoDate | None = None
    closed: Closed | None = None
    notes: Prose | None = None

    @property
    def household_size(self) -> int:
        return 1 + len(self.household)

    @property
    def referral_income_monthly(self) -> Decimal:
        """Recurring help received through referrals, which counts as household income."""
        return sum(
            (
                r.monthly_income
                for r in self.referrals
                if r.status == ReferralStatus.helped and r.monthly_income
            ),
            Decimal("0"),
        )

    @property
    def per_capita_monthly(self) -> Decimal:
        """(household income + referral income - rigid expenses) / members, to the fen,
        never below zero."""
        net = (
            self.income.household_monthly
            + self.referral_income_monthly
            - self.income.rigid_expenses_monthly
        )
        if net < 0:
            net = Decimal("0")
        return (net / self.household_size).quantize(Decimal("0.01"))

    def facts(self) -> CaseFacts:
        return CaseFacts(
            self.id,
            self.status,
            self.worker.employee_id,
            self.worker.id_number,
            active_since(self),
            self.closed.on if self.closed is not None else None,
            self.review_due,
            last_dated(self),
            kept_payable(self),
        )

    def dates(self) -> list[tuple[Loc, date]]:
        """Every day the file records a step on (where, when): a day that is not after
        today. Days ahead by design (a notice's end, the next review) are not steps."""
        found: list[tuple[Loc, date]] = [(("filed", "on"), self.filed.on)]
        for name, steps in (("checks", self.checks), ("approvals", self.approvals)):
            found.extend(((name, i, "on"), s.on) for i, s in enumerate(steps))
        if self.notice is not None:
            found.append((("notice", "from"), self.notice.from_))
            for i, o in enumerate(self.notice.objections):
                found.append((("notice", "objections", i, "on"), o.on))
                if o.resolved is not None:
                    found.append((("notice", "objections", i, "resolved", "on"), o.resolved.on))
        for i, r in enumerate(self.referrals):
            found.append((("referrals", i, "sent", "on"), r.sent.on))
            if r.answered is not None:
                found.append((("referrals", i, "answered", "on"), r.answered.on))
        if self.closed is not None:
            found.append((("closed", "on"), self.closed.on))
        return found


class CaseFacts(NamedTuple):
    """What the rules across records need of one case: who the household is (one file a
    household), when its file was open (help only to filed households) and when it is
    due for review. Kept with the case in the parse cache, like GrantFacts. `id_number`
    is sensitive: never shown."""

    id: str
    status: CaseStatus
    employee_id: str
    id_number: str | None
    since: date | None  # approved into the archive (active_since)
    closed_on: date | None
    review_due: date | None
    last_on: date  # the latest day a step is recorded on (Case.dates)
    kept_payable: tuple[str, ...]  # approved grants its closing left payable


# ---------------------------------------------------------------------------------------
# grant


class Grant(Record):
    id: GrantId
    case: CaseId
    kind: GrantKind
    amount: Amount
    fund: Fund
    status: GrantStatus
    proposed: Proposed
    approvals: list[Step] = Field(default_factory=list)
    paid: Payment | None = None
    override: Override | None = None
    ended: Ended | None = None
    notes: Prose | None = None

    @property
    def year(self) -> int:
        """The budget year a grant counts against: the year it was proposed."""
        return self.proposed.on.year

    @property
    def campaign(self) -> str | None:
        """The drive a grant is paid from (the fund's shape is checked when it loads; in a
        roll-up of several units the drive's ID carries its unit, `U1/DC-2026-01`)."""
        return self.fund[len("campaign:") :] if self.fund.startswith("campaign:") else None

    def facts(self) -> GrantFacts:
        return GrantFacts(
            self.id,
            self.case,
            self.kind,
            self.amount,
            self.fund,
            self.status,
            self.proposed.on,
            self.proposed.by,
            self.override.by if self.override is not None else None,
            self.year,
            self.campaign,
            self.paid.on if self.paid is not None else None,
            last_dated(self),
        )

    def dates(self) -> list[tuple[Loc, date]]:
        """Every day the grant records a step on (where, when)."""
        found: list[tuple[Loc, date]] = [(("proposed", "on"), self.proposed.on)]
        found.extend((("approvals", i, "on"), s.on) for i, s in enumerate(self.approvals))
        for name, part in (("override", self.override), ("ended", self.ended)):
            if part is not None:
                found.append(((name, "on"), part.on))
        if self.paid is not None:
            found.append((("paid", "on"), self.paid.on))
        return found


class GrantLike(Protocol):
    """A Grant or its GrantFacts: what the money functions read."""

    @property
    def id(self) -> str: ...
    @property
    def case(self) -> str: ...
    @property
    def kind(self) -> GrantKind: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def fund(self) -> str: ...
    @property
    def status(self) -> GrantStatus: ...
    @property
    def year(self) -> int: ...
    @property
    def campaign(self) -> str | None: ...


class GrantFacts(NamedTuple):
    """What the rules that look across grants need of one grant (money, dates, links).

    Kept with the grant in the parse cache, so that a warm `validate` checks budget lines,
    caps, earmarks and links of 100,000 grants without rebuilding the grants themselves;
    it reads like a Grant for the money functions (id, case, kind, amount, status, year,
    campaign).
    """

    id: str
    case: str
    kind: GrantKind
    amount: Decimal
    fund: str
    status: GrantStatus
    proposed_on: date
    proposed_by: str
    override_by: str | None
    year: int
    campaign: str | None
    paid_on: date | None
    last_on: date  # the latest day a step is recorded on (Grant.dates)


# ---------------------------------------------------------------------------------------
# campaign


class Contribution(Record):
    donor: Name
    amount: Amount
    on: IsoDate
    anonymous: Bool = False


class Campaign(Record):
    id: CampaignId
    title: Name
    beneficiary: CaseId | None = None
    opened: IsoDate
    closed: IsoDate | None = None
    target: Money | None = None
    purpose: Text | None = None
    contributions: list[Contribution] = Field(default_factory=list)
    notes: Prose | None = None

    @property
    def raised(self) -> Decimal:
        return sum((c.amount for c in self.contributions), Decimal("0"))

    def dates(self) -> list[tuple[Loc, date]]:
        """The day the drive opened and the day of each donation (its close may be ahead)."""
        found: list[tuple[Loc, date]] = [(("opened",), self.opened)]
        found.extend((("contributions", i, "on"), c.on) for i, c in enumerate(self.contributions))
        return found


# ---------------------------------------------------------------------------------------
# visit


class Visit(Record):
    id: VisitId
    on: IsoDate
    occasion: Occasion
    visitors: list[Name] = Field(min_length=1)
    cases: list[CaseId] = Field(min_length=1)
    goods: Text | None = None
    findings: Prose | None = None
    follow_up: IsoDate | None = None
    notes: Prose | None = None

    def dates(self) -> list[tuple[Loc, date]]:
        """The day of the visit (its follow-up is ahead by design)."""
        return [(("on",), self.on)]


# ---------------------------------------------------------------------------------------
# budget


class Budget(Record):
    year: Int
    total: Money
    lines: dict[GrantKind, Money]
    reserve: Money = Decimal("0")
    sources: dict[Fund, Money] = Field(default_factory=dict)
    notes: Prose | None = None

    @model_validator(mode="after")
    def _lines_within_total(self) -> Budget:
        allocated = sum(self.lines.values(), Decimal("0")) + self.reserve
        if allocated > self.total:
            raise ValueError(
                f"lines and reserve add up to {allocated:.2f}, more than the total {self.total:.2f}"
            )
        return self


# ---------------------------------------------------------------------------------------
# hardship.yaml


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
            "not an SSH public key: write it as in the officer's .pub file "
            "(ssh-ed25519 AAAA... name), or an OpenPGP key's 40-digit fingerprint"
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


KINDS: dict[str, type[Record]] = {
    "case": Case,
    "grant": Grant,
    "campaign": Campaign,
    "visit": Visit,
    "budget": Budget,
    "config": Config,
}


# ---------------------------------------------------------------------------------------
# Facts about a case's history that rules and workflow share


def active_since(case: Case) -> date | None:
    """The day the case was approved into the archive (its last approving step)."""
    days = [
        s.on
        for s in case.approvals
        if s.step == StepName.approve and s.decision == Decision.approved
    ]
    return max(days) if days else None


def last_dated(record: Case | Grant) -> date:
    """The latest day a record's steps are dated (the latest of `dates()`, worked out
    without them: the facts of 100,000 grants are made with it)."""
    if isinstance(record, Grant):
        last = record.proposed.on
        for step in record.approvals:
            if step.on > last:
                last = step.on
        for part in (record.paid, record.ended, record.override):
            if part is not None and part.on > last:
                last = part.on
        return last
    return max(day for _loc, day in record.dates())


def kept_payable(case: Case) -> tuple[str, ...]:
    """The approved grants the closing of a case kept payable (closed.keep_payable)."""
    if case.closed is None or case.closed.keep_payable is None:
        return ()
    return tuple(case.closed.keep_payable.grants)


def was_active_on(case: Case, day: date) -> bool:
    """Was the household filed and approved (and not yet closed) on that day?"""
    since = active_since(case)
    if since is None or day < since:
        return False
    if case.status == CaseStatus.closed and case.closed is not None:
        return day <= case.closed.on
    return case.status in (CaseStatus.active, CaseStatus.closed)


def open_objections(case: Case) -> list[Objection]:
    if case.notice is None:
        return []
    return [o for o in case.notice.objections if o.resolved is None]
