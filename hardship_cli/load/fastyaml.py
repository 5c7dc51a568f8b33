"""A faster way to the same result as ``yamlio.parse``: rapidyaml, with libyaml as the judge.

rapidyaml (``import ryml``, the optional ``fast`` extra) is used only where it is known to
give exactly what ``yamlio.parse`` gives: the same string for every scalar, None for
plain null-likes, the same line for every key and list item, the same duplicate-key
problems. Anything else goes to the reference path:

- a file holding anything that YAML treats specially and records never need (anchors,
  aliases, tags, merge keys, directives, complex keys, reserved indicators, tabs,
  backslash escapes, control characters, the Unicode line breaks libyaml counts);
- anything rapidyaml refuses (the reference gives the message), or a tree the fast
  routes cannot place exactly (an empty key, a document marker, a root that is not a
  mapping, nesting deeper than the reference allows, ...).

Two fast routes, tried in order:

1. JSON: rapidyaml emits the tree as JSON and the json module's C decoder reads it;
   nothing is visited in Python. The lines are not worked out at all: ``key_lines.LazyLines``
   keeps the file's bytes and asks the reference parser for them when a problem in this
   file needs one (rarely). Files whose meaning JSON would change take route 2.
2. The walker: a Python walk of rapidyaml's tree. rapidyaml has no API for a node's line,
   so the line of a key or item is found from where its text sits in the parsed buffer
   (``parse_in_place`` leaves plain and quoted scalars where they were written);
   ``_buffer_address`` reads that pointer from the memoryview, and checks at import time
   that it reads it right.

Measured on the benchmark's records (bench/gen.py), parsing alone: libyaml about 4,400
case files or 11,000 grant files a second; route 1 about 14,000 and 25,000.

``tests/test_fastparse.py`` runs a corpus of tricky files, generated records and mutated
files through every path and demands identical data, lines and problems.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

from hardship_cli.load import yamlio
from hardship_cli.load.yamlio import MAX_DEPTH, ParseResult
from hardship_cli.problems import Problem

try:  # optional: the `fast` extra
    import ryml as _ryml
    from ryml.ryml import _ryml as _C
except ImportError:  # pragma: no cover - depends on the installation
    _ryml = None

# Bytes that send a file to the reference path: indicators records never need (anchors,
# aliases, tags, directives, reserved characters), tabs, backslash escapes and control
# characters. Mapped to NUL by one `translate`, which is far faster than a regex over
# text that is mostly Chinese.
_FLAGGED = b"&*!%@`\t\\" + bytes(c for c in range(32) if c not in (10, 13)) + b"\x7f"
_SCREEN = bytes(0 if c in _FLAGGED else c for c in range(256))
# Multi-byte ones: the UTF-8 forms of U+2028/2029 (line breaks for libyaml), a BOM inside
# the text, U+FFFE/FFFF (not printable); C1 controls and NEL start with 0xC2.
_FLAGGED_SEQUENCES = (
    b"<<",
    b"? ",
    b"?\n",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
    b"\xef\xbb\xbf",
    b"\xef\xbf\xbe",
    b"\xef\xbf\xbf",
)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def suspicious(data: bytes) -> bool:
    """Does the file hold anything the fast path does not reproduce exactly?"""
    if b"\x00" in data.translate(_SCREEN):
        return True
    for sequence in _FLAGGED_SEQUENCES:
        if sequence in data:
            return True
    if data.endswith(b"?"):
        return True
    if not data.endswith(b"\n") and (b"|" in data or b">" in data):
        return True  # a block scalar cut at the end: rapidyaml keeps a final break libyaml drops
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return True  # a lone CR is a line break for libyaml
    return b"\xc2" in data and _C1.search(data) is not None


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_DUPLICATE_HINT = "keep one of them; YAML would silently keep only the last"


class _Fallback(Exception):
    """This file is not one the fast path can reproduce exactly."""


def _find_view_offset() -> int | None:
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


_VIEW_OFFSET = _find_view_offset() if _ryml is not None else None
_OFFSET: int = _VIEW_OFFSET or 0
_pointer = ctypes.c_void_p.from_address

AVAILABLE = _ryml is not None and _VIEW_OFFSET is not None


def _buffer_address(view: memoryview) -> int:
    value = _pointer(id(view) + _VIEW_OFFSET).value  # type: ignore[operator]
    return value or 0


def describe() -> str:
    """Which parser reads records, for --verbose."""
    if AVAILABLE:
        return f"rapidyaml {_ryml.version} (libyaml for files it cannot reproduce exactly)"  # type: ignore[union-attr]
    if _ryml is None:
        return "libyaml (PyYAML C); install the `fast` extra (rapidyaml) for a faster read"
    return "libyaml (PyYAML C); rapidyaml is installed but this Python is not supported"


def parse(raw: bytes, path: str) -> ParseResult:
    """``yamlio.parse`` with the fast path where it gives the same answer."""
    result = parse_fast(raw, path)
    return yamlio.parse(raw, path) if result is None else result


def parse_fast(raw: bytes, path: str) -> ParseResult | None:
    """The fast path alone: a result identical to ``yamlio.parse``, or None to fall back."""
    if not AVAILABLE:
        return None
    screened = yamlio.screen(raw, path)
    if isinstance(screened, ParseResult):
        return screened
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if suspicious(data):
        return None
    if not _json_unsafe(screened):
        result = _json_route(data, screened)
        if result is _REFERENCE:
            return None
        if result is not None:
            return result
    buf = bytearray(data)
    try:
        tree = _parse_quietly(buf)
    except Exception:  # noqa: BLE001 - rapidyaml refused it: the reference says why
        return None
    try:
        return _Walk(tree, buf, data, path).result()
    except _Fallback:
        return None
    finally:
        del tree


# ---------------------------------------------------------------------------------------
# The fastest route: rapidyaml emits JSON, the json module's C decoder reads it. Nothing is
# visited in Python, so nothing is placed on a line: the lines are worked out by the
# reference parser if and when a problem in this file needs one (``key_lines.LazyLines``).
# JSON loses what records rarely hold, so such files take the walker below instead: a
# plain `~`, `Null` or `NULL` (null for libyaml, text in rapidyaml's JSON), a plain
# `true`/`false` (JSON booleans), the words inf, nan and infinity (which it writes .inf,
# .nan), and duplicate keys (JSON keeps the last one; a node count against the tree's
# tells). Numbers are JSON numbers: kept as the text written, and
# only when that text is in the file as written (rapidyaml writes `.5` as `0.5`).

# rapidyaml's JSON also writes the text inf, nan and infinity (quoted or not) as .inf/.nan:
# a file holding them anywhere takes the walker (found by test_fastparse's generated
# records).
_JSON_UNSAFE = ("~", "true", "false", "Null", "NULL", "inf", "nan")


def _json_unsafe(text: str) -> bool:
    for word in _JSON_UNSAFE:
        if word in text:
            return True
    return False


class _NumberChanged(Exception):
    """The JSON route cannot give the reference's answer for this file."""


_current_text = ""
_TOKEN_BEFORE = frozenset(" \n[,:-")
_TOKEN_AFTER = frozenset(" \n],#")


def _number(literal: str) -> str:
    """A JSON number as the text written in the file, or give up on this route."""
    text = _current_text
    start = text.find(literal)
    while start >= 0:
        end = start + len(literal)
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        if before in _TOKEN_BEFORE and after in _TOKEN_AFTER:
            return literal
        start = text.find(literal, start + 1)
    raise _NumberChanged(literal)


if _ryml is not None:
    import json as _json

    _decode = _json.JSONDecoder(parse_float=_number, parse_int=_number).decode


def _nodes(value: Any) -> int:
    """How many tree nodes the data holds (a duplicate key drops one and its subtree).

    A loop over the containers (a record has a handful), not a call per container."""
    count = 1
    stack = [(value, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        current, depth = pop()
        if depth >= MAX_DEPTH:
            raise _NumberChanged("too deep: the reference reports it")
        if type(current) is dict:
            if "" in current:
                raise _NumberChanged("an empty key: libyaml may refuse it where rapidyaml does not")
            items = current.values()
        else:
            items = current
        count += len(items)
        for item in items:
            kind = type(item)
            if kind is dict or kind is list:
                push((item, depth + 1))
    return count


# What `_json_route` gives when rapidyaml refused the file, or its tree was too deep to
# emit: the walker would parse it again only to give up, so the reference takes it.
_REFERENCE: Any = ParseResult(None, {}, [])


def _json_route(data: bytes, text: str) -> ParseResult | None:
    global _current_text
    from hardship_cli.load.key_lines import LazyLines

    buf = bytearray(data)  # the tree points into it: keep it alive until the end
    try:
        tree, emitted = _quietly(_tree_as_json, buf)
    except Exception:  # noqa: BLE001 - refused, or too deep to emit: the reference says why
        return _REFERENCE
    if emitted is None:
        return None
    _current_text = text
    try:
        value = _decode(emitted)
    except (ValueError, _NumberChanged):
        return None
    finally:
        _current_text = ""
    try:
        if type(value) is not dict or _nodes(value) != _C.Tree_size(tree.this):
            return None
    except (_NumberChanged, RecursionError):
        return None
    del tree, buf
    return ParseResult(value, LazyLines.from_raw(data), [])


_stderr_silenced = False


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """fd 2 to /dev/null for a bulk load with nothing to show (no progress bar): one
    redirection for all the files instead of one each."""
    global _stderr_silenced
    if _stderr_silenced:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _stderr_silenced = True
    try:
        yield
    finally:
        _stderr_silenced = False
        os.dup2(saved, 2)
        os.close(saved)


def silence_stderr() -> None:
    """For a worker process that prints nothing: send fd 2 to /dev/null once, for good."""
    global _stderr_silenced
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _stderr_silenced = True


def _tree_as_json(buf: bytearray) -> tuple[Any, Any]:
    """The tree, and its JSON when its root is a mapping with nothing the JSON route
    refuses (else None). rapidyaml's emitter refuses a tree nested past its own limit
    (64 levels) with an exception: the caller falls back to the reference, which reports
    `too-deep`."""
    tree = _ryml.parse_in_place(buf)  # type: ignore[union-attr]
    this = tree.this
    root = _C.Tree_root_id(this)
    kind = _C.Tree_type(this, root)
    if not kind & _MAP or kind & _REFUSED:
        return tree, None
    return tree, _C.emit_json_malloc(tree, root)


def _parse_quietly(buf: bytearray) -> Any:
    return _quietly(_ryml.parse_in_place, buf)  # type: ignore[union-attr]


def _quietly(work: Any, buf: bytearray) -> Any:
    """rapidyaml prints its parse (and emit) errors on fd 2 before raising; keep stderr
    clean."""
    if _stderr_silenced:
        return work(buf)
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no stderr at all
        return work(buf)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        return work(buf)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


# node type bits (see ryml.NodeType); read once, used as plain ints
if _ryml is not None:
    _MAP, _SEQ, _VAL = _ryml.MAP, _ryml.SEQ, _ryml.VAL
    _NONE = _ryml.NONE
    _REFUSED = (
        _ryml.DOC
        | (_ryml.STREAM & ~_ryml.SEQ)
        | _ryml.KEYREF
        | _ryml.VALREF
        | _ryml.KEYANCH
        | _ryml.VALANCH
        | _ryml.KEYTAG
        | _ryml.VALTAG
        | _ryml.KEY_UNFILT
        | _ryml.VAL_UNFILT
    )
    _VAL_PLAIN = _ryml.VAL_PLAIN
    _KEY_PLAIN = _ryml.KEY_PLAIN
    _VAL_BLOCK = _ryml.VAL_LITERAL | _ryml.VAL_FOLDED
    _VAL_STYLED = _VAL_BLOCK | _ryml.VAL_SQUO | _ryml.VAL_DQUO
    _FLOW_ML = _ryml.FLOW_ML


class _Walk:
    """Turn a rapidyaml tree into (data, lines, problems) exactly as ``yamlio._Walker``."""

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
            self.base = _buffer_address(view)
        self.end = self.base + len(buf)
        self.lines: yamlio.Lines = {}
        self.problems: list[Problem] = []
        self._at = 0  # offset and line of the last position asked for
        self._line = 1
        # SWIG's proxy methods look up `tree.this` on every call; binding the C functions
        # to it directly makes a node visit three times cheaper.
        this = tree.this
        self._type = partial(_C.Tree_type, this)
        self._key = partial(_C.Tree_key, this)
        self._val = partial(_C.Tree_val, this)
        self._first = partial(_C.Tree_first_child, this)
        self._next = partial(_C.Tree_next_sibling, this)

    def result(self) -> ParseResult:
        root = _C.Tree_root_id(self.tree.this)
        kind = self._type(root)
        if not kind & _MAP or kind & _REFUSED:
            raise _Fallback
        data = self.mapping(root, (), 0)
        return ParseResult(data, self.lines, self.problems)

    def line_at(self, view: memoryview) -> int:
        """The line on which a scalar's text starts, from its place in the buffer."""
        address = _buffer_address(view)
        if not self.base <= address < self.end:
            raise _Fallback  # filtered into the tree's arena: its place is lost
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
            raise _Fallback  # lists in lists past the limit: the reference reports it
        kind = self._type(node)
        if kind & _FLOW_ML:
            raise _Fallback
        child = self._first(node)
        if child == _NONE:
            raise _Fallback  # an empty collection as an item
        ckind = self._type(child)
        if kind & _MAP:
            view = self._key(child)
            if view is None:
                raise _Fallback
            return self.line_at(view)
        if ckind & (_MAP | _SEQ):
            return self.first_line(child, depth + 1)
        return self.scalar_line(child, ckind)

    def scalar_line(self, node: int, kind: int) -> int:
        if kind & _VAL_BLOCK:
            raise _Fallback  # libyaml places it on the `|` or `>`, the text starts below
        view = self._val(node)
        if view is None:
            raise _Fallback  # an empty item has no text to place
        return self.line_at(view)

    def scalar(self, node: int, kind: int) -> str | None:
        view = self._val(node)
        if view is None:
            return "" if kind & _VAL_STYLED else None
        value = str(view, "utf-8")
        if kind & _VAL_PLAIN and value in _NULLS:
            return None
        return value

    def value(self, node: int, kind: int, where: tuple[Any, ...], depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Fallback
        if kind & _MAP:
            return self.mapping(node, where, depth)
        if kind & _SEQ:
            return self.sequence(node, where, depth)
        return self.scalar(node, kind)

    def sequence(self, node: int, where: tuple[Any, ...], depth: int) -> list[Any]:
        items: list[Any] = []
        lines = self.lines
        child = self._first(node)
        index = 0
        while child != _NONE:
            kind = self._type(child)
            if kind & _REFUSED:
                raise _Fallback
            here = (*where, index)
            if kind & (_MAP | _SEQ):
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
        while child != _NONE:
            kind = get_type(child)
            if kind & _REFUSED:
                raise _Fallback
            view = get_key(child)
            if view is None:
                raise _Fallback  # an empty key
            key = str(view, "utf-8")
            if key == "<<" and kind & _KEY_PLAIN:
                raise _Fallback  # a merge key: the reference reports it
            address = _pointer(id(view) + _OFFSET).value or 0
            if not base <= address < end:
                raise _Fallback
            offset = address - base
            if offset >= self._at:
                self._line += raw.count(b"\n", self._at, offset)
            else:
                self._line = raw.count(b"\n", 0, offset) + 1
            self._at = offset
            line = self._line
            if key in first_line:
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        "duplicate-key",
                        f"key `{key}` appears twice (first on line {first_line[key]})",
                        _DUPLICATE_HINT,
                    )
                )
                child = get_next(child)
                continue
            first_line[key] = line
            here = (*where, key)
            lines[here] = line
            if kind & (_MAP | _SEQ):
                if depth >= MAX_DEPTH:
                    raise _Fallback
                if kind & _MAP:
                    result[key] = self.mapping(child, here, depth + 1)
                else:
                    result[key] = self.sequence(child, here, depth + 1)
            else:
                value = get_val(child)
                if value is None:
                    result[key] = "" if kind & _VAL_STYLED else None
                else:
                    text = str(value, "utf-8")
                    result[key] = None if kind & _VAL_PLAIN and text in _NULLS else text
            child = get_next(child)
        return result
