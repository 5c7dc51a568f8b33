"""hardship cache: the parse cache, kept in the user's cache folder (never in the root)."""

from __future__ import annotations

import sys

import typer

from hardship_cli.cli.common import state


def clear_command(ctx: typer.Context) -> None:
    """Drop the parse cache of the root; the next run reads every file again.

    The cache lives in your own cache folder ($HARDSHIP_CACHE_DIR, else
    $XDG_CACHE_HOME/hardship, else ~/.cache/hardship), a folder per root, never in the
    root. It is never needed for a correct answer: a changed, foreign or broken cache is
    ignored. Use this to free its disk space; `--no-cache` bypasses it for one run. A
    `.hardship-cache` folder left in the root by older versions is removed too.

    Example: hardship --root records cache clear
    """
    from hardship_cli.load.cache_folder import clear

    root = state(ctx).root
    cleared = clear(root)
    if cleared.folder is None:
        print(f"no parse cache of {root} to remove", file=sys.stderr)
    else:
        print(
            f"removed the parse cache of {root}: {cleared.folder} ({cleared.shards} file(s))",
            file=sys.stderr,
        )
    if cleared.legacy == "folder":
        print(
            f"removed the old cache folder {root / '.hardship-cache'}"
            f" ({cleared.legacy_shards} file(s))",
            file=sys.stderr,
        )
    elif cleared.legacy == "link":
        print(
            f"removed the link {root / '.hardship-cache'} (what it pointed to is left alone)",
            file=sys.stderr,
        )


def register(app: typer.Typer) -> None:
    cache_app = typer.Typer(
        help="The parse cache that lets a run re-read only the files that changed.",
        no_args_is_help=True,
    )
    cache_app.command("clear")(clear_command)
    app.add_typer(cache_app, name="cache")
