"""What differs between the operating systems, in one place: POSIX (Linux, macOS) and
Windows (a county union's office PC). No other module imports a POSIX-only module or
names a POSIX-only flag (tests/test_windows.py holds them to it).

- Open flags: where the OS has no such flag (O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK,
  O_NOCTTY, O_CLOEXEC on Windows) it is 0, and the code that relies on it checks in
  another way (`NOFOLLOW`: is a link refused by the open itself?).
- `SAFE_FOLDERS`: files opened relative to an open folder (``dir_fd``) without following
  a link, what the parse cache and the template folder rely on; on Windows the cache is
  off (every run reads the files) and templates are checked by path.
- `uid()`: the user's number, where the OS has one (ownership checks only there).
- `lock_exclusive(fd)`: one process at a time (fcntl's flock on POSIX, msvcrt's locking
  on Windows); False when another holds it.
"""

from __future__ import annotations

import errno
import os
import sys

WINDOWS = sys.platform == "win32"

O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_DIRECTORY: int = getattr(os, "O_DIRECTORY", 0)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
O_NOCTTY: int = getattr(os, "O_NOCTTY", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: bytes as they are, no CRLF translation

NOFOLLOW = O_NOFOLLOW != 0
SAFE_FOLDERS = NOFOLLOW and O_DIRECTORY != 0 and os.open in os.supports_dir_fd


def uid() -> int | None:
    """The user's (effective) number (POSIX), or None where the OS has none (Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else None


def lock_exclusive(fd: int) -> bool:
    """Take the exclusive lock of an open file without waiting: True when taken, False
    when another process holds it."""
    if WINDOWS:
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True
