"""hardship init and hardship schema: a new records root, wired to the editor's checks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..problems import UsageError, printable

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
    from ..model import KINDS

    result = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"hardship {kind}"
        result[kind] = schema
    return result


def write_schemas(folder: Path) -> list[Path]:
    from ..yamlio import atomic_write

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
        typer.Option("-o", "--output", help="Write one KIND.schema.json per kind into DIR."),
    ] = None,
) -> None:
    """JSON Schema of every record kind, for editors that check YAML as it is typed.

    Without -o, prints one JSON document {kind: schema} on stdout.

    Example: hardship schema -o .hardship/schema
    """
    if output is None:
        json.dump(schemas(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for path in write_schemas(output):
        print(printable(str(path)))


def demo_source() -> Path:
    """The demo root shipped beside the package in a source checkout."""
    here = Path(__file__).resolve().parents[2] / "records"
    if not (here / "hardship.yaml").is_file():
        raise UsageError(
            "the demo records are not available in this installation",
            "run from a checkout of the hardship repository (its records/ folder is the demo)",
        )
    return here


def init(
    path: Annotated[Path, typer.Argument(help="Folder of the new records root.")],
    demo: Annotated[bool, typer.Option("--demo", help="Copy the demo records in.")] = False,
    no_git: Annotated[
        bool,
        typer.Option(
            "--no-git",
            help="Run this root without git, on purpose: no repository, actions not committed, "
            "no audit trail (hardship.yaml gets `git: {commit: false}`).",
        ),
    ] = False,
) -> None:
    """Make a new records root: configuration with commented defaults, folders, schemas,
    editor settings, and a git repository (git history is the audit trail).

    Example: hardship init ~/union-hardship --demo
    """
    from ..yamlio import atomic_write

    if (path / "hardship.yaml").exists():
        raise UsageError(
            f"{path} already holds a records root (hardship.yaml)",
            "choose an empty folder; nothing was changed",
        )
    if path.exists() and any(path.iterdir()) and not demo:
        names = ", ".join(sorted(p.name for p in path.iterdir())[:5])
        raise UsageError(f"{path} is not empty ({names})", "choose a new or empty folder")
    path.mkdir(parents=True, exist_ok=True)
    if demo:
        source = demo_source()
        shutil.copytree(
            source,
            path,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".hardship-cache", "reports"),
        )
    else:
        template = Path(__file__).resolve().parents[1] / "data" / "hardship.yaml"
        atomic_write(path / "hardship.yaml", template.read_bytes())
        for folder in ("cases", "grants", "campaigns", "visits", "budgets", "reports"):
            (path / folder).mkdir(exist_ok=True)
            (path / folder / ".gitkeep").touch()
    from ..actions import LOCK, LOCK_IGNORE

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
    print(f"created records root {printable(str(path))}", file=sys.stderr)
    if not no_git:
        _git_init(path)


def _without_git(config: Path) -> None:
    """Say in hardship.yaml that this root runs without git, so that its actions are not
    refused for want of a repository (and a reader sees that the choice was made)."""
    from ..yamlio import atomic_write

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
            "warning: git is not installed, so the root has no repository yet; its actions "
            "will be refused until it has one (install git, then git init and commit it), "
            "or make a root without git on purpose: hardship init --no-git",
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
            "the folder is already inside a git repository; using it: commit the new root "
            f"there (git add {path} && git commit) before its first action",
            file=sys.stderr,
        )
        return
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(path),
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
        ],
        check=True,
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(schema)
