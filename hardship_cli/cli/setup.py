"""hardship init and hardship schema: a new records root, wired to the editor's checks."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from hardship_cli import shipped
from hardship_cli.i18n import N_, _
from hardship_cli.problems import ConfigError, UsageError, os_error, printable

HELP = {
    "schema": N_(
        "JSON Schema of every record kind, for editors that check YAML as it is typed.\n\n"
        "Without -o, prints one JSON document {kind: schema} on stdout.\n\n"
        "Example: hardship schema -o .hardship/schema"
    ),
    "init": N_(
        "Make a new records root: configuration with commented defaults, folders, schemas, "
        "editor settings, and a git repository (git history is the audit trail).\n\n"
        "Example: hardship init ~/union-hardship --demo"
    ),
}

SCHEMA_DIR = Path(".hardship") / "schema"
# Which files each schema checks, for editors (VS Code's YAML extension, yaml-language-server).
SCHEMA_GLOBS = {
    "config": ["hardship.yaml"],
    "case": ["cases/*.yaml"],
    "grant": ["grants/*/*.yaml"],
    "campaign": ["campaigns/*.yaml"],
    "visit": ["visits/*/*.yaml"],
    "budget": ["budgets/*.yaml"],
}
# The parse cache lives in the user's cache folder and the lock ignores itself (see
# actions.LOCK_IGNORE); this keeps out the cache older versions wrote under the root.
ROOT_GITIGNORE = (
    "# where older versions of hardship kept the parse cache (now in ~/.cache/hardship)\n"
    ".hardship-cache/\n"
)


def schemas() -> dict[str, dict[str, object]]:
    from hardship_cli.domain.model import KINDS

    result = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"hardship {kind}"
        result[kind] = schema
    return result


def write_schemas(folder: Path) -> list[Path]:
    from hardship_cli.edit.atomic import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas().items():
        path = folder / f"{kind}.schema.json"
        atomic_write(path, json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
        written.append(path)
    return written


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=N_("Write one KIND.schema.json per kind into DIR."),
            metavar=N_("DIR"),
        ),
    ] = None,
) -> None:
    """schema: the JSON Schema of every kind (help: HELP)."""
    if output is None:
        json.dump(schemas(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for path in write_schemas(output):
        print(printable(str(path)))


def init(
    path: Annotated[
        Path,
        typer.Argument(
            help=N_("Folder of the new records root."), metavar=N_("FOLDER"), show_default=False
        ),
    ],
    demo: Annotated[bool, typer.Option("--demo", help=N_("Copy the demo records in."))] = False,
    no_git: Annotated[
        bool,
        typer.Option(
            "--no-git",
            help=N_(
                "Run this root without git, on purpose: no repository, actions not committed, "
                "no audit trail (hardship.yaml gets `git: {commit: false}`)."
            ),
        ),
    ] = False,
) -> None:
    """init: a new records root (help: HELP)."""
    if (path / "hardship.yaml").exists():
        raise UsageError(
            _("{path} already holds a records root (hardship.yaml)").format(path=path),
            _("choose an empty folder; nothing was changed"),
        )
    if path.exists() and any(path.iterdir()) and not demo:
        names = ", ".join(sorted(p.name for p in path.iterdir())[:5])
        raise UsageError(
            _("{path} is not empty ({names})").format(path=path, names=names),
            _("choose a new or empty folder"),
        )
    # The demo is found before anything is made: a missing one leaves no folder behind.
    source = shipped.folder("demo") if demo else None
    made = Made(path)
    try:
        _make_root(path, source, no_git)
    except OSError as exc:  # a full disk, a missing permission: said, after the undo
        raise os_error(exc, "write", nothing_written=made.undo()) from None
    except BaseException:
        made.undo()
        raise


def _make_root(path: Path, demo: Path | None, no_git: bool) -> None:
    from hardship_cli.casework.actions import LOCK, LOCK_IGNORE
    from hardship_cli.edit.atomic import atomic_write

    path.mkdir(parents=True, exist_ok=True)
    if demo is not None:
        _copy_demo(demo, path)
        _wire_config(path / "hardship.yaml")
    else:
        template = Path(__file__).resolve().parents[1] / "data" / "hardship.yaml"
        atomic_write(path / "hardship.yaml", template.read_bytes())
        for folder in ("cases", "grants", "campaigns", "visits", "budgets", "reports"):
            (path / folder).mkdir(exist_ok=True)
            (path / folder / ".gitkeep").touch()
    write_schemas(path / SCHEMA_DIR)
    # The lock and its ignore file never show in git, even in a repository whose own
    # .gitignore knows nothing of hardship (init inside an existing repository).
    atomic_write(path / LOCK.parent / ".gitignore", LOCK_IGNORE)
    settings = {
        "yaml.schemas": {
            f"./{(SCHEMA_DIR / f'{kind}.schema.json').as_posix()}": globs
            for kind, globs in SCHEMA_GLOBS.items()
        },
        "yaml.customTags": [],
        "files.encoding": "utf8",
    }
    atomic_write(path / ".vscode" / "settings.json", json.dumps(settings, indent=2) + "\n")
    gitignore = path / ".gitignore"
    if not gitignore.exists():
        atomic_write(gitignore, ROOT_GITIGNORE)
    if no_git:
        _without_git(path / "hardship.yaml")
    if not no_git:
        _git_init(path)
    print(_("created records root {path}").format(path=printable(str(path))), file=sys.stderr)


DEMO_SKIPPED = {".hardship-cache", ".hardship", "reports", "__pycache__"}


def _copy_demo(demo: Path, path: Path) -> None:
    """The demo's folders and record files, copied as new files of the user's: not the
    modes of the installation (a read-only one, as in a system or Nix install, would
    make a root its own officers cannot write), nor its caches, lock or reports."""
    for top, folders, files in os.walk(demo):
        folders[:] = sorted(f for f in folders if f not in DEMO_SKIPPED)
        into = path / os.path.relpath(top, demo)
        into.mkdir(exist_ok=True)
        for name in sorted(files):
            shutil.copyfile(os.path.join(top, name), into / name)


CONFIG_SCHEMA_LINE = (
    f"# yaml-language-server: $schema={(SCHEMA_DIR / 'config.schema.json').as_posix()}\n"
)


def _wire_config(config: Path) -> None:
    """The editor's schema line on top of a copied hardship.yaml, as plain init's has."""
    from hardship_cli.edit.atomic import atomic_write

    text = config.read_bytes()
    if not text.startswith(b"# yaml-language-server:"):
        atomic_write(config, CONFIG_SCHEMA_LINE.encode() + text)


class Made:
    """What `init` adds to the disk, so that an init that fails (an error, a full disk,
    git refusing, Ctrl-C) takes it away again and leaves no empty or partial root: a folder
    it created goes entirely (with any parents it created); in a folder that was there
    before, only what it added goes, never the folder or anything that was in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.created: Path | None = None
        probe = path.absolute()
        while not os.path.lexists(probe):
            self.created = probe
            probe = probe.parent
        self.before = set() if self.created is not None else _tree(path)

    def undo(self) -> bool:
        """Take away what init made; True if nothing of it is left."""
        if self.created is not None:
            shutil.rmtree(self.created, ignore_errors=True)
            left = [self.created] if os.path.lexists(self.created) else []
        else:
            added = _tree(self.path) - self.before
            # The first of each added branch: its parent was there before.
            tops = sorted(p for p in added if os.path.dirname(p) not in added)
            for rel in tops:
                place = self.path / rel
                if place.is_dir() and not place.is_symlink():
                    shutil.rmtree(place, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):  # said below: it is still there
                        place.unlink()
            left = [self.path / rel for rel in tops if os.path.lexists(self.path / rel)]
        if left:
            paths = ", ".join(printable(str(p)) for p in left)
            print(
                "hardship: "
                + _(
                    "init failed and could not take away what it made: remove {paths} by hand"
                ).format(paths=paths),
                file=sys.stderr,
            )
        return not left


def _tree(path: Path) -> set[str]:
    """Every file and folder under path (relative), a repository's .git not walked."""
    found: set[str] = set()
    for top, folders, files in os.walk(path):
        if top == str(path) and ".git" in folders:
            found.add(".git")
            folders.remove(".git")
        rel = os.path.relpath(top, path)
        for name in (*folders, *files):
            found.add(name if rel == "." else os.path.join(rel, name))
    return found


def _without_git(config: Path) -> None:
    """Say in hardship.yaml that this root runs without git, so that its actions are not
    refused for want of a repository (and a reader sees that the choice was made)."""
    from hardship_cli.edit.atomic import atomic_write

    text = config.read_text(encoding="utf-8")
    if any(line.startswith("git:") for line in text.splitlines()):
        return  # the copied configuration says it already
    text += ("" if text.endswith("\n") else "\n") + (
        "\n# This root runs without git (hardship init --no-git): actions are written but not\n"
        "# committed, so there is no audit trail. Remove these lines once the root is in git.\n"
        "git:\n  commit: false\n"
    )
    atomic_write(config, text)


def _git_init(path: Path) -> None:
    if shutil.which("git") is None:
        print(
            _(
                "warning: git is not installed, so the root has no repository yet; its actions "
                "will be refused until it has one (install git, then git init and commit it), "
                "or make a root without git on purpose: hardship init --no-git"
            ),
            file=sys.stderr,
        )
        return
    inside = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.returncode == 0:
        print(
            _(
                "the folder is already inside a git repository; using it: commit the new root "
                "there (git add {path} && git commit) before its first action"
            ).format(path=path),
            file=sys.stderr,
        )
        return
    _git(
        path, N_("git could not create a repository for the new root {path}: {said}"), "init", "-q"
    )
    _git(path, N_("git could not add the files of the new root {path}: {said}"), "add", "-A")
    _git(
        path,
        N_("git could not make the first commit of the new root {path}: {said}"),
        "-c",
        "user.name=hardship",
        "-c",
        "user.email=hardship@localhost",
        "commit",
        "-q",
        "-m",
        "records root created",
        "--trailer",
        "Action: init",
    )


def _git(path: Path, failed: str, *args: str) -> None:
    """One git step of init; git's refusal (a hook, its configuration) is said in its own
    last words, and init then takes the new root away again."""
    done = subprocess.run(
        ["git", "-C", str(path), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        said = (
            lines[-1].strip()
            if lines
            else _("it ended with exit code {code}").format(code=done.returncode)
        )
        raise ConfigError(
            _(failed).format(path=path, said=said),
            _(
                "the root was not made: fix what git says and run init again, or make a root "
                "without git on purpose: hardship init --no-git"
            ),
        )


def register(app: typer.Typer) -> None:
    app.command(help=HELP["init"])(init)
    app.command(help=HELP["schema"])(schema)
