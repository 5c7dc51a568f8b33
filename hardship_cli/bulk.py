"""Loading many record files fast: the cache first, then the fast parser, on every core.

Measured on the benchmark's city union (bench/, 120,000 files, 2 cores): a run that finds
everything in the cache stats each file and unpickles its folder's shard; a cold run
parses with rapidyaml where it gives exactly libyaml's result (``fastyaml``), in worker
processes once there are enough files to pay for starting them, with the garbage
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
from typing import Any, Protocol

from . import cache, fastyaml, yamlio
from .problems import Problem
from .store import FileEntry, Source, load_file, read_bytes

# Files to parse before a worker pays for itself (measured with bench/: at 12,000 files
# two processes were 10 % slower than one, at 120,000 files 21 % faster, on a 2-core
# machine that another job kept half busy).
PARALLEL_MIN = 20_000
CHUNK = 1000  # files per task sent to a worker
PROGRESS_MIN = 2000  # files to parse before a progress bar is worth showing

# (record or None, source or None, problems) for each file, in the order of the scan
Loaded = tuple[Any, Source | None, list[Problem]]


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
    """Worker processes for parsing (this process types the records meanwhile): one core
    is left for that; none when there are too few files or one core."""
    if chosen == "baseline" or count < PARALLEL_MIN:
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = (cpus or 1) - 1
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
) -> tuple[list[Loaded], LoadStats]:
    """Load every file: (record, source, per-file problems) in the order given."""
    started = time.perf_counter()
    chosen = mode()
    stats = LoadStats(files=len(entries), mode=chosen, cache_used=use_cache)
    collect = chosen != "baseline" and gc.isenabled()
    if collect:
        gc.disable()
    try:
        results = _load(root, entries, use_cache, progress, chosen, stats)
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
) -> list[Loaded]:
    results: list[Loaded | None] = [None] * len(entries)
    keys: list[tuple[int, int] | None] = []
    for index, entry in enumerate(entries):
        try:
            info = os.stat(entry.file)
        except OSError as exc:
            keys.append(None)
            results[index] = (None, None, [_unreadable(entry, exc)])
            continue
        keys.append((info.st_size, info.st_mtime_ns))

    shards: dict[str, dict[str, cache.Entry]] = {}
    members: dict[str, list[int]] = {}  # folder -> the entries in it
    hits: dict[str, int] = {}
    if use_cache:
        folder = ""
        shard: dict[str, cache.Entry] = {}
        listed: list[int] = []
        for index, entry in enumerate(entries):
            rel = entry.rel
            slash = rel.rfind("/")
            if rel[:slash] != folder or not listed:
                folder = rel[:slash]
                if folder not in shards:
                    shards[folder] = cache.read_shard(root, folder)
                    members[folder] = []
                    hits[folder] = 0
                shard = shards[folder]
                listed = members[folder]
            listed.append(index)
            key = keys[index]
            if key is None:
                continue
            hit = shard.get(rel[slash + 1 :])
            if hit is not None and hit[0] == key[0] and hit[1] == key[1]:
                results[index] = (hit[2], Source(rel, cache.LazyLines(hit[3])), hit[4])
                hits[folder] += 1
        stats.cached = sum(hits.values())

    misses = [i for i, r in enumerate(results) if r is None]
    fresh: dict[int, cache.Entry] = {}
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
                    entries, misses, chosen, jobs, progress if show else None, stats, begin
                )
                if jobs > 0
                else _parse_here(entries, misses, chosen, progress if show else None, stats, begin)
            )
            for index, (record, lines, blob, problems) in parsed:
                entry = entries[index]
                if record is None and problems and problems[0].code == "unreadable":
                    results[index] = (None, None, problems)
                    continue
                if lines is None:
                    lines = cache.LazyLines(blob)
                results[index] = (record, Source(entry.rel, lines), problems)
                key = keys[index]
                if use_cache and key is not None:
                    fresh[index] = (key[0], key[1], record, blob, problems)
        finally:
            if started[0]:
                assert progress is not None
                progress.stop()

    if use_cache:
        _update_cache(root, entries, shards, members, hits, fresh)
    return [r if r is not None else (None, None, []) for r in results]


def _unreadable(entry: FileEntry, exc: OSError) -> Problem:
    return Problem(entry.rel, None, "unreadable", f"cannot read the file: {exc.strerror}")


# ---------------------------------------------------------------------------------------
# Parsing the files the cache did not have

# (index, record, lines or None, marshalled lines, problems)
Parsed = tuple[int, tuple[Any, Any, bytes, list[Problem]]]


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
) -> tuple[Any, dict[Any, int] | None, bytes, list[Problem]]:
    try:
        raw = read_bytes(entry.file)
    except OSError as exc:
        return None, {}, cache.pack_lines({}), [_unreadable(entry, exc)]
    record, source, problems = load_file(entry, raw, parse)
    return record, source.lines, cache.pack_lines(source.lines), problems


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


def _worker_start() -> None:
    gc.disable()
    fastyaml.silence_stderr()


def _parse_chunk(task: tuple[str, list[tuple[int, str, str]]]) -> bytes:
    """In a worker: read and parse a chunk of files (YAML only: typing the records is the
    parent's share). Plain data travels back marshalled, far cheaper than typed records
    pickled."""
    chosen, chunk = task
    counts = [0, 0]
    parse = _parser(chosen, counts)
    out: list[tuple[int, Any, bytes, list[tuple[Any, ...]]]] = []
    for index, file, rel in chunk:
        try:
            raw = read_bytes(file)
        except OSError as exc:
            unreadable = _unreadable(FileEntry(file, rel, "", None), exc)
            out.append((index, None, b"", [_problem_tuple(unreadable)]))
            continue
        result = parse(raw, rel)
        problems = [_problem_tuple(p) for p in result.problems]
        out.append((index, result.data, cache.pack_lines(result.lines), problems))
    return marshal.dumps((counts, out))


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
) -> list[Parsed]:
    """Workers parse, this process types what they parsed, both at once."""
    tasks = []
    for start in range(0, len(misses), CHUNK):
        chunk = [(i, entries[i].file, entries[i].rel) for i in misses[start : start + CHUNK]]
        tasks.append((chosen, chunk))
    out: list[Parsed] = []
    # fork: the workers start with everything imported, in milliseconds
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_worker_start) as pool:
        begin()
        for blob in pool.imap_unordered(_parse_chunk, tasks):
            counts, parsed = marshal.loads(blob)
            stats.fast += counts[0]
            stats.reference += counts[1]
            for index, data, lines, problems in parsed:
                entry = entries[index]
                found = [Problem(*p) for p in problems]
                if data is None and found and found[0].code == "unreadable":
                    out.append((index, (None, {}, b"", found)))
                    continue
                result = yamlio.ParseResult(data, cache.LazyLines(lines), found)
                record, source, more = load_file(entry, b"", partial(_parsed, result))
                out.append((index, (record, source.lines, cache.pack_lines(source.lines), more)))
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
