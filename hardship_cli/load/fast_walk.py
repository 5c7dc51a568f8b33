"""The fast parser's second route (``fastyaml``): a Python walk of rapidyaml's tree.

rapidyaml has no API for a node's line, so the line of a key or item is found from where
its text sits in the parsed buffer (``parse_in_place`` leaves plain and quoted scalars
where they were written); ``buffer_address`` reads that pointer from the memoryview, and
``find_view_offset`` checks at import time that it reads it right.
"""

from __future__ import annotations

import ctypes
from functools import partial
from typing import Any

from hardship_cli.load.rapidyaml import (
    FLOW_ML,
    KEY_PLAIN,
    MAP,
    NONE,
    REFUSED,
    SEQ,
    VAL_BLOCK,
    VAL_PLAIN,
    VAL_STYLED,
    ryml,
    ryml_c,
)
from hardship_cli.load.strict import MAX_DEPTH, Lines, ParseResult, duplicate_key
from hardship_cli.problems import Problem

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class Fallback(Exception):
    """This file is not one the fast path can reproduce exactly."""


def find_view_offset() -> int | None:
    """Where a memoryview keeps its buffer pointer (CPython's Py_buffer.buf), checked."""
    probe = bytearray(b"0123456789abcdef" * 4)
    holder = (ctypes.c_char * len(probe)).from_buffer(probe)
    base = ctypes.addressof(holder)
    try:
        whole, part = memoryview(probe), memoryview(probe)[5:]
        for offset in range(16, 160, 8):
            read = ctypes.c_void_p.from_address(id(whole) + offset).value
            if read == base:
                again = ctypes.c_void_p.from_address(id(part) + offset).value
                if again == base + 5:
                    return offset
        return None
    finally:
        del holder, whole, part


VIEW_OFFSET = find_view_offset() if ryml is not None else None
_OFFSET: int = VIEW_OFFSET or 0
_pointer = ctypes.c_void_p.from_address

def buffer_address(view: memoryview) -> int:
    value = _pointer(id(view) + VIEW_OFFSET).value  # type: ignore[operator]
    return value or 0


class Walk:
    """Turn a rapidyaml tree into (data, lines, problems) exactly as the reference
    parser (``strict.parse``) does."""

    __slots__ = (
        "tree",
        "buf",
        "raw",
        "path",
        "base",
        "end",
        "lines",
        "problems",
        "_at",
        "_line",
        "_type",
        "_key",
        "_val",
        "_first",
        "_next",
    )

    def __init__(self, tree: Any, buf: bytearray, raw: bytes, path: str) -> None:
        self.tree = tree
        self.buf = buf  # keeps the parsed bytes alive while views point into them
        self.raw = raw  # the bytes as written: in-place filtering may have changed buf
        self.path = path
        with memoryview(buf) as view:
            self.base = buffer_address(view)
        self.end = self.base + len(buf)
        self.lines: Lines = {}
        self.problems: list[Problem] = []
        self._at = 0  # offset and line of the last position asked for
        self._line = 1
        # SWIG's proxy methods look up `tree.this` on every call; binding the C functions
        # to it directly makes a node visit three times cheaper.
        this = tree.this
        self._type = partial(ryml_c.Tree_type, this)
        self._key = partial(ryml_c.Tree_key, this)
        self._val = partial(ryml_c.Tree_val, this)
        self._first = partial(ryml_c.Tree_first_child, this)
        self._next = partial(ryml_c.Tree_next_sibling, this)

    def result(self) -> ParseResult:
        root = ryml_c.Tree_root_id(self.tree.this)
        kind = self._type(root)
        if not kind & MAP or kind & REFUSED:
            raise Fallback
        data = self.mapping(root, (), 0)
        return ParseResult(data, self.lines, self.problems)

    def line_at(self, view: memoryview) -> int:
        """The line on which a scalar's text starts, from its place in the buffer."""
        address = buffer_address(view)
        if not self.base <= address < self.end:
            raise Fallback  # filtered into the tree's arena: its place is lost
        offset = address - self.base
        if offset >= self._at:
            self._line += self.raw.count(b"\n", self._at, offset)
        else:
            self._line = self.raw.count(b"\n", 0, offset) + 1
        self._at = offset
        return self._line

    def first_line(self, node: int, depth: int = 0) -> int:
        """The line of a container list item: that of its first scalar (a key or item)."""
        if depth > MAX_DEPTH:
            raise Fallback  # lists in lists past the limit: the reference reports it
        kind = self._type(node)
        if kind & FLOW_ML:
            raise Fallback
        child = self._first(node)
        if child == NONE:
            raise Fallback  # an empty collection as an item
        ckind = self._type(child)
        if kind & MAP:
            view = self._key(child)
            if view is None:
                raise Fallback
            return self.line_at(view)
        if ckind & (MAP | SEQ):
            return self.first_line(child, depth + 1)
        return self.scalar_line(child, ckind)

    def scalar_line(self, node: int, kind: int) -> int:
        if kind & VAL_BLOCK:
            raise Fallback  # libyaml places it on the `|` or `>`, the text starts below
        view = self._val(node)
        if view is None:
            raise Fallback  # an empty item has no text to place
        return self.line_at(view)

    def scalar(self, node: int, kind: int) -> str | None:
        view = self._val(node)
        if view is None:
            return "" if kind & VAL_STYLED else None
        value = str(view, "utf-8")
        if kind & VAL_PLAIN and value in _NULLS:
            return None
        return value

    def value(self, node: int, kind: int, where: tuple[Any, ...], depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise Fallback
        if kind & MAP:
            return self.mapping(node, where, depth)
        if kind & SEQ:
            return self.sequence(node, where, depth)
        return self.scalar(node, kind)

    def sequence(self, node: int, where: tuple[Any, ...], depth: int) -> list[Any]:
        items: list[Any] = []
        lines = self.lines
        child = self._first(node)
        index = 0
        while child != NONE:
            kind = self._type(child)
            if kind & REFUSED:
                raise Fallback
            here = (*where, index)
            if kind & (MAP | SEQ):
                lines[here] = self.first_line(child)
            else:
                lines[here] = self.scalar_line(child, kind)
            items.append(self.value(child, kind, here, depth + 1))
            index += 1
            child = self._next(child)
        return items

    def mapping(self, node: int, where: tuple[Any, ...], depth: int) -> dict[str, Any]:
        # The hot loop of a cold read: scalars and line counting are inlined on purpose.
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        lines = self.lines
        get_type, get_key, get_val, get_next = self._type, self._key, self._val, self._next
        raw, base, end = self.raw, self.base, self.end
        child = self._first(node)
        while child != NONE:
            kind = get_type(child)
            if kind & REFUSED:
                raise Fallback
            view = get_key(child)
            if view is None:
                raise Fallback  # an empty key
            key = str(view, "utf-8")
            if key == "<<" and kind & KEY_PLAIN:
                raise Fallback  # a merge key: the reference reports it
            address = _pointer(id(view) + _OFFSET).value or 0
            if not base <= address < end:
                raise Fallback
            offset = address - base
            if offset >= self._at:
                self._line += raw.count(b"\n", self._at, offset)
            else:
                self._line = raw.count(b"\n", 0, offset) + 1
            self._at = offset
            line = self._line
            if key in first_line:
                self.problems.append(duplicate_key(self.path, line, key, first_line[key]))
                child = get_next(child)
                continue
            first_line[key] = line
            here = (*where, key)
            lines[here] = line
            if kind & (MAP | SEQ):
                if depth >= MAX_DEPTH:
                    raise Fallback
                if kind & MAP:
                    result[key] = self.mapping(child, here, depth + 1)
                else:
                    result[key] = self.sequence(child, here, depth + 1)
            else:
                value = get_val(child)
                if value is None:
                    result[key] = "" if kind & VAL_STYLED else None
                else:
                    text = str(value, "utf-8")
                    result[key] = None if kind & VAL_PLAIN and text in _NULLS else text
            child = get_next(child)
        return result
