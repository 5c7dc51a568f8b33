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
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from . import cache, fastyaml, yamlio
from .model import Grant, GrantFacts, GrantKind, GrantStatus
from .problems import Problem
from .store import FileEntry, Pending, Source, load_file, read_bytes

# Files to parse before a worker pays for itself (measured with bench/: at 12,000 files
# two processes were 10 % slower than one, at 120,000 files 21 % faster, on a 2-core
# machine that another job kept half busy).
PARALLEL_MIN = 20_000
CHUNK = 1000  # files per task sent to a worker
PROGRESS_MIN = 2000  # files to parse before a progress bar is worth showing

# (record or None, source or None, problems, grant) for each file, in the order of the
# scan; `grant` is (GrantFacts, own problems or None) for a grant, else None. A grant the
# cache holds comes as a store.Pending: rebuilt only when somebody reads it.
Loaded = tuple[Any, Source | None, list[Problem], Any]

# The checks of one grant on its own (rules.local): (digest, check or None). Their
# problems are kept with the grant in the cache under the digest.
OwnChecks = tuple[bytes, Callable[[Any, Source], list[Problem]] | None]
NO_CHECKS: OwnChecks = (b"", None)


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


def load_entries(
    root: Any,
    entries: list[FileEntry],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    own: OwnChecks = NO_CHECKS,
) -> tuple[list[Loaded], LoadStats]:
    """Load every file: (record, source, per-file problems, grant) in the order given."""
    started = time.perf_counter()
    chosen = mode()
    stats = LoadStats(files=len(entries), mode=chosen, cache_used=use_cache)
    collect = chosen != "baseline" and gc.isenabled()
    if collect:
        gc.disable()
    try:
        results = _load(root, entries, use_cache, progress, chosen, stats, own)
    finally:
        if collect:
            # The records live as long as the command: keep the collector off them.
            gc.freeze()
            gc.enable()
    stats.seconds = time.perf_counter() - started
    return results, stats


def _load(
    root: Any,
    entries: list[FileEntry],
    use_cache: bool,
    progress: Progress | None,
    chosen: str,
    stats: LoadStats,
    own: OwnChecks,
) -> list[Loaded]:
    digest, check = own
    results: list[Loaded | None] = [None] * len(entries)
    fresh: dict[int, cache.Entry] = {}  # entries for the cache, by index
    keys: list[tuple[int, int] | None] = [None] * len(entries)
    shards: dict[str, dict[str, cache.Entry]] = {}
    members: dict[str, list[int]] = {}  # folder -> the entries in it
    hits: dict[str, int] = {}
    folder = None
    hit_count = 0
    shard: dict[str, cache.Entry] = {}
    listed: list[int] = []
    stat = os.stat
    lazy = cache.LazyLines
    groups: dict[int, list[Any]] = {}  # grants pickled together, unpickled once
    for index, entry in enumerate(entries):
        # One pass: the file's size and time, then its entry in its folder's shard.
        try:
            info = stat(entry.file)
        except OSError as exc:
            results[index] = (None, None, [_unreadable(entry, exc)], None)
            info = None
        if not use_cache:
            if info is not None:
                keys[index] = (info.st_size, info.st_mtime_ns)
            continue
        rel = entry.rel
        slash = rel.rfind("/")
        if rel[:slash] != folder:
            if folder is not None:
                hits[folder] += hit_count
            folder = rel[:slash]
            hit_count = 0
            if folder not in shards:
                shards[folder] = cache.read_shard(root, folder)
                members[folder] = []
                hits[folder] = 0
            shard = shards[folder]
            listed = members[folder]
        listed.append(index)
        if info is None:
            continue
        size = info.st_size
        mtime = info.st_mtime_ns
        keys[index] = (size, mtime)
        hit = shard.get(rel[slash + 1 :])
        if hit is None or hit[0] != size or hit[1] != mtime:
            continue
        source = Source(rel, lazy(hit[3], entry.file))
        hit_count += 1
        if len(hit) == 5:
            results[index] = (hit[2], source, hit[4], None)
            continue
        # A grant: (size, mtime, pickled grant, lines, problems, facts, own, digest)
        facts = hit[5]
        if facts is None:  # the file did not give a grant
            results[index] = (None, source, hit[4], None)
        elif hit[7] == digest:
            results[index] = (Pending(hit[2]), source, hit[4], (facts, hit[6]))
        else:  # hardship.yaml (or the checks) changed: check the grant again
            record = Pending(hit[2]).rebuild(groups)
            found = check(record, source) if check is not None else None
            results[index] = (record, source, hit[4], (facts, found))
            fresh[index] = (*hit[:6], found, digest)
    if use_cache:
        if folder is not None:
            hits[folder] += hit_count
        stats.cached = sum(hits.values())

    misses = [i for i, r in enumerate(results) if r is None]
    if misses:
        show = progress is not None and len(misses) >= PROGRESS_MIN
        started = [False]

        def begin() -> None:
            # Called once any worker process exists: a fork must not copy the bar's thread.
            if show and not started[0]:
                assert progress is not None
                progress.start(len(misses), "reading records")
                started[0] = True

        try:
            jobs = jobs_for(len(misses), chosen)
            stats.processes = jobs + 1
            parsed = (
                _parse_parallel(
                    entries,
                    misses,
                    chosen,
                    jobs,
                    progress if show else None,
                    stats,
                    begin,
                    (check, use_cache),
                )
                if jobs > 0
                else _parse_here(entries, misses, chosen, progress if show else None, stats, begin)
            )
            for index, (record, lines, blob, problems, done) in parsed:
                entry = entries[index]
                if record is None and problems and problems[0].code == "unreadable":
                    results[index] = (None, None, problems, None)
                    continue
                if lines is None:
                    lines = cache.LazyLines(blob)
                source = Source(entry.rel, lines)
                key = keys[index]
                keep = use_cache and key is not None
                if entry.kind != "grant":
                    results[index] = (record, source, problems, None)
                    if keep:
                        assert key is not None
                        fresh[index] = (key[0], key[1], record, cache.stored_lines(blob), problems)
                    continue
                facts = found = None
                pickled: Any = b""
                if done is not None:  # a worker typed and checked it
                    facts, found, pickled = done
                    results[index] = (record, source, problems, (facts, found))
                elif record is not None:
                    facts = record.facts()
                    found = check(record, source) if check is not None else None
                    results[index] = (record, source, problems, (facts, found))
                    if keep:
                        pickled = cache.dumps(record)
                else:
                    results[index] = (None, source, problems, None)
                if keep:
                    assert key is not None
                    fresh[index] = (
                        *(key[0], key[1], pickled, cache.stored_lines(blob), problems),
                        *(facts, found, digest),
                    )
        finally:
            if started[0]:
                assert progress is not None
                progress.stop()

    if use_cache:
        _update_cache(root, entries, shards, members, hits, fresh)
    return [r if r is not None else (None, None, [], None) for r in results]


def _unreadable(entry: FileEntry, exc: OSError) -> Problem:
    return Problem(entry.rel, None, "unreadable", f"cannot read the file: {exc.strerror}")


# ---------------------------------------------------------------------------------------
# Parsing the files the cache did not have

# (index, (record, lines or None, marshalled lines, problems, done)); `done`: for a grant a
# worker typed, (facts, own problems, pickled grant or b"") and the record is a Pending.
Parsed = tuple[int, tuple[Any, Any, bytes, list[Problem], Any]]


def _parser(chosen: str, counts: list[int]) -> Callable[[bytes, str], yamlio.ParseResult]:
    use_fast = chosen == "auto" and fastyaml.AVAILABLE

    def parse(raw: bytes, path: str) -> yamlio.ParseResult:
        if use_fast:
            result = fastyaml.parse_fast(raw, path)
            if result is not None:
                counts[0] += 1
                return result
        counts[1] += 1
        return yamlio.parse(raw, path)

    return parse


def _load_one(
    entry: FileEntry, parse: Callable[[bytes, str], yamlio.ParseResult]
) -> tuple[Any, dict[Any, int] | None, bytes, list[Problem], None]:
    try:
        raw = read_bytes(entry.file)
    except OSError as exc:
        return None, {}, cache.pack_lines({}), [_unreadable(entry, exc)], None
    record, source, problems = load_file(entry, raw, parse)
    return record, source.lines, cache.pack_lines(source.lines), problems, None


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
    quiet = fastyaml.quiet_stderr() if progress is None else contextlib.nullcontext()
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


# What a worker does with a grant besides typing it: (its own checks, whether to pickle it
# for the cache). Set before the workers fork; they inherit it.
_GRANT_WORK: tuple[Callable[[Any, Source], list[Problem]] | None, bool] = (None, False)


def _worker_start() -> None:
    gc.disable()
    fastyaml.silence_stderr()


def _parse_chunk(task: tuple[str, list[tuple[int, str, str, str, str | None]]]) -> bytes:
    """In a worker: read and parse a chunk of files. A grant is also typed, checked on its
    own (``rules.local``) and, for the cache, pickled: the parent needs only its facts
    (a warm `validate` of a city never rebuilds its 100,000 grants, nor does a cold one).
    Other records travel back as parsed data for the parent to type. All of it marshalled,
    far cheaper than typed records pickled."""
    chosen, chunk = task
    counts = [0, 0]
    parse = _parser(chosen, counts)
    check, keep = _GRANT_WORK
    out: list[tuple[Any, ...]] = []
    group: list[Grant] = []
    for index, file, rel, kind, folder_year in chunk:
        try:
            raw = read_bytes(file)
        except OSError as exc:
            unreadable = _unreadable(FileEntry(file, rel, "", None), exc)
            out.append((index, None, b"", [_problem_tuple(unreadable)]))
            continue
        if kind != "grant":
            result = parse(raw, rel)
            problems = [_problem_tuple(p) for p in result.problems]
            out.append((index, result.data, cache.pack_lines(result.lines), problems))
            continue
        result = parse(raw, rel)
        entry = FileEntry(file, rel, kind, folder_year)
        record, source, found = load_file(entry, raw, partial(_parsed, result))
        lines = cache.pack_lines(source.lines)
        problems = [_problem_tuple(p) for p in found]
        if record is None:
            out.append((index, None, lines, problems, None))
            continue
        assert isinstance(record, Grant)
        own = None
        if check is not None:
            own = [_problem_tuple(p) for p in check(record, source)]
        # For the cache, the chunk's grants pickled together (a third of the cost of one
        # by one); without, the data each was typed from, to type again if somebody reads
        # it (`validate` does not).
        if keep:
            payload: Any = len(group)
            group.append(record)
        else:
            payload = marshal.dumps(result.data)
        done = (_plain_facts(record), own, payload, keep)
        out.append((index, None, lines, problems, done))
    return marshal.dumps((counts, out, cache.dumps(group) if group else b""))


def _plain_facts(grant: Grant) -> tuple[Any, ...]:
    """A grant's GrantFacts as marshal can carry them (see `_facts_back`)."""
    return (
        grant.id,
        grant.case,
        grant.kind.value,
        str(grant.amount),
        grant.fund,
        grant.status.value,
        grant.proposed.on.toordinal(),
        grant.proposed.by,
        grant.override.by if grant.override is not None else None,
        grant.year,
        grant.campaign,
    )


_KINDS = {kind.value: kind for kind in GrantKind}
_STATUSES = {status.value: status for status in GrantStatus}


def _facts_back(plain: tuple[Any, ...]) -> GrantFacts:
    return GrantFacts._make(
        (
            *plain[:2],
            _KINDS[plain[2]],
            Decimal(plain[3]),
            plain[4],
            _STATUSES[plain[5]],
            date.fromordinal(plain[6]),
            *plain[7:],
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


def _parsed(result: yamlio.ParseResult, _raw: bytes, _path: str) -> yamlio.ParseResult:
    return result


def _parse_parallel(
    entries: list[FileEntry],
    misses: list[int],
    chosen: str,
    jobs: int,
    progress: Progress | None,
    stats: LoadStats,
    begin: Callable[[], None],
    grant_work: tuple[Callable[[Any, Source], list[Problem]] | None, bool],
) -> list[Parsed]:
    """Workers parse (and type, check and pickle the grants); this process types the other
    records meanwhile."""
    global _GRANT_WORK
    # The records this process types first, the grants after: it types cases and visits
    # while the workers are busy with the grants, instead of after them.
    ordered = [i for i in misses if entries[i].kind != "grant"]
    ordered += [i for i in misses if entries[i].kind == "grant"]
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
    _GRANT_WORK = grant_work
    try:
        pool = context.Pool(jobs, initializer=_worker_start)
    finally:
        _GRANT_WORK = (None, False)
    with pool:
        begin()
        for blob in pool.imap_unordered(_parse_chunk, tasks):
            counts, parsed, group = marshal.loads(blob)
            stats.fast += counts[0]
            stats.reference += counts[1]
            for index, data, lines, problems, *rest in parsed:
                entry = entries[index]
                found = [Problem(*p) for p in problems]
                if rest and rest[0] is None:  # a grant that did not load: problems say why
                    out.append((index, (None, cache.LazyLines(lines), lines, found, None)))
                    continue
                if rest:  # a grant, typed and checked
                    plain, own, payload, pickled = rest[0]
                    kept = (group, payload) if pickled else b""
                    pending = Pending(kept) if pickled else Pending.of_data(payload)
                    done = (
                        _facts_back(plain),
                        None if own is None else [Problem(*p) for p in own],
                        kept,
                    )
                    out.append((index, (pending, cache.LazyLines(lines), lines, found, done)))
                    continue
                if data is None and found and found[0].code == "unreadable":
                    out.append((index, (None, {}, b"", found, None)))
                    continue
                result = yamlio.ParseResult(data, cache.LazyLines(lines), found)
                record, source, more = load_file(entry, b"", partial(_parsed, result))
                out.append(
                    (index, (record, source.lines, cache.pack_lines(source.lines), more, None))
                )
            if progress is not None:
                progress.advance(len(parsed))
    return out


# ---------------------------------------------------------------------------------------
# Keeping the cache


def _update_cache(
    root: Any,
    entries: list[FileEntry],
    shards: dict[str, dict[str, cache.Entry]],
    members: dict[str, list[int]],
    hits: dict[str, int],
    fresh: dict[int, cache.Entry],
) -> None:
    """Rewrite the shards that gained an entry or hold one no file has any more."""
    now = time.time_ns()
    for folder, indexes in members.items():
        old = shards[folder]
        added = [i for i in indexes if i in fresh and cache.cacheable(fresh[i][1], now)]
        if not added and hits[folder] == len(old):
            continue  # all it holds was used, nothing new: as it was
        shard: dict[str, cache.Entry] = {}
        for index in indexes:
            name = cache.shard_of(entries[index].rel)[1]
            if index in fresh and cache.cacheable(fresh[index][1], now):
                shard[name] = fresh[index]
            elif name in old:
                shard[name] = old[name]  # still used, or stale and never used again
        if added or len(shard) != len(old):
            cache.write_shard(root, folder, shard)
