"""Carry out an import of the collection sheet: one load, one plan, one check of the whole
result, one batch of writes, one commit (see the package's docstring for the steps)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hardship_cli.casework.actions import load, lock
from hardship_cli.casework.importing.commit import write_and_commit
from hardship_cli.casework.importing.drafts import Write, checked
from hardship_cli.casework.importing.plan import Action, plan_import
from hardship_cli.casework.sheets.reading import Row, read_rows
from hardship_cli.domain.model import Config, ImportLimits
from hardship_cli.edit import commits
from hardship_cli.edit.commits import Pending
from hardship_cli.i18n import _
from hardship_cli.load import files
from hardship_cli.load.records import Records
from hardship_cli.problems import ConfigError


@dataclass
class Imported:
    actions: list[Action]  # row by row: create | update | unchanged | refused
    written: dict[int, str] = field(default_factory=dict)  # row -> case ID written
    commit: str | None = None
    notes: list[str] = field(default_factory=list)


def read_config(root: Path) -> Config:
    """hardship.yaml alone: who may import, and the sheet's limits, before the root is
    loaded."""
    config, _source, problems = files.load_config(root)
    if config is None:
        first = problems[0] if problems else None
        raise ConfigError(
            _("hardship.yaml has problems: {problem}").format(problem=first.format())
            if first
            else _("hardship.yaml has problems"),
            _("run hardship validate and correct hardship.yaml"),
        )
    return config


def limits_of(config: Config, **given: int | None) -> ImportLimits:
    """The root's limits (hardship.yaml `imports:`), with those given on the command line
    instead."""
    chosen = {name: value for name, value in given.items() if value is not None}
    return config.imports.model_copy(update=chosen)


def import_cases(
    root: Path,
    sheet: Path,
    mapping: dict[str, str],
    by: str,
    day: date,
    limits: ImportLimits,
    dry_run: bool = False,
    commit: bool = True,
) -> Imported:
    """Plan the sheet's rows against the root and, unless a dry run, write them: one load,
    one plan, one check of the whole result, one batch of writes, one commit."""
    with _collector_off():
        rows = read_rows(sheet, mapping, limits)
        if dry_run:
            records = load(root)
            return Imported(plan_import(rows, records.cases.values(), by, day))
        return _import(root, rows, by, day, sheet.name, commit)


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """The collector off while a sheet's records are made: with the root's records alive
    it would walk the heap again and again (10,000 rows: twice the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import(
    root: Path, rows: list[Row], by: str, day: date, sheet_name: str, commit: bool
) -> Imported:
    with lock(root):
        records = load(root)
        actions = plan_import(rows, records.cases.values(), by, day)
        writes = checked(root, records, actions, day)
        done = Imported(actions, {w.action.row: w.case_id for w in writes})
        if writes:
            pending = _prepare(root, records, writes, by) if commit else None
            done.commit, done.notes = write_and_commit(
                root, records, actions, writes, by, sheet_name, pending
            )
    return done


def _prepare(root: Path, records: Records, writes: list[Write], by: str) -> Pending | None:
    """Can the import be committed, by this officer (signed where the root asks)? Asked
    before a file is written, as for every action: a root runs without git only by its
    own choice (`git: {commit: false}`), never because git is missing. None when the
    root runs without git."""
    config = records.config
    assert config is not None
    if not config.git.commit:
        return None
    pending = commits.prepare(root, [root / w.rel for w in writes])
    officer = config.officer(by)
    pending.identify(
        commits.Author(
            by, officer.email if officer else None, officer.signing_key if officer else None
        ),
        sign=config.git.sign == "required",
    )
    return pending
