"""One vocabulary: the words for the codes of the records (tiers, causes, kinds of help,
funds, statuses, roles...), in the terminal and in the reports alike.

Each code has one English label, marked for the catalogs with its group as the gettext
context (`NP_("kind", "medical relief")`): the Chinese is the catalog's (医疗救助), so a
table in the terminal and the monthly report call a thing by the same name. `label` says
a code in a language; `code_of` reads what a person typed (the code, or its label in
either language: `医疗救助`, `medical relief`, `medical`) back to the code.
"""

from __future__ import annotations

from functools import cache

from hardship_cli.i18n import LANGS, NP_, gettext_in, language

VOCABULARY: dict[str, dict[str, str]] = {
    "tier": {
        "deep": NP_("tier", "deep hardship"),
        "relative": NP_("tier", "relative hardship"),
        "accident": NP_("tier", "hardship by accident"),
    },
    "cause": {
        "unable_to_work": NP_("cause", "unable to work"),
        "not_employed": NP_("cause", "able but not employed"),
        "laid_off": NP_("cause", "laid off"),
        "no_insurance": NP_("cause", "no social insurance"),
        "insurance_unpaid": NP_("cause", "insurance not paid out"),
        "serious_illness": NP_("cause", "serious illness"),
        "disaster": NP_("cause", "natural disaster"),
        "accident": NP_("cause", "accident"),
        "schooling": NP_("cause", "children's schooling"),
        "other": NP_("cause", "other"),
    },
    "kind": {
        "living": NP_("kind", "living relief"),
        "medical": NP_("kind", "medical relief"),
        "schooling": NP_("kind", "schooling grant"),
        "holiday": NP_("kind", "holiday visit money"),
        "emergency": NP_("kind", "emergency relief"),
        "employment": NP_("kind", "job and training help"),
        "legal": NP_("kind", "legal aid"),
        "other": NP_("kind", "other"),
    },
    "fund": {
        "union": NP_("fund", "union budget"),
        "higher_union": NP_("fund", "higher union"),
        "employer": NP_("fund", "employer"),
        "campaign": NP_("fund", "donation drive"),
    },
    "case_status": {
        "applied": NP_("case_status", "applied"),
        "checked": NP_("case_status", "checked"),
        "on_notice": NP_("case_status", "on notice"),
        "active": NP_("case_status", "active"),
        "rejected": NP_("case_status", "rejected"),
        "closed": NP_("case_status", "closed"),
    },
    "grant_status": {
        "proposed": NP_("grant_status", "proposed"),
        "approved": NP_("grant_status", "approved"),
        "paid": NP_("grant_status", "paid"),
        "rejected": NP_("grant_status", "rejected"),
        "cancelled": NP_("grant_status", "cancelled"),
    },
    "employment": {
        "on_job": NP_("employment", "on the job"),
        "laid_off": NP_("employment", "laid off"),
        "unemployed": NP_("employment", "unemployed"),
        "retired": NP_("employment", "retired"),
        "sick_leave": NP_("employment", "sick leave"),
        "migrant": NP_("employment", "migrant worker"),
    },
    "sex": {
        "male": NP_("sex", "male"),
        "female": NP_("sex", "female"),
    },
    "age_band": {
        "under_30": NP_("age_band", "under 30"),
        "30_39": NP_("age_band", "30-39"),
        "40_49": NP_("age_band", "40-49"),
        "50_59": NP_("age_band", "50-59"),
        "60_plus": NP_("age_band", "60 and over"),
        "unknown": NP_("age_band", "unknown"),
    },
    "health": {
        "healthy": NP_("health", "healthy"),
        "chronic_illness": NP_("health", "chronic illness"),
        "serious_illness": NP_("health", "serious illness"),
        "disabled": NP_("health", "disabled"),
        "elderly_frail": NP_("health", "elderly and frail"),
    },
    "relation": {
        "spouse": NP_("relation", "spouse"),
        "child": NP_("relation", "child"),
        "parent": NP_("relation", "parent"),
        "parent_in_law": NP_("relation", "parent-in-law"),
        "sibling": NP_("relation", "sibling"),
        "grandparent": NP_("relation", "grandparent"),
        "grandchild": NP_("relation", "grandchild"),
        "other": NP_("relation", "other"),
    },
    "occasion": {
        "spring_festival": NP_("occasion", "Spring Festival"),
        "mid_autumn": NP_("occasion", "Mid-Autumn"),
        "dragon_boat": NP_("occasion", "Dragon Boat"),
        "labour_day": NP_("occasion", "Labour Day"),
        "new_year": NP_("occasion", "New Year"),
        "summer_cooling": NP_("occasion", "summer cooling"),
        "routine": NP_("occasion", "routine visit"),
        "home_check": NP_("occasion", "home check"),
        "hospital": NP_("occasion", "hospital visit"),
    },
    "close_reason": {
        "out_of_hardship": NP_("close_reason", "out of hardship"),
        "moved": NP_("close_reason", "moved away"),
        "deceased": NP_("close_reason", "deceased"),
        "ineligible": NP_("close_reason", "not eligible"),
        "other": NP_("close_reason", "other"),
    },
    "step": {
        "check": NP_("step", "first check"),
        "home_visit": NP_("step", "home visit"),
        "review": NP_("step", "review"),
        "approve": NP_("step", "approval"),
        "reject": NP_("step", "rejection"),
    },
    "role": {
        "officer": NP_("role", "officer"),
        "chair": NP_("role", "chair"),
        "leader": NP_("role", "leader"),
        "finance": NP_("role", "finance"),
    },
    "decision": {
        "approved": NP_("decision", "approved"),
        "rejected": NP_("decision", "rejected"),
    },
    "referral_to": {
        "city_union": NP_("referral_to", "city union"),
        "civil_affairs": NP_("referral_to", "civil affairs"),
        "hospital": NP_("referral_to", "hospital"),
        "school": NP_("referral_to", "school"),
        "other": NP_("referral_to", "other"),
    },
    "referral_status": {
        "sent": NP_("referral_status", "sent"),
        "answered": NP_("referral_status", "answered"),
        "helped": NP_("referral_status", "help received"),
        "declined": NP_("referral_status", "declined"),
    },
}


def label(group: str, code: str, lang: str | None = None) -> str:
    """The word for `code` of `group` in `lang` (default: the terminal's); an unknown code
    shows as itself (a new code never breaks a table)."""
    english = VOCABULARY.get(group, {}).get(code)
    if english is None:
        return code
    return gettext_in(lang or language(), english, context=group)


def codes(group: str) -> list[str]:
    return list(VOCABULARY.get(group, {}))


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


@cache
def _spellings(group: str) -> dict[str, str]:
    """Every way of writing a code of `group` that is read back: the code, its label in
    each language (case, spaces, `_` and `-` aside)."""
    found: dict[str, str] = {}
    for code in VOCABULARY.get(group, {}):
        for text in (code, *(label(group, code, lang) for lang in LANGS)):
            found.setdefault(_folded(text), code)
    return found


def code_of(group: str, text: str) -> str | None:
    """The code that `text` names in `group` (the code, or its label in Chinese or
    English), or None."""
    return _spellings(group).get(_folded(text))
