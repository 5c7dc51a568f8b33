"""Problems are data: where, what, and how to fix it. Errors share one type and exit code."""

from __future__ import annotations

import errno
from dataclasses import asdict, dataclass
from typing import Any

from hardship_cli.i18n import N_, _

ERROR = "error"
WARNING = "warning"

# The exit-code table of the command contract.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


# Characters a terminal acts on instead of showing: C0 controls, DEL, the C1 controls
# (U+0080..U+009F: 0x9b is CSI, a second way in to escape sequences), and the
# bidirectional overrides that make text read differently from how it is stored.
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPED = {c: f"\\x{c:02x}" for c in _CONTROLS} | {c: f"\\u{c:04x}" for c in _BIDI}
_ESCAPED_LINES = {c: e for c, e in _ESCAPED.items() if c not in (0x09, 0x0A)}


def printable(text: str, lines: bool = False) -> str:
    """Text from the records or the command line as it may reach a terminal: every control
    character written out as an escape (ESC as ``\\x1b``), so that a value cannot move
    the cursor, recolour, retitle or clear the screen. With `lines`, line breaks and tabs
    stay (a message of several lines); else they are escaped too (an ID, a path)."""
    if text.isprintable():
        return text  # the usual case, at C speed
    return text.translate(_ESCAPED_LINES if lines else _ESCAPED)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    code: str
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        """`path:line: CODE message` (`CODE warning message` for a warning), then the hint on
        the next line, in the terminal's language (the code stays as it is)."""
        line = _(PROBLEM_LINE) if self.severity == ERROR else _(WARNING_LINE)
        text = line.format(where=self.location(), code=self.code, message=self.message)
        # Escaped line by line: a value with a line break cannot forge a line of its own.
        text = printable(text.replace("  ", " "))
        if self.hint:
            text += "\n    " + _(HINT).format(hint=printable(self.hint))
        return text

    def to_json(self) -> dict[str, Any]:
        """The problem for a program: English keys, the stable `code` (E-MONEY...) and
        `severity` (error, warning); `message` and `hint` in the terminal's language."""
        return asdict(self)

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.code, self.message)


# How a problem or an error is written on the terminal (the words around the message).
PROBLEM_LINE = N_("{where}: {code} {message}")
WARNING_LINE = N_("{where}: {code} warning {message}")
HINT = N_("hint: {hint}")


class HardshipError(Exception):
    """A domain error with its exit code; the CLI prints the message, never a traceback.

    `code` names the kind of error for a program (stable, English), as a problem's code
    does; `to_json` gives it with the message in the terminal's language."""

    exit_code = EXIT_UNEXPECTED
    code = "error"

    def __init__(self, message: str, hint: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def to_json(self) -> dict[str, Any]:
        """The error for a program: English keys, a stable `code`, the exit code; the
        `message` and `hint` in the terminal's language."""
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "exit_code": self.exit_code,
        }


class UsageError(HardshipError):
    exit_code = EXIT_USAGE
    code = "usage"


class ConfigError(HardshipError):
    exit_code = EXIT_USAGE
    code = "config"


class Refused(HardshipError):
    """A rule refused an action (a check that found problems): exit 1."""

    exit_code = EXIT_PROBLEMS
    code = "refused"

    def __init__(self, message: str, hint: str = "", problems: list[Problem] | None = None):
        super().__init__(message, hint)
        self.problems = problems or []

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "problems": [p.to_json() for p in self.problems]}


# What an operating-system error means, in the words of someone who keeps the records:
# errno -> (what is wrong, what to do).
_PLAIN = {
    errno.EROFS: (
        N_("the file system is read-only"),
        N_("the records root is on a read-only disk or mount: work in a writable clone"),
    ),
    errno.EACCES: (
        N_("permission denied"),
        N_(
            "you may not write (or read) there: check the owner and permissions with "
            "`ls -ld` (is the records root read-only for you?)"
        ),
    ),
    errno.ENOSPC: (N_("the disk is full"), N_("free some space, then run the command again")),
    errno.EDQUOT: (
        N_("your disk quota is used up"), N_("free some space, then run the command again")
    ),
    errno.ENOENT: (N_("there is no such file or folder"), N_("check the path")),
    errno.ENOTDIR: (N_("a part of the path is a file, not a folder"), N_("check the path")),
    errno.EISDIR: (N_("it is a folder, not a file"), N_("give the path of a file")),
    errno.EEXIST: (
        N_("a file of that name is in the way"),
        N_("a folder is needed there, or a new name: check the path"),
    ),
    errno.ELOOP: (
        N_("it goes through a symbolic link that loops or is refused"),
        N_("check the links along the path"),
    ),
    errno.ENAMETOOLONG: (N_("the name is too long"), N_("give a shorter path")),
    errno.EIO: (
        N_("the disk reported an input/output error"),
        N_("the disk may be failing, or a network share gone: check it"),
    ),
    errno.EMFILE: (N_("too many files are open"), N_("close some programs, then run it again")),
    errno.ENFILE: (N_("too many files are open"), N_("close some programs, then run it again")),
    errno.ETXTBSY: (
        N_("the file is in use"), N_("wait for the program using it, then run it again")
    ),
}
_PLAIN[errno.EPERM] = _PLAIN[errno.EACCES]


def os_error(
    exc: OSError, doing: str = "use", path: object = None, nothing_written: bool = False
) -> ConfigError:
    """An operating-system error (read-only root, full disk, missing permission, ...) as
    a message that names the path and says what is wrong in plain words: exit 2, since
    what must change is the machine's set-up, not the records. `doing` is "write",
    "read", ...; `path` defaults to the file the error names."""
    known, hint = _PLAIN.get(exc.errno or 0, ("", ""))
    reason = _(known) if known else (exc.strerror or type(exc).__name__).lower()
    where = path if path is not None else exc.filename
    message = _("cannot {doing} {path}: {reason}").format(
        doing=_(DOING.get(doing, doing)), path=where if where is not None else _("a file"),
        reason=reason,
    )
    if nothing_written:
        message += _("; nothing was written")
    return ConfigError(message, _(hint) if hint else "")


# The verbs `os_error` is given, marked for the catalogs.
DOING = {
    "use": N_("use"),
    "read": N_("read"),
    "write": N_("write"),
    "create the lock file": N_("create the lock file"),
}
