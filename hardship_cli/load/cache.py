"""The parse cache: what reading each file gave, kept between runs, so that a run re-reads
only what changed.

In the user's cache folder (below: never under the root), one file per folder of records
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
  (``cache_dir``). A cache folder that would lie inside the root is not used at all.
- Folders 0700, files 0600; a folder or shard that is a symbolic link (never followed:
  opened with ``O_NOFOLLOW`` relative to its checked parent), not the user's own, or
  writable by others is not used.
- Every shard carries an HMAC-SHA256 of its header and body under a key of 32 random
  bytes kept in the user's cache folder (``key``, 0600, made once with ``O_EXCL``); the
  MAC is checked (``hmac.compare_digest``) before a byte is unpickled. A shard from
  anywhere else — another machine, another user, a clone, a hand — has no valid MAC.

Anything unexpected — a missing, truncated, corrupt, foreign or unauthenticated shard, no
key — is a miss: the files are parsed again, never trusted. Shards are written atomically
(temp file and rename). Tools before format 4 kept the cache in ``<root>/.hardship-cache``:
it is never read; ``cache clear`` removes it (a symbolic link there is removed itself, never
followed).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import io
import marshal
import os
import pickle
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hardship_cli.problems import UsageError

LEGACY_DIR = ".hardship-cache"  # under the root, before format 4: never read, cleared
FORMAT = 4
MAGIC = b"hardship-cache\n"
KEY_FILE = "key"
KEY_BYTES = 32
MAC_BYTES = 32  # HMAC-SHA256
RACY_NS = 2_000_000_000  # a file this fresh may change again within its time stamp

# (size, mtime_ns, record, marshalled lines, problems), and for a grant
# (size, mtime_ns, pickled grant, marshalled lines, problems, facts, own problems, digest)
Entry = tuple[Any, ...]


_source_digest: bytes | None = None


def source_digest() -> bytes:
    """The source of this package as it runs: what every cached record and kept check
    was made by. Worked out once per process, and only when the cache is used (~3 ms
    measured for the whole package's source), never by `hardship --help`."""
    global _source_digest
    if _source_digest is None:
        _source_digest = package_digest(Path(__file__).resolve().parents[1])  # hardship_cli/
    return _source_digest


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


_fingerprint: bytes | None = None


def fingerprint() -> bytes:
    """What a cached record depends on: this package's source, pydantic, Python. A change
    is a miss."""
    global _fingerprint
    if _fingerprint is None:
        import pydantic

        from hardship_cli import __version__

        digest = hashlib.sha256()
        for part in (str(FORMAT), __version__, pydantic.VERSION, sys.version):
            digest.update(part.encode() + b"\0")
        digest.update(source_digest())
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


def shard_name(folder: str) -> str:
    return f"{folder.replace('/', '.') or '_'}.pickle"


def shard_path(root: Path, folder: str) -> Path:
    return cache_dir(root) / shard_name(folder)


# ---------------------------------------------------------------------------------------
# Where the cache lives: the user's cache folder, a folder per root


def base_dir() -> Path:
    """The user's cache folder for hardship (the key and a folder per root); RuntimeError
    when there is none (no home folder)."""
    explicit = os.environ.get("HARDSHIP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is to be ignored
        return Path(xdg) / "hardship"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        raise RuntimeError("no home folder")
    return Path(home) / ".cache" / "hardship"


def root_name(root: Path) -> str:
    """The name of a root's cache folder: a hash of its real path."""
    return _name_of(os.path.realpath(root))


def _name_of(real_root: str) -> str:
    return hashlib.sha256(os.fsencode(real_root)).hexdigest()[:32]


def cache_dir(root: Path) -> Path:
    """The folder of this root's shards (it may not exist)."""
    return base_dir() / root_name(root)


def _where(root: Path) -> tuple[str, str] | None:
    """(the user's cache folder, the root's folder name in it), or None when there is no
    home folder, or when the cache folder would lie inside the root (where git could
    carry it): then there is no cache."""
    try:
        base = str(base_dir())
    except RuntimeError:
        return None
    real_root = os.path.realpath(root)
    real_base = os.path.realpath(base)
    if real_base == real_root or real_base.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return base, _name_of(real_root)


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _own(fd: int, kind: int, private: bool = False) -> bool:
    """Is the open file of this kind, this user's, and writable by nobody else (readable
    by nobody else, when `private`)?"""
    info = os.fstat(fd)
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & (0o077 if private else 0o022)
    )


def _open_dir(name: str | Path, dir_fd: int | None = None, create: bool = False) -> int | None:
    """A folder of the cache, opened without following a link, when it is the user's own
    and nobody else may write in it; else None."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=dir_fd)
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    if not _own(fd, stat.S_IFDIR):
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _folder(root: Path, create: bool) -> Iterator[tuple[int, bytes] | None]:
    """This root's cache folder (open) and the user's key; None when there is no cache to
    trust (no folder, no key, a link, someone else's)."""
    place = _where(root)
    if place is None:
        yield None
        return
    base, name = place
    try:
        if create:
            os.makedirs(os.path.dirname(base) or ".", mode=0o700, exist_ok=True)
        base_fd = _open_dir(base, create=create)
    except OSError:
        base_fd = None
    if base_fd is None:
        yield None
        return
    fd = None
    try:
        key = _key(base_fd, create)
        if key is not None:
            with contextlib.suppress(OSError):
                fd = _open_dir(name, base_fd, create)
    finally:
        os.close(base_fd)
    if fd is None or key is None:
        yield None
        return
    try:
        yield fd, key
    finally:
        os.close(fd)


def _key(base_fd: int, create: bool) -> bytes | None:
    """The user's key (32 random bytes, 0600, in the cache folder): made once, with
    O_EXCL, so that two processes never hold two keys; None when it is not to be trusted.
    Read for each shard (32 bytes): a key replaced meanwhile is never mixed with the old."""
    key = _read_key(base_fd)
    if key is None and create:
        _make_key(base_fd)
        key = _read_key(base_fd)
    return key


def _read_key(base_fd: int) -> bytes | None:
    try:
        fd = os.open(KEY_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=base_fd)
    except OSError:
        return None
    try:
        if not _own(fd, stat.S_IFREG, private=True):
            return None
        key = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _make_key(base_fd: int) -> None:
    """Write the key whole under a temporary name, then link it into place: a reader sees
    no key or the whole key, and a key already there (another process's) is kept."""
    tmp = f".{KEY_FILE}.{os.getpid()}.tmp"
    try:
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
            dir_fd=base_fd,
        )
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, KEY_FILE, src_dir_fd=base_fd, dst_dir_fd=base_fd, follow_symlinks=False)
    except OSError:
        return
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=base_fd)


def _mac(key: bytes, head: bytes, body: bytes | memoryview) -> bytes:
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
        from hardship_cli.load import odd_files, strict

        raw = blob[1:]
        if tag == b"F":
            if file is None:
                return {}
            try:
                # Only a regular file: one swapped for a pipe since it was read must not
                # hang the run that wants a line of it.
                fd, _info = odd_files.open_regular(file)
                with os.fdopen(fd, "rb") as handle:
                    raw = handle.read()
            except (OSError, odd_files.OddFile):
                return {}  # gone or changed since: a problem in it is shown without a line
        return strict.parse(raw, "").lines
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
    """The entries of one shard, or {} when it is missing or cannot be trusted: nothing is
    unpickled before the shard's MAC under the user's key is found right."""
    with _folder(root, create=False) as found:
        if found is None:
            return {}
        dir_fd, key = found
        try:
            fd = os.open(
                shard_name(folder), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd
            )
        except OSError:
            return {}
    try:
        if not _own(fd, stat.S_IFREG):
            return {}
        with os.fdopen(fd, "rb", closefd=False) as handle:
            blob = handle.read()
    except OSError:
        return {}
    finally:
        os.close(fd)
    head = header()
    start = len(head) + MAC_BYTES
    if len(blob) < start or not blob.startswith(head):
        return {}
    body = memoryview(blob)[start:]
    if not hmac.compare_digest(blob[len(head) : start], _mac(key, head, body)):
        return {}  # not written by this user's tool on this machine: never unpickled
    try:
        entries = pickle.loads(body)
    except Exception:  # noqa: BLE001 - a miss, never an error
        return {}
    if not isinstance(entries, dict) or not isinstance(entries.get("names"), list):
        return {}
    return entries


def write_shard(root: Path, folder: str, entries: dict[str, Any]) -> None:
    """Write one shard atomically; a failure to write a cache is never an error (a
    read-only home, a full disk, a cache folder that is not to be trusted)."""
    name = shard_name(folder)
    try:
        with _folder(root, create=True) as found:
            if found is None:
                return
            dir_fd, key = found
            body = dumps(entries)
            head = header()
            tmp = f".{name}.{os.getpid()}.tmp"
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
                dir_fd=dir_fd,
            )
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(head)
                    handle.write(_mac(key, head, body))
                    handle.write(body)
                os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
    except Exception:  # noqa: BLE001 - run without a cache
        return


def cacheable(mtime_ns: int, now_ns: int | None = None) -> bool:
    """Is the file old enough that a later edit must change its time stamp?"""
    return mtime_ns < (now_ns if now_ns is not None else time.time_ns()) - RACY_NS


@dataclass
class Cleared:
    """What `clear` removed: the shard files of the root's cache folder (`folder`, None
    when there was none), and what was at ``<root>/.hardship-cache`` (`legacy`: "" nothing,
    "folder" an old cache folder with `legacy_shards` shards, "link" a link, removed
    itself, never followed)."""

    shards: int
    folder: Path | None
    legacy: str
    legacy_shards: int


def clear(root: Path) -> Cleared:
    """Remove this root's cache folder from the user's cache, and what tools before format 4
    kept under the root. A link in either place is removed itself, never followed."""
    place = _where(root)
    shards, folder = 0, None
    if place is not None:
        base, name = place
        shards, removed = _clear_folder(Path(base), name)
        folder = Path(base) / name if removed else None
    legacy, more = _clear_legacy(root)
    return Cleared(shards, folder, legacy, more)


def _cannot_remove(path: Path, exc: OSError) -> UsageError:
    return UsageError(
        f"cannot remove the parse cache {path}: {exc.strerror or type(exc).__name__}",
        "remove it by hand, or run with --no-cache (the cache is never needed for a correct"
        " answer)",
    )


def _clear_folder(base: Path, name: str) -> tuple[int, bool]:
    """(shard files removed, whether the root's folder was there)."""
    try:
        base_fd = os.open(base, _DIR_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return 0, False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return 0, False  # a link: never used as the cache, so nothing of it is there
        raise _cannot_remove(base, exc) from None
    try:
        try:
            info = os.stat(name, dir_fd=base_fd, follow_symlinks=False)
        except FileNotFoundError:
            return 0, False
        names: list[str] = []
        try:
            if not stat.S_ISDIR(info.st_mode):
                os.unlink(name, dir_fd=base_fd)  # a link or a file where the folder goes
                return 0, True
            fd = os.open(name, _DIR_FLAGS, dir_fd=base_fd)
            try:
                names = os.listdir(fd)
                for entry in names:
                    if stat.S_ISDIR(os.stat(entry, dir_fd=fd, follow_symlinks=False).st_mode):
                        shutil.rmtree(entry, dir_fd=fd)
                    else:
                        os.unlink(entry, dir_fd=fd)
            finally:
                os.close(fd)
            os.rmdir(name, dir_fd=base_fd)
        except OSError as exc:
            raise _cannot_remove(base / name, exc) from None
        return sum(1 for entry in names if entry.endswith(".pickle")), True
    finally:
        os.close(base_fd)


def _clear_legacy(root: Path) -> tuple[str, int]:
    legacy = root / LEGACY_DIR
    try:
        info = legacy.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return "", 0
    except OSError as exc:
        raise _cannot_remove(legacy, exc) from None
    try:
        if stat.S_ISLNK(info.st_mode):
            legacy.unlink()  # the link, not what it points to
            return "link", 0
        if not stat.S_ISDIR(info.st_mode):
            return "", 0  # not a cache folder: not ours to remove
        count = sum(1 for entry in os.listdir(legacy) if entry.endswith(".pickle"))
        shutil.rmtree(legacy)  # removes links inside, never what they point to
    except OSError as exc:
        raise _cannot_remove(legacy, exc) from None
    return "folder", count


def shards(root: Path) -> Iterator[Path]:
    """This root's shard files (for tests and the bench)."""
    folder = cache_dir(root)
    if folder.is_dir() and not folder.is_symlink():
        yield from sorted(folder.glob("*.pickle"))


class LazyLines(dict):  # type: ignore[type-arg]
    """Key lines kept packed until someone asks for one (a rule reporting a problem).

    Packed is either marshalled lines or, from the fastest parsing path, the file's bytes:
    then the reference parser (``strict.parse``) works the lines out, for this file only.
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
