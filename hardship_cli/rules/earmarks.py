"""专款专用: money raised for a named colleague goes to that colleague, and no further."""

from __future__ import annotations

from datetime import date

from hardship_cli.domain.model import Config, GrantStatus
from hardship_cli.domain.money import campaign_use, counts, earmark_breach, yuan
from hardship_cli.i18n import _
from hardship_cli.load.records import Records
from hardship_cli.problems import Problem


def campaign_money_to_beneficiary(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    for grant in records.grant_facts().values():
        campaign_id = grant.campaign
        if campaign_id is None or grant.status in (GrantStatus.rejected, GrantStatus.cancelled):
            continue
        src = records.source(grant.id)
        campaign = records.campaigns.get(campaign_id)
        breach = earmark_breach(campaign, campaign_id, grant)
        if breach is None:
            continue
        if campaign is None:
            if campaign_id in records.unloaded:
                continue
            problems.append(
                Problem(
                    src.path,
                    src.line("fund"),
                    "unknown-campaign",
                    breach.message,
                    _("correct the campaign ID, or use another fund"),
                )
            )
        else:
            problems.append(
                Problem(
                    src.path,
                    src.line("case"),
                    "earmark",
                    breach.message,
                    _("money from a drive for a named colleague goes to that colleague only"),
                )
            )
    return problems


def campaign_not_overspent(records: Records, config: Config, today: date) -> list[Problem]:
    problems = []
    grants = [g for g in records.grant_facts().values() if g.campaign is not None]
    for campaign in records.campaigns.values():
        use = campaign_use(campaign, grants)
        if use.balance < 0:
            last = max(
                (g for g in grants if g.campaign == campaign.id and counts(g)),
                key=lambda g: (g.proposed_on, g.id),
            )
            src = records.source(last.id)
            problems.append(
                Problem(
                    src.path,
                    src.line("amount"),
                    "earmark-overspent",
                    _("grants from {campaign} add up to {total}, more than the {raised} it "
                      "raised").format(
                        campaign=campaign.id,
                        total=yuan(use.committed + use.spent),
                        raised=yuan(use.raised),
                    ),
                    _("reduce the grant or pay the rest from another fund"),
                )
            )
    return problems
