"""What `hardship add` records: a new case, grant, donation drive or visit (a new file
with the next ID of its kind and year), and a donation appended to a drive.

Each runs the steps of `actions` under the root's lock: load what the checks involve,
draft (``intake``), check as validate would, write, commit as the acting officer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hardship_cli.casework import intake
from hardship_cli.casework.actions import (
    Done,
    change,
    kind_of,
    load,
    lock,
    new_errors,
    prepare_commit,
    problem_lines,
    refuse_new_errors,
    table_of,
    typed,
    typed_input_errors,
    verify,
    write_and_commit,
)
from hardship_cli.casework.grant_transitions import check_filed
from hardship_cli.casework.outcome import Outcome, not_after_today, register
from hardship_cli.domain.kinds import KINDS, kind_of_id
from hardship_cli.domain.model import Campaign, Case, Contribution, Grant, Role, Visit
from hardship_cli.domain.policy import CASEWORK_ROLES, acting_as
from hardship_cli.edit import atomic, roundtrip
from hardship_cli.i18n import N_, _
from hardship_cli.load import files, strict
from hardship_cli.load.files import RECORD_MODELS
from hardship_cli.load.records import Records, add_record
from hardship_cli.problems import ConfigError, Refused, UsageError

ALL_ROLES = tuple(Role)


def add(
    root: Path,
    kind: str,
    values: dict[str, Any],
    by: str,
    day: date,
    today: date,
    commit: bool = True,
) -> Done:
    """File a case, propose a grant, open a campaign or record a visit: a new file with the
    next ID of its kind and year."""
    model = RECORD_MODELS[kind]
    not_after_today(_(_ADD_DATED[kind]), day, today)
    data = intake.draft(kind, values, by, day)
    with lock(root):
        records = load_for_new(root, kind, data)
        assert records.config is not None
        role = acting_as(records.config, by, CASEWORK_ROLES, _(_ADD_WHAT[kind]))
        record_id = intake.next_id(root, kind, day.year)
        rel = intake.record_path(kind, record_id)
        # Check what was typed as validate would, with the lines of the file to be.
        draft_text = roundtrip.plain_text({"id": record_id, **data})
        record, _source = typed(model, draft_text.encode("utf-8"), rel)
        # And as typed, before YAML: a line break YAML knows (\x85) would pass as a space.
        try:
            model.model_validate({"id": record_id, **data})
        except ValidationError as exc:
            raise UsageError(
                f"{rel}: {typed_input_errors(exc, model)}", _("nothing was written")
            ) from None
        if isinstance(record, Grant):
            check_filed(records.config, records.cases.get(record.case), record)
        outcome = Outcome(
            record,
            _ADD_ACTION[kind],
            by,
            role,
            _add_subject(records.config, record, by, role),
            on=day,
        )
        text = roundtrip.new_record_text(record, intake.schema_ref(kind, rel))
        source = verify(text, rel, model, record)

        def apply() -> None:
            table_of(records, kind)[record_id] = record
            records.sources[record_id] = source

        errors, warnings = new_errors(records, today, apply)
        refuse_new_errors(errors)
        pending = prepare_commit(root, records, rel, commit)
        sha = write_and_commit(
            pending, records, outcome, lambda: atomic.atomic_create(root / rel, text)
        )
    return Done(outcome, rel, sha, [w.format() for w in warnings])


def load_for_new(root: Path, kind: str, data: dict[str, Any]) -> Records:
    """What the checks of a new record can involve, and no more.

    A new grant, visit or drive names the records it touches (its case, its drive; the
    cases visited; the beneficiary): only those files are read, so adding help stays fast
    at a city union's scale (100,000 grants). A proposed grant uses no money, so the
    budget lines and caps it could break are checked at its approval, which reads the
    whole root. A new case is checked against every open file (one household, one file),
    so the whole root is read, through the parse cache."""
    if kind == "case":
        return load(root)
    config, config_source, problems = files.load_config(root)
    if config is None:
        first = problems[0] if problems else None
        raise ConfigError(
            _("hardship.yaml has problems: {first}").format(first=first.format())
            if first
            else _("hardship.yaml has problems"),
            _("run hardship validate and correct hardship.yaml"),
        )
    records = Records(root=root, config=config, config_source=config_source)
    named: list[Any] = []
    if kind == "grant":
        fund = data.get("fund")
        named = [data.get("case")]
        if isinstance(fund, str) and fund.startswith("campaign:"):
            named.append(fund.split(":", 1)[1])
    elif kind == "visit":
        named = list(data.get("cases") or [])
    elif kind == "campaign":
        named = [data.get("beneficiary")]
    first_seen: dict[str, str] = {}
    for record_id in named:
        record_kind = kind_of_id(str(record_id))
        if not isinstance(record_id, str) or record_kind is None:
            continue  # the draft's own check names what is wrong with it
        rel = intake.record_path(record_kind, record_id)
        path = root / rel
        if not path.is_file():
            continue  # the rules report it as unknown
        folder_year = rel.split("/")[1] if KINDS[record_kind].by_year else None
        entry = files.FileEntry(path, rel, record_kind, folder_year)
        loaded, source, _problems = files.load_file(entry, files.read_bytes(path))
        if loaded is None:
            records.unloaded.add(record_id)
        else:
            add_record(records, loaded, source, first_seen)
    return records


_ADD_WHAT = {
    "case": N_("filing a case"),
    "grant": N_("proposing help"),
    "campaign": N_("opening a donation drive"),
    "visit": N_("recording a visit"),
}
# What a new record's date is said as, when it is after today.
_ADD_DATED = {
    "case": N_("file (new case)"),
    "grant": N_("propose (new grant)"),
    "campaign": N_("open (new campaign)"),
    "visit": N_("visit (new visit)"),
}
_ADD_ACTION = {"case": "file", "grant": "propose", "campaign": "open", "visit": "visit"}


def _add_subject(config: Any, record: Any, by: str, role: Role) -> str:
    """The commit subject of a new record, in the root's language."""
    reg = register(config)
    who = reg.who(by, role)
    if isinstance(record, Case):
        return reg(N_("case {id} filed by {who}: {level}, {cause}")).format(
            id=record.id,
            who=who,
            level=reg.word("tier", record.level.value),
            cause=reg.word("cause", record.causes.primary.value),
        )
    if isinstance(record, Grant):
        from hardship_cli.domain.money import yuan

        return reg(N_("grant {id} proposed by {who}: {kind} {amount} for {case}")).format(
            id=record.id,
            who=who,
            kind=reg.word("kind", record.kind.value),
            amount=yuan(record.amount),
            case=record.case,
        )
    if isinstance(record, Campaign):
        if record.beneficiary:
            return reg(N_("campaign {id} opened by {who} for {case}")).format(
                id=record.id, who=who, case=record.beneficiary
            )
        return reg(N_("campaign {id} opened by {who}")).format(id=record.id, who=who)
    if isinstance(record, Visit):
        n = len(record.cases)
        from hardship_cli.i18n import translations

        message = translations(reg.lang).ngettext(
            "visit {id} recorded by {who}: {occasion}, {n} household",
            "visit {id} recorded by {who}: {occasion}, {n} households",
            n,
        )
        return message.format(
            id=record.id, who=who, occasion=reg.word("occasion", record.occasion.value), n=n
        )
    raise TypeError(type(record).__name__)  # pragma: no cover


# ---------------------------------------------------------------------------------------
# A donation: one contribution appended to a campaign


def donate(
    root: Path,
    campaign_id: str,
    values: dict[str, Any],
    anonymous: bool,
    by: str,
    day: date,
    today: date,
    commit: bool = True,
) -> Done:
    if kind_of(campaign_id) != "campaign":
        raise UsageError(_("{id} is not a campaign (DC-YYYY-NN)").format(id=campaign_id))
    not_after_today(_("donation to {id}").format(id=campaign_id), day, today)
    data = intake.draft("donation", values, by, day)
    if anonymous:
        data["anonymous"] = "true"

    def decide(records: Records, campaign: Campaign) -> Outcome:
        assert records.config is not None
        role = acting_as(records.config, by, ALL_ROLES, _("recording a donation"))
        if campaign.closed is not None and day > campaign.closed:
            raise Refused(
                _("{id} closed on {closed}; it takes no donations").format(
                    id=campaign.id, closed=campaign.closed
                )
            )
        if day < campaign.opened:
            raise UsageError(
                _("{id} opened on {opened}, after {day}").format(
                    id=campaign.id, opened=campaign.opened, day=day
                )
            )
        rel = records.source(campaign.id).path
        plain = roundtrip.record_tree(campaign)
        plain["contributions"] = [*plain["contributions"], data]
        parsed = strict.ParseResult(_strip_none(plain), {}, [])
        typed_campaign, problems = files.to_record(Campaign, parsed, rel)
        if problems or not isinstance(typed_campaign, Campaign):
            raise UsageError(problem_lines(problems), _("nothing was written"))
        added: Contribution = typed_campaign.contributions[-1]
        from hardship_cli.domain.money import yuan

        raised = typed_campaign.raised
        reg = register(records.config)
        subject = reg(N_("donation to {id} recorded by {who}: {amount}, raised {raised}")).format(
            id=campaign.id, who=reg.who(by, role), amount=yuan(added.amount), raised=yuan(raised)
        )
        return Outcome(
            typed_campaign,
            "donation",
            by,
            role,
            subject,
            [_("{id} has raised {raised}").format(id=campaign.id, raised=yuan(raised))],
            on=day,
        )

    return change(root, campaign_id, decide, today, commit)


def _strip_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_strip_none(v) for v in data]
    return data
