"""Problems are data: where, what, and how to fix it. Errors share one type and exit code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"

# The exit-code table of the command contract.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


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
        """`path:line: CODE message`, then the hint on the next line."""
        label = "" if self.severity == ERROR else "warning "
        text = f"{self.location()}: {self.code} {label}{self.message}".replace("  ", " ")
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.code, self.message)


class HardshipError(Exception):
    """A domain error with its exit code; the CLI prints the message, never a traceback."""

    exit_code = EXIT_UNEXPECTED

    def __init__(self, message: str, hint: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(HardshipError):
    exit_code = EXIT_USAGE


class ConfigError(HardshipError):
    exit_code = EXIT_USAGE


class Refused(HardshipError):
    """A rule refused an action (a check that found problems): exit 1."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str, hint: str = "", problems: list[Problem] | None = None):
        super().__init__(message, hint)
        self.problems = problems or []
