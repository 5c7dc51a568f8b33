"""Loading many record files fast: the cache first, then the fast parser, on every core.

Measured on the benchmark's city union (bench/, 120,000 files, 2 cores): a run that finds
everything in the cache stats each file and unpickles its folder's shard; a cold run
parses with rapidyaml where it gives exactly libyaml's result (``fastyaml``), in worker
processes once there are enough files to pay for starting them (they also type, check
and pickle the grants, which this process then keeps unread: see store.Pending), with the garbage
collector off while the records are built (it would otherwise walk them again and again).

``HARDSHIP_PARSER`` chooses the path, for benchmarks and for comparing:
``auto`` (default) as above; ``libyaml`` the reference parser with everything else;
``baseline`` the reference parser in one process with the collector on (the path before
this module existed); ``HARDSHIP_JOBS=N`` sets the processes in all (1: no workers).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from stat import S_ISREG
from typing import Any, Protocol

from hardship_cli.domain.model import Case, Grant
from hardship_cli.load import cache, fastyaml, rapidyaml, strict
from hardship_cli.load.odd_files import (
    NOT_A_FILE,
    SYMLINK,
    OddFile,
    odd_kind,
    open_regular,
    read_open,
)
from hardship_cli.load.store import (
    LAYOUT,
    FileEntry,
    Folder,
    Pending,
    Records,
    Source,
    add_record,
    load_file,
    unloaded_key,
)
from hardship_cli.problems import Problem

# Files to parse before a worker pays for itself (measured with bench/: at 12,000 files
# two processes were 10 % slower than one, at 120,000 files 21 % faster, on a 2-core
# machine that another job kept half busy).
PARALLEL_MIN = 20_000
CHUNK = 1000  # files per task sent to a worker
PROGRESS_MIN = 2000  # files to parse before a progress bar is worth showing

# (record or None, source or None, problems, kept) for each file, in the order of the
# scan; `kept` is (facts, own problems or None) for a case or grant, else None. A case or
# grant the cache holds comes as what a store.Pending keeps: rebuilt only when read.
Loaded = tuple[Any, Source | None, list[Problem], Any]

# The checks of one case or grant on its own (rules.local): (digest, {kind: check} or
# None). Their problems are kept with the record in the cache under the digest.
OwnChecks = tuple[bytes, dict[str, Callable[[Any, Source], list[Problem]]] | None]
NO_CHECKS: OwnChecks = (b"", None)

# The kinds kept as Pending with their facts and own problems (see store.Kept).
LAZY = frozenset({"case", "grant"})

LATER: Any = (-1, -1)  # a key the reader of the file takes (see read_keyed)
UNREAD = frozenset({"unreadable", SYMLINK, NOT_A_FILE})  # the problems of files not read
SKIPPED: Any = (None, None, [], None)  # not a regular file: not a record file after all


class Progress(Protocol):
    """What a long load reports to (the CLI draws it; the core never imports rich)."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, count: int) -> None: ...

    def stop(self) -> None: ...


@dataclass
class LoadStats:
    """How the files were read, for --verbose and the benchmark."""

    files: int = 0
    cached: int = 0
    fast: int = 0  # parsed by rapidyaml
    reference: int = 0  # parsed by libyaml
    processes: int = 1
    seconds: float = 0.0
    mode: str = "auto"
    cache_used: bool = True

    def describe(self) -> str:
        parsed = self.fast + self.reference
        parts = [f"{self.files} files"]
        if self.cache_used:
            parts.append(f"{self.cached} from the cache")
        else:
            parts.append("cache not used")
        if parsed:
            how = f"{parsed} parsed: {self.fast} by rapidyaml, {self.reference} by libyaml"
            if self.processes > 1:
                how += f", in {self.processes} processes"
            parts.append(how)
        return f"read {', '.join(parts)} in {self.seconds:.2f} s (parser: {self.mode})"


def mode() -> str:
    value = os.environ.get("HARDSHIP_PARSER", "auto").strip().lower() or "auto"
    return value if value in ("auto", "libyaml", "baseline") else "auto"


def jobs_for(count: int, chosen: str) -> int:
    """Worker processes for parsing: one a core (they parse, and type and check the
    grants; this process types the few other records meanwhile); none when there are too
    few files or one core."""
    if chosen == "baseline" or count < PARALLEL_MIN:
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cpus or 1) < 2:
        return 0
    jobs = cpus or 1
    chosen_jobs = os.environ.get("HARDSHIP_JOBS", "")
    if chosen_jobs.isdigit() and int(chosen_jobs) > 0:
        jobs = int(chosen_jobs) - 1  # processes in all, this one included
    return max(0, min(jobs, count // CHUNK or 1))


def load_into(
    records: Records,
    folders: list[Folder],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    own: OwnChecks = NO_CHECKS,
) -> LoadStats:
    """Load every record file of `folders` into `records`, in their order."""
    started = time.perf_counter()
    chosen = mode()
    stats = LoadStats(mode=chosen, cache_used=use_cache)
    collect = chosen != "baseline" and gc.isenabled()
    if collect:
        gc.disable()
    try:
        _Loading(records, use_cache, progress, chosen, stats, own).run(folders)
    finally:
        if collect:
            # The records live as long as the command: keep the collector off them.
            gc.freeze()
            gc.enable()
    stats.seconds = time.perf_counter() - started
    return stats


class _Plan:
    """What loading does with one folder: take its shard whole (every file as the shard
    has it), or go file by file (`slots`: indexes into the loading's files)."""

    __slots__ = ("folder", "shard", "names", "keys", "whole", "slots")

    def __init__(self, folder: Folder, shard: dict[str, Any], names: list[str]) -> None:
        self.folder = folder
        self.shard = shard
        self.names = names
        self.keys: list[tuple[int, int] | None] = []
        self.whole = False
        self.slots: list[int] = []


class _Loading:
    def __init__(
        self,
        records: Records,
        use_cache: bool,
        progress: Progress | None,
        chosen: str,
        stats: LoadStats,
        own: OwnChecks,
    ) -> None:
        self.records = records
        self.root = records.root
        self.use_cache = use_cache
        self.progress = progress
        self.chosen = chosen
        self.stats = stats
        self.digest, self.checks = own
        # Files gone through one by one: entry, what loading gave, the cache's column values
        self.files: list[FileEntry] = []
        self.where: list[tuple[_Plan, int]] = []  # each file's folder and place in it
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

    # --- what each folder needs ------------------------------------------------------

    def _plan(self, folder: Folder) -> _Plan:
        shard = cache.read_shard(self.root, folder.rel) if self.use_cache else {}
        names: list[str] = []
        plan = _Plan(folder, shard, names)
        errors: dict[str, Problem] = {}
        if not shard:
            # Nothing to compare with: every file is read, and the reader takes its key
            # (in a worker, on a cold run: stat-ing here first cost 0.3 s of 120,000).
            names.extend(folder.names)
            plan.keys.extend([LATER] * len(names))
            self.stats.files += len(names)
            for name in names:
                self._slot(plan, name, None)
            return plan
        stat = os.stat
        try:
            fd: int | None = os.open(folder.path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            fd = None
        try:
            infos = None
            if fd is not None:
                # The usual folder: every name a regular file, in one comprehension (lstat:
                # a link is not a regular file, and is never followed).
                with contextlib.suppress(OSError):
                    infos = [stat(name, dir_fd=fd, follow_symlinks=False) for name in folder.names]
            if infos is not None and all(S_ISREG(info.st_mode) for info in infos):
                names.extend(folder.names)
                plan.keys.extend([(info.st_size, info.st_mtime_ns) for info in infos])
            else:
                self._stat_one_by_one(folder, fd, plan, errors)
        finally:
            if fd is not None:
                os.close(fd)
        self.stats.files += len(names)
        if (
            shard
            and shard["clean"]
            and shard["names"] == names
            and shard["keys"] == plan.keys
            and (folder.kind not in LAZY or shard["digest"] == self.digest)
        ):
            plan.whole = True
            self.stats.cached += len(names)
            return plan
        # File by file: what the shard has for an unchanged file, the rest to parse.
        at = {name: i for i, name in enumerate(shard["names"])} if shard else {}
        for name, key in zip(names, plan.keys, strict=True):
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

    def _stat_one_by_one(
        self, folder: Folder, fd: int | None, plan: _Plan, errors: dict[str, Problem]
    ) -> None:
        """Each file's key; names that cannot be stat-ed, and links, pipes, devices and
        sockets, are kept with their problem (and never read); folders are left out."""
        stat = os.stat
        names = plan.names
        for name in folder.names:
            try:
                info = (
                    stat(name, dir_fd=fd, follow_symlinks=False)
                    if fd is not None
                    else stat(os.path.join(folder.path, name), follow_symlinks=False)
                )
            except OSError as exc:
                names.append(name)
                plan.keys.append(None)
                errors[name] = _unreadable(folder.entry(name), exc)
                continue
            if not S_ISREG(info.st_mode):
                odd = odd_kind(info.st_mode)
                if odd is None:
                    continue  # a folder named like a record: not a record file
                names.append(name)
                plan.keys.append(None)
                entry = folder.entry(name)
                errors[name] = _unreadable(entry, OddFile(entry.rel, *odd))
                continue
            names.append(name)
            plan.keys.append((info.st_size, info.st_mtime_ns))

    def _slot(self, plan: _Plan, name: str, loaded: Loaded | None) -> None:
        self.where.append((plan, len(plan.slots)))
        self.files.append(plan.folder.entry(name))
        self.results.append(loaded)
        plan.slots.append(len(self.files) - 1)

    def _from_shard(self, folder: Folder, name: str, shard: dict[str, Any], row: int) -> Loaded:
        rel = f"{folder.rel}/{name}"
        source = Source(rel, cache.LazyLines(shard["lines"][row], os.path.join(folder.path, name)))
        record = shard["records"][row]
        problems = shard["problems"][row]
        if folder.kind not in LAZY:
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
                progress.start(len(misses), "reading records")
                started[0] = True

        entries, chosen, stats = self.files, self.chosen, self.stats
        try:
            jobs = jobs_for(len(misses), chosen)
            stats.processes = jobs + 1
            shown = progress if show else None
            work = (self.checks, self.use_cache)
            parsed = (
                _parse_parallel(entries, misses, chosen, jobs, shown, stats, begin, work)
                if jobs > 0
                else _parse_here(entries, misses, chosen, shown, stats, begin)
            )
            for index, (record, lines, blob, problems, done, key) in parsed:
                plan, at = self.where[index]
                if plan.keys[at] is LATER:
                    plan.keys[at] = key if key is not False else None
                if key is False:  # not a regular file: not a record file after all
                    self.results[index] = SKIPPED
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
        if record is None and problems and problems[0].code in UNREAD:
            self.results[index] = (None, None, problems, None)
            return
        if lines is None:
            lines = cache.LazyLines(blob)
        source = Source(entry.rel, lines)
        stored = cache.stored_lines(blob)
        if entry.kind not in LAZY:
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

    def _add_whole(self, plan: _Plan, first_seen: dict[str, str]) -> bool:
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
        records._raw_sources.update(zip(ids, zip(rels, shard["lines"], strict=True), strict=True))
        kind = folder.kind
        if kind in LAZY:
            kept = records._grants if kind == "grant" else records._cases
            kept.items.update(zip(ids, shard["records"], strict=True))
            kept.pending += len(ids)
            kept.facts.update(zip(ids, shard["facts"], strict=True))
            for key, found in zip(ids, shard["own"], strict=True):
                if found:
                    kept.own[key] = found
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
        if loaded is SKIPPED:
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

    def _keep(self, plan: _Plan, now: int) -> None:
        """Rewrite a folder's shard from what this run found, when that differs."""
        folder, old = plan.folder, plan.shard
        names: list[str] = []
        keys: list[tuple[int, int]] = []
        rows: list[tuple[Any, ...]] = []
        at = {name: i for i, name in enumerate(old["names"])} if old else {}
        changed = False
        for name, key, index in zip(plan.names, plan.keys, plan.slots, strict=True):
            if key is None or key is LATER or self.results[index] is SKIPPED:
                continue
            row: tuple[Any, ...] | None = None
            if index in self.fresh:
                if not cache.cacheable(key[1], now):
                    continue  # too fresh: its next change could keep size and time stamp
                row = self.fresh[index]
                changed = True
            else:
                at_row = at.get(name)
                if at_row is None:
                    continue
                row = tuple(
                    old[column][at_row] if old.get(column) is not None else None
                    for column in ("records", "lines", "problems", "facts", "own")
                )
            names.append(name)
            keys.append(key)
            rows.append(row)
        if not changed and old and old["names"] == names:
            return  # as it was
        ids = [
            _record_key(folder.kind, row[0], row[3]) if row[0] is not None else None for row in rows
        ]
        skipped = sum(1 for index in plan.slots if self.results[index] is SKIPPED)
        clean = (
            len(names) == len(plan.names) - skipped
            and None not in ids
            and len(set(ids)) == len(ids)
            and (folder.kind not in LAZY or all(row[4] is not None for row in rows))
        )
        shard = {
            "kind": folder.kind,
            "names": names,
            "keys": keys,
            "records": [row[0] for row in rows],
            "lines": [row[1] for row in rows],
            "problems": [row[2] for row in rows],
            "facts": [row[3] for row in rows] if folder.kind in LAZY else None,
            "own": [row[4] for row in rows] if folder.kind in LAZY else None,
            "digest": self.digest,
            "ids": ids,
            "clean": clean,
        }
        cache.write_shard(self.root, folder.rel, shard)


def _record_key(kind: str, record: Any, facts: Any) -> str:
    """The key a record is filed under (what first_seen and sources use)."""
    if kind in LAZY:
        return facts.id  # type: ignore[no-any-return]
    if kind == "budget":
        return f"budget:{record.year}"
    return record.id  # type: ignore[no-any-return]


def read_keyed(file: str) -> tuple[bytes, tuple[int, int] | bool]:
    """A file's bytes and its key for the cache, (size, mtime_ns), taken from the open file
    before reading it (a change while it is read then shows as a changed key next time);
    (b"", False) when it is a folder named like a record. A link, pipe, device or socket
    raises ``OddFile`` before a byte is read (see ``odd_files.open_regular``)."""
    try:
        fd, info = open_regular(file)
    except IsADirectoryError:
        return b"", False
    try:
        return read_open(fd), (info.st_size, info.st_mtime_ns)
    finally:
        os.close(fd)


def _unreadable(entry: FileEntry, exc: OSError | OddFile) -> Problem:
    if isinstance(exc, OddFile):
        return exc.problem(entry.rel)
    return Problem(entry.rel, None, "unreadable", f"cannot read the file: {exc.strerror}")


# ---------------------------------------------------------------------------------------
# Parsing the files the cache did not have

# (index, (record, lines or None, marshalled lines, problems, done, key)); `done`: for a
# case or grant a worker typed, (facts, own problems, what the cache keeps of it) and the
# record is a Pending; `key`: see read_keyed (None: unreadable).
Parsed = tuple[int, tuple[Any, Any, bytes, list[Problem], Any, Any]]


def _parser(chosen: str, counts: list[int]) -> Callable[[bytes, str], strict.ParseResult]:
    use_fast = chosen == "auto" and fastyaml.AVAILABLE

    def parse(raw: bytes, path: str) -> strict.ParseResult:
        if use_fast:
            result = fastyaml.parse_fast(raw, path)
            if result is not None:
                counts[0] += 1
                return result
        counts[1] += 1
        return strict.parse(raw, path)

    return parse


def _load_one(
    entry: FileEntry, parse: Callable[[bytes, str], strict.ParseResult]
) -> tuple[Any, dict[Any, int] | None, bytes, list[Problem], None, Any]:
    try:
        raw, key = read_keyed(entry.file)
    except (OSError, OddFile) as exc:
        return None, {}, cache.pack_lines({}), [_unreadable(entry, exc)], None, None
    if key is False:
        return None, {}, b"", [], None, False
    record, source, problems = load_file(entry, raw, parse)
    return record, source.lines, cache.pack_lines(source.lines), problems, None, key


def _parse_here(
    entries: list[FileEntry],
    misses: list[int],
    chosen: str,
    progress: Progress | None,
    stats: LoadStats,
    begin: Callable[[], None],
) -> list[Parsed]:
    begin()
    counts = [0, 0]
    parse = _parser(chosen, counts)
    out: list[Parsed] = []
    quiet = rapidyaml.quiet_stderr() if progress is None else contextlib.nullcontext()
    with quiet:
        for done, index in enumerate(misses, 1):
            out.append((index, _load_one(entries[index], parse)))
            if progress is not None and done % 500 == 0:
                progress.advance(500)
    if progress is not None:
        progress.advance(len(misses) % 500)
    stats.fast += counts[0]
    stats.reference += counts[1]
    return out


# What a worker does with a case or grant besides typing it: (their own checks by kind,
# whether to pickle them for the cache). Set before the workers fork; they inherit it.
_WORK: tuple[dict[str, Callable[[Any, Source], list[Problem]]] | None, bool] = (None, False)


def _worker_start() -> None:
    gc.disable()
    rapidyaml.silence_stderr()


def _parse_chunk(task: tuple[str, list[tuple[int, str, str, str, str | None]]]) -> bytes:
    """In a worker: read and parse a chunk of files. A case or grant is also typed,
    checked on its own (``rules.local``) and, for the cache, pickled with the chunk's
    others: the parent needs only its facts (a warm `validate` of a city never rebuilds
    its 100,000 grants, nor does a cold one). Other records travel back as parsed data
    for the parent to type. Marshalled, but for the pickles: far cheaper than typed
    records pickled one by one."""
    chosen, chunk = task
    counts = [0, 0]
    parse = _parser(chosen, counts)
    checks, keep = _WORK
    out: list[tuple[Any, ...]] = []
    group: list[Any] = []
    facts: list[Any] = []
    for index, file, rel, kind, folder_year in chunk:
        try:
            raw, key = read_keyed(file)
        except (OSError, OddFile) as exc:
            unreadable = _unreadable(FileEntry(file, rel, "", None), exc)
            out.append((index, None, None, b"", [_problem_tuple(unreadable)], None))
            continue
        if key is False:
            out.append((index, False, None, b"", [], None))
            continue
        result = parse(raw, rel)
        if kind not in LAZY:
            problems = [_problem_tuple(p) for p in result.problems]
            out.append((index, key, result.data, cache.sent_lines(result.lines), problems, None))
            continue
        entry = FileEntry(file, rel, kind, folder_year)
        record, source, found = load_file(entry, raw, partial(_parsed, result))
        lines = cache.sent_lines(source.lines)
        problems = [_problem_tuple(p) for p in found]
        if record is None:
            out.append((index, key, None, lines, problems, None))
            continue
        own = None
        if checks is not None:
            own = [_problem_tuple(p) for p in checks[kind](record, source)]
        # For the cache, the chunk's records pickled together (a third of the cost of one
        # by one); without, the data each was typed from, to type again if somebody reads
        # it (`validate` does not).
        if keep:
            payload: Any = len(group)
            group.append(record)
        else:
            payload = marshal.dumps(result.data)
        out.append((index, key, None, lines, problems, (len(facts), own, payload, keep)))
        assert isinstance(record, Case | Grant)
        facts.append(record.facts())
    return marshal.dumps(
        (
            counts,
            out,
            cache.dumps(group) if group else b"",
            cache.dumps(facts) if facts else b"",
        )
    )


def _problem_tuple(problem: Problem) -> tuple[Any, ...]:
    """A problem as marshal can carry it."""
    return (
        problem.path,
        problem.line,
        problem.code,
        problem.message,
        problem.hint,
        problem.severity,
    )


def _parsed(result: strict.ParseResult, _raw: bytes, _path: str) -> strict.ParseResult:
    return result


def _parse_parallel(
    entries: list[FileEntry],
    misses: list[int],
    chosen: str,
    jobs: int,
    progress: Progress | None,
    stats: LoadStats,
    begin: Callable[[], None],
    work: tuple[dict[str, Callable[[Any, Source], list[Problem]]] | None, bool],
) -> list[Parsed]:
    """Workers parse (and type, check and pickle the cases and grants); this process types
    the other records meanwhile."""
    global _WORK
    # The records this process types first, the grants after: it types cases and visits
    # while the workers are busy with the grants, instead of after them.
    ordered = [i for i in misses if entries[i].kind not in LAZY]
    ordered += [i for i in misses if entries[i].kind in LAZY]
    tasks = []
    for start in range(0, len(ordered), CHUNK):
        chunk = [
            (i, entries[i].file, entries[i].rel, entries[i].kind, entries[i].folder_year)
            for i in ordered[start : start + CHUNK]
        ]
        tasks.append((chosen, chunk))
    out: list[Parsed] = []
    # fork: the workers start with everything imported, in milliseconds
    context = multiprocessing.get_context("fork")
    _WORK = work
    try:
        pool = context.Pool(jobs, initializer=_worker_start)
    finally:
        _WORK = (None, False)
    with pool:
        begin()
        for blob in pool.imap_unordered(_parse_chunk, tasks):
            counts, parsed, group, facts_blob = marshal.loads(blob)
            facts = cache.loads(facts_blob) if facts_blob else []
            stats.fast += counts[0]
            stats.reference += counts[1]
            for index, key, data, lines, problems, typed in parsed:
                entry = entries[index]
                found = [Problem(*p) for p in problems]
                if key is None or key is False:  # unreadable, or not a record file
                    out.append((index, (None, {}, b"", found, None, key)))
                    continue
                if entry.kind in LAZY and typed is None:  # did not load: problems say why
                    lazy = cache.LazyLines(lines, entry.file)
                    out.append((index, (None, lazy, lines, found, None, key)))
                    continue
                if typed is not None:  # a case or grant, typed and checked
                    at, own, payload, pickled = typed
                    kept = (group, payload) if pickled else b""
                    model = LAYOUT[entry.kind][2]
                    pending = Pending(kept) if pickled else Pending.of_data(payload, model)
                    done = (
                        facts[at],
                        None if own is None else [Problem(*p) for p in own],
                        kept,
                    )
                    lazy = cache.LazyLines(lines, entry.file)
                    out.append((index, (pending, lazy, lines, found, done, key)))
                    continue
                result = strict.ParseResult(data, cache.LazyLines(lines, entry.file), found)
                record, source, more = load_file(entry, b"", partial(_parsed, result))
                out.append(
                    (index, (record, source.lines, cache.pack_lines(source.lines), more, None, key))
                )
            if progress is not None:
                progress.advance(len(parsed))
    return out
