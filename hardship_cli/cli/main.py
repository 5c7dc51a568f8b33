"""The `hardship` command: global options, the command groups, one error handler."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated, Any

import typer

from hardship_cli.cli import (
    advise,
    audit,
    budget,
    cache_cmd,
    click_errors,
    cron_cmd,
    filing,
    overview,
    pay_close,
    report,
    review,
    setup,
    sheets_cmd,
    standards_cmd,
    stats,
    validate,
)
from hardship_cli.cli.common import State, per_record_checks
from hardship_cli.cli.language import choose_for, localize
from hardship_cli.i18n import DEFAULT as DEFAULT_LANGUAGE
from hardship_cli.i18n import N_, _, normalize, set_language
from hardship_cli.problems import (
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    HardshipError,
    os_error,
    printable,
)

app = typer.Typer(
    name="hardship",
    help=N_(
        "Run a trade union's hardship-assistance fund from the terminal: the household "
        "files, the help given, the money behind it, and the reports.\n\n"
        "Example: hardship --root records validate"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    root: Annotated[
        list[str] | None,
        typer.Option(
            "--root",
            help=N_(
                "Records root (else $HARDSHIP_ROOT, else the nearest hardship.yaml upward, "
                "else ./records). Give it several times to roll up units (stats, budget, "
                "report annual, export facts)."
            ),
            metavar=N_("PATH"),
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option(
            "--no-cache", help=N_("Read every file; neither use nor write the cache.")
        )
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help=N_("Say what is being done."))
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=N_(
                "Language of the terminal: zh or en (else $HARDSHIP_LANG, else the locale "
                "in hardship.yaml, else $LC_ALL/$LANG, else en)."
            ),
            metavar="zh|en",
            show_default=False,
        ),
    ] = None,
) -> None:
    # The language was chosen from argv before this ran (language.choose_for), so that
    # the help spoke it too; a value that names no language is refused here.
    if lang is not None and normalize(lang) is None:
        raise typer.BadParameter(
            _("{value} is not a language: give zh or en").format(value=printable(lang)),
            param_hint="--lang",
        )
    ctx.obj = State(root_options=list(root or []), use_cache=not no_cache, verbose=verbose)
    _load_defaults(not no_cache)


def _load_defaults(use: bool, checks: bool = True) -> None:
    """--no-cache holds for every load of the command, casework's helpers' included; so
    do the rules' per-record checks, handed to the loader (which imports no rule)."""
    from hardship_cli.load import defaults  # light: nothing of the loader itself

    defaults.USE_CACHE = use
    defaults.per_record_checks = per_record_checks if checks else defaults.no_checks


# The command modules, in the order of `hardship --help`: each attaches its commands or its
# group with register(app), and imports its heavy libraries only when a command runs.
COMMANDS = (
    validate,
    setup,
    overview,
    standards_cmd,
    advise,
    filing,
    review,
    pay_close,
    audit,
    sheets_cmd,
    budget,
    stats,
    report,
    cron_cmd,
    cache_cmd,
)
for _module in COMMANDS:
    _module.register(app)


def _click_exceptions() -> tuple[type[BaseException], type[BaseException]]:
    # Typer vendors click; its exception classes are reached through typer's public ones.
    click_exception = typer.BadParameter.__mro__[2]  # UsageError -> ClickException
    return click_exception, typer.Abort


def _pipe_closed() -> bool:
    """Did click find stdout's reader gone (EPIPE)? It then swaps in its PacifyFlushWrapper
    and exits 1, which would read as "problems found"."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _say(exc: HardshipError) -> int:
    """Print a domain error on stderr; control characters (an ID typed with an escape
    sequence, a value from a file) are shown escaped, never sent to the terminal."""
    print(f"hardship: {printable(exc.message, lines=True)}", file=sys.stderr)
    if exc.hint:
        print("    " + _("hint: {hint}").format(hint=printable(exc.hint)), file=sys.stderr)
    return exc.exit_code


INTERRUPTED = N_("interrupted; nothing half-written (writes are atomic)")


def _never_die_on_encoding() -> None:
    """A console or a redirected file that cannot show a character (a Windows console's
    code page, PYTHONIOENCODING=ascii) gets a replacement for it, never a failure: the
    command's exit code is its own."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, TypeError):
                reconfigure(errors="replace")


def run(argv: list[str] | None = None) -> None:
    """Console entry point: one place turns every error into a message and an exit code."""
    click_exception, abort = _click_exceptions()
    code: Any
    interrupted_said = False
    args = list(sys.argv[1:] if argv is None else argv)
    _never_die_on_encoding()
    choose_for(args)
    try:
        command = localize(typer.main.get_command(app))
        code = command.main(args=args, prog_name="hardship", standalone_mode=False)
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # an exit with a message: as it is
        code = exc.code
        if _pipe_closed():
            code = 0  # click's exit 1 for a reader that went away (| head): not a problem found
    except HardshipError as exc:
        code = _say(exc)
        interrupted_said = True  # an interrupted command that says what it undid
    except click_exception as exc:
        # Click's own words (usage line, help hint, "Missing option ...") said again in
        # the terminal's language; its exit code (2) kept.
        code = click_errors.show(exc) if hasattr(exc, "format_message") else EXIT_USAGE
    except (KeyboardInterrupt, abort):
        print(f"hardship: {_(INTERRUPTED)}", file=sys.stderr)
        code = EXIT_INTERRUPTED
        interrupted_said = True
    except BrokenPipeError:
        # The reader went away (| head): not our failure.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    except OSError as exc:
        # A read-only root, a full disk, a missing permission: said in plain words, with
        # the path (never the exception's text beyond the system's own reason).
        if os.environ.get("HARDSHIP_DEBUG"):
            raise
        code = _say(os_error(exc))
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("HARDSHIP_DEBUG"):
            raise
        # Never print the exception's text: it may hold a sensitive value.
        unexpected = _("unexpected failure ({error}); nothing was written.")
        hint = _("run again with HARDSHIP_DEBUG=1 for the details, and report it")
        print(f"hardship: {unexpected.format(error=type(exc).__name__)}", file=sys.stderr)
        print("    " + _("hint: {hint}").format(hint=hint), file=sys.stderr)
        code = EXIT_UNEXPECTED
    _load_defaults(True, checks=False)  # for whatever runs next in this process (tests)
    set_language(DEFAULT_LANGUAGE)  # and in its default language: a run's --lang is its own
    if code is None:
        code = 0
    if code == EXIT_INTERRUPTED and not interrupted_said:
        # typer turns Ctrl-C inside a command into a silent exit 130: say so.
        print(f"hardship: {_(INTERRUPTED)}", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
