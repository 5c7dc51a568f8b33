"""What is due (动态管理): reviews, visit follow-ups, stale files, files never helped,
and before a holiday the households to visit first, each with why. What waits for whom
in the casework (the review list) is `casework/waiting`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hardship_cli.domain.case import CaseFacts
from hardship_cli.domain.model import (
    CaseStatus,
    Cause,
    Config,
    Employment,
    GrantKind,
    GrantStatus,
    Health,
    Level,
    Occasion,
)
from hardship_cli.domain.money import yuan
from hardship_cli.domain.policy import (
    review_due_on,
)
from hardship_cli.domain.vocabulary import label
from hardship_cli.domain.workdays import unknown_years
from hardship_cli.i18n import _, ngettext
from hardship_cli.load.files import CONFIG_FILE
from hardship_cli.load.records import Records
from hardship_cli.rules.advice import advise_all

REVIEW_WINDOW_DAYS = 30  # reviews due within this many days are listed as coming up
STALE_DAYS = 365  # a file unchanged this long is listed (the national system's query)
RECENT_DAYS = 365  # "recently ill": medical help or illness within this many days
VISITED_DAYS = 60  # a visit for the same occasion this recently counts as done


@dataclass
class Item:
    record: str
    day: date | None
    note: str
    reasons: list[str] = field(default_factory=list)
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "record": self.record,
            "date": self.day.isoformat() if self.day else None,
            "note": self.note,
        }
        if self.reasons:
            out["reasons"] = self.reasons
        if self.name is not None:
            out["name"] = self.name
        return out


@dataclass
class Due:
    today: date
    reviews: list[Item]
    follow_ups: list[Item]
    unchanged: list[Item]
    never_helped: list[Item]
    occasion: Occasion | None = None
    on: date | None = None
    visit_first: list[Item] = field(default_factory=list)
    visited: list[Item] = field(default_factory=list)
    tiers: list[Item] = field(default_factory=list)  # level no longer fits today's standard
    referrals: list[Item] = field(default_factory=list)  # sent a month ago, no answer yet
    holidays: list[Item] = field(default_factory=list)  # years ahead whose holidays are unknown
    qualifies: list[Item] = field(default_factory=list)  # a program qualified for, not received

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "today": self.today.isoformat(),
            "reviews_due": [i.to_json() for i in self.reviews],
            "follow_ups_due": [i.to_json() for i in self.follow_ups],
            "unchanged_for_a_year": [i.to_json() for i in self.unchanged],
            "never_helped": [i.to_json() for i in self.never_helped],
            "tier_no_longer_fits": [i.to_json() for i in self.tiers],
            "referrals_unanswered": [i.to_json() for i in self.referrals],
            "holidays_unknown": [i.to_json() for i in self.holidays],
            "qualifies_not_helped": [i.to_json() for i in self.qualifies],
        }
        if self.occasion is not None and self.on is not None:
            out["visit_first"] = {
                "occasion": self.occasion.value,
                "on": self.on.isoformat(),
                "households": [i.to_json() for i in self.visit_first],
                "already_visited": [i.to_json() for i in self.visited],
            }
        return out


def due(
    records: Records,
    today: date,
    last_changed: dict[str, date] | None = None,
    occasion: Occasion | None = None,
    on: date | None = None,
) -> Due:
    config = records.config
    assert config is not None
    # The cases' facts: a city's 10,000 cases are not rebuilt for the agenda.
    cases = records.case_facts()
    active = sorted(
        (c for c in cases.values() if c.status == CaseStatus.active), key=lambda c: c.id
    )
    # Reviews are counted from the occasion's day (--on) when one is given: what will be
    # due or overdue then, not today.
    counted_from = on or today
    reviews = []
    for case in active:
        when = review_due_on(case, config.policy.review_cycle_days)
        if when is not None and when <= counted_from + timedelta(days=REVIEW_WINDOW_DAYS):
            late = (counted_from - when).days
            if late > 0:
                note = ngettext("overdue by {n} day", "overdue by {n} days", late).format(n=late)
            elif late == 0:
                note = _("due today")
            else:
                note = ngettext("due in {n} day", "due in {n} days", -late).format(n=-late)
            reviews.append(Item(case.id, when, note))
    reviews.sort(key=lambda i: (i.day or today, i.record))

    follow_ups = []
    # The last visit of each household: a follow-up is done once a later visit came (one
    # pass over the visits, not one per follow-up: 10,000 visits took 13 s that way).
    last_visit: dict[str, date] = {}
    for v in records.visits.values():
        for case_id in v.cases:
            if case_id not in last_visit or v.on > last_visit[case_id]:
                last_visit[case_id] = v.on
    for visit in sorted(records.visits.values(), key=lambda v: (v.follow_up or today, v.id)):
        if visit.follow_up is None or visit.follow_up > today:
            continue
        for case_id in visit.cases:
            if last_visit[case_id] <= visit.on:
                follow_ups.append(
                    Item(
                        case_id,
                        visit.follow_up,
                        _("follow-up of {id} ({on})").format(id=visit.id, on=visit.on),
                    )
                )

    unchanged = []
    if last_changed is not None:
        for case in active:
            rel = records.source(case.id).path
            changed = last_changed.get(rel)
            if changed is not None and (today - changed).days >= STALE_DAYS:
                unchanged.append(
                    Item(case.id, changed, _("unchanged since {on}").format(on=changed))
                )

    helped = {
        g.case
        for g in records.grant_facts().values()
        if g.status not in (GrantStatus.rejected, GrantStatus.cancelled)
    }
    never = [
        Item(
            c.id,
            c.since,
            _("active since {on}, no help given or proposed").format(on=c.since),
        )
        for c in active
        if c.id not in helped
    ]

    result = Due(today, reviews, follow_ups, unchanged, never)
    result.tiers = tier_changes(records, today)
    result.referrals = unanswered_referrals(records, today)
    result.holidays = unknown_holidays(config, today)
    result.qualifies = qualifies_not_helped(records, today)
    if occasion is not None:
        result.occasion = occasion
        result.on = on or today
        result.visit_first, result.visited = visit_candidates(records, config, occasion, result.on)
    return result


def qualifies_not_helped(records: Records, today: date) -> list[Item]:
    """The active households that qualify today for a program of hardship.yaml they have
    not received (`hardship advise --all`), deep hardship first, then the longest wait;
    each with the programs' ids (`reasons`) and names (the note)."""
    config = records.config
    if config is None or not config.programs:
        return []
    found = advise_all(config, records.case_facts().values(), records.grant_facts().values(), today)
    return [
        Item(
            advice.case.id,
            advice.waiting_since,
            _("{tier}; qualifies for {programs}; last helped or filed {days} days ago").format(
                tier=label("tier", advice.case.level.value),
                programs="、".join(v.program.name for v in advice.qualifying),
                days=advice.waited_days,
            ),
            reasons=[v.program.id for v in advice.qualifying],
            name=advice.case.name,
        )
        for advice in found
    ]


def unknown_holidays(config: Any, today: date) -> list[Item]:
    """The years from today to a month ahead (a notice begun now ends in them) whose
    holidays nobody knows: the calendar package lacks them and hardship.yaml lists none."""
    ahead = today + timedelta(days=REVIEW_WINDOW_DAYS)
    return [
        Item(
            CONFIG_FILE,
            None,
            _(
                "{year}'s holidays unknown: update the calendar package or list them in "
                "hardship.yaml"
            ).format(year=year),
        )
        for year in unknown_years(config, today, ahead)
    ]


def tier_changes(records: Records, today: date) -> list[Item]:
    """Open files whose level no longer matches the standard in force today (动态管理)."""
    from hardship_cli.domain.standards import mismatches_today

    assert records.config is not None
    standard = records.config.standard_on(today)
    items = []
    for change in mismatches_today(records.config, records.case_facts().values(), today):
        now = label("tier", change.after.value) if change.after else _("above the relative line")
        items.append(
            Item(
                change.case.id,
                standard.from_ if standard else None,
                _(
                    "{level}, but per-capita {income} against today's standard {standard} is {now}"
                ).format(
                    level=label("tier", change.case.level.value),
                    income=yuan(change.per_capita),
                    standard=yuan(standard.monthly) if standard else "-",
                    now=now,
                ),
            )
        )
    return items


def unanswered_referrals(records: Records, today: date) -> list[Item]:
    """Referrals sent more than a month ago with no answer yet: time to follow them up."""
    from hardship_cli.casework.referrals import overdue, waiting

    return [
        Item(
            case.id,
            r.sent_on,
            _("referral {n} to {where} unanswered since {on}").format(
                n=number, where=r.body or label("referral_to", r.to.value), on=r.sent_on
            ),
        )
        for case, number, r in waiting(records.case_facts().values(), today)
        if overdue(r, today)
    ]


def visit_candidates(
    records: Records, config: Config, occasion: Occasion, on: date
) -> tuple[list[Item], list[Item]]:
    """Active households to visit first at an occasion, with why; and those visited for it
    lately (within VISITED_DAYS before `on`)."""
    first: list[tuple[int, Item]] = []
    visited: list[Item] = []
    # One pass over the visits and one over the grants, not one per household.
    visited_on: dict[str, date] = {}  # the last visit for this occasion, lately
    for v in records.visits.values():
        if v.occasion == occasion and timedelta(0) <= on - v.on <= timedelta(days=VISITED_DAYS):
            for cid in v.cases:
                if cid not in visited_on or v.on > visited_on[cid]:
                    visited_on[cid] = v.on
    medical = _medical_help(records, on)
    facts = records.case_facts()
    for case in sorted(facts.values(), key=lambda c: c.id):
        if case.status != CaseStatus.active:
            continue
        recent_visit = visited_on.get(case.id)
        if recent_visit is not None:
            visited.append(
                Item(
                    case.id,
                    recent_visit,
                    _("visited for {occasion}").format(occasion=label("occasion", occasion.value)),
                    name=case.name,
                )
            )
            continue
        reasons: list[str] = []
        score = 0
        if case.level == Level.deep:
            reasons.append(label("tier", "deep"))
            score += 3
        elif case.level == Level.accident:
            reasons.append(label("tier", "accident"))
            score += 2
        alone = not case.members
        if case.employment == Employment.retired and alone:
            reasons.append(_("retired and living alone"))
            score += 3
        elif alone:
            reasons.append(_("lives alone"))
            score += 1
        if case.health == Health.elderly_frail:
            reasons.append(label("health", "elderly_frail"))
            score += 1
        ill = _recently_ill(case, medical.get(case.id))
        if ill:
            reasons.append(ill)
            score += 2
        if not reasons:
            continue
        first.append(
            (score, Item(case.id, None, _("; ").join(reasons), reasons, name=case.name))
        )
    first.sort(key=lambda pair: (-pair[0], pair[1].record))
    return [item for _score, item in first], visited


def _medical_help(records: Records, on: date) -> dict[str, date]:
    """The last medical help of each household within RECENT_DAYS before `on`."""
    since = on - timedelta(days=RECENT_DAYS)
    last: dict[str, date] = {}
    for g in records.grant_facts().values():
        if (
            g.kind == GrantKind.medical
            and g.status in (GrantStatus.approved, GrantStatus.paid)
            and since <= g.proposed_on <= on
            and (g.case not in last or g.proposed_on > last[g.case])
        ):
            last[g.case] = g.proposed_on
    return last


def _recently_ill(case: CaseFacts, medical: date | None) -> str | None:
    """Illness in the household, or medical help within RECENT_DAYS (`medical`: the last;
    no diagnosis shown)."""
    if medical is not None:
        return _("recently ill (medical help {on})").format(on=medical)
    causes = [case.cause, *case.secondary]
    if (
        Cause.serious_illness in causes
        or case.health == Health.serious_illness
        or any(m.health == Health.serious_illness for m in case.members)
    ):
        return _("serious illness in the household")
    return None
