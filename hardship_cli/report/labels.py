"""The words of the reports, in Chinese and English: codes of the records -> labels.

Templates look words up with `t("key")`; a code of an enumeration (a tier, a cause, a kind
of help...) is looked up with `t("tier.deep")`. A key that has no label shows as itself,
so a new code never breaks a report.

The English words are the source, marked for the gettext catalogs with the key as their
context (`NP_("sec.visits", "Visits")`: one English word may be two Chinese ones); the
Chinese is the catalog's (hardship_cli/locale/zh_CN). The words of the codes are the one
vocabulary of domain/vocabulary.py, shared with the terminal.
"""

from __future__ import annotations

from hardship_cli.domain.vocabulary import VOCABULARY
from hardship_cli.domain.vocabulary import label as vocabulary_label
from hardship_cli.i18n import LANGS, NP_, gettext_in

_TEXTS: dict[str, str] = {
    # report titles and headings
    "report.monthly": NP_("report.monthly", "Monthly report of hardship assistance"),
    "report.annual": NP_("report.annual", "Annual statistical report of hardship assistance"),
    "report.case": NP_("report.case", "Household file"),
    "report.notice": NP_("report.notice", "Public notice of hardship assistance"),
    "stamp.generated": NP_("stamp.generated", "Generated on"),
    "stamp.records": NP_("stamp.records", "Records at"),
    "stamp.not_in_git": NP_("stamp.not_in_git", "not in git"),
    "stamp.git_missing": NP_("stamp.git_missing", "git is not installed: commit unknown"),
    "stamp.dirty": NP_("stamp.dirty", "with uncommitted changes"),
    "stamp.tool": NP_("stamp.tool", "made by hardship"),
    "sheet.about": NP_("sheet.about", "About"),
    "sheet.unit": NP_("sheet.unit", "Union unit"),
    "sheet.period": NP_("sheet.period", "Period"),
    "sheet.as_of": NP_("sheet.as_of", "as of {day}"),
    "sheet.open_files": NP_("sheet.open_files", "open files"),
    "sheet.all_files": NP_("sheet.all_files", "every file"),
    "org.parent": NP_("org.parent", "Reported to"),
    "period.month": NP_("period.month", "Month"),
    "period.year": NP_("period.year", "Year"),
    "contents": NP_("contents", "Contents"),
    # the printed page's margin: "第 2 页 / 共 5 页", "Page 2 of 5"
    "page.before": NP_("page.before", "Page "),
    "page.of": NP_("page.of", " of "),
    # monthly sections
    "sec.summary": NP_("sec.summary", "The month at a glance"),
    "sec.summary_year": NP_("sec.summary_year", "The year at a glance"),
    "sec.alerts": NP_("sec.alerts", "Alerts"),
    "sec.new_files": NP_("sec.new_files", "New files"),
    "sec.status_changes": NP_("sec.status_changes", "Changes of status"),
    "sec.help": NP_("sec.help", "Help this month"),
    "sec.help_year": NP_("sec.help_year", "Help this year"),
    "sec.help_by_kind": NP_("sec.help_by_kind", "By kind of help"),
    "sec.help_by_fund": NP_("sec.help_by_fund", "By fund"),
    "sec.help_list": NP_("sec.help_list", "Items of help"),
    "sec.budget": NP_("sec.budget", "Budget use"),
    "sec.donations": NP_("sec.donations", "Donations"),
    "sec.visits": NP_("sec.visits", "Visits"),
    "sec.due": NP_("sec.due", "Due next month"),
    "sec.advice": NP_("sec.advice", "Qualifying for help not yet given"),
    "col.programs": NP_("col.programs", "Programs"),
    "col.waiting_since": NP_("col.waiting_since", "Last helped or filed"),
    "sec.charts": NP_("sec.charts", "Charts"),
    # annual sections
    "sec.households": NP_("sec.households", "Households on file"),
    "sec.by_tier": NP_("sec.by_tier", "By tier"),
    "sec.by_cause": NP_("sec.by_cause", "By primary cause"),
    "sec.by_unit": NP_("sec.by_unit", "By unit"),
    "sec.by_org": NP_("sec.by_org", "By union unit"),
    "col.sent": NP_("col.sent", "Sent"),
    "col.answered": NP_("col.answered", "Answered"),
    "col.monthly_income": NP_("col.monthly_income", "A month (yuan)"),
    "sec.duplicates": NP_("sec.duplicates", "Households filed in two units"),
    "sec.rollup": NP_("sec.rollup", "Roll-up"),
    "col.org": NP_("col.org", "Union unit"),
    "col.households_helped": NP_("col.households_helped", "Households helped"),
    "stamp.units": NP_("stamp.units", "Records of each unit"),
    "sec.by_employment": NP_("sec.by_employment", "By employment status"),
    "sec.by_sex": NP_("sec.by_sex", "By sex"),
    "sec.by_age_band": NP_("sec.by_age_band", "By age band"),
    "sec.files": NP_("sec.files", "Files opened and closed"),
    "sec.closed_by_reason": NP_("sec.closed_by_reason", "Files closed, by reason"),
    "sec.comparison": NP_("sec.comparison", "Compared with the previous year"),
    "sec.help_by_month": NP_("sec.help_by_month", "Help by month"),
    # case sections
    "sec.worker": NP_("sec.worker", "The worker"),
    "sec.household": NP_("sec.household", "Household members"),
    "sec.income": NP_("sec.income", "Household income"),
    "sec.causes": NP_("sec.causes", "Causes of hardship"),
    "sec.process": NP_("sec.process", "Checks and approvals"),
    "sec.notice": NP_("sec.notice", "Public notice"),
    "sec.grants": NP_("sec.grants", "Help given"),
    "sec.case_visits": NP_("sec.case_visits", "Visits"),
    "sec.notes": NP_("sec.notes", "Notes"),
    "sec.sensitive": NP_("sec.sensitive", "Sensitive details (authorised readers only)"),
    "sec.referrals": NP_("sec.referrals", "Referrals"),
    "col.referred_to": NP_("col.referred_to", "Referred to"),
    "col.body": NP_("col.body", "Office"),
    "col.purpose": NP_("col.purpose", "Purpose"),
    "fig.referral_income": NP_("fig.referral_income", "Monthly income from referrals"),
    # notice
    "notice.intro": NP_(
            "notice.intro",
            "After application, the union's first check and a home visit, the households below are "
            "proposed for hardship assistance. They are made public here.",
        ),
    "notice.objections": NP_(
            "notice.objections",
            "Anyone who objects may tell the union within the notice period (objections are made "
            "by name and kept confidential).",
        ),
    "notice.none": NP_("notice.none", "No household is on notice now."),
    "notice.period": NP_("notice.period", "Notice period"),
    "notice.contact": NP_("notice.contact", "Contact"),
    "notice.issued": NP_("notice.issued", "Issued on"),
    # column headings
    "col.case": NP_("col.case", "File"),
    "col.grant": NP_("col.grant", "Grant"),
    "col.name": NP_("col.name", "Name"),
    "col.unit": NP_("col.unit", "Unit"),
    "col.tier": NP_("col.tier", "Tier"),
    "col.cause": NP_("col.cause", "Primary cause"),
    "col.kind": NP_("col.kind", "Kind of help"),
    "col.fund": NP_("col.fund", "Fund"),
    "col.status": NP_("col.status", "Status"),
    "col.households": NP_("col.households", "Households"),
    "col.people": NP_("col.people", "People"),
    "col.grants": NP_("col.grants", "Grants"),
    "col.amount": NP_("col.amount", "Amount (yuan)"),
    "col.date": NP_("col.date", "Date"),
    "col.proposed_on": NP_("col.proposed_on", "Proposed on"),
    "col.paid_on": NP_("col.paid_on", "Paid on"),
    "col.allocated": NP_("col.allocated", "Allocated"),
    "col.committed": NP_("col.committed", "Committed"),
    "col.spent": NP_("col.spent", "Spent"),
    "col.remaining": NP_("col.remaining", "Remaining"),
    "col.percent": NP_("col.percent", "Used"),
    "col.runs_out": NP_("col.runs_out", "Runs out at this pace"),
    "col.mark": NP_("col.mark", "Mark"),
    "col.campaign": NP_("col.campaign", "Drive"),
    "col.raised": NP_("col.raised", "Raised"),
    "col.paid": NP_("col.paid", "Paid out"),
    "col.balance": NP_("col.balance", "Balance"),
    "col.target": NP_("col.target", "Target"),
    "col.donors": NP_("col.donors", "Gifts"),
    "col.beneficiary": NP_("col.beneficiary", "For"),
    "col.visits": NP_("col.visits", "Visits"),
    "col.occasion": NP_("col.occasion", "Occasion"),
    "col.visitors": NP_("col.visitors", "Visitors"),
    "col.follow_up": NP_("col.follow_up", "Follow up on"),
    "col.what": NP_("col.what", "What"),
    "col.due": NP_("col.due", "Due"),
    "col.from": NP_("col.from", "From"),
    "col.to": NP_("col.to", "To"),
    "col.metric": NP_("col.metric", "Figure"),
    "col.this_year": NP_("col.this_year", "This year"),
    "col.previous_year": NP_("col.previous_year", "Previous year"),
    "col.change": NP_("col.change", "Change"),
    "col.reason": NP_("col.reason", "Reason"),
    "col.month": NP_("col.month", "Month"),
    "col.relation": NP_("col.relation", "Relation"),
    "col.age": NP_("col.age", "Age"),
    "col.health": NP_("col.health", "Health"),
    "col.income": NP_("col.income", "Monthly income (yuan)"),
    "col.occupation": NP_("col.occupation", "Work or school"),
    "col.step": NP_("col.step", "Step"),
    "col.by": NP_("col.by", "By"),
    "col.role": NP_("col.role", "Role"),
    "col.decision": NP_("col.decision", "Decision"),
    "col.note": NP_("col.note", "Note"),
    "col.per_capita": NP_("col.per_capita", "Per-capita monthly income (yuan)"),
    "col.household_size": NP_("col.household_size", "Household members"),
    "col.proposed_help": NP_("col.proposed_help", "Proposed help"),
    "col.total": NP_("col.total", "Total"),
    "col.count": NP_("col.count", "Count"),
    # summary figures
    "fig.households_active": NP_("fig.households_active", "Households on file (month end)"),
    "fig.households_on_file": NP_("fig.households_on_file", "Households on file during the year"),
    "fig.people": NP_("fig.people", "People in those households"),
    "fig.new_files": NP_("fig.new_files", "Files opened"),
    "fig.closed_files": NP_("fig.closed_files", "Files closed"),
    "fig.rejected_files": NP_("fig.rejected_files", "Applications rejected"),
    "fig.grants": NP_("fig.grants", "Items of help"),
    "fig.households_helped": NP_("fig.households_helped", "Households helped"),
    "fig.amount": NP_("fig.amount", "Help (yuan)"),
    "fig.paid_in_month": NP_("fig.paid_in_month", "Paid out this month (yuan)"),
    "fig.donations": NP_("fig.donations", "Donations received (yuan)"),
    "fig.visits": NP_("fig.visits", "Visits"),
    "fig.households_visited": NP_("fig.households_visited", "Households visited"),
    "fig.budget_used": NP_("fig.budget_used", "Budget used this year"),
    "fig.reserve": NP_("fig.reserve", "Reserve (yuan)"),
    "fig.total_budget": NP_("fig.total_budget", "Budget of the year (yuan)"),
    "fig.per_capita": NP_("fig.per_capita", "Per-capita monthly income"),
    "fig.standard": NP_("fig.standard", "Local minimum living standard"),
    "fig.household_monthly": NP_("fig.household_monthly", "Household monthly income"),
    "fig.rigid": NP_("fig.rigid", "Rigid expenses (monthly)"),
    "fig.suggested_tier": NP_("fig.suggested_tier", "Tier by income"),
    # alerts and marks
    "alert.new_deep": NP_("alert.new_deep", "New deep-hardship household: report at once"),
    "alert.overdrawn": NP_("alert.overdrawn", "Budget line overdrawn"),
    "alert.fund_overspent": NP_("alert.fund_overspent", "Fund source spent beyond its plan"),
    "alert.runs_out": NP_("alert.runs_out", "Runs out before the year ends at this pace"),
    "alert.review_overdue": NP_("alert.review_overdue", "Review of the file is overdue"),
    "alert.objection": NP_("alert.objection", "Open objection on notice"),
    "alert.none": NP_("alert.none", "None"),
    "mark.overdrawn": NP_("mark.overdrawn", "overdrawn"),
    "mark.runs_out": NP_("mark.runs_out", "runs out"),
    "due.review": NP_("due.review", "Review of the file"),
    "due.follow_up": NP_("due.follow_up", "Follow-up of a visit"),
    "due.notice_ends": NP_("due.notice_ends", "Notice period ends"),
    "due.campaign_closes": NP_("due.campaign_closes", "Donation drive closes"),
    "none": NP_("none", "(none)"),
    "anonymous": NP_("anonymous", "anonymous"),
    "general_pool": NP_("general_pool", "general pool"),
    "chart.help_by_month": NP_("chart.help_by_month", "Help by month (yuan)"),
    "chart.burn": NP_("chart.burn", "Budget burn (yuan)"),
    "chart.burn.used": NP_("chart.burn.used", "used so far"),
    "chart.burn.pace": NP_("chart.burn.pace", "even pace"),
    "chart.burn.budget": NP_("chart.burn.budget", "budget"),
    "chart.tiers": NP_("chart.tiers", "Households by tier"),
    "yes": NP_("yes", "yes"),
    "no": NP_("no", "no"),
    "yuan": NP_("yuan", "yuan"),
    "unbudgeted": NP_("unbudgeted", "no budget line"),
    # sensitive
    "field.employee_id": NP_("field.employee_id", "Employee number"),
    "field.sex": NP_("field.sex", "Sex"),
    "field.birth_date": NP_("field.birth_date", "Born"),
    "field.employment": NP_("field.employment", "Employment"),
    "field.health": NP_("field.health", "Health"),
    "field.disability": NP_("field.disability", "Disability"),
    "field.housing": NP_("field.housing", "Housing"),
    "field.id_number": NP_("field.id_number", "ID number"),
    "field.phone": NP_("field.phone", "Phone"),
    "field.diagnosis": NP_("field.diagnosis", "Diagnosis"),
    "field.address": NP_("field.address", "Address"),
    "field.bank": NP_("field.bank", "Bank"),
    "field.account": NP_("field.account", "Bank account"),
    "field.filed": NP_("field.filed", "Filed"),
    "field.review_due": NP_("field.review_due", "Next review"),
    "field.closed": NP_("field.closed", "Closed"),
    "field.level": NP_("field.level", "Tier"),
    "field.secondary": NP_("field.secondary", "Secondary causes"),
    "field.status": NP_("field.status", "Status of the file"),
    "fig.files_opened": NP_("fig.files_opened", "Files opened"),
    "fig.files_approved": NP_("fig.files_approved", "Files approved into the archive"),
    "fig.counting_total": NP_("fig.counting_total", "Total approved or paid"),
    "fig.grants_paid": NP_("fig.grants_paid", "Grants paid"),
    "fig.raised": NP_("fig.raised", "Donations raised (yuan)"),
}

# Words that English leaves out (an empty msgid would be gettext's header entry), said
# in the languages that have them: "第 2 页 / 共 5 页" ends on 页, "Page 2 of 5" on nothing.
_NOT_IN_ENGLISH: dict[str, dict[str, str]] = {"page.after": {"zh": " 页"}}

# The order of the keys (the case file sorts its sensitive facts by it).
ORDER: tuple[str, ...] = tuple(_TEXTS)


def label(lang: str, key: str) -> str:
    """The words of `key` in `lang`: a heading of the reports (the key is its gettext
    context), or `group.code` of the one vocabulary (domain/vocabulary.py). A key that
    has none shows as itself."""
    english = _TEXTS.get(key)
    if key in _NOT_IN_ENGLISH:
        return _NOT_IN_ENGLISH[key].get(lang, "")
    if english is not None:
        return gettext_in(lang if lang in LANGS else "en", english, context=key)
    group, _dot, code = key.partition(".")
    if code and group in VOCABULARY:
        return vocabulary_label(group, code, lang if lang in LANGS else "en")
    return key


def lang_of_locale(locale: str) -> str:
    """hardship.yaml's `locale` (zh-CN | en) -> the language of a report."""
    return "zh" if locale.lower().startswith("zh") else "en"
