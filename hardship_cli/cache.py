"""The parse cache: what reading each file gave, kept between runs, so that a run re-reads
only what changed.

Under the root, in ``.hardship-cache/`` (git-ignored), one file per folder of records
("shard": ``cases``, ``grants/2026``, ...), so that an edit rewrites one shard, not the
whole cache. A shard is a dict of columns with a row per record file of its folder, in
name order (written by ``bulk._Loading._keep``):

    names, keys (size, mtime_ns), records, lines, problems, ids,
    facts and own (cases and grants), digest, clean

``records`` holds the typed record, or for a case or grant what ``store.Pending`` keeps of
it (pickled alone, or with its place in a group a worker pickled: (bytes, index)), or
None when the file gave no record; ``lines`` the key lines packed (marshalled, or ``F``:
read the file again if a problem ever needs a line); ``problems`` the problems found in
the file alone; ``facts`` what the rules across records need of a case or grant, and
``own`` its own problems (``rules.local``), valid under ``digest`` (hardship.yaml as read
and the checks' code: under another digest the record is checked again). ``clean``: every
file gave a record with its own problems, no ID twice; then, when the folder's names
and keys are those on disk, the shard is taken whole (``bulk._Loading._add_whole``), with
no work per file but its stat. The rules across records run on every run.

A shard is used only when its header matches this tool exactly (format, version, the
source of every module that turns a file into a record, the parsers' included — a
stricter key than the models' JSON Schemas, which miss a changed validator — pydantic's
and Python's versions), and a file's row only when its size and modification time (ns)
are those on disk. A file changed within two seconds of being read is not cached (its
next change could keep the same size and time stamp). Anything unexpected — a missing,
truncated, corrupt or foreign shard, a file not owned by the user or writable by others
(a shard is a pickle: only the user's own is loaded) — is a miss: the files are parsed
again, never trusted. Shards are written atomically (temp file and rename), with a
CRC-32 of their body checked before unpickling.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import marshal
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

CACHE_DIR = ".hardship-cache"
FORMAT = 3
MAGIC = b"hardship-cache\n"
RACY_NS = 2_000_000_000  # a file this fresh may change again within its time stamp

# (size, mtime_ns, record, marshalled lines, problems), and for a grant
# (size, mtime_ns, pickled grant, marshalled lines, problems, facts, own problems, digest)
Entry = tuple[Any, ...]


def _source_files() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [
        here / name
        for name in (
            "yamlio.py",
            "fastyaml.py",
            "model.py",
            "store.py",
            "problems.py",
            "cache.py",
            "bulk.py",
        )
    ]


_fingerprint: bytes | None = None


def fingerprint() -> bytes:
    """What a cached record depends on: this code, pydantic, Python. A change is a miss."""
    global _fingerprint
    if _fingerprint is None:
        import pydantic

        from . import __version__

        digest = hashlib.sha256()
        for part in (str(FORMAT), __version__, pydantic.VERSION, sys.version):
            digest.update(part.encode() + b"\0")
        for path in _source_files():
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest().encode()
    return _fingerprint


def header() -> bytes:
    return MAGIC + fingerprint() + b"\n"


def shard_of(rel: str) -> tuple[str, str]:
    """`grants/2026/GR-2026-0001.yaml` -> (`grants/2026`, `GR-2026-0001.yaml`).

    One shard per folder: splitting a year's 10,000 grants ten ways made an edit's
    rewrite cheaper but every warm run 0.5 s slower (measured), so they stay together.
    """
    folder, _, name = rel.rpartition("/")
    return folder, name


def shard_path(root: Path, folder: str) -> Path:
    return root / CACHE_DIR / f"{folder.replace('/', '.') or '_'}.pickle"


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
    """A record pickled by `dumps` (a grant is kept pickled on its own; see bulk)."""
    return pickle.loads(blob)


def pack_lines(lines: dict[tuple[Any, ...], int]) -> bytes:
    """Lines for the cache: marshalled, or (when they were never worked out) the file's
    bytes, from which the reference parser works them out on demand."""
    if isinstance(lines, LazyLines):
        if lines.blob is not None:
            return lines.blob
        lines = dict(lines.items())
    return b"M" + marshal.dumps(lines)


def unpack_lines(blob: bytes, file: str | None = None) -> dict[tuple[Any, ...], int]:
    """`M` marshalled lines; `R` the file's bytes; `F` the file itself, read again (a cache
    entry is used only while the file's size and time stamp are those it was made from, so
    the cache need not hold a copy of 100,000 files' bytes)."""
    tag = blob[:1]
    if tag == b"R" or tag == b"F":
        from . import yamlio

        raw = blob[1:]
        if tag == b"F":
            if file is None:
                return {}
            try:
                with open(file, "rb") as handle:
                    raw = handle.read()
            except OSError:
                return {}  # gone since: a problem in it is shown without a line
        return yamlio.parse(raw, "").lines
    return marshal.loads(blob[1:])  # type: ignore[no-any-return]


def sent_lines(lines: dict[tuple[Any, ...], int]) -> bytes:
    """Lines as a worker sends them back: `F` (read the file again if a line is ever
    needed) rather than a copy of its bytes through the pipe, when they were never
    worked out; else marshalled."""
    if isinstance(lines, LazyLines) and lines.blob is not None and lines.blob[:1] == b"R":
        return b"F"
    return pack_lines(lines)


def stored_lines(blob: bytes) -> bytes:
    """Lines as a cache entry keeps them: a file's own bytes are not copied (see above)."""
    return b"F" if blob[:1] == b"R" else blob


# ---------------------------------------------------------------------------------------
# Reading and writing shards


def read_shard(root: Path, folder: str) -> dict[str, Any]:
    """The entries of one shard, or {} when it is missing or cannot be trusted."""
    path = shard_path(root, folder)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return {}
    try:
        info = os.fstat(fd)
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return {}  # a cache someone else could have written is not unpickled
        with os.fdopen(fd, "rb", closefd=False) as handle:
            blob = handle.read()
    except OSError:
        return {}
    finally:
        os.close(fd)
    expected = header()
    if not blob.startswith(expected):
        return {}
    start = len(expected) + 9
    body = memoryview(blob)[start:]
    if blob[len(expected) : start] != b"%08x\n" % zlib.crc32(body):
        return {}  # damaged: a grant's pickle inside could be cut short, so check it all
    try:
        entries = pickle.loads(body)
    except Exception:  # noqa: BLE001 - truncated or corrupt: a miss, never an error
        return {}
    if not isinstance(entries, dict) or not isinstance(entries.get("names"), list):
        return {}
    return entries


def write_shard(root: Path, folder: str, entries: dict[str, Any]) -> None:
    """Write one shard atomically; a failure to write a cache is never an error."""
    path = shard_path(root, folder)
    try:
        path.parent.mkdir(exist_ok=True)
        body = dumps(entries)
        data = header() + b"%08x\n" % zlib.crc32(body) + body
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 - read-only root, full disk: run without a cache
        return


def cacheable(mtime_ns: int, now_ns: int | None = None) -> bool:
    """Is the file old enough that a later edit must change its time stamp?"""
    return mtime_ns < (now_ns if now_ns is not None else time.time_ns()) - RACY_NS


def clear(root: Path) -> int:
    """Remove the cache folder; returns how many shard files were removed."""
    folder = root / CACHE_DIR
    if not folder.exists():
        return 0
    count = sum(1 for p in folder.iterdir() if p.suffix == ".pickle")
    shutil.rmtree(folder)
    return count


def shards(root: Path) -> Iterator[Path]:
    folder = root / CACHE_DIR
    if folder.is_dir():
        yield from sorted(folder.glob("*.pickle"))


class LazyLines(dict):  # type: ignore[type-arg]
    """Key lines kept packed until someone asks for one (a rule reporting a problem).

    Packed is either marshalled lines or, from the fastest parsing path, the file's bytes:
    then the reference parser (``yamlio.parse``) works the lines out, for this file only.
    A dict in every respect; it fills itself on first use.
    """

    __slots__ = ("blob", "file")

    def __init__(self, blob: bytes, file: str | None = None) -> None:
        super().__init__()
        self.blob: bytes | None = blob
        self.file = file

    @classmethod
    def from_raw(cls, raw: bytes) -> LazyLines:
        return cls(b"R" + raw)

    def _fill(self) -> None:
        blob = self.blob
        if blob is not None:
            self.blob = None
            dict.update(self, unpack_lines(blob, self.file))

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def __getitem__(self, key: Any) -> int:
        self._fill()
        return dict.__getitem__(self, key)  # type: ignore[no-any-return]

    def get(self, key: Any, default: Any = None) -> Any:
        self._fill()
        return dict.get(self, key, default)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def __bool__(self) -> bool:
        self._fill()
        return dict.__len__(self) > 0

    def __iter__(self) -> Iterator[Any]:
        self._fill()
        return dict.__iter__(self)

    def __eq__(self, other: object) -> bool:
        self._fill()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def keys(self) -> Any:
        self._fill()
        return dict.keys(self)

    def values(self) -> Any:
        self._fill()
        return dict.values(self)

    def items(self) -> Any:
        self._fill()
        return dict.items(self)

    def copy(self) -> dict[Any, int]:
        self._fill()
        return dict(dict.items(self))

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        self._fill()
        return dict, (dict(dict.items(self)),)
