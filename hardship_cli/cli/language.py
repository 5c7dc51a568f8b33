"""The terminal's language for one run: chosen before any command runs (so that `--help`
speaks it too), and the help of every command and option looked up in the catalog.

Help texts are marked where they are written (``help=N_("...")``) and stay English in
the command tree that typer builds; `localize` translates that tree in place just before
click reads it, and gives each option a metavar a person reads (``PATH``, ``DATE``, ``N``)
instead of typer's ``<list[str]>`` or ``<bool>``.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args, get_origin

from hardship_cli import i18n
from hardship_cli.i18n import N_, _

CONFIG_FILE = "hardship.yaml"


def _option_value(argv: Sequence[str], name: str) -> str | None:
    """The value of `name` (``--lang zh`` or ``--lang=zh``) anywhere in argv, the first
    one given; None when it is not there."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _root_of(argv: Sequence[str]) -> Path | None:
    """The root a command will read, found as `load.files.find_root` finds it (--root,
    $HARDSHIP_ROOT, the nearest hardship.yaml upward, ./records) but without importing
    the loader (`--help` stays fast). None when there is none: the language then comes
    from the environment, and the command itself says what is missing."""
    explicit = _option_value(argv, "--root") or os.environ.get("HARDSHIP_ROOT")
    if explicit:
        return Path(explicit)
    try:
        here = Path.cwd().resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    demo = here / "records"
    return demo if (demo / CONFIG_FILE).is_file() else None


def choose_for(argv: Sequence[str]) -> str:
    """The language of this run, and set it: --lang, $HARDSHIP_LANG, the root's locale,
    $LC_ALL / $LANG, English."""
    lang = i18n.choose(_option_value(argv, "--lang"), root=_root_of(argv))
    i18n.set_language(lang)
    return lang


# ---------------------------------------------------------------------------------------
# The help, in the chosen language


def help_text(text: str | None) -> str | None:
    """A help text as marked (one paragraph per blank line, lines joined), looked up."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    joined = "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)
    return _(joined)


# The metavar of a type of value, where the option names none.
_METAVARS = {
    "path": N_("PATH"),
    "file": N_("FILE"),
    "directory": N_("FOLDER"),
    "int": N_("N"),
    "integer": N_("N"),
    "float": N_("NUMBER"),
    "decimal": N_("AMOUNT"),
    "date": N_("DATE"),
    "datetime": N_("DATE"),
    "str": N_("TEXT"),
    "text": N_("TEXT"),
}


def metavar(param: Any) -> str | None:
    """What the help shows after an option: its own metavar, nothing for a flag, the
    choices for a choice, else a word for its type."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if param.metavar:
        return _(param.metavar)
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return _(_METAVARS["text"])
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    if desc.is_path:
        return _(_METAVARS["path"])
    annotation = desc.annotation
    while get_args(annotation) and get_origin(annotation) is not None:
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    name = getattr(annotation, "__name__", "str").lower()
    if name == "str":
        # A date or a name typed as text: said by the option's own name (--today DATE).
        for option in getattr(param, "opts", ()):
            if option in _BY_OPTION:
                return _(_BY_OPTION[option])
    return _(_METAVARS.get(name, _METAVARS["text"]))


# Options that several commands give as plain text, and what they hold.
_BY_OPTION = {
    "--today": N_("DATE"),
    "--on": N_("DATE"),
    "--from": N_("DATE"),
    "--until": N_("DATE"),
    "--since": N_("DATE"),
    "--as": N_("NAME"),
    "--by": N_("NAME"),
    "--note": N_("TEXT"),
}


def localize(command: Any) -> Any:
    """Translate the help of `command` and of everything under it, in place."""
    _localize_typer_words()
    _localize(command)
    return command


def _localize(command: Any) -> None:
    _localize_help_option(command)
    _localize_usage(command)
    command.help = help_text(command.help)
    command.short_help = help_text(command.short_help)
    if getattr(command, "epilog", None):
        command.epilog = help_text(command.epilog)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = help_text(param.help)
        if param.param_type_name == "argument":
            _localize_argument(param)
            continue
        shown = metavar(param)
        # typer shows what display_type_rich returns (its own `<type>` by default).
        param.display_type_rich = lambda ctx=None, shown=shown: shown
    for sub in getattr(command, "commands", {}).values():
        _localize(sub)


# The word an argument is shown as (usage line, help, "Missing argument 'CASE'"), by
# its name in the code, where it gives no metavar of its own.
_ARGUMENTS = {
    "case": N_("CASE"),
    "case_id": N_("CASE"),
    "grant": N_("GRANT"),
    "record": N_("RECORD"),
    "campaign": N_("CAMPAIGN"),
    "number": N_("N"),
    "sheet": N_("FILE"),
    "path": N_("PATH"),
}


def argument_word(param: Any) -> str:
    """An argument as the usage line shows it: its metavar, else a word for its name
    (``CASE``), else its name in capitals."""
    if param.metavar:
        return _(param.metavar)
    word = _ARGUMENTS.get(param.name or "")
    return _(word) if word else (param.name or "").upper()


def _localize_argument(param: Any) -> None:
    """``CASE`` in the usage line (typer writes ``{case}``), ``[CASE]`` when it may be
    left out, ``...`` after one that takes several; the same word in the help, once."""
    param.metavar = argument_word(param)

    def usage_name() -> str:
        name = param.metavar if param.required else f"[{param.metavar}]"
        return name + ("..." if param.nargs != 1 else "")

    param._usage_display_name = usage_name
    param.display_type_rich = lambda ctx=None: None


def _localize_usage(command: Any) -> None:
    """The usage line in the terminal's language: its prefix and the placeholders of the
    options and the subcommand."""
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        command.options_metavar = _(OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        command.subcommand_metavar = _(SUBCOMMAND_METAVAR)

    def format_usage(ctx: Any, formatter: Any) -> None:
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE_PREFIX))

    command.format_usage = format_usage


USAGE_PREFIX = N_("Usage: ")
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")


def _localize_help_option(command: Any) -> None:
    """-h/--help is made when the help is shown (not in `params`): its text is set then."""
    make = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.help = _(HELP_OPTION)
            option.display_type_rich = lambda ctx=None: None
        return option

    command.get_help_option = get_help_option


HELP_OPTION = N_("Show this message and exit.")


# The words typer's help panels are made of (its own strings, kept in English there).
_TYPER_WORDS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}


def _localize_typer_words() -> None:
    from typer import rich_utils

    for name, text in _TYPER_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, _(text))
    if not getattr(rich_utils._get_rich_console, "folds", False):
        rich_utils._get_rich_console = _folding(rich_utils._get_rich_console)


def _folding(make: Any) -> Any:
    """typer's help console, made to fold a help text too long for its column instead
    of cutting it to ``…``: a Chinese sentence has no space to wrap at."""
    from hardship_cli.cli.console import no_ellipsis

    def get_rich_console(stderr: bool = False) -> Any:
        console = make(stderr=stderr)
        show = console.print

        def print_folded(*objects: Any, **options: Any) -> None:
            show(*(no_ellipsis(o) for o in objects), **options)

        console.print = print_folded
        return console

    get_rich_console.folds = True  # type: ignore[attr-defined]
    return get_rich_console
