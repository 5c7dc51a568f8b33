"""Load a whole root: every record, strictly, with the line of every field.

The pieces: ``files`` (the root, its folders, one file typed), ``records`` (what loading
leaves), ``errors`` (validation errors as problems), ``bulk`` (many files fast, with the
``cache``), ``checks`` (the per-record checks the caller hands in).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hardship_cli.i18n import _
from hardship_cli.load import defaults
from hardship_cli.load.bulk import load_into
from hardship_cli.load.cache import snapshot
from hardship_cli.load.checks import PerRecordChecks
from hardship_cli.load.files import read_config, scan_folders
from hardship_cli.load.odd_files import NOT_A_FILE, SYMLINK
from hardship_cli.load.records import Records
from hardship_cli.problems import Refused


def load(
    root: Path,
    today: date | None = None,
    *,
    cache: bool | None = None,
    progress: Any = None,
    checks: PerRecordChecks | None = None,
) -> Records:
    """Load the whole root. Problems are collected, never raised.

    With `cache` (default: ``defaults.USE_CACHE``), files unchanged since the last run
    come from the parse cache in the user's cache folder, never the root (see ``cache``);
    the others are parsed, in parallel when there are many (see ``bulk``). `checks`
    (default: ``defaults.per_record_checks()``): the per-record checks run with each case
    and grant, their problems kept with it (see ``checks``). `progress` is told about
    long loads (see ``bulk.Progress``).
    """
    if cache is None:
        cache = defaults.USE_CACHE
    if checks is None:
        checks = defaults.per_record_checks()

    config, config_source, config_problems, config_bytes = read_config(root)
    records = Records(root=root, config=config, config_source=config_source)
    records.problems.extend(config_problems)
    folders, problems = scan_folders(root)
    records.problems.extend(problems)
    configured = checks.configured(config, config_bytes, keyed=cache) if checks else None
    records.loading = load_into(
        records, folders, use_cache=cache, progress=progress, checks=configured
    )
    if records.loading.whole is not None and not problems and config is not None:
        digest = configured.digest if configured is not None else b""
        records.snapshot = snapshot(digest, records.loading.whole, config_bytes)
    return records


def refuse_odd_place(records: Records, rel: str) -> None:
    """Refuse an action on the record at `rel` when loading found its file, or a folder on
    its way, to be a link, pipe, device or socket (never read, never written through)."""
    for problem in records.problems:
        if problem.code in (SYMLINK, NOT_A_FILE) and (
            rel == problem.path or rel.startswith(problem.path + "/")
        ):
            raise Refused(
                _("{path}: {problem}; nothing was written").format(
                    path=problem.path, problem=problem.message
                ),
                problem.hint,
            )
