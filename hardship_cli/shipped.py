"""Folders that ship with the package: the report templates and the demo records root.

In the repository they sit at its top level, `templates/` and `records/`, where a reader
finds them. The wheel carries them inside the package, as `hardship_cli/templates/` and
`hardship_cli/demo/` (pyproject.toml maps them there at build time), so an installed
package has them beside its modules. An editable install (`make venv`) runs the modules
from the checkout, whose folders are found at its top level: setuptools' editable finder
does not reach a folder mapped from outside the package, so importlib.resources cannot
name them there, and both places are looked at here, the package first.
"""

from __future__ import annotations

from pathlib import Path

from hardship_cli.i18n import N_, _
from hardship_cli.problems import ConfigError

PACKAGE = Path(__file__).resolve().parent

# name -> (folder inside the installed package, folder in the checkout, a file it holds)
FOLDERS = {
    "templates": ("templates", "templates", "monthly.md.j2"),
    "demo": ("demo", "records", "hardship.yaml"),
}
# What is missing, when it is (by name).
MISSING = {
    "templates": N_(
        "the shipped report templates are missing from this installation "
        "(no {file} in {inside} or {checkout})"
    ),
    "demo": N_(
        "the demo records are missing from this installation (no {file} in {inside} or "
        "{checkout})"
    ),
}


def places(name: str) -> list[Path]:
    """Where the folder is looked for, in order: inside the package, then the checkout."""
    inside, checkout, _marker = FOLDERS[name]
    return [PACKAGE / inside, PACKAGE.parent / checkout]


def folder(name: str) -> Path:
    """The shipped folder `name` ("templates" or "demo"), or a ConfigError that says where
    it was looked for and how to repair the installation."""
    marker = FOLDERS[name][2]
    looked = places(name)
    for place in looked:
        if (place / marker).is_file():
            return place
    raise ConfigError(
        _(MISSING[name]).format(file=marker, inside=looked[0], checkout=looked[1]),
        _(
            "reinstall hardship: `pip install --force-reinstall` of its wheel or checkout "
            "(`make venv` in a checkout)"
        ),
    )
