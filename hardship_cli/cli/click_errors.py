"""What typer (its vendored click) says about a command line it cannot use, in the
terminal's language: a missing option, an unknown one, a bad value, an extra argument,
an unknown command.

Click writes these messages in English when it raises them; `show` prints them again
from the exception's class and attributes (the option, the value, the choices), each a
marked message, in click's layout: the usage line, the help hint, then the error. The
exit code stays click's (2). A message that click made from a value check of pydantic
("Value error, ...", "Input should be ...") is never shown as it came: it is said again
from the kind of error and the value given.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from hardship_cli.cli.choices import joined, refusal
from hardship_cli.cli.language import USAGE_PREFIX
from hardship_cli.i18n import N_, _, ngettext
from hardship_cli.problems import EXIT_USAGE, printable


def show(exc: Any, file: Any = None) -> int:
    """Print a click exception on stderr in the terminal's language; its exit code."""
    out = file if file is not None else sys.stderr
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()  # the help itself, already in the terminal's language
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()
        if usage.startswith("Usage: "):  # a command the help was not localized for
            usage = _(USAGE_PREFIX) + usage[len("Usage: ") :]
        print(usage, file=out)
        if ctx.command.get_help_option(ctx) is not None:
            print(
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                ),
                file=out,
            )
        print(file=out)
    print(_("Error: {message}").format(message=message(exc)), file=out)
    return int(getattr(exc, "exit_code", 1))


def message(exc: Any) -> str:
    """The message of a click exception, in the terminal's language."""
    classes = {c.__name__ for c in type(exc).__mro__}
    for name, say in _SAYERS:  # matched by name: typer's vendored click has no public path
        if name in classes:
            return without_value_error(say(exc))
    return without_value_error(_known(str(getattr(exc, "message", exc))))


def without_value_error(text: str) -> str:
    """Pydantic's "Value error, " before the text of a ValueError: never shown."""
    return text.replace("Value error, ", "")


# ---------------------------------------------------------------------------------------
# One sayer per class (the most specific first)


def _param_hint(exc: Any) -> str | None:
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        hint = exc.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


def _missing(exc: Any) -> str:
    hint = _param_hint(exc) or ""
    param = getattr(exc, "param", None)
    kind = exc.param_type or (param.param_type_name if param is not None else "parameter")
    text = _(_MISSING.get(kind, _MISSING["parameter"])).format(name=hint)
    choices = _choices_of(param)
    if choices:
        text = joined(text, _("Choose from: {choices}.").format(choices=", ".join(choices)))
    return text


_MISSING = {
    "option": N_("Missing option {name}."),
    "argument": N_("Missing argument {name}."),
    "parameter": N_("Missing parameter {name}."),
}


def _no_such_option(exc: Any) -> str:
    name = printable(str(exc.option_name))
    text = str(exc.message)
    if text == f"No such option: {name}" or text.startswith("No such option"):
        text = _("No such option: {option}").format(option=name)
    if exc.possibilities:
        text = joined(
            text,
            _("(Possible options: {options})").format(options=", ".join(sorted(exc.possibilities))),
        )
    return text


def _bad_option_usage(exc: Any) -> str:
    option = printable(str(exc.option_name))
    text = str(exc.message)
    if text.endswith("requires an argument."):
        return _("Option {option} requires a value.").format(option=option)
    found = re.search(r"requires (\d+) arguments\.$", text)
    if found:
        count = int(found.group(1))
        return ngettext(
            "Option {option} requires {n} value.", "Option {option} requires {n} values.", count
        ).format(option=option, n=count)
    if text.endswith("does not take a value."):
        return _("Option {option} does not take a value.").format(option=option)
    return _known(text)


def _bad_parameter(exc: Any) -> str:
    reason = _reason(exc)
    hint = _param_hint(exc)
    if hint is None:
        return _("Invalid value: {reason}").format(reason=reason)
    return _("Invalid value for {name}: {reason}").format(name=hint, reason=reason)


def _file_error(exc: Any) -> str:
    return _("Could not open file {name}: {reason}").format(
        name=repr(exc.ui_filename), reason=exc.message
    )


_SAYERS: Sequence[tuple[str, Callable[[Any], str]]] = (
    ("MissingParameter", _missing),
    ("NoSuchOption", _no_such_option),
    ("BadOptionUsage", _bad_option_usage),
    ("BadParameter", _bad_parameter),
    ("FileError", _file_error),
)


# ---------------------------------------------------------------------------------------
# The reason a value is refused


def _choices_of(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice:
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices or ()]


def _reason(exc: Any) -> str:
    """Why a value was refused: said again from pydantic's error when click's text came
    from it; else the text itself (ours: already translated; typer's: looked up)."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if cause is None or errors is None or type(cause).__name__ != "ValidationError":
        return _known(str(exc.message))
    found = errors()
    if not found:
        return _known(str(exc.message))
    error = found[0]
    value = printable(
        repr(error.get("input")) if isinstance(error.get("input"), str) else str(error.get("input"))
    )
    choices = _choices_of(getattr(exc, "param", None))
    if choices:
        return refusal(str(error.get("input")), choices, choices)
    kind = str(error.get("type", ""))
    limit = error.get("ctx") or {}
    for kinds, text, key in _PYDANTIC:
        if kind in kinds:
            return _(text).format(value=value, limit=limit.get(key, ""))
    if kind == "value_error":
        inner = str(limit.get("error", "")) or str(error.get("msg", ""))
        return _known(without_value_error(inner))
    return _("{value} is not a valid value here").format(value=value)


# pydantic error types -> what is said (the value, and the limit for a range).
_PYDANTIC: Sequence[tuple[frozenset[str], str, str]] = (
    (
        frozenset({"int_parsing", "int_type", "int_from_float"}),
        N_("{value} is not a whole number"),
        "",
    ),
    (
        frozenset(
            {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}
        ),
        N_("{value} is not a number"),
        "",
    ),
    (frozenset({"bool_parsing", "bool_type"}), N_("{value} is not yes or no"), ""),
    (frozenset({"greater_than_equal"}), N_("{value} is less than {limit}"), "ge"),
    (frozenset({"greater_than"}), N_("{value} is not more than {limit}"), "gt"),
    (frozenset({"less_than_equal"}), N_("{value} is more than {limit}"), "le"),
    (frozenset({"less_than"}), N_("{value} is not less than {limit}"), "lt"),
    (
        frozenset({"datetime_parsing", "datetime_from_date_parsing", "datetime_type"}),
        N_("{value} is not a date and time"),
        "",
    ),
    (
        frozenset({"date_parsing", "date_from_datetime_parsing", "date_type"}),
        N_("{value} is not a date"),
        "",
    ),
)


# Click's and typer's own texts of a plain usage error (ctx.fail) and of a path, said
# again in the terminal's language: (pattern, message, what the groups fill).
_PATTERNS: Sequence[tuple[re.Pattern[str], str]] = (
    (re.compile(r"^No such command '(?P<name>.*)'\.$", re.S), N_("No such command '{name}'.")),
    (re.compile(r"^Missing command\.$"), N_("Missing command.")),
    (
        re.compile(r"^Argument '(?P<name>.*)' takes (?P<n>\d+) values\.$"),
        N_("Argument '{name}' takes {n} values."),
    ),
    (
        re.compile(r"^(File|Directory|Path) '(?P<name>.*)' does not exist\.$", re.S),
        N_("'{name}' does not exist."),
    ),
    (
        re.compile(r"^(File|Directory|Path) '(?P<name>.*)' is a file\.$", re.S),
        N_("'{name}' is a file."),
    ),
    (
        re.compile(r"^(File|Directory|Path) '(?P<name>.*)' is a directory\.$", re.S),
        N_("'{name}' is a folder."),
    ),
    (
        re.compile(r"^(File|Directory|Path) '(?P<name>.*)' is not readable\.$", re.S),
        N_("'{name}' cannot be read."),
    ),
    (
        re.compile(r"^(File|Directory|Path) '(?P<name>.*)' is not writable\.$", re.S),
        N_("'{name}' cannot be written."),
    ),
    (re.compile(r"^Value must be an iterable\.$"), N_("give one or more values")),
)
_EXTRA = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S)


def _known(text: str) -> str:
    """A text of click or typer said again in the terminal's language, when it is one of
    theirs; else as it is (ours, already translated)."""
    text = without_value_error(text)
    extra = _EXTRA.match(text)
    if extra:
        args = extra.group("args")
        return ngettext(
            "Got unexpected extra argument ({args})",
            "Got unexpected extra arguments ({args})",
            len(args.split()),
        ).format(args=args)
    for pattern, said in _PATTERNS:
        found = pattern.match(text)
        if found:
            return _(said).format(**found.groupdict())
    return text
