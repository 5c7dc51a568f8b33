"""Strict YAML in, atomic files out.

Reading: libyaml (PyYAML's C parser) composes the node tree; we walk it ourselves so that
every scalar stays the text that was written (``007`` is "007", ``No`` is "No"), the
line of every key is kept, and the traps of YAML are refused with a message instead of
a silent change of meaning: duplicate keys, aliases, merge keys, foreign tags, files that
are empty, not UTF-8, or not a mapping. The model then types each string strictly.

Writing: temp file in the same folder, fsync, rename; a lock file for ID allocation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from hardship_cli.problems import HardshipError, Problem, Refused, UsageError, os_error

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - checked in tests
    raise ImportError("PyYAML was built without libyaml; install PyYAML with its C loader")

_Loader = yaml.CSafeLoader

Lines = dict[tuple[Any, ...], int]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STD = "tag:yaml.org,2002:"
# Tags a plain or quoted scalar may resolve to; anything else was written as an explicit tag.
_SCALAR_TAGS = frozenset(
    _STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value")
)


class ParseResult:
    __slots__ = ("data", "lines", "problems")

    def __init__(self, data: Any, lines: Lines, problems: list[Problem]) -> None:
        self.data = data
        self.lines = lines
        self.problems = problems


def parse(raw: bytes, path: str) -> ParseResult:
    """Parse one record file into plain data (str | None | list | dict) with key lines.

    This is the reference: any faster path (see ``fastyaml``) must give the same result.
    """
    screened = screen(raw, path)
    if isinstance(screened, ParseResult):
        return screened
    return compose(screened, path)


def screen(raw: bytes, path: str) -> ParseResult | str:
    """The checks before any YAML parser sees the file: size, encoding, NUL bytes, empty.

    Returns the text to parse, or the result (with its problem) when there is none.
    """
    problems: list[Problem] = []
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(
                path,
                None,
                "too-large",
                f"file is {len(raw):,} bytes; a record is never larger than {MAX_FILE_BYTES:,}",
                "split it, or check that it is really a record",
            )
        )
        return ParseResult(None, {}, problems)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                path,
                line,
                "not-utf8",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8 (from GBK: iconv -f GBK -t UTF-8)",
            )
        )
        return ParseResult(None, {}, problems)
    if "\x00" in text:
        problems.append(
            Problem(path, None, "not-yaml", "file holds NUL bytes; it is not a YAML text")
        )
        return ParseResult(None, {}, problems)
    if not _surely_holds_content(text) and (
        not text.strip()
        or all(
            not ln.strip() or ln.lstrip().startswith("#") or ln.strip() in ("---", "...")
            for ln in text.splitlines()
        )
    ):
        problems.append(
            Problem(path, 1, "empty-file", "file is empty", "write the record, or delete the file")
        )
        return ParseResult(None, {}, problems)
    return text


def _surely_holds_content(text: str) -> bool:
    """A shortcut for the empty-file check above, without splitting every line: past the
    leading comment lines, a line that starts with anything but `#`, `-` or `.` is a line
    of content (False: not sure, the full check decides)."""
    rest = text.lstrip()
    while rest[:1] == "#":
        end = rest.find("\n")
        if end < 0:
            return False
        rest = rest[end + 1 :].lstrip()
    return rest[:1] not in ("", "-", ".")


def compose(text: str, path: str) -> ParseResult:
    """libyaml composes the node tree; the walker turns it into data, lines and problems."""
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml may point one past the last line when the file ends mid-value.
        where = min(mark.line + 1, text.count("\n") + 1) if mark is not None else None
        what = exc.problem or exc.context or "not valid YAML"
        if what == _LIBYAML_TOO_DEEP:
            # libyaml stops at its own limit (1,000 levels) before our walker sees the
            # tree: the same problem as past ours.
            problems.append(Problem(path, where, "too-deep", _TOO_DEEP))
            return ParseResult(None, {}, problems)
        problems.append(
            Problem(
                path,
                where,
                "not-yaml",
                f"not valid YAML: {what}",
                "check the indentation and quoting on this line and the one above",
            )
        )
        return ParseResult(None, {}, problems)
    except yaml.YAMLError as exc:
        problems.append(Problem(path, None, "not-yaml", f"not valid YAML: {exc}"))
        return ParseResult(None, {}, problems)
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(path, 1, "empty-file", "file is empty"))
        return ParseResult(None, {}, problems)
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                path,
                node.start_mark.line + 1,
                "not-mapping",
                f"a record is a mapping of keys to values, not {_node_kind(node)}",
                "start the file with `id: ...` and one `key: value` per line",
            )
        )
        return ParseResult(None, {}, problems)
    walker = _Walker(path, problems)
    data = walker.mapping(node, (), 0)
    return ParseResult(data, walker.lines, problems)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


class _Walker:
    __slots__ = ("path", "problems", "lines", "seen")

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.lines: Lines = {}
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, code, message, hint))

    def value(self, node: yaml.Node, where: tuple[Any, ...], depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.problem(node, "too-deep", _TOO_DEEP)
            return None
        ident = id(node)
        if ident in self.seen:
            # An alias shares the anchored node (and its position): report it where it is
            # used, once per line.
            line = container_line(self.lines, where)
            if not any(p.code == "alias" and p.line == line for p in self.problems):
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        "alias",
                        "YAML anchors and aliases (&name / *name) are not allowed in records",
                        "write the value out in full where it is used",
                    )
                )
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        self.seen.add(ident)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _STD + "seq":
                self.problem(node, "tag", f"tag {node.tag} is not allowed in records")
            items = []
            for index, item in enumerate(node.value):
                here = (*where, index)
                self.lines[here] = item.start_mark.line + 1
                items.append(self.value(item, here, depth + 1))
            return items
        self.problem(node, "not-yaml", "unexpected YAML node")  # pragma: no cover
        return None

    def scalar(self, node: yaml.ScalarNode) -> str | None:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            if tag == _STD + "merge":
                self.problem(
                    node,
                    "merge-key",
                    "YAML merge keys (<<) are not allowed in records",
                    "write the keys out in full",
                )
            else:
                self.problem(
                    node,
                    "tag",
                    f"tag {tag} is not allowed in records",
                    "remove the tag; values are typed by the record's schema",
                )
            return None
        value: str = node.value
        if not node.style and value in _NULLS:
            return None
        return value

    def mapping(self, node: yaml.MappingNode, where: tuple[Any, ...], depth: int) -> Any:
        self.seen.add(id(node))
        if node.tag not in (_STD + "map",):
            self.problem(node, "tag", f"tag {node.tag} is not allowed in records")
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "bad-key", "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag == _STD + "merge":
                self.problem(
                    key_node,
                    "merge-key",
                    "YAML merge keys (<<) are not allowed in records",
                    "write the keys out in full",
                )
                continue
            key = key_node.value
            if key in first_line:
                self.problem(
                    key_node,
                    "duplicate-key",
                    f"key `{key}` appears twice (first on line {first_line[key]})",
                    "keep one of them; YAML would silently keep only the last",
                )
                continue
            first_line[key] = line
            here = (*where, key)
            self.lines[here] = line
            result[key] = self.value(value_node, here, depth + 1)
        return result


def container_line(lines: Lines, where: tuple[Any, ...]) -> int | None:
    """The line of a key; for a list item, the line of the key that holds the list."""
    if where and isinstance(where[-1], int):
        where = where[:-1]
    return line_of(lines, where)


def line_of(lines: Lines, loc: tuple[Any, ...]) -> int | None:
    """The line of a location, or of its nearest enclosing key that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return 1 if lines else None


# ---------------------------------------------------------------------------------------
# Only regular files


class OddFile(Refused):
    """A name where a record or a folder of records belongs that is not a regular file or
    a real folder: a symbolic link, a named pipe, a device, a socket. It is never read
    (a pipe would hang the command; a link reads, and lets casework write, wherever it
    points, outside the root and out of git's sight), and never followed."""

    def __init__(self, path: str, what: str, code: str, writing: bool = False) -> None:
        done = "nothing was written" if writing else "it was not read"
        super().__init__(f"{path} is {what}; {done}", _ODD_HINTS[code])
        self.what = what
        self.code = code

    def problem(self, rel: str, folder: bool = False) -> Problem:
        """The problem `validate` reports at the odd name."""
        kind = "folder" if folder else "file"
        if self.code == SYMLINK:
            message = (
                f"the {kind} is a symbolic link; records are read only from real {kind}s "
                "inside the root, never through a link"
            )
        else:
            holds = "a folder of records" if folder else "a record file"
            message = f"this is {self.what}, not {holds}; it was not read"
        return Problem(rel, None, self.code, message, _ODD_HINTS[self.code])


SYMLINK = "symlink"
NOT_A_FILE = "not-a-file"
_ODD_HINTS = {
    SYMLINK: "put the real file or folder here in place of the link (git keeps a link as "
    "a link, so the records it points to are not in the repository)",
    NOT_A_FILE: "delete it; a record is a regular YAML file",
}
# Whatever the file is, opening it neither waits (a pipe with no writer), nor follows a
# link, nor makes a terminal ours.
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def odd_kind(mode: int) -> tuple[str, str] | None:
    """What a file of this mode (from lstat) is, and the problem's code, when it is not a
    regular file or a folder; None when it is one of those."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link", SYMLINK
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)", NOT_A_FILE
    if stat.S_ISSOCK(mode):
        return "a socket", NOT_A_FILE
    return "a device", NOT_A_FILE


def open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """Open a file for reading only if it is a regular file: its descriptor and status.

    The type is checked on the open descriptor before a byte is read. Raises ``OddFile``
    for a symbolic link, pipe, device or socket, ``IsADirectoryError`` for a folder, and
    OSError when it cannot be opened."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise OddFile(os.fspath(path), "a symbolic link", SYMLINK) from None
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            odd = odd_kind(os.lstat(path).st_mode)
        except OSError:
            odd = None
        if odd is not None:
            raise OddFile(os.fspath(path), *odd) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a folder", os.fspath(path))
            what, code = odd_kind(info.st_mode) or ("not a regular file", NOT_A_FILE)
            raise OddFile(os.fspath(path), what, code)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def check_place(path: Path, rel: str) -> None:
    """Refuse to write a record whose file, or a folder on its way from the root (the
    folders `rel` names), is a symbolic link, a pipe or the like: writing through a link
    lands wherever it points, outside the root and out of git's sight. What does not
    exist yet is made as a real folder or file."""
    parts = Path(rel).parts
    here = path
    for depth in range(len(parts)):
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise os_error(exc, "read", here) from None
        odd = odd_kind(mode) if mode is not None else None
        if odd is not None:
            raise OddFile("/".join(parts[: len(parts) - depth]), *odd, writing=True)
        here = here.parent


def read_open(fd: int) -> bytes:
    """The rest of an open regular file."""
    chunk = os.read(fd, 1 << 20)
    if len(chunk) < 1 << 20:
        return chunk  # a short read of a regular file is its end: one call, not two
    chunks = [chunk]
    while chunk:
        chunk = os.read(fd, 1 << 20)
        chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------------
# Writing


def atomic_write(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it.
    `mode` (0o600 for a file with sensitive fields) is the file's mode from the moment
    it exists, whatever the old file's was; by default an old file keeps its mode.
    A read-only root, a full disk or a missing permission is said in plain words."""
    try:
        _atomic_write(path, data, mode)
    except OSError as exc:
        raise os_error(exc, "write", path, nothing_written=True) from None


def _atomic_write(path: Path, data: bytes | str, mode: int | None) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float = 10.0, ignore: str | None = None) -> Iterator[None]:
    """An exclusive lock between processes (fcntl), for ID allocation and edits.

    The lock's folder and the lock are not followed when they are links: either is
    refused, never written through (a link committed to the records could point
    anywhere). With `ignore`, a ``.gitignore`` of that text is made beside the lock when
    there is none (so that git never shows the lock, whatever the repository's own ignore
    files say). Another user's lock is opened for reading: flock needs no more."""
    import fcntl

    folder = lock_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        if isinstance(exc, FileExistsError):  # a file, or a link to nowhere
            raise _linked(folder, lock_path) from None
        raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
    if not stat.S_ISDIR(info.st_mode):
        raise _linked(folder, lock_path)
    if ignore is not None:
        _create_beside(folder / ".gitignore", ignore)
    flags = os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _linked(lock_path, lock_path) from None
        if not isinstance(exc, PermissionError):
            raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
        try:  # another user's lock: flock needs it open for reading only
            fd = os.open(lock_path, os.O_RDONLY | flags)
        except OSError:
            raise os_error(exc, "create the lock file", lock_path, nothing_written=True) from None
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise UsageError(
                        f"another hardship command holds the lock {lock_path}",
                        "wait for it to finish, then run the command again",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _create_beside(path: Path, text: str) -> None:
    """Make a small file beside the lock unless one is there (a link included: it is left
    alone, never followed). Not an error when it cannot be made: another user's root, a
    read-only one (where the lock itself then says what is wrong)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o644)
    except OSError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _linked(path: Path, lock_path: Path) -> UsageError:
    """The lock's folder or the lock is a link (or not a folder): never written through."""
    if path == lock_path.parent:
        return UsageError(
            f"{path} is a link or not a folder; hardship keeps its lock in it and does"
            " not write through a link",
            f"make {path} a plain folder of the root (its schema/ files are in git)",
        )
    return UsageError(
        f"{path} is a link; hardship does not write through a link",
        f"remove {path}: hardship makes it itself",
    )


def atomic_create(path: Path, data: bytes | str) -> None:
    """Write a new file atomically, refusing to replace one that already exists, or to
    write into a folder that is a symbolic link (see `check_place`, which the caller runs
    from the root: this checks the folder the file goes into)."""
    check_place(path.parent, path.parent.name)
    try:
        _atomic_create(path, data)
    except OSError as exc:
        raise os_error(exc, "write", path, nothing_written=True) from None


def _atomic_create(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # A hard link appears whole or not at all, and fails if the name is taken.
            os.link(tmp, path)
        except FileExistsError:
            raise UsageError(
                f"{path.name} already exists; it was not overwritten",
                "another command created it a moment ago: run this one again",
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# ---------------------------------------------------------------------------------------
# Editing with the smallest diff (ruamel.yaml round-trip)
#
# A record file is loaded into ruamel's comment-keeping tree with every plain scalar kept
# as the text that was written (the same view `parse` has), changed only where the record
# changed, and dumped back: untouched lines come out as they went in.

_MONEY_TEXT_RE = re.compile(r"^[0-9]+\.[0-9]{2}$")
# Text a YAML 1.1 or 1.2 reader (an editor, another tool) would take for a number, a
# boolean, a null or a date: such text is quoted when written, so the file means the same
# to every reader. Money, dates and numbers we write on purpose stay plain.
_TYPED_LOOKING_RE = re.compile(
    r"""^(?:
        [-+]?(?:[0-9][0-9_,:]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?
      | 0[xob][0-9a-fA-F_]+
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE
      | on|On|ON|off|Off|OFF|~|null|Null|NULL
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?
    )$""",
    re.VERBOSE,
)


class Plain(str):
    """Text written without quotes on purpose: money, dates, numbers, enum values."""

    __slots__ = ()


def _round_trip() -> Any:
    """A fresh ruamel.yaml round-trip instance (one per load or dump: an instance that hit
    an error may write garbage afterwards)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Resolver = _text_resolver()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    return yaml


_TEXT_RESOLVER: Any = None


def _text_resolver() -> Any:
    """A resolver that types nothing but the empty value (null): every other plain scalar
    is text, on the way in and on the way out, so text is written without quotes and an
    untouched `~` or `null` is written back as it was (the record's view of the file comes
    from `parse`, which reads those as null)."""
    global _TEXT_RESOLVER
    if _TEXT_RESOLVER is None:
        from ruamel.yaml.resolver import VersionedResolver

        table = {"": [("tag:yaml.org,2002:null", re.compile(r"^$"))]}

        class TextResolver(VersionedResolver):  # type: ignore[misc]
            @property
            def versioned_resolver(self) -> Any:
                return table

        _TEXT_RESOLVER = TextResolver
    return _TEXT_RESOLVER


def _yaml_scalar(value: str) -> Any:
    """How a piece of text is written: plain if no YAML reader could mistake it."""
    if isinstance(value, Plain):
        return str(value)
    if _TYPED_LOOKING_RE.match(value) and value != "":
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    if "\n" in value:
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


def record_tree(record: Any, only_set: bool = False) -> Any:
    """A typed record as YAML-ready data, in field order: Decimal money as `1200.00`,
    dates as ISO, booleans as true/false, enums by value, text quoted when it would be
    mistaken for something else. None stays None (the caller drops it). With `only_set`,
    fields left at their default (never given) are left out, as in a new file."""
    from datetime import date as _date
    from decimal import Decimal
    from enum import Enum

    from pydantic import BaseModel

    if isinstance(record, BaseModel):
        out: dict[str, Any] = {}
        given = record.model_fields_set
        for name, info in type(record).model_fields.items():
            if only_set and name not in given:
                continue
            out[info.alias or name] = record_tree(getattr(record, name), only_set)
        return out
    if isinstance(record, dict):
        return {
            (k.value if isinstance(k, Enum) else str(k)): record_tree(v, only_set)
            for k, v in record.items()
        }
    if isinstance(record, list):
        return [record_tree(v, only_set) for v in record]
    if record is None:
        return None
    if isinstance(record, bool):
        return Plain("true" if record else "false")
    if isinstance(record, Enum):
        return Plain(record.value)
    if isinstance(record, Decimal):
        return Plain(f"{record:.2f}")
    if isinstance(record, int):
        return Plain(str(record))
    if isinstance(record, _date):
        return Plain(record.isoformat())
    if isinstance(record, str):
        return record
    raise TypeError(f"cannot write a {type(record).__name__} into a record")


def _build(value: Any) -> Any:
    """Plain data -> ruamel nodes for new content (block style, Nones and empties dropped)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            if _is_empty(item):
                continue
            node[str(key)] = _build(item)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_build(item) for item in value)
        return seq
    return _yaml_scalar(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (list, dict)) and not value)


def dump_tree(tree: Any, header: str = "") -> str:
    import io

    stream = io.StringIO()
    if header:
        stream.write(header)
    _round_trip().dump(tree, stream)
    return stream.getvalue()


def new_record_text(record: Any, schema_ref: str | None = None) -> str:
    """The text of a new record file, with the editor's schema line first."""
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return dump_tree(_build(record_tree(record, only_set=True)), header)


def plain_text(data: dict[str, Any]) -> str:
    """A mapping of text values as YAML (for checking input before a record exists)."""
    return dump_tree(_build(data))


# -- applying a change to a loaded tree --------------------------------------------------


def apply_change(tree: Any, old: Any, new: Any, given: Any = None) -> None:
    """Change `tree` (ruamel nodes, as loaded) where `new` differs from `old` (both from
    `record_tree`): equal parts are not touched, so their lines and comments survive.
    `given` is `new` with only the fields that were set (`record_tree(only_set=True)`):
    new content is written from it, so defaults nobody chose are not written out."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(tree, CommentedMap) and isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        sparse = given if isinstance(given, dict) else {}
        for key, value in new.items():
            before = old.get(key)
            if value == before:
                continue
            if _is_empty(value):
                if key in tree:
                    _delete_key(tree, key)
                continue
            fresh = sparse.get(key, value)
            if key in tree and _is_container_for(tree[key], value):
                apply_change(tree[key], before, value, sparse.get(key))
                continue
            if key in tree:
                tree[key] = _replace_scalar(tree[key], fresh)
                continue
            _insert_key(tree, key, _build(fresh), list(new))
        return
    if isinstance(tree, CommentedSeq) and isinstance(new, list):
        old = old if isinstance(old, list) else []
        sparse_items = given if isinstance(given, list) and len(given) == len(new) else new
        if len(tree) != len(old):
            raise ValueError("the list in the file does not match the record")
        common = min(len(old), len(new))
        for index in range(common):
            if new[index] != old[index]:
                if _is_container_for(tree[index], new[index]):
                    apply_change(tree[index], old[index], new[index], sparse_items[index])
                else:
                    tree[index] = _replace_scalar(tree[index], sparse_items[index])
        if len(new) < len(old):
            for _ in range(len(old) - len(new)):
                del tree[len(new)]
        for item in sparse_items[common:]:
            _append_item(tree, _build(item))
        return
    raise ValueError("the file's layout does not match the record")  # pragma: no cover


def _is_container_for(node: Any, value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return isinstance(node, CommentedMap)
    if isinstance(value, list):
        # An empty list is often written `[]`: new items replace it with a block list.
        return isinstance(node, CommentedSeq) and len(node) > 0
    return False


def _replace_scalar(node: Any, value: Any) -> Any:
    """A new value in place of an old one; text keeps the quoting style it had."""
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if isinstance(value, (dict, list)):
        return _build(value)
    built = _yaml_scalar(value)
    if (
        isinstance(node, ScalarString)
        and not isinstance(value, Plain)
        and not isinstance(node, LiteralScalarString)
        and "\n" not in value
    ):
        return type(node)(value)
    return built


def _delete_key(tree: Any, key: str) -> None:
    """Remove a key; full-line comments that followed its value stay for the next key."""
    entry = tree.ca.items.get(key)
    heading = ""
    if entry is not None and len(entry) > 1 and entry[1]:
        # Comments written above the key (ruamel keeps them as its "pre" comments).
        heading = "".join(token.value for token in entry[1])
    moved = heading + _take_trailing(tree[key], tree, key)
    keys = list(tree)
    index = keys.index(key)
    del tree[key]
    if moved and index > 0:
        _give_trailing(tree, keys[index - 1], moved)


def _insert_key(tree: Any, key: str, value: Any, order: list[str]) -> None:
    """Insert a key after the nearest key before it in the record's field order; the
    full-line comments that followed that key (which head what comes next) move below."""
    keys = list(tree)
    position = len(keys)
    rank = order.index(key)
    before = [k for k in keys if k in order and order.index(k) < rank]
    after = [k for k in keys if k in order and order.index(k) > rank]
    if before:
        position = keys.index(before[-1]) + 1
    elif after:
        position = keys.index(after[0])
    previous = keys[position - 1] if position > 0 else None
    moved = _take_trailing(tree[previous], tree, previous) if previous is not None else ""
    tree.insert(position, key, value)
    if moved:
        _give_trailing(tree, key, moved)


def _append_item(seq: Any, item: Any) -> None:
    from ruamel.yaml.comments import CommentedSeq

    moved = _take_trailing(seq[-1], seq, len(seq) - 1) if len(seq) else ""
    if not len(seq) and isinstance(seq, CommentedSeq):
        seq.fa.set_block_style()
    seq.append(item)
    if moved:
        _give_trailing(seq, len(seq) - 1, moved)


def _post_comment(parent: Any, key: Any) -> tuple[Any, int] | None:
    """The comment token after a scalar value in a mapping or list, and its slot."""
    from ruamel.yaml.comments import CommentedMap

    slot = 2 if isinstance(parent, CommentedMap) else 0
    entry = parent.ca.items.get(key)
    if entry is None or len(entry) <= slot or entry[slot] is None:
        return None
    return entry[slot], slot


def _last_leaf(value: Any, parent: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose value is written last inside `parent[key]`."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = value
    while True:
        if isinstance(node, CommentedMap) and len(node):
            parent, key = node, list(node)[-1]
        elif isinstance(node, CommentedSeq) and len(node) and not node.fa.flow_style():
            parent, key = node, len(node) - 1
        else:
            return parent, key
        node = parent[key]


def _take_trailing(value: Any, parent: Any, key: Any) -> str:
    """Detach the full-line comments (and blank lines) written after a value; keep its
    end-of-line comment where it is."""
    holder, leaf = _last_leaf(value, parent, key)
    found = _post_comment(holder, leaf)
    if found is None:
        return ""
    token, _slot = found
    text = token.value
    if text.startswith("#"):
        head, sep, rest = text.partition("\n")
        token.value = head + sep
        return rest
    if text.startswith("\n"):
        holder.ca.items[leaf][_slot] = None
        return text[1:]
    return ""


def _give_trailing(parent: Any, key: Any, text: str) -> None:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    holder, leaf = _last_leaf(parent[key], parent, key)
    found = _post_comment(holder, leaf)
    if found is not None:
        token, _slot = found
        value = token.value
        token.value = (value if value.endswith("\n") else value + "\n") + text
        return
    slot = 2 if isinstance(holder, CommentedMap) else 0
    entry = holder.ca.items.setdefault(leaf, [None, None, None, None])
    while len(entry) <= slot:
        entry.append(None)
    entry[slot] = CommentToken("\n" + text, CommentMark(0), None)


# -- a record file opened for editing ---------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file was when it was read: a later write refuses if it is not that any more."""

    mtime_ns: int
    size: int
    digest: str

    @classmethod
    def of(cls, raw: bytes, stat: os.stat_result) -> Snapshot:
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(raw).hexdigest())


class RecordFile:
    """A record file read for editing: its bytes, a snapshot of them, and its tree."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path = path
        self.rel = rel
        check_place(path, rel)
        try:
            fd, info = open_regular(path)
            try:
                self.raw = read_open(fd)
            finally:
                os.close(fd)
        except OddFile as exc:
            raise OddFile(rel, exc.what, exc.code, writing=True) from None
        except OSError as exc:
            raise os_error(exc, "read", rel) from None
        self.snapshot = Snapshot.of(self.raw, info)

    def parse(self) -> ParseResult:
        return parse(self.raw, self.rel)

    def edit(self, old: Any, new: Any) -> str:
        """The file's text with `old` changed into `new` (typed records): the smallest diff."""
        text = self.raw.decode("utf-8-sig")
        tree = _round_trip().load(text)
        try:
            apply_change(tree, record_tree(old), record_tree(new), record_tree(new, only_set=True))
        except ValueError as exc:
            raise HardshipError(
                f"{self.rel}: {exc}; nothing was written",
                "run hardship validate and correct the file by hand",
            ) from None
        return dump_tree(tree)

    def changed_on_disk(self) -> bool:
        try:
            fd, info = open_regular(self.path)
        except (OSError, OddFile):
            return True
        try:
            if (info.st_mtime_ns, info.st_size) == (self.snapshot.mtime_ns, self.snapshot.size):
                return False
            raw = read_open(fd)
        except OSError:
            return True
        finally:
            os.close(fd)
        # Touched but not changed (same bytes) is not a lost edit.
        return Snapshot.of(raw, info).digest != self.snapshot.digest

    def save(self, text: str) -> None:
        """Write atomically, unless someone changed the file since it was read (or made it,
        or a folder on its way, a link since)."""
        check_place(self.path, self.rel)
        if self.changed_on_disk():
            raise Refused(
                f"{self.rel} changed on disk since it was read; it was not overwritten",
                "someone else edited it: run the command again to act on their version",
            )
        atomic_write(self.path, text)
