"""hardship cache: the parse cache, kept in the user's cache folder (never in the root)."""

from __future__ import annotations

import sys

import typer

from hardship_cli.cli.common import state
from hardship_cli.i18n import N_, _

GROUP_HELP = N_("The parse cache that lets a run re-read only the files that changed.")
CLEAR_HELP = N_(
    "Drop the parse cache of the root; the next run reads every file again."
    "\n\n"
    "The cache lives in your own cache folder ($HARDSHIP_CACHE_DIR, else "
    "$XDG_CACHE_HOME/hardship, else ~/.cache/hardship), a folder per root, never in the "
    "root. It is never needed for a correct answer: a changed, foreign or broken cache is "
    "ignored. Use this to free its disk space; `--no-cache` bypasses it for one run. A "
    "`.hardship-cache` folder left in the root by older versions is removed too."
    "\n\n"
    "Example: hardship --root records cache clear"
)


def clear_command(ctx: typer.Context) -> None:
    """Drop the parse cache of the root (the help is CLEAR_HELP)."""
    from hardship_cli.load.cache_folder import clear

    root = state(ctx).root
    cleared = clear(root)
    legacy = root / ".hardship-cache"
    if cleared.folder is None:
        print(_("no parse cache of {root} to remove").format(root=root), file=sys.stderr)
    else:
        print(
            _("removed the parse cache of {root}: {folder} ({files} file(s))").format(
                root=root, folder=cleared.folder, files=cleared.shards
            ),
            file=sys.stderr,
        )
    if cleared.legacy == "folder":
        print(
            _("removed the old cache folder {folder} ({files} file(s))").format(
                folder=legacy, files=cleared.legacy_shards
            ),
            file=sys.stderr,
        )
    elif cleared.legacy == "link":
        print(
            _("removed the link {link} (what it pointed to is left alone)").format(link=legacy),
            file=sys.stderr,
        )


def register(app: typer.Typer) -> None:
    cache_app = typer.Typer(help=GROUP_HELP, no_args_is_help=True)
    cache_app.command("clear", help=CLEAR_HELP)(clear_command)
    app.add_typer(cache_app, name="cache")
