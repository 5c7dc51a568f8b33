"""Atomic files and the lock: a reader sees the old content or the new, never half of it.

Writing: temp file in the same folder, fsync, rename; a new file by a hard link that
fails if the name is taken; a lock file (fcntl) for ID allocation and edits. A record file
read for editing (``RecordFile``) keeps a snapshot of what it was, and refuses to
overwrite a file that changed on disk since; its text is changed by ``roundtrip``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hardship_cli import portable
from hardship_cli.edit.roundtrip import apply_change, dump_tree, load_tree, record_tree
from hardship_cli.i18n import _
from hardship_cli.load.odd_files import OddFile, check_place, open_regular, read_open
from hardship_cli.load.strict import ParseResult, parse
from hardship_cli.problems import HardshipError, Refused, UsageError, os_error


def atomic_write(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it.
    `mode` (0o600 for a file with sensitive fields) is the file's mode from the moment
    it exists, whatever the old file's was; by default an old file keeps its mode.
    A read-only root, a full disk or a missing permission is said in plain words."""
    try:
        _atomic_write(path, data, mode)
    except OSError as exc:
        raise os_error(exc, "write", path, nothing_written=True) from None


def _atomic_write(path: Path, data: bytes | str, mode: int | None) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float = 10.0, ignore: str | None = None) -> Iterator[None]:
    """An exclusive lock between processes (portable.lock_exclusive), for ID allocation
    and edits.

    The lock's folder and the lock are not followed when they are links: either is
    refused, never written through (a link committed to the records could point
    anywhere). With `ignore`, a ``.gitignore`` of that text is made beside the lock when
    there is none (so that git never shows the lock, whatever the repository's own ignore
    files say). Another user's lock is opened for reading: flock needs no more."""
    folder = lock_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        if isinstance(exc, FileExistsError):  # a file, or a link to nowhere
            raise _linked(folder, lock_path) from None
        raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
    if not stat.S_ISDIR(info.st_mode):
        raise _linked(folder, lock_path)
    if ignore is not None:
        _create_beside(folder / ".gitignore", ignore)
    if not portable.NOFOLLOW and lock_path.is_symlink():
        raise _linked(lock_path, lock_path)
    flags = portable.O_NOFOLLOW | portable.O_CLOEXEC
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _linked(lock_path, lock_path) from None
        if not isinstance(exc, PermissionError):
            raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
        try:  # another user's lock: flock needs it open for reading only
            fd = os.open(lock_path, os.O_RDONLY | flags)
        except OSError:
            raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
    deadline = time.monotonic() + timeout
    try:
        while True:
            if portable.lock_exclusive(fd):
                break
            if time.monotonic() > deadline:
                raise UsageError(
                    _("another hardship command holds the lock {path}").format(path=lock_path),
                    _("wait for it to finish, then run the command again"),
                ) from None
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _create_beside(path: Path, text: str) -> None:
    """Make a small file beside the lock unless one is there (a link included: it is left
    alone, never followed). Not an error when it cannot be made: another user's root, a
    read-only one (where the lock itself then says what is wrong)."""
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.O_NOFOLLOW | portable.O_CLOEXEC
        fd = os.open(path, flags, 0o644)
    except OSError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _linked(path: Path, lock_path: Path) -> UsageError:
    """The lock's folder or the lock is a link (or not a folder): never written through."""
    if path == lock_path.parent:
        return UsageError(
            _(
                "{path} is a link or not a folder; hardship keeps its lock in it and does "
                "not write through a link"
            ).format(path=path),
            _("make {path} a plain folder of the root (its schema/ files are in git)").format(
                path=path
            ),
        )
    return UsageError(
        _("{path} is a link; hardship does not write through a link").format(path=path),
        _("remove {path}: hardship makes it itself").format(path=path),
    )


def atomic_create(path: Path, data: bytes | str) -> None:
    """Write a new file atomically, refusing to replace one that already exists, or to
    write into a folder that is a symbolic link (see `check_place`, which the caller runs
    from the root: this checks the folder the file goes into)."""
    check_place(path.parent, path.parent.name)
    try:
        _atomic_create(path, data)
    except OSError as exc:
        raise os_error(exc, "write", path, nothing_written=True) from None


def _atomic_create(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # A hard link appears whole or not at all, and fails if the name is taken.
            os.link(tmp, path)
        except FileExistsError:
            raise UsageError(
                _("{name} already exists; it was not overwritten").format(name=path.name),
                _("another command created it a moment ago: run this one again"),
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: the folder's entry synced (POSIX; Windows opens no folder,
    and its renames are durable with the file)."""
    if portable.WINDOWS:
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# -- a record file opened for editing ---------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file was when it was read: a later write refuses if it is not that any more."""

    mtime_ns: int
    size: int
    digest: str

    @classmethod
    def of(cls, raw: bytes, stat: os.stat_result) -> Snapshot:
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(raw).hexdigest())


def keep_form(raw: bytes, text: str) -> str:
    """`text` (LF line endings, no BOM: how the YAML library writes) in the form of the
    file it came from: its byte-order mark and its CRLF line endings kept (a file made on
    a Windows PC stays one, and its diff shows only what changed)."""
    if raw.count(b"\r\n") * 2 > raw.count(b"\n"):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if raw.startswith(b"\xef\xbb\xbf") and not text.startswith("\ufeff"):
        text = "\ufeff" + text
    return text


class RecordFile:
    """A record file read for editing: its bytes, a snapshot of them, and its tree."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path = path
        self.rel = rel
        check_place(path, rel)
        try:
            fd, info = open_regular(path)
            try:
                self.raw = read_open(fd)
            finally:
                os.close(fd)
        except OddFile as exc:
            raise OddFile(rel, exc.what, exc.code, writing=True) from None
        except OSError as exc:
            raise os_error(exc, "read", rel) from None
        self.snapshot = Snapshot.of(self.raw, info)

    def parse(self) -> ParseResult:
        return parse(self.raw, self.rel)

    def edit(self, old: Any, new: Any) -> str:
        """The file's text with `old` changed into `new` (typed records): the smallest diff."""
        text = self.raw.decode("utf-8-sig")
        tree = load_tree(text)
        try:
            apply_change(tree, record_tree(old), record_tree(new), record_tree(new, only_set=True))
        except ValueError as exc:
            raise HardshipError(
                _("{path}: {reason}; nothing was written").format(path=self.rel, reason=exc),
                _("run hardship validate and correct the file by hand"),
            ) from None
        return keep_form(self.raw, dump_tree(tree))

    def changed_on_disk(self) -> bool:
        try:
            fd, info = open_regular(self.path)
        except (OSError, OddFile):
            return True
        try:
            if (info.st_mtime_ns, info.st_size) == (self.snapshot.mtime_ns, self.snapshot.size):
                return False
            raw = read_open(fd)
        except OSError:
            return True
        finally:
            os.close(fd)
        # Touched but not changed (same bytes) is not a lost edit.
        return Snapshot.of(raw, info).digest != self.snapshot.digest

    def save(self, text: str) -> None:
        """Write atomically, unless someone changed the file since it was read (or made it,
        or a folder on its way, a link since)."""
        check_place(self.path, self.rel)
        if self.changed_on_disk():
            raise Refused(
                _("{path} changed on disk since it was read; it was not overwritten").format(
                    path=self.rel
                ),
                _("someone else edited it: run the command again to act on their version"),
            )
        atomic_write(self.path, text)
