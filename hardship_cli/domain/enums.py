"""The enumerations of the domain: tiers, causes, statuses, kinds of help, roles...

Plain enums, no pydantic: the command line builds its flags and prompts from them without
paying for the record model at start-up (`hardship --help` stays fast).
"""

from __future__ import annotations

import re
from enum import StrEnum

from hardship_cli.domain.kinds import CAMPAIGN, CASE, GRANT, VISIT


class CaseStatus(StrEnum):
    applied = "applied"
    checked = "checked"
    on_notice = "on_notice"
    active = "active"
    rejected = "rejected"
    closed = "closed"


OPEN_CASE_STATUSES = frozenset(
    {CaseStatus.applied, CaseStatus.checked, CaseStatus.on_notice, CaseStatus.active}
)


class Level(StrEnum):
    """The tier of a household: 深度困难, 相对困难, 意外致困."""

    deep = "deep"
    relative = "relative"
    accident = "accident"


class Cause(StrEnum):
    """致困原因: one primary and up to three secondary."""

    unable_to_work = "unable_to_work"  # 丧失劳动能力
    not_employed = "not_employed"  # 有劳动能力但未就业
    laid_off = "laid_off"  # 下岗
    no_insurance = "no_insurance"  # 未参加社会保险
    insurance_unpaid = "insurance_unpaid"  # 社会保险未足额发放
    serious_illness = "serious_illness"  # 因病
    disaster = "disaster"  # 因灾
    accident = "accident"  # 因意外
    schooling = "schooling"  # 因学
    other = "other"


class Employment(StrEnum):
    on_job = "on_job"
    laid_off = "laid_off"
    unemployed = "unemployed"
    retired = "retired"
    sick_leave = "sick_leave"
    migrant = "migrant"


class Sex(StrEnum):
    male = "male"
    female = "female"


class Health(StrEnum):
    healthy = "healthy"
    chronic_illness = "chronic_illness"
    serious_illness = "serious_illness"
    disabled = "disabled"
    elderly_frail = "elderly_frail"


class Relation(StrEnum):
    spouse = "spouse"
    child = "child"
    parent = "parent"
    parent_in_law = "parent_in_law"
    sibling = "sibling"
    grandparent = "grandparent"
    grandchild = "grandchild"
    other = "other"


class GrantKind(StrEnum):
    living = "living"  # 生活救助
    medical = "medical"  # 医疗救助
    schooling = "schooling"  # 助学 / 金秋助学
    holiday = "holiday"  # 送温暖 / 节日慰问
    emergency = "emergency"  # 临时救助
    employment = "employment"  # 就业与培训
    legal = "legal"  # 法律援助
    other = "other"


class GrantStatus(StrEnum):
    proposed = "proposed"
    approved = "approved"
    paid = "paid"
    rejected = "rejected"
    cancelled = "cancelled"


class Role(StrEnum):
    officer = "officer"
    chair = "chair"
    leader = "leader"
    finance = "finance"


class Decision(StrEnum):
    approved = "approved"
    rejected = "rejected"


class StepName(StrEnum):
    check = "check"  # first check by the union
    home_visit = "home_visit"  # 入户调查
    review = "review"
    approve = "approve"
    reject = "reject"


class Occasion(StrEnum):
    spring_festival = "spring_festival"
    mid_autumn = "mid_autumn"
    dragon_boat = "dragon_boat"
    labour_day = "labour_day"
    new_year = "new_year"
    summer_cooling = "summer_cooling"  # 夏送清凉
    routine = "routine"
    home_check = "home_check"
    hospital = "hospital"


class CloseReason(StrEnum):
    out_of_hardship = "out_of_hardship"
    moved = "moved"
    deceased = "deceased"
    ineligible = "ineligible"
    other = "other"


class Locale(StrEnum):
    zh_CN = "zh-CN"
    en = "en"


FIXED_FUNDS = ("union", "higher_union", "employer")
CAMPAIGN_FUND_RE = re.compile(rf"^campaign:({CAMPAIGN.id_pattern})$")
CASE_ID_RE = CASE.id_re
GRANT_ID_RE = GRANT.id_re
CAMPAIGN_ID_RE = CAMPAIGN.id_re
VISIT_ID_RE = VISIT.id_re


class ReferralTo(StrEnum):
    """Where a case is referred for help the unit cannot give itself (联系协调)."""

    city_union = "city_union"  # 市总工会
    civil_affairs = "civil_affairs"  # 民政局
    hospital = "hospital"
    school = "school"
    other = "other"


class ReferralStatus(StrEnum):
    sent = "sent"
    answered = "answered"
    helped = "helped"  # help received
    declined = "declined"
