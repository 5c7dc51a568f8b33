"""hardship cache: the parse cache under the root (.hardship-cache/, ignored by git)."""

from __future__ import annotations

import sys

import typer

cache_app = typer.Typer(
    help="The parse cache that lets a run re-read only the files that changed.",
    no_args_is_help=True,
)


@cache_app.command("clear")
def clear_command(ctx: typer.Context) -> None:
    """Drop the parse cache of the root; the next run reads every file again.

    The cache is never needed for a correct answer: a changed, foreign or broken cache is
    ignored. Use this to free its disk space; `--no-cache` bypasses it for one run.

    Example: hardship --root records cache clear
    """
    from ..cache import CACHE_DIR, clear
    from .main import state

    root = state(ctx).root
    removed = clear(root)
    print(f"removed {root / CACHE_DIR} ({removed} file(s))", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")
