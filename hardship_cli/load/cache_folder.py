"""Where the parse cache lives and whether to trust it: the user's cache folder (a folder
per root, named by a hash of the root's real path), folders 0700 and files 0600 that are
this user's own and never links, and the user's key for the shards' MAC (see ``cache``).
`clear` removes a root's cache, and what tools before format 4 kept under the root."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hardship_cli import portable
from hardship_cli.i18n import _, language
from hardship_cli.problems import UsageError

LEGACY_DIR = ".hardship-cache"  # under the root, before format 4: never read, cleared
KEY_FILE = "key"
KEY_BYTES = 32


def shard_name(folder: str) -> str:
    """A folder's shard, one per language: its problems are kept in the words of the
    language they were found in, so an officer's Chinese run and the English cron job
    each keep theirs warm instead of re-reading every file in turn."""
    return f"{folder.replace('/', '.') or '_'}.{language()}.pickle"


def shard_path(root: Path, folder: str) -> Path:
    return cache_dir(root) / shard_name(folder)


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


_DIR_FLAGS = os.O_RDONLY | portable.O_DIRECTORY | portable.O_NOFOLLOW | portable.O_CLOEXEC


def is_own(fd: int, kind: int, private: bool = False) -> bool:
    """Is the open file of this kind, this user's, and writable by nobody else (readable
    by nobody else, when `private`)?"""
    info = os.fstat(fd)
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == portable.uid()
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
    if not is_own(fd, stat.S_IFDIR):
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def open_cache(root: Path, create: bool) -> Iterator[tuple[int, bytes] | None]:
    """This root's cache folder (open) and the user's key; None when there is no cache to
    trust (no folder, no key, a link, someone else's). Where the OS cannot open a file
    relative to a folder without following a link (Windows), there is no cache: every
    run reads the files."""
    place = _where(root) if portable.SAFE_FOLDERS else None
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
        flags = os.O_RDONLY | portable.O_NOFOLLOW | portable.O_CLOEXEC
        fd = os.open(KEY_FILE, flags, dir_fd=base_fd)
    except OSError:
        return None
    try:
        if not is_own(fd, stat.S_IFREG, private=True):
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
            tmp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.O_NOFOLLOW | portable.O_CLOEXEC,
            0o600,
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
        _("cannot remove the parse cache {path}: {reason}").format(
            path=path, reason=exc.strerror or type(exc).__name__
        ),
        _(
            "remove it by hand, or run with --no-cache (the cache is never needed for a "
            "correct answer)"
        ),
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
