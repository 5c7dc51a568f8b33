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
from hardship_cli.casework.outcome import Outcome, not_after_today
from hardship_cli.domain.kinds import KINDS, kind_of_id
from hardship_cli.domain.model import Campaign, Case, Contribution, Grant, Role, Visit
from hardship_cli.domain.policy import CASEWORK_ROLES, acting_as
from hardship_cli.edit import atomic, roundtrip
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
    not_after_today(f"{_ADD_ACTION[kind]} (new {kind})", day, today)
    data = intake.draft(kind, values, by, day)
    with lock(root):
        records = load_for_new(root, kind, data)
        assert records.config is not None
        role = acting_as(records.config, by, CASEWORK_ROLES, _ADD_WHAT[kind])
        record_id = intake.next_id(root, kind, day.year)
        rel = intake.record_path(kind, record_id)
        # Check what was typed as validate would, with the lines of the file to be.
        draft_text = roundtrip.plain_text({"id": record_id, **data})
        record, _ = typed(model, draft_text.encode("utf-8"), rel)
        # And as typed, before YAML: a line break YAML knows (\x85) would pass as a space.
        try:
            model.model_validate({"id": record_id, **data})
        except ValidationError as exc:
            raise UsageError(f"{rel}: {typed_input_errors(exc)}", "nothing was written") from None
        if isinstance(record, Grant):
            check_filed(records.config, records.cases.get(record.case), record)
        outcome = Outcome(
            record, _ADD_ACTION[kind], by, role, _add_subject(record, by, role), on=day
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
            "hardship.yaml has problems" + (f": {first.format()}" if first else ""),
            "run hardship validate and correct hardship.yaml",
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
    "case": "filing a case",
    "grant": "proposing help",
    "campaign": "opening a donation drive",
    "visit": "recording a visit",
}
_ADD_ACTION = {"case": "file", "grant": "propose", "campaign": "open", "visit": "visit"}


def _add_subject(record: Any, by: str, role: Role) -> str:
    who = f"{by} ({role.value})"
    if isinstance(record, Case):
        causes = record.causes.primary.value
        return f"case {record.id} filed by {who}: {record.level.value}, {causes}"
    if isinstance(record, Grant):
        from hardship_cli.domain.money import yuan

        return (
            f"grant {record.id} proposed by {who}: {record.kind.value} {yuan(record.amount)} "
            f"for {record.case}"
        )
    if isinstance(record, Campaign):
        target = f" for {record.beneficiary}" if record.beneficiary else ""
        return f"campaign {record.id} opened by {who}{target}"
    if isinstance(record, Visit):
        n = len(record.cases)
        return (
            f"visit {record.id} recorded by {who}: {record.occasion.value}, {n} "
            f"household{'s' if n != 1 else ''}"
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
        raise UsageError(f"{campaign_id} is not a campaign (DC-YYYY-NN)")
    not_after_today(f"donation to {campaign_id}", day, today)
    data = intake.draft("donation", values, by, day)
    if anonymous:
        data["anonymous"] = "true"

    def decide(records: Records, campaign: Campaign) -> Outcome:
        assert records.config is not None
        role = acting_as(records.config, by, ALL_ROLES, "recording a donation")
        if campaign.closed is not None and day > campaign.closed:
            raise Refused(f"{campaign.id} closed on {campaign.closed}; it takes no donations")
        if day < campaign.opened:
            raise UsageError(f"{campaign.id} opened on {campaign.opened}, after {day}")
        rel = records.source(campaign.id).path
        plain = roundtrip.record_tree(campaign)
        plain["contributions"] = [*plain["contributions"], data]
        parsed = strict.ParseResult(_strip_none(plain), {}, [])
        typed_campaign, problems = files.to_record(Campaign, parsed, rel)
        if problems or not isinstance(typed_campaign, Campaign):
            raise UsageError(problem_lines(problems), "nothing was written")
        added: Contribution = typed_campaign.contributions[-1]
        from hardship_cli.domain.money import yuan

        raised = typed_campaign.raised
        return Outcome(
            typed_campaign,
            "donation",
            by,
            role,
            f"donation to {campaign.id} recorded by {by} ({role.value}): {yuan(added.amount)}, "
            f"raised {yuan(raised)}",
            [f"{campaign.id} has raised {yuan(raised)}"],
            on=day,
        )

    return change(root, campaign_id, decide, today, commit)


def _strip_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_strip_none(v) for v in data]
    return data
