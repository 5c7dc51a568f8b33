"""Key lines (the line of each key of a record file) packed for the parse cache and for
the workers' pipe, and unpacked only when a problem needs a line."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator
from typing import Any


def pack_lines(lines: dict[tuple[Any, ...], int]) -> bytes:
    """Lines for the cache: marshalled, or (when they were never worked out) the file's
    bytes, from which the reference parser works them out on demand."""
    if isinstance(lines, LazyLines):
        if lines.blob is not None:
            return lines.blob
        lines = dict(lines.items())
    return b"M" + marshal.dumps(lines)


def unpack_lines(blob: bytes, file: str | None = None) -> dict[tuple[Any, ...], int]:
    """`M` marshalled lines; `R` the file's bytes; `F` the file itself, read again (a cache
    entry is used only while the file's size and time stamp are those it was made from, so
    the cache need not hold a copy of 100,000 files' bytes)."""
    tag = blob[:1]
    if tag == b"R" or tag == b"F":
        from hardship_cli.load import odd_files, strict

        raw = blob[1:]
        if tag == b"F":
            if file is None:
                return {}
            try:
                # Only a regular file: one swapped for a pipe since it was read must not
                # hang the run that wants a line of it.
                fd, _info = odd_files.open_regular(file)
                with os.fdopen(fd, "rb") as handle:
                    raw = handle.read()
            except (OSError, odd_files.OddFile):
                return {}  # gone or changed since: a problem in it is shown without a line
        return strict.parse(raw, "").lines
    return marshal.loads(blob[1:])  # type: ignore[no-any-return]


def sent_lines(lines: dict[tuple[Any, ...], int]) -> bytes:
    """Lines as a worker sends them back: `F` (read the file again if a line is ever
    needed) rather than a copy of its bytes through the pipe, when they were never
    worked out; else marshalled."""
    if isinstance(lines, LazyLines) and lines.blob is not None and lines.blob[:1] == b"R":
        return b"F"
    return pack_lines(lines)


def stored_lines(blob: bytes) -> bytes:
    """Lines as a cache entry keeps them: a file's own bytes are not copied (see above)."""
    return b"F" if blob[:1] == b"R" else blob


class LazyLines(dict):  # type: ignore[type-arg]
    """Key lines kept packed until someone asks for one (a rule reporting a problem).

    Packed is either marshalled lines or, from the fastest parsing path, the file's bytes:
    then the reference parser (``strict.parse``) works the lines out, for this file only.
    A dict in every respect; it fills itself on first use.
    """

    __slots__ = ("blob", "file")

    def __init__(self, blob: bytes, file: str | None = None) -> None:
        super().__init__()
        self.blob: bytes | None = blob
        self.file = file

    @classmethod
    def from_raw(cls, raw: bytes) -> LazyLines:
        return cls(b"R" + raw)

    def _fill(self) -> None:
        blob = self.blob
        if blob is not None:
            self.blob = None
            dict.update(self, unpack_lines(blob, self.file))

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def __getitem__(self, key: Any) -> int:
        self._fill()
        return dict.__getitem__(self, key)  # type: ignore[no-any-return]

    def get(self, key: Any, default: Any = None) -> Any:
        self._fill()
        return dict.get(self, key, default)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def __bool__(self) -> bool:
        self._fill()
        return dict.__len__(self) > 0

    def __iter__(self) -> Iterator[Any]:
        self._fill()
        return dict.__iter__(self)

    def __eq__(self, other: object) -> bool:
        self._fill()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def keys(self) -> Any:
        self._fill()
        return dict.keys(self)

    def values(self) -> Any:
        self._fill()
        return dict.values(self)

    def items(self) -> Any:
        self._fill()
        return dict.items(self)

    def copy(self) -> dict[Any, int]:
        self._fill()
        return dict(dict.items(self))

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        self._fill()
        return dict, (dict(dict.items(self)),)
