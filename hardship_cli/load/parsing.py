"""Parsing the record files the cache did not have: here, or in worker processes once
there are enough files to pay for starting them (they also type, check and pickle the
cases and grants, which the loading process then keeps unbuilt: see records.Pending).

``HARDSHIP_PARSER`` chooses the path, for benchmarks and for comparing:
``auto`` (default) rapidyaml where it gives exactly libyaml's result (``fastyaml``), in
workers; ``libyaml`` the reference parser with everything else; ``baseline`` the
reference parser in one process with the collector on; ``HARDSHIP_JOBS=N`` sets the
processes in all (1: no workers).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import queue
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from hardship_cli.domain.model import Case, Grant
from hardship_cli.i18n import _, ngettext
from hardship_cli.load import cache, fastyaml, rapidyaml, strict
from hardship_cli.load.checks import CheckOfRecord
from hardship_cli.load.files import RECORD_MODELS, FileEntry, load_file
from hardship_cli.load.key_lines import LazyLines, pack_lines, sent_lines
from hardship_cli.load.odd_files import OddFile, open_regular, read_open
from hardship_cli.load.records import KINDS_BUILT_ON_USE, Pending
from hardship_cli.problems import Problem

# Files to parse before a worker pays for itself (measured with bench/: at 12,000 files
# two processes were 10 % slower than one, at 120,000 files 21 % faster, on a 2-core
# machine that another job kept half busy).
PARALLEL_MIN = 20_000
CHUNK = 1000  # files per task sent to a worker


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
    chunks: int = 0  # chunks of files parsed in parallel
    chunks_here: int = 0  # of them, by this process (the rest: by the workers)
    mode: str = "auto"
    cache_used: bool = True
    # Each folder's shard MAC, when every folder was taken whole from the cache: the root's
    # records are then exactly what these shards hold (store.load makes it a snapshot).
    whole: list[tuple[str, bytes]] | None = None

    def describe(self) -> str:
        """One line for --verbose: how many files, from the cache or parsed, how fast."""
        parsed = self.fast + self.reference
        files = ngettext("{n} file", "{n} files", self.files).format(n=self.files)
        if self.cache_used:
            cached = _("{n} from the cache").format(n=self.cached)
        else:
            cached = _("cache not used")
        seconds = f"{self.seconds:.2f}"
        if not parsed:
            return _("read {files}, {cached} in {seconds} s (parser: {mode})").format(
                files=files, cached=cached, seconds=seconds, mode=self.mode
            )
        if self.processes > 1:
            how = _(
                "{parsed} parsed: {fast} by rapidyaml, {reference} by libyaml, in {processes} "
                "processes (this one took {here} of {chunks} chunks)"
            )
        else:
            how = _("{parsed} parsed: {fast} by rapidyaml, {reference} by libyaml")
        how = how.format(
            parsed=parsed,
            fast=self.fast,
            reference=self.reference,
            processes=self.processes,
            here=self.chunks_here,
            chunks=self.chunks,
        )
        return _("read {files}, {cached}, {how} in {seconds} s (parser: {mode})").format(
            files=files, cached=cached, how=how, seconds=seconds, mode=self.mode
        )


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


def unreadable(entry: FileEntry, exc: OSError | OddFile) -> Problem:
    if isinstance(exc, OddFile):
        return exc.problem(entry.rel)
    return Problem(
        entry.rel,
        None,
        "unreadable",
        _("cannot read the file: {reason}").format(reason=exc.strerror),
    )


# (index, (record, lines or None, marshalled lines, problems, done, key)); `done`: for a
# case or grant a worker typed, (facts, per-record problems, what the cache keeps of it) and the
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
        return None, {}, pack_lines({}), [unreadable(entry, exc)], None, None
    if key is False:
        return None, {}, b"", [], None, False
    record, source, problems = load_file(entry, raw, parse)
    return record, source.lines, pack_lines(source.lines), problems, None, key


def parse_here(
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


# What a worker does with a case or grant besides typing it: (the per-record checks by
# kind, whether to pickle them for the cache). Set before the workers fork; they inherit it.
Work = tuple[dict[str, CheckOfRecord] | None, bool]
_WORK: Work = (None, False)


def _worker_start() -> None:
    gc.disable()
    rapidyaml.silence_stderr()


def parse_chunk(task: tuple[str, list[tuple[int, str, str, str, str | None]]]) -> bytes:
    """In a worker: read and parse a chunk of files. A case or grant is also typed,
    checked by the per-record checks and, for the cache, pickled with the chunk's
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
            problem = unreadable(FileEntry(file, rel, "", None), exc)
            out.append((index, None, None, b"", [_problem_tuple(problem)], None))
            continue
        if key is False:
            out.append((index, False, None, b"", [], None))
            continue
        result = parse(raw, rel)
        if kind not in KINDS_BUILT_ON_USE:
            problems = [_problem_tuple(p) for p in result.problems]
            out.append((index, key, result.data, sent_lines(result.lines), problems, None))
            continue
        entry = FileEntry(file, rel, kind, folder_year)
        record, source, found = load_file(entry, raw, partial(_parsed, result))
        lines = sent_lines(source.lines)
        problems = [_problem_tuple(p) for p in found]
        if record is None:
            out.append((index, key, None, lines, problems, None))
            continue
        checked = None
        if checks is not None:
            checked = [_problem_tuple(p) for p in checks[kind](record, source)]
        # For the cache, the chunk's records pickled together (a third of the cost of one
        # by one); without, the data each was typed from, to type again if somebody reads
        # it (`validate` does not).
        if keep:
            payload: Any = len(group)
            group.append(record)
        else:
            payload = marshal.dumps(result.data)
        out.append((index, key, None, lines, problems, (len(facts), checked, payload, keep)))
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


def parse_parallel(
    entries: list[FileEntry],
    misses: list[int],
    chosen: str,
    jobs: int,
    progress: Progress | None,
    stats: LoadStats,
    begin: Callable[[], None],
    work: Work,
) -> list[Parsed]:
    """Workers parse (and type, check and pickle the cases and grants); so does this
    process, between taking in what they send.

    The split is measured, not planned: every process takes the next chunk of files when
    it is free (a shared counter), so whoever the machine gives more CPU parses more. On a
    quiet machine the workers do most of it; beside a busy neighbour this process does its
    share instead of waiting, so the whole is never slower than this process alone (the
    bench measures it with a busy loop beside it)."""
    global _WORK, _TASKS
    # The other records first, the grants after: this process types the records the
    # workers send it (visits, drives) early, while the grants are still being parsed.
    ordered = [i for i in misses if entries[i].kind not in KINDS_BUILT_ON_USE]
    ordered += [i for i in misses if entries[i].kind in KINDS_BUILT_ON_USE]
    tasks = [
        (chosen, [(i, entries[i].file, entries[i].rel, entries[i].kind, entries[i].folder_year)
                  for i in ordered[start : start + CHUNK]])
        for start in range(0, len(ordered), CHUNK)
    ]  # fmt: skip
    out: list[Parsed] = []
    # fork: the workers start with everything imported, and the tasks, in milliseconds
    context = multiprocessing.get_context("fork")
    claimed = context.Value("l", 0)  # the next task to take, shared
    # A Queue, not a pipe written directly: a worker's thread feeds it, so a worker goes on
    # parsing while this process is busy with a chunk of its own.
    results = context.Queue()
    _WORK, _TASKS = work, tasks
    workers = []
    try:
        for _worker in range(jobs):
            worker = context.Process(target=steal, args=(claimed, results), daemon=True)
            worker.start()
            workers.append(worker)
    finally:
        _TASKS = []
    begin()
    taken = 0  # results taken in
    here = 0  # chunks parsed by this process
    try:
        while taken < len(tasks):
            try:
                blob = results.get_nowait()
            except queue.Empty:
                index = _claim(claimed, len(tasks))
                if index is None:
                    blob = _wait_for(results, workers)
                else:
                    with rapidyaml.quiet_stderr():
                        blob = parse_chunk(tasks[index])
                    here += 1
            if isinstance(blob, BaseException):
                raise blob
            parsed = _take(blob, entries, stats, out)
            taken += 1
            if progress is not None:
                progress.advance(parsed)
    finally:
        _WORK = (None, False)
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        results.close()
        results.join_thread()
    stats.chunks_here = here
    stats.chunks = len(tasks)
    return out


_TASKS: list[tuple[str, list[tuple[int, str, str, str, str | None]]]] = []


def _claim(claimed: Any, count: int) -> int | None:
    """The next task no process has taken (None: all are taken)."""
    with claimed.get_lock():
        index = int(claimed.value)
        if index >= count:
            return None
        claimed.value = index + 1
    return index


def steal(claimed: Any, results: Any) -> None:
    """A worker: take the next task until none is left; each result (or what went wrong)
    sent back."""
    _worker_start()
    tasks = _TASKS
    while (index := _claim(claimed, len(tasks))) is not None:
        try:
            results.put(parse_chunk(tasks[index]))
        except BaseException as exc:  # the parent raises it
            results.put(RuntimeError(f"a worker failed on chunk {index}: {exc!r}"))
            return


def _wait_for(results: Any, workers: list[Any]) -> Any:
    """The next result, once every task is taken; a worker that died without sending its
    result is an error, not a wait for ever."""
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if not any(w.is_alive() for w in workers):
                return RuntimeError("a worker ended without sending its files back")


def _take(blob: bytes, entries: list[FileEntry], stats: LoadStats, out: list[Parsed]) -> int:
    """A chunk's result taken in: what was parsed, typed and checked, the other records
    typed here. Returns the files it held."""
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
        if entry.kind in KINDS_BUILT_ON_USE and typed is None:  # did not load: see problems
            lazy = LazyLines(lines, entry.file)
            out.append((index, (None, lazy, lines, found, None, key)))
            continue
        if typed is not None:  # a case or grant, typed and checked
            at, checked, payload, pickled = typed
            kept = (group, payload) if pickled else b""
            model = RECORD_MODELS[entry.kind]
            pending = Pending(kept) if pickled else Pending.of_data(payload, model)
            done = (
                facts[at],
                None if checked is None else [Problem(*p) for p in checked],
                kept,
            )
            lazy = LazyLines(lines, entry.file)
            out.append((index, (pending, lazy, lines, found, done, key)))
            continue
        result = strict.ParseResult(data, LazyLines(lines, entry.file), found)
        record, source, more = load_file(entry, b"", partial(_parsed, result))
        out.append((index, (record, source.lines, pack_lines(source.lines), more, None, key)))
    return len(parsed)
