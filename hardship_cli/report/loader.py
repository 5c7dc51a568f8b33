"""Templates that stay inside their folder.

A records root arrives from other people (a unit's push, a colleague's clone), and its
`templates/` overrides the shipped templates by name. Jinja's FileSystemLoader follows
symbolic links, so a template linked to a private key or the password file would be read
and printed, or written and committed with `--commit`. This loader reads a root's template
only as a regular file reached from the root's `templates/` folder without a single
symbolic link on the way (the folder itself included), each step opened with O_NOFOLLOW
so that nothing can be swapped in between the check and the read, and no larger than
MAX_TEMPLATE_BYTES. A name that climbs out (`../x`) or is absolute (`/etc/passwd`) is
refused for every template, shipped or not. A refusal is a ConfigError (exit 2) that
names the template and why; it is never a silent fall-back to the shipped template.

The shipped templates (the repository's `templates/`, package data once installed: see
shipped.py) are read by Jinja's own FileSystemLoader.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, TemplateNotFound

from hardship_cli import portable
from hardship_cli.i18n import N_, _
from hardship_cli.problems import ConfigError

MAX_TEMPLATE_BYTES = 1_000_000
FOLDER = "templates"
NAME_HINT = N_("name a template from the templates folder down, e.g. `partials/header.md.j2`")
FILE_HINT = N_(
    "a root's templates/ holds only regular files and folders, no links: put a copy of "
    "the template there, or remove what is there to use the shipped one"
)


def _refuse(name: str, why: str, hint: str = FILE_HINT) -> ConfigError:
    """`why` is said already; `hint` is one of the hints above, said here."""
    return ConfigError(
        _("template {name} refused: {why}").format(name=repr(name), why=why), _(hint)
    )


def template_parts(name: str) -> list[str]:
    """The folders and file of a template name, or a refusal if it would leave its folder."""
    if "\x00" in name or "\\" in name:
        raise _refuse(name, _("its name holds a backslash or a NUL character"), NAME_HINT)
    if name.startswith("/"):
        raise _refuse(name, _("an absolute name points outside the templates folder"), NAME_HINT)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise _refuse(name, _("`..` in its name points outside the templates folder"), NAME_HINT)
    if not parts:
        raise _refuse(name, _("it names no file"), NAME_HINT)
    return parts


def _what(path: str, shown: str) -> str:
    """What a path is, in words, for a refusal (after an open that would not follow it);
    `shown` is how the refusal names it."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        what = N_("{path} cannot be read")
    else:
        what = _KINDS[next((k for k in _KINDS if k != "other" and _IS[k](mode)), "other")]
    return _(what).format(path=shown)


_IS: dict[str, Callable[[int], bool]] = {
    "link": stat.S_ISLNK,
    "folder": stat.S_ISDIR,
    "file": stat.S_ISREG,
    "pipe": stat.S_ISFIFO,
    "socket": stat.S_ISSOCK,
    "device": lambda mode: stat.S_ISCHR(mode) or stat.S_ISBLK(mode),
}
_KINDS = {
    "link": N_("{path} is a symbolic link"),
    "folder": N_("{path} is a folder"),
    "file": N_("{path} is a file, not a folder"),
    "pipe": N_("{path} is a named pipe"),
    "socket": N_("{path} is a socket"),
    "device": N_("{path} is a device"),
    "other": N_("{path} is not a regular file"),
}


def read_confined(folder: Path, parts: list[str], name: str) -> tuple[str, int, int] | None:
    """The text of folder/parts (with its inode and mtime) if it exists, None if it does
    not; a ConfigError if anything on the way is a link, not a folder or not a file."""
    shown = "/".join([FOLDER, *parts])
    if not portable.SAFE_FOLDERS:
        return _read_by_path(folder, parts, name)
    nofollow = os.O_RDONLY | portable.O_NOFOLLOW | portable.O_CLOEXEC
    try:
        fd = os.open(folder, nofollow | portable.O_DIRECTORY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            shown_folder = _("the root's {folder}/ folder").format(folder=FOLDER)
            raise _refuse(name, _what(str(folder), shown_folder)) from None
        raise _refuse(
            name,
            _("the root's {folder}/ cannot be read ({reason})").format(
                folder=FOLDER, reason=exc.strerror
            ),
        ) from None
    try:
        walked = str(folder)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            walked = os.path.join(walked, part)
            # O_NONBLOCK: a named pipe is opened (then refused), not waited on.
            flags = nofollow | portable.O_NONBLOCK if last else nofollow | portable.O_DIRECTORY
            try:
                step = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                return None
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENXIO, errno.EISDIR):
                    where = "/".join([FOLDER, *parts[: i + 1]])
                    raise _refuse(name, _what(walked, where)) from None
                raise _refuse(
                    name,
                    _("{path} cannot be read ({reason})").format(path=shown, reason=exc.strerror),
                ) from None
            os.close(fd)
            fd = step
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(name, _what(walked, shown))
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise _refuse(
                name,
                _("{path} has {size} bytes, more than {limit}").format(
                    path=shown, size=f"{info.st_size:,}", limit=f"{MAX_TEMPLATE_BYTES:,}"
                ),
            )
        chunks = []
        size = 0
        while size <= MAX_TEMPLATE_BYTES:
            chunk = os.read(fd, MAX_TEMPLATE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        if size > MAX_TEMPLATE_BYTES:
            raise _refuse(
                name,
                _("{path} has more than {limit} bytes").format(
                    path=shown, limit=f"{MAX_TEMPLATE_BYTES:,}"
                ),
            )
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(name, _("{path} is not UTF-8 text").format(path=shown)) from None
    return text, info.st_ino, info.st_mtime_ns


def _read_by_path(folder: Path, parts: list[str], name: str) -> tuple[str, int, int] | None:
    """read_confined where the OS opens no file relative to a folder (Windows): each step
    looked at with lstat (no link, a folder on the way, a regular file at the end), then
    the file read by its path."""
    shown = "/".join([FOLDER, *parts])
    steps = [str(folder), *(os.path.join(folder, *parts[: i + 1]) for i in range(len(parts)))]
    for i, step in enumerate(steps):
        where = "/".join([FOLDER, *parts[:i]])
        try:
            mode = os.lstat(step).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _refuse(
                name, _("{path} cannot be read ({reason})").format(path=where, reason=exc.strerror)
            ) from None
        last = i == len(steps) - 1
        if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) if last else stat.S_ISDIR(mode)):
            raise _refuse(name, _what(step, where))
    info = os.stat(steps[-1])
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise _refuse(
            name,
            _("{path} has {size} bytes, more than {limit}").format(
                path=shown, size=f"{info.st_size:,}", limit=f"{MAX_TEMPLATE_BYTES:,}"
            ),
        )
    try:
        text = Path(steps[-1]).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(name, _("{path} is not UTF-8 text").format(path=shown)) from None
    return text, info.st_ino, info.st_mtime_ns


class ConfinedLoader(BaseLoader):
    """A root's templates/ (confined, see the module), then the shipped templates."""

    def __init__(self, root_templates: Path | None, shipped: Path) -> None:
        self.root_templates = root_templates
        self.shipped = FileSystemLoader(str(shipped))

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        parts = template_parts(template)
        if self.root_templates is not None:
            found = read_confined(self.root_templates, parts, template)
            if found is not None:
                text, inode, mtime = found
                path = str(self.root_templates.joinpath(*parts))

                def uptodate() -> bool:
                    try:
                        info = os.lstat(path)
                    except OSError:
                        return False
                    return (info.st_ino, info.st_mtime_ns) == (inode, mtime)

                return text, path, uptodate
        try:
            return self.shipped.get_source(environment, "/".join(parts))
        except TemplateNotFound:
            raise TemplateNotFound(template) from None
