"""Carrying out an action on the records root, safely.

Every action that changes records runs the same steps, under the root's lock so that two
commands never interleave (ID allocation, the budget guard, git's index):

1. load the root and re-read the record's file (with a snapshot of its bytes);
2. decide (``case_transitions``, ``grant_transitions``: the transition, the policy, the
   budget guard) or draft (``intake``, for what ``adding`` records);
3. check that validate would not find a new error (the rules, run before and after);
4. write: the smallest diff for an edit, a new file for a new record; the text is parsed
   back and compared with what was meant, and a file changed since it was read is not
   overwritten; the write is atomic;
5. commit only the files touched, authored by the acting officer (``edit/commits``).

Before step 2, git is asked whether the action could be committed (``commits.prepare``: git
present, no lock, no merge under way, the record's file as last committed), and before
step 4 whether the officer can be its author (and signer): an action that could not be
committed is not written, and one whose commit fails is put back (``Pending.land``).
Running without git is the root's choice (``git: {commit: false}``) or the command's
(``--no-commit``), never an accident of PATH.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hardship_cli.casework import intake
from hardship_cli.casework.outcome import Outcome, not_after_today
from hardship_cli.domain.kinds import kind_of_id
from hardship_cli.edit import atomic, commits
from hardship_cli.i18n import N_, _
from hardship_cli.load import files, store, strict
from hardship_cli.load.errors import explain
from hardship_cli.load.files import RECORD_MODELS
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, ConfigError, HardshipError, Problem, Refused, UsageError

LOCK = Path(".hardship") / "lock"
# An action as a person reads it, when its date is refused (`check_dated`).
ACTION_WORDS = {
    "check": N_("check {id}"),
    "review": N_("review {id}"),
    "notice": N_("notice {id}"),
    "object": N_("object {id}"),
    "approve": N_("approve {id}"),
    "reject": N_("reject {id}"),
    "cancel": N_("cancel {id}"),
    "pay": N_("pay {id}"),
    "close": N_("close {id}"),
    "refer": N_("refer {id}"),
    "referral": N_("referral {id}"),
    "donation": N_("donation {id}"),
}
# Beside the lock: an ignore file that ignores the lock and itself, so that neither ever
# shows in `git status`, whatever ignore files the repository has (the schemas in
# .hardship/schema/ are meant to be committed and stay visible).
LOCK_IGNORE = (
    "# hardship's own files, never part of the records: its lock, and this file\n"
    "/lock\n"
    "/.gitignore\n"
)


@dataclass
class Done:
    outcome: Outcome
    path: str  # relative to the root
    commit: str | None = None
    notes: list[str] = field(default_factory=list)  # warnings and what comes next


def lock(root: Path) -> Any:
    return atomic.locked(root / LOCK, ignore=LOCK_IGNORE)


def load(root: Path) -> Records:
    records = store.load(root)
    if records.config is None:
        first = next((p for p in records.problems if p.path == files.CONFIG_FILE), None)
        raise ConfigError(
            _("hardship.yaml has problems: {first}").format(first=first.format())
            if first
            else _("hardship.yaml has problems"),
            _("run hardship validate and correct hardship.yaml"),
        )
    return records


def kind_of(record_id: str) -> str:
    kind = kind_of_id(record_id)
    if kind is None:
        raise UsageError(
            _("{value} is not a record ID").format(value=repr(record_id)),
            _("IDs look like HS-2026-0001 (case), GR-2026-0001 (grant), DC-2026-01, VS-2026-0001"),
        )
    return kind


def table_of(records: Records, kind: str) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {
        "case": records.cases,
        "grant": records.grants,
        "campaign": records.campaigns,
        "visit": records.visits,
    }
    return tables[kind]


def typed(model: type[BaseModel], raw: bytes, rel: str) -> tuple[Any, files.Source]:
    """Parse and type a record's text; problems are refused with validate's messages."""
    parsed = strict.parse(raw, rel)
    problems = list(parsed.problems)
    record = None
    if not problems:
        record, problems = files.to_record(model, parsed, rel)
    if problems or record is None:
        raise UsageError(problem_lines(problems), _("nothing was written"))
    return record, files.Source(rel, parsed.lines)


def problem_lines(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def verify(text: str, rel: str, model: type[BaseModel], meant: BaseModel) -> files.Source:
    """The text about to be written parses back to exactly the record meant."""
    try:
        record, source = typed(model, text.encode("utf-8"), rel)
    except UsageError as exc:
        raise HardshipError(
            _(
                "{path}: the text to write does not read back as the record meant; nothing "
                "was written"
            ).format(path=rel)
            + f"\n{exc.message}",
            _("report this; the file is unchanged"),
        ) from None
    if record.model_dump() != meant.model_dump():
        raise HardshipError(
            _(
                "{path}: the text to write does not read back as the record meant; nothing "
                "was written"
            ).format(path=rel),
            _("report this; the file is unchanged"),
        )
    return source


def new_errors(
    records: Records, today: date, apply: Callable[[], None]
) -> tuple[list[Problem], list[Problem]]:
    """What validate would newly find after `apply()`: (errors, warnings)."""
    from hardship_cli import rules

    def key(p: Problem) -> tuple[str, str, str, str]:
        return (p.path, p.code, p.message, p.severity)

    before = {key(p) for p in rules.check(records, today)}
    apply()
    after = rules.check(records, today)
    fresh = [p for p in after if key(p) not in before]
    return [p for p in fresh if p.is_error], [p for p in fresh if p.severity == WARNING]


def refuse_new_errors(errors: list[Problem]) -> None:
    if errors:
        raise Refused(
            _("refused: validate would then report\n{problems}").format(
                problems=problem_lines(errors)
            ),
            _("nothing was written"),
            errors,
        )


def prepare_commit(root: Path, records: Records, rel: str, commit: bool) -> commits.Pending | None:
    """Can the action be committed? Checked before anything is decided or written; None
    when it is not to be committed (--no-commit, or a root that runs without git)."""
    assert records.config is not None
    if not commit or not records.config.git.commit:
        return None
    return commits.prepare(root, [root / rel])


def write_and_commit(
    pending: commits.Pending | None,
    records: Records,
    outcome: Outcome,
    write: Callable[[], None],
) -> str | None:
    """Write, and commit as the acting officer, or put the file back and say why."""
    if pending is None:
        write()
        return None
    assert records.config is not None
    officer = records.config.officer(outcome.by)
    pending.identify(
        commits.Author(
            outcome.by,
            officer.email if officer else None,
            officer.signing_key if officer else None,
        ),
        sign=records.config.git.sign == "required",
    )
    extra = {"Override": "yes"} if outcome.override else {}
    message = commits.Message(
        subject=outcome.subject,
        record=outcome.record_id,
        action=outcome.action,
        by=outcome.by,
        role=outcome.role.value if outcome.role else None,
        extra=extra,
    )
    return pending.land(write, message)


def decided(decide: Callable[[Records, Any], Outcome], records: Records, record: Any) -> Outcome:
    """The decision on a record, with what the officer typed held to the record's types (no
    control character in text, ...): a value the model refuses is a usage error naming
    the field."""
    try:
        outcome = decide(records, record)
    except ValidationError as exc:
        raise UsageError(typed_input_errors(exc, type(record)), _("nothing was written")) from None
    return outcome


def typed_input_errors(exc: ValidationError, model: type[BaseModel]) -> str:
    """What is wrong, one line each, in our words (load/errors.explain: never pydantic's,
    never the value: it may be sensitive)."""
    return "\n".join(
        explain(model, err).message for err in exc.errors(include_url=False, include_input=False)
    )


def check_dated(outcome: Outcome, today: date) -> None:
    """The step an action records is never dated after today."""
    said = ACTION_WORDS.get(outcome.action)
    what = _(said).format(id=outcome.record_id) if said else f"{outcome.action} {outcome.record_id}"
    not_after_today(what, outcome.on, today)


# ---------------------------------------------------------------------------------------
# Changing an existing record


def change(
    root: Path,
    record_id: str,
    decide: Callable[[Records, Any], Outcome],
    today: date,
    commit: bool = True,
) -> Done:
    """Load, decide, check, write with the smallest diff, commit: one action on a record."""
    kind = kind_of(record_id)
    model = RECORD_MODELS[kind]
    with lock(root):
        records = load(root)
        rel = _located(root, records, kind, record_id)
        pending = prepare_commit(root, records, rel, commit)
        file, current = _read_to_change(root, records, kind, record_id)
        outcome = decided(decide, records, current)
        check_dated(outcome, today)
        if outcome.first:
            raise HardshipError(  # a programming error: not translated
                f"{outcome.action} {record_id} changes other records: it goes through "
                "actions.change_many"
            )
        text = file.edit(current, outcome.record)
        new_source = verify(text, rel, model, outcome.record)

        def apply() -> None:
            table_of(records, kind)[record_id] = outcome.record
            records.sources[record_id] = new_source

        errors, warnings = new_errors(records, today, apply)
        refuse_new_errors(errors)
        sha = write_and_commit(pending, records, outcome, lambda: file.save(text))
    return Done(outcome, rel, sha, [*outcome.says, *(w.format() for w in warnings)])


def change_many(
    root: Path,
    record_id: str,
    decide: Callable[[Records, Any], Outcome],
    today: date,
    commit: bool = True,
) -> list[Done]:
    """An action on a record that changes other records first (a case's closing cancels
    its approved, unpaid grants: `Outcome.first`). Everything is decided, checked and
    verified before anything is written; then each record is written and committed on
    its own, the others first, so that each record's history holds its own step with its
    own trailers. Returns what was done, the action on `record_id` last."""
    kind = kind_of(record_id)
    with lock(root):
        records = load(root)
        file, current = _read_to_change(root, records, kind, record_id)
        outcome = decided(decide, records, current)
        planned = []
        for step in [*outcome.first, outcome]:
            check_dated(step, today)
            step_kind = kind_of(step.record_id)
            if step is outcome:
                step_file, before = file, current
            else:
                seen = table_of(records, step_kind).get(step.record_id)
                step_file, before = _read_to_change(root, records, step_kind, step.record_id)
                if seen is None or seen.model_dump() != before.model_dump():
                    raise Refused(
                        _("{path} changed while {id} was decided; nothing was written").format(
                            path=step_file.rel, id=record_id
                        ),
                        _("run the command again"),
                    )
            model = RECORD_MODELS[step_kind]
            text = step_file.edit(before, step.record)
            source = verify(text, step_file.rel, model, step.record)
            planned.append((step, step_kind, step_file, text, source))

        def apply() -> None:
            for step, step_kind, _file, _text, source in planned:
                table_of(records, step_kind)[step.record_id] = step.record
                records.sources[step.record_id] = source

        errors, warnings = new_errors(records, today, apply)
        refuse_new_errors(errors)
        # Git is asked about every file before the first is written.
        pendings = [prepare_commit(root, records, plan[2].rel, commit) for plan in planned]
        done = []
        for (step, _kind, step_file, text, _source), pending in zip(planned, pendings, strict=True):
            sha = write_and_commit(pending, records, step, partial(step_file.save, text))
            done.append(Done(step, step_file.rel, sha, []))
    done[-1].notes[:0] = [*outcome.says, *(w.format() for w in warnings)]
    return done


_NO_RECORD = {
    "case": N_("no case {id} in {root}"),
    "grant": N_("no grant {id} in {root}"),
    "campaign": N_("no campaign {id} in {root}"),
    "visit": N_("no visit {id} in {root}"),
}


def _located(root: Path, records: Records, kind: str, record_id: str) -> str:
    """The record's file (relative to the root), or a plain refusal: no such record, its
    file has problems, or something that is not a record file stands where it belongs."""
    source = records.sources.get(record_id)
    if source is None:
        store.refuse_odd_place(records, intake.record_path(kind, record_id))
    if source is None or record_id not in table_of(records, kind):
        raise UsageError(
            _(_NO_RECORD[kind]).format(id=record_id, root=root),
            _("check the ID (hardship review list shows what waits)")
            if source is None
            else _("its file has problems: run hardship validate"),
        )
    return source.path


def _read_to_change(
    root: Path, records: Records, kind: str, record_id: str
) -> tuple[atomic.RecordFile, Any]:
    """A record's file read afresh for editing, and the record as it reads now (put in
    `records` in place of the one loaded)."""
    rel = _located(root, records, kind, record_id)
    file = atomic.RecordFile(root / rel, rel)
    current, fresh_source = typed(RECORD_MODELS[kind], file.raw, rel)
    table_of(records, kind)[record_id] = current
    records.sources[record_id] = fresh_source
    return file, current
