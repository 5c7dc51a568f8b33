"""What loading does with each folder of records, as the parse cache has it: the key of
each file (size, mtime_ns), whether the folder's shard can be taken whole, and the shard
rewritten from what a run found (see ``cache`` for what a shard holds)."""

from __future__ import annotations

import contextlib
import os
from stat import S_ISREG
from typing import Any

from hardship_cli import portable
from hardship_cli.load import cache
from hardship_cli.load.files import Folder
from hardship_cli.load.odd_files import OddFile, odd_kind
from hardship_cli.load.parsing import unreadable
from hardship_cli.load.records import KINDS_BUILT_ON_USE
from hardship_cli.problems import Problem

KEY_READ_WITH_FILE: Any = (-1, -1)  # a key the reader of the file takes (see read_keyed)
# What loading gave a file that was not a regular file when read: not a record file after all
NOT_A_RECORD_FILE: Any = (None, None, [], None)

# The columns of a shard's row, as loading keeps them for each file.
ROW_COLUMNS = ("records", "lines", "problems", "facts", "own")


class FolderPlan:
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


def read_keys(folder: Folder, plan: FolderPlan, errors: dict[str, Problem]) -> None:
    """Each file's key into `plan` (its names and keys); the problem of each file that
    cannot be stat-ed, or is a link, pipe, device or socket, into `errors` (its key None)."""
    try:
        fd: int | None = os.open(folder.path, os.O_RDONLY | portable.O_DIRECTORY)
    except OSError:
        fd = None
    try:
        infos = None
        if fd is not None:
            # The usual folder: every name a regular file, in one comprehension (lstat:
            # a link is not a regular file, and is never followed).
            with contextlib.suppress(OSError):
                stat = os.stat
                infos = [stat(name, dir_fd=fd, follow_symlinks=False) for name in folder.names]
        if infos is not None and all(S_ISREG(info.st_mode) for info in infos):
            plan.names.extend(folder.names)
            plan.keys.extend([(info.st_size, info.st_mtime_ns) for info in infos])
        else:
            _read_keys_one_by_one(folder, fd, plan, errors)
    finally:
        if fd is not None:
            os.close(fd)


def _read_keys_one_by_one(
    folder: Folder, fd: int | None, plan: FolderPlan, errors: dict[str, Problem]
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
            errors[name] = unreadable(folder.entry(name), exc)
            continue
        if not S_ISREG(info.st_mode):
            odd = odd_kind(info.st_mode)
            if odd is None:
                continue  # a folder named like a record: not a record file
            names.append(name)
            plan.keys.append(None)
            entry = folder.entry(name)
            errors[name] = unreadable(entry, OddFile(entry.rel, *odd))
            continue
        names.append(name)
        plan.keys.append((info.st_size, info.st_mtime_ns))


def shard_holds_all(plan: FolderPlan, digest: bytes) -> bool:
    """Does the folder's shard hold every file as it is on disk (and, for cases and
    grants, their per-record problems under this digest)?"""
    shard = plan.shard
    return bool(
        shard
        and shard["clean"]
        and shard["names"] == plan.names
        and shard["keys"] == plan.keys
        and (plan.folder.kind not in KINDS_BUILT_ON_USE or shard["digest"] == digest)
    )


def shard_to_keep(
    plan: FolderPlan,
    results: list[Any],
    fresh: dict[int, tuple[Any, ...]],
    digest: bytes,
    now: int,
) -> dict[str, Any] | None:
    """A folder's shard as this run found it (`fresh`: the rows of files read now, by
    index), or None when it is as it was."""
    names, keys, rows, changed = _rows_to_keep(plan, results, fresh, now)
    old = plan.shard
    if not changed and old and old["names"] == names:
        return None
    kind = plan.folder.kind
    ids = [record_key(kind, row[0], row[3]) if row[0] is not None else None for row in rows]
    skipped = sum(1 for index in plan.slots if results[index] is NOT_A_RECORD_FILE)
    lazy = kind in KINDS_BUILT_ON_USE
    clean = (
        len(names) == len(plan.names) - skipped
        and None not in ids
        and len(set(ids)) == len(ids)
        and (not lazy or all(row[4] is not None for row in rows))
    )
    return {
        "kind": kind,
        "names": names,
        "keys": keys,
        "records": [row[0] for row in rows],
        "lines": [row[1] for row in rows],
        "problems": [row[2] for row in rows],
        "facts": [row[3] for row in rows] if lazy else None,
        "own": [row[4] for row in rows] if lazy else None,
        "digest": digest,
        "ids": ids,
        "clean": clean,
    }


def _rows_to_keep(
    plan: FolderPlan, results: list[Any], fresh: dict[int, tuple[Any, ...]], now: int
) -> tuple[list[str], list[tuple[int, int]], list[tuple[Any, ...]], bool]:
    """(names, keys, rows, whether a row is new): a file read now when it is old enough
    to cache, else its row in the old shard, if any."""
    old = plan.shard
    names: list[str] = []
    keys: list[tuple[int, int]] = []
    rows: list[tuple[Any, ...]] = []
    at = {name: i for i, name in enumerate(old["names"])} if old else {}
    changed = False
    for name, key, index in zip(plan.names, plan.keys, plan.slots, strict=True):
        if key is None or key is KEY_READ_WITH_FILE or results[index] is NOT_A_RECORD_FILE:
            continue
        row: tuple[Any, ...] | None = None
        if index in fresh:
            if not cache.cacheable(key[1], now):
                continue  # too fresh: its next change could keep size and time stamp
            row = fresh[index]
            changed = True
        else:
            at_row = at.get(name)
            if at_row is None:
                continue
            row = tuple(
                old[column][at_row] if old.get(column) is not None else None
                for column in ROW_COLUMNS
            )
        names.append(name)
        keys.append(key)
        rows.append(row)
    return names, keys, rows, changed


def record_key(kind: str, record: Any, facts: Any) -> str:
    """The key a record is filed under (what first_seen and sources use)."""
    if kind in KINDS_BUILT_ON_USE:
        return facts.id  # type: ignore[no-any-return]
    if kind == "budget":
        return f"budget:{record.year}"
    return record.id  # type: ignore[no-any-return]
