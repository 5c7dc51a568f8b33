"""Loading many record files fast: the cache first, then the fast parser, on every core.

Measured on the benchmark's city union (bench/, 120,000 files, 2 cores): a run that finds
everything in the cache stats each file and unpickles its folder's shard
(``folder_plans``); a cold run parses with rapidyaml where it gives exactly libyaml's
result (``fastyaml``), in worker processes once there are enough files to pay for starting
them (``parsing``: they also type, check and pickle the grants, which this process then
keeps unbuilt: see records.Pending), with the garbage collector off while the records are
built (it would otherwise walk them again and again).
"""

from __future__ import annotations

import gc
import os
import time
from typing import Any

from hardship_cli.domain.model import Case, Grant
from hardship_cli.i18n import _
from hardship_cli.load import cache
from hardship_cli.load.checks import NO_CHECKS, ConfiguredChecks
from hardship_cli.load.files import FileEntry, Folder, Source, unloaded_key
from hardship_cli.load.folder_plans import (
    KEY_READ_WITH_FILE,
    NOT_A_RECORD_FILE,
    FolderPlan,
    read_keys,
    shard_holds_all,
    shard_to_keep,
)
from hardship_cli.load.key_lines import LazyLines, stored_lines
from hardship_cli.load.odd_files import NOT_A_FILE, SYMLINK
from hardship_cli.load.parsing import (
    LoadStats,
    Progress,
    jobs_for,
    mode,
    parse_here,
    parse_parallel,
)
from hardship_cli.load.records import KINDS_BUILT_ON_USE, Pending, Records, add_record
from hardship_cli.problems import Problem

PROGRESS_MIN = 2000  # files to parse before a progress bar is worth showing

# (record or None, source or None, problems, kept) for each file, in the order of the
# scan; `kept` is (facts, per-record problems or None) for a case or grant, else None. A
# case or grant the cache holds comes as what a records.Pending keeps: built only when read.
Loaded = tuple[Any, Source | None, list[Problem], Any]

# The problems of files not read
UNREAD_CODES = frozenset({"unreadable", SYMLINK, NOT_A_FILE})


def load_into(
    records: Records,
    folders: list[Folder],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    checks: ConfiguredChecks | None = None,
) -> LoadStats:
    """Load every record file of `folders` into `records`, in their order; each case and
    grant checked by `checks` (none: loaded unchecked)."""
    started = time.perf_counter()
    chosen = mode()
    stats = LoadStats(mode=chosen, cache_used=use_cache)
    collect = chosen != "baseline" and gc.isenabled()
    if collect:
        gc.disable()
    try:
        loading = _Loading(records, use_cache, progress, chosen, stats, checks or NO_CHECKS)
        loading.run(folders)
    finally:
        if collect:
            # The records live as long as the command: keep the collector off them.
            gc.freeze()
            gc.enable()
    stats.seconds = time.perf_counter() - started
    return stats


class _Loading:
    def __init__(
        self,
        records: Records,
        use_cache: bool,
        progress: Progress | None,
        chosen: str,
        stats: LoadStats,
        checks: ConfiguredChecks,
    ) -> None:
        self.records = records
        self.root = records.root
        self.use_cache = use_cache
        self.progress = progress
        self.chosen = chosen
        self.stats = stats
        self.digest, self.checks = checks
        # Files gone through one by one: entry, what loading gave, the cache's column values
        self.files: list[FileEntry] = []
        self.where: list[tuple[FolderPlan, int]] = []  # each file's folder and place in it
        self.results: list[Loaded | None] = []
        self.fresh: dict[int, tuple[Any, ...]] = {}  # index -> a shard row, for the cache
        self.groups: dict[int, list[Any]] = {}  # grants pickled together, unpickled once

    def run(self, folders: list[Folder]) -> None:
        plans = [self._plan(folder) for folder in folders]
        self._parse_misses()
        first_seen: dict[str, str] = {}
        for plan in plans:
            if plan.whole and self._add_whole(plan, first_seen):
                continue
            for index in plan.slots:
                self._add_file(index, first_seen)
        if self.use_cache:
            now = time.time_ns()
            for plan in plans:
                if not plan.whole:
                    self._keep(plan, now)
            if all(plan.whole for plan in plans):
                self.stats.whole = [(plan.folder.rel, plan.shard["mac"]) for plan in plans]

    # --- what each folder needs ------------------------------------------------------

    def _plan(self, folder: Folder) -> FolderPlan:
        shard = cache.read_shard(self.root, folder.rel) if self.use_cache else {}
        plan = FolderPlan(folder, shard, [])
        if not shard:
            # Nothing to compare with: every file is read, and the reader takes its key
            # (in a worker, on a cold run: stat-ing here first cost 0.3 s of 120,000).
            plan.names.extend(folder.names)
            plan.keys.extend([KEY_READ_WITH_FILE] * len(plan.names))
            self.stats.files += len(plan.names)
            for name in plan.names:
                self._slot(plan, name, None)
            return plan
        errors: dict[str, Problem] = {}
        read_keys(folder, plan, errors)
        self.stats.files += len(plan.names)
        if shard_holds_all(plan, self.digest):
            plan.whole = True
            self.stats.cached += len(plan.names)
            return plan
        # File by file: what the shard has for an unchanged file, the rest to parse.
        at = {name: i for i, name in enumerate(shard["names"])}
        for name, key in zip(plan.names, plan.keys, strict=True):
            if key is None:
                self._slot(plan, name, (None, None, [errors[name]], None))
                continue
            row = at.get(name)
            if row is None or shard["keys"][row] != key:
                self._slot(plan, name, None)
                continue
            self.stats.cached += 1
            self._slot(plan, name, self._from_shard(folder, name, shard, row))
        return plan

    def _slot(self, plan: FolderPlan, name: str, loaded: Loaded | None) -> None:
        self.where.append((plan, len(plan.slots)))
        self.files.append(plan.folder.entry(name))
        self.results.append(loaded)
        plan.slots.append(len(self.files) - 1)

    def _from_shard(self, folder: Folder, name: str, shard: dict[str, Any], row: int) -> Loaded:
        rel = f"{folder.rel}/{name}"
        source = Source(rel, LazyLines(shard["lines"][row], os.path.join(folder.path, name)))
        record = shard["records"][row]
        problems = shard["problems"][row]
        if folder.kind not in KINDS_BUILT_ON_USE:
            return record, source, problems, None
        facts = shard["facts"][row]
        if facts is None:  # the file did not give a record
            return None, source, problems, None
        found = shard["own"][row]
        if shard["digest"] != self.digest or found is None:
            # hardship.yaml (or the checks) changed: check the record again
            rebuilt = Pending(record).rebuild(self.groups)
            found = self._check(folder.kind, rebuilt, source)
            self.fresh[len(self.files)] = (record, shard["lines"][row], problems, facts, found)
            return rebuilt, source, problems, (facts, found)
        return record, source, problems, (facts, found)

    def _check(self, kind: str, record: Any, source: Source) -> list[Problem] | None:
        return self.checks[kind](record, source) if self.checks is not None else None

    # --- parsing what the cache did not have ----------------------------------------

    def _parse_misses(self) -> None:
        misses = [i for i, r in enumerate(self.results) if r is None]
        if not misses:
            return
        progress = self.progress
        show = progress is not None and len(misses) >= PROGRESS_MIN
        started = [False]

        def begin() -> None:
            # Called once any worker process exists: a fork must not copy the bar's thread.
            if show and not started[0]:
                assert progress is not None
                progress.start(len(misses), _("reading records"))
                started[0] = True

        entries, chosen, stats = self.files, self.chosen, self.stats
        try:
            jobs = jobs_for(len(misses), chosen)
            stats.processes = jobs + 1
            shown = progress if show else None
            work = (self.checks, self.use_cache)
            parsed = (
                parse_parallel(entries, misses, chosen, jobs, shown, stats, begin, work)
                if jobs > 0
                else parse_here(entries, misses, chosen, shown, stats, begin)
            )
            for index, (record, lines, blob, problems, done, key) in parsed:
                plan, at = self.where[index]
                if plan.keys[at] is KEY_READ_WITH_FILE:
                    plan.keys[at] = key if key is not False else None
                if key is False:  # not a regular file: not a record file after all
                    self.results[index] = NOT_A_RECORD_FILE
                    stats.files -= 1
                    continue
                self._parsed(index, record, lines, blob, problems, done)
        finally:
            if started[0]:
                assert progress is not None
                progress.stop()

    def _parsed(
        self, index: int, record: Any, lines: Any, blob: bytes, problems: list[Problem], done: Any
    ) -> None:
        entry = self.files[index]
        if record is None and problems and problems[0].code in UNREAD_CODES:
            self.results[index] = (None, None, problems, None)
            return
        if lines is None:
            lines = LazyLines(blob)
        source = Source(entry.rel, lines)
        stored = stored_lines(blob)
        if entry.kind not in KINDS_BUILT_ON_USE:
            self.results[index] = (record, source, problems, None)
            self.fresh[index] = (record, stored, problems, None, None)
            return
        if done is not None:  # a worker typed and checked it
            facts, found, kept = done
            self.results[index] = (record, source, problems, (facts, found))
            self.fresh[index] = (kept, stored, problems, facts, found)
        elif record is not None:
            facts = record.facts()
            found = self._check(entry.kind, record, source)
            self.results[index] = (record, source, problems, (facts, found))
            kept = cache.dumps(record) if self.use_cache else b""
            self.fresh[index] = (kept, stored, problems, facts, found)
        else:
            self.results[index] = (None, source, problems, None)
            self.fresh[index] = (None, stored, problems, None, None)

    # --- into the records --------------------------------------------------------------

    def _add_whole(self, plan: FolderPlan, first_seen: dict[str, str]) -> bool:
        """Every file of the folder as its shard has it, in bulk; False when one of its IDs
        was seen before (the duplicate is reported file by file)."""
        shard, folder, records = plan.shard, plan.folder, self.records
        ids: list[str] = shard["ids"]
        if not first_seen.keys().isdisjoint(ids):
            for name, row in zip(plan.names, range(len(ids)), strict=True):
                self._slot(plan, name, self._from_shard(folder, name, shard, row))
            return False
        prefix = folder.rel + "/"
        rels = [prefix + name for name in plan.names]
        first_seen.update(zip(ids, rels, strict=True))
        records.files += len(ids)
        for found in shard["problems"]:
            if found:
                records.problems.extend(found)
        records.add_packed_sources(ids, rels, shard["lines"])
        kind = folder.kind
        if kind in KINDS_BUILT_ON_USE:
            records.of_kind(kind).add_unbuilt(ids, shard["records"], shard["facts"], shard["own"])
        elif kind == "visit":
            records.visits.update(zip(ids, shard["records"], strict=True))
        elif kind == "campaign":
            records.campaigns.update(zip(ids, shard["records"], strict=True))
        else:
            records.budgets.update((budget.year, budget) for budget in shard["records"])
        return True

    def _add_file(self, index: int, first_seen: dict[str, str]) -> None:
        records = self.records
        loaded = self.results[index]
        if loaded is NOT_A_RECORD_FILE:
            return
        record, source, problems, grant = loaded or (None, None, [], None)
        records.files += 1
        if problems:
            records.problems.extend(problems)
        if record is None or source is None:  # did not load, or was not read at all:
            records.unloaded.add(unloaded_key(self.files[index]))  # not "unknown" elsewhere
            return
        kind = self.files[index].kind
        if grant is not None and not isinstance(record, Grant | Case):
            record = record if type(record) is Pending else Pending(record)
        add_record(records, record, source, first_seen, grant, kind)

    # --- keeping the cache -------------------------------------------------------------

    def _keep(self, plan: FolderPlan, now: int) -> None:
        """Rewrite a folder's shard from what this run found, when that differs."""
        shard = shard_to_keep(plan, self.results, self.fresh, self.digest, now)
        if shard is not None:
            cache.write_shard(self.root, plan.folder.rel, shard)
