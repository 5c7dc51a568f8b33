"""The parse cache: what reading each file gave, kept between runs, so that a run re-reads
only what changed.

In the user's cache folder (below: never under the root), one file per folder of records
("shard": ``cases``, ``grants/2026``, ...), so that an edit rewrites one shard, not the
whole cache. A shard is a dict of columns with a row per record file of its folder, in
name order (made by ``folder_plans.shard_to_keep``):

    names, keys (size, mtime_ns), records, lines, problems, ids,
    facts and own (cases and grants), digest, clean

``records`` holds the typed record, or for a case or grant what ``records.Pending`` keeps of
it (pickled alone, or with its place in a group a worker pickled: (bytes, index)), or
None when the file gave no record; ``lines`` the key lines packed (marshalled, or ``F``:
read the file again if a problem ever needs a line); ``problems`` the problems found in
the file alone; ``facts`` what the rules across records need of a case or grant, and
``own`` its per-record problems (``checks``), valid under ``digest`` (hardship.yaml as read
and the checks' code: under another digest the record is checked again). ``clean``: every
file gave a record with its per-record problems, no ID twice; then, when the folder's names
and keys are those on disk, the shard is taken whole (``bulk``), with
no work per file but its stat. The rules across records run on every run.

A shard is used only when its header matches this tool exactly (format, version, the
source of every module of the package, computed by ``source_digest``, never listed by
hand — a stricter key than the models' JSON Schemas, which miss a changed validator —
pydantic's and Python's versions), and a file's row only when its size and modification time (ns)
are those on disk. A file changed within two seconds of being read is not cached (its
next change could keep the same size and time stamp).

Where it lives, and why a shard cannot run code. A shard is a pickle (kept for speed: a
warm run unpickles a city's 100,000 grants' facts and problems), and unpickling runs
whatever the pickle says: so a shard is only ever read from where nobody but this user
writes, and only when this user's tool wrote it on this machine.

- Never under the root (git would carry it to whoever clones the records): in the user's
  cache folder (``$HARDSHIP_CACHE_DIR``, else ``$XDG_CACHE_HOME/hardship``, else
  ``~/.cache/hardship``), one folder per root named by a hash of the root's real path
  (``cache_folder.cache_dir``). A cache folder that would lie inside the root is not used at all.
- Folders 0700, files 0600; a folder or shard that is a symbolic link (never followed:
  opened with ``O_NOFOLLOW`` relative to its checked parent), not the user's own, or
  writable by others is not used.
- Every shard carries an HMAC-SHA256 of its header and body under a key of 32 random
  bytes kept in the user's cache folder (``key``, 0600, made once with ``O_EXCL``); the
  MAC is checked (``hmac.compare_digest``) before a byte is unpickled. A shard from
  anywhere else — another machine, another user, a clone, a hand — has no valid MAC.

What is made from a whole root (the reports' frames: ``report/frames.build_frames``) is
kept beside the shards, signed the same way, in one slot per kind of thing and language
(``~frames.zh.pickle``), under the root's snapshot: a hash of every shard's MAC, the
per-record checks' digest and hardship.yaml, made only when every folder's shard was taken
whole (``snapshot``). Any other snapshot is a miss.

Anything unexpected — a missing, truncated, corrupt, foreign or unauthenticated shard, no
key — is a miss: the files are parsed again, never trusted. Shards are written atomically
(temp file and rename). Tools before format 4 kept the cache in ``<root>/.hardship-cache``:
it is never read; ``cache clear`` removes it (a symbolic link there is removed itself, never
followed).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hardship_cli import portable
from hardship_cli.load.cache_folder import is_own, open_cache, shard_name

FORMAT = 4
MAGIC = b"hardship-cache\n"
MAC_BYTES = 32  # HMAC-SHA256
RACY_NS = 2_000_000_000  # a file this fresh may change again within its time stamp

# (size, mtime_ns, record, marshalled lines, problems), and for a grant
# (size, mtime_ns, pickled grant, marshalled lines, problems, facts, per-record problems, digest)
Entry = tuple[Any, ...]


@functools.cache
def source_digest() -> bytes:
    """The source of this package as it runs: what every cached record and kept check
    was made by. Worked out once per process, and only when the cache is used (~3 ms
    measured for the whole package's source), never by `hardship --help`."""
    return package_digest(Path(__file__).resolve().parents[1])  # hardship_cli/


def package_digest(folder: Path) -> bytes:
    """A digest of every module under `folder` (every ``.py`` file, subpackages' included,
    by relative path in sorted order; each file's path and bytes).

    Computed, not listed: a list of the modules that loading and the checks import, kept
    by hand, missed ``enums.py``, and a new value in an enumeration left a warm run
    reporting what a cold one no longer did. The whole package is a little stricter than
    those modules (an edit to a report also drops the cache) and cannot drift. No package
    data is read while loading (``data/hardship.yaml`` is what `init` copies, templates
    render reports), so only the source counts. Where the source cannot be read (none
    found, say from a zipped install, or a module unreadable), the key is random: every
    run is a miss, never a hit on a cache another source wrote."""
    files = sorted((path.relative_to(folder).as_posix(), path) for path in folder.rglob("*.py"))
    if not files:
        return os.urandom(32)
    digest = hashlib.sha256()
    for rel, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            return os.urandom(32)
        digest.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.digest()


@functools.cache
def fingerprint(lang: str = "en") -> bytes:
    """What a cached record depends on: this package's source, pydantic, Python, and the
    language its problems were written in (with that language's catalog). A change is a
    miss."""
    import pydantic

    from hardship_cli import __version__
    from hardship_cli.i18n import CATALOGS, DOMAIN, LOCALE_DIR

    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, pydantic.VERSION, sys.version, lang):
        digest.update(part.encode() + b"\0")
    digest.update(source_digest())
    try:
        digest.update((LOCALE_DIR / CATALOGS[lang] / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
    except (OSError, KeyError):
        digest.update(os.urandom(32))  # no catalog to vouch for: never a hit
    return digest.hexdigest().encode()


def header() -> bytes:
    from hardship_cli.i18n import language

    return MAGIC + fingerprint(language()) + b"\n"


def shard_of(rel: str) -> tuple[str, str]:
    """`grants/2026/GR-2026-0001.yaml` -> (`grants/2026`, `GR-2026-0001.yaml`).

    One shard per folder: splitting a year's 10,000 grants ten ways made an edit's
    rewrite cheaper but every warm run 0.5 s slower (measured), so they stay together.
    """
    folder, _, name = rel.rpartition("/")
    return folder, name


def mac(key: bytes, head: bytes, body: bytes | memoryview) -> bytes:
    mac = hmac.new(key, head, hashlib.sha256)
    mac.update(body)
    return mac.digest()


# ---------------------------------------------------------------------------------------
# Pickling typed records quickly: pydantic's own __setstate__ is Python code per model;
# rebuilding from (class, __dict__, fields_set) does the same in a third of the time.

_object_new = object.__new__
_object_setattr = object.__setattr__


def _rebuild(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> BaseModel:
    model = _object_new(cls)
    _object_setattr(model, "__dict__", values)
    _object_setattr(model, "__pydantic_fields_set__", fields_set)
    _object_setattr(model, "__pydantic_extra__", None)
    _object_setattr(model, "__pydantic_private__", None)
    return model


class _Pickler(pickle.Pickler):
    """Enum members by name (getattr runs in C; an enum's own reduce calls the class, in
    Python: a fifth of a warm load), named tuples by tuple.__new__, models as above."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Enum):
            return getattr, (type(obj), obj.name)
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):
            return _tuple_new, (type(obj), tuple(obj))
        if (
            isinstance(obj, BaseModel)
            and obj.__pydantic_extra__ is None
            and (obj.__pydantic_private__ is None)
        ):
            return _rebuild, (type(obj), obj.__dict__, obj.__pydantic_fields_set__)
        return NotImplemented


_tuple_new = tuple.__new__


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def loads(blob: bytes) -> Any:
    """A record pickled by `dumps` (a grant is kept pickled on its own; see bulk).

    Only for bytes this user's tool made: a record or group inside a shard whose MAC
    `read_shard` checked, or what this process's own workers sent through their pipe.
    Never for bytes read from a root (tests/test_cache_trust.py holds every unpickling
    to these places)."""
    return pickle.loads(blob)


# ---------------------------------------------------------------------------------------
# Reading and writing shards


def read_shard(root: Path, folder: str) -> dict[str, Any]:
    """The entries of one shard, or {} when it is missing or cannot be trusted: nothing is
    unpickled before the shard's MAC under the user's key is found right. `mac` among
    them: the shard's MAC, which names its content (see ``snapshot``)."""
    found = read_signed(root, shard_name(folder))
    if found is None:
        return {}
    entries, signature = found
    if not isinstance(entries, dict) or not isinstance(entries.get("names"), list):
        return {}
    entries["mac"] = signature
    return entries


def write_shard(root: Path, folder: str, entries: dict[str, Any]) -> None:
    """Write one shard atomically; a failure to write a cache is never an error (a
    read-only home, a full disk, a cache folder that is not to be trusted)."""
    entries.pop("mac", None)
    write_signed(root, shard_name(folder), entries)


def read_signed(root: Path, name: str) -> tuple[Any, bytes] | None:
    """What the cache file `name` of this root holds, with its MAC; None when it is
    missing or cannot be trusted: nothing is unpickled before its MAC under the user's key
    is found right."""
    with open_cache(root, create=False) as found:
        if found is None:
            return None
        dir_fd, key = found
        try:
            fd = os.open(
                name,
                os.O_RDONLY | portable.O_NOFOLLOW | portable.O_CLOEXEC,
                dir_fd=dir_fd,
            )
        except OSError:
            return None
    try:
        if not is_own(fd, stat.S_IFREG):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            blob = handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    head = header()
    start = len(head) + MAC_BYTES
    if len(blob) < start or not blob.startswith(head):
        return None
    body = memoryview(blob)[start:]
    signature = blob[len(head) : start]
    if not hmac.compare_digest(signature, mac(key, head, body)):
        return None  # not written by this user's tool on this machine: never unpickled
    try:
        return pickle.loads(body), signature
    except Exception:  # noqa: BLE001 - a miss, never an error
        return None


def write_signed(root: Path, name: str, value: Any) -> None:
    """Write the cache file `name` of this root atomically, signed; a failure to write a
    cache is never an error."""
    try:
        with open_cache(root, create=True) as found:
            if found is None:
                return
            dir_fd, key = found
            body = dumps(value)
            head = header()
            tmp = f".{name}.{os.getpid()}.tmp"
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.O_NOFOLLOW | portable.O_CLOEXEC,
                0o600,
                dir_fd=dir_fd,
            )
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(head)
                    handle.write(mac(key, head, body))
                    handle.write(body)
                os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
    except Exception:  # noqa: BLE001 - run without a cache
        return


# ---------------------------------------------------------------------------------------
# What is made from a whole root (the reports' frames), kept under the root's snapshot


def snapshot(digest: bytes, folders: list[tuple[str, bytes]], config: bytes) -> bytes:
    """A name for a root's records exactly as they are: when every folder's shard was
    taken whole (its names and keys those on disk), the shards' MACs (each names its
    content), the per-record checks' digest and hardship.yaml as read."""
    found = hashlib.sha256(b"snapshot\0" + digest + b"\0" + config)
    for folder, signature in folders:
        found.update(folder.encode() + b"\0" + signature)
    return found.digest()


def read_made(root: Path, what: str, snap: bytes) -> Any | None:
    """What was made from the root under snapshot `snap` (`what`: e.g. ``frames``), or
    None when the cache holds it for another snapshot, or not at all."""
    found = read_signed(root, made_name(what))
    if found is None:
        return None
    kept = found[0]
    if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != snap:
        return None
    return kept[1]


def write_made(root: Path, what: str, snap: bytes, value: Any) -> None:
    """Keep what was made from the root under snapshot `snap` (one slot per `what` and
    language: the next snapshot replaces it)."""
    write_signed(root, made_name(what), (snap, value))


def made_name(what: str) -> str:
    from hardship_cli.i18n import language

    # "~" is in no folder's name: a slot never takes a shard's file name
    return f"~{what}.{language()}.pickle"


def cacheable(mtime_ns: int, now_ns: int | None = None) -> bool:
    """Is the file old enough that a later edit must change its time stamp?"""
    return mtime_ns < (now_ns if now_ns is not None else time.time_ns()) - RACY_NS
