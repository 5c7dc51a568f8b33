"""Only regular files: a record, or a folder of records, is never read through a symbolic
link, a named pipe, a device or a socket, nor written through one (``check_place``).

The strict parser is ``strict``'s; the writes that use ``check_place`` are ``edit``'s.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from hardship_cli import portable
from hardship_cli.i18n import N_, _
from hardship_cli.problems import Problem, Refused, os_error


class OddFile(Refused):
    """A name where a record or a folder of records belongs that is not a regular file or
    a real folder: a symbolic link, a named pipe, a device, a socket. It is never read
    (a pipe would hang the command; a link reads, and lets casework write, wherever it
    points, outside the root and out of git's sight), and never followed.

    `what` is one of the marked English words of `odd_kind` (said in the terminal's
    language in the messages)."""

    def __init__(self, path: str, what: str, code: str, writing: bool = False) -> None:
        if writing:
            message = _("{path} is {what}; nothing was written")
        else:
            message = _("{path} is {what}; it was not read")
        super().__init__(message.format(path=path, what=_(what)), _(_ODD_HINTS[code]))
        self.what = what
        self.code = code

    def problem(self, rel: str, folder: bool = False) -> Problem:
        """The problem `validate` reports at the odd name."""
        if self.code == SYMLINK and folder:
            message = _(
                "the folder is a symbolic link; records are read only from real folders "
                "inside the root, never through a link"
            )
        elif self.code == SYMLINK:
            message = _(
                "the file is a symbolic link; records are read only from real files "
                "inside the root, never through a link"
            )
        elif folder:
            message = _("this is {what}, not a folder of records; it was not read")
        else:
            message = _("this is {what}, not a record file; it was not read")
        return Problem(
            rel, None, self.code, message.format(what=_(self.what)), _(_ODD_HINTS[self.code])
        )


SYMLINK = "symlink"
NOT_A_FILE = "not-a-file"
_ODD_HINTS = {
    SYMLINK: N_(
        "put the real file or folder here in place of the link (git keeps a link as "
        "a link, so the records it points to are not in the repository)"
    ),
    NOT_A_FILE: N_("delete it; a record is a regular YAML file"),
}
# What an odd file is, in words (odd_kind).
A_LINK = N_("a symbolic link")
A_PIPE = N_("a named pipe (FIFO)")
A_SOCKET = N_("a socket")
A_DEVICE = N_("a device")
NOT_REGULAR = N_("not a regular file")
# Whatever the file is, opening it neither waits (a pipe with no writer), nor follows a
# link, nor makes a terminal ours.
_OPEN_FLAGS = (
    os.O_RDONLY | portable.O_NOFOLLOW | portable.O_NONBLOCK | portable.O_NOCTTY
    | portable.O_CLOEXEC | portable.O_BINARY
)


def odd_kind(mode: int) -> tuple[str, str] | None:
    """What a file of this mode (from lstat) is, and the problem's code, when it is not a
    regular file or a folder; None when it is one of those."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return A_LINK, SYMLINK
    if stat.S_ISFIFO(mode):
        return A_PIPE, NOT_A_FILE
    if stat.S_ISSOCK(mode):
        return A_SOCKET, NOT_A_FILE
    return A_DEVICE, NOT_A_FILE


def open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """Open a file for reading only if it is a regular file: its descriptor and status.

    The type is checked on the open descriptor before a byte is read. Raises ``OddFile``
    for a symbolic link, pipe, device or socket, ``IsADirectoryError`` for a folder, and
    OSError when it cannot be opened."""
    try:
        if not portable.NOFOLLOW and os.path.islink(path):
            raise OSError(errno.ELOOP, "a symbolic link", os.fspath(path))
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise OddFile(os.fspath(path), A_LINK, SYMLINK) from None
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            odd = odd_kind(os.lstat(path).st_mode)
        except OSError:
            odd = None
        if odd is not None:
            raise OddFile(os.fspath(path), *odd) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a folder", os.fspath(path))
            what, code = odd_kind(info.st_mode) or (NOT_REGULAR, NOT_A_FILE)
            raise OddFile(os.fspath(path), what, code)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def check_place(path: Path, rel: str) -> None:
    """Refuse to write a record whose file, or a folder on its way from the root (the
    folders `rel` names), is a symbolic link, a pipe or the like: writing through a link
    lands wherever it points, outside the root and out of git's sight. What does not
    exist yet is made as a real folder or file."""
    parts = Path(rel).parts
    here = path
    for depth in range(len(parts)):
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise os_error(exc, "read", here) from None
        odd = odd_kind(mode) if mode is not None else None
        if odd is not None:
            raise OddFile("/".join(parts[: len(parts) - depth]), *odd, writing=True)
        here = here.parent


def read_open(fd: int) -> bytes:
    """The rest of an open regular file."""
    chunk = os.read(fd, 1 << 20)
    if len(chunk) < 1 << 20:
        return chunk  # a short read of a regular file is its end: one call, not two
    chunks = [chunk]
    while chunk:
        chunk = os.read(fd, 1 << 20)
        chunks.append(chunk)
    return b"".join(chunks)
