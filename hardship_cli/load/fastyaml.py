"""A faster way to the same result as ``strict.parse``: rapidyaml, with libyaml as the judge.

rapidyaml (``import ryml``, the optional ``fast`` extra) is used only where it is known to
give exactly what ``strict.parse`` gives: the same string for every scalar, None for
plain null-likes, the same line for every key and list item, the same duplicate-key
problems. Anything else goes to the reference path:

- a file holding anything that YAML treats specially and records never need (anchors,
  aliases, tags, merge keys, directives, complex keys, reserved indicators, tabs,
  backslash escapes, control characters, the Unicode line breaks libyaml counts);
- anything rapidyaml refuses (the reference gives the message), or a tree the fast
  routes cannot place exactly (an empty key, a document marker, a root that is not a
  mapping, nesting deeper than the reference allows, ...).

Two fast routes, tried in order:

1. JSON (``fast_json``): rapidyaml emits the tree as JSON and the json module's C decoder
   reads it; nothing is visited in Python. The lines are not worked out at all:
   ``key_lines.LazyLines`` keeps the file's bytes and asks the reference parser for them when
   a problem in this file needs one (rarely). Files whose meaning JSON would change take route 2.
2. The walker (``fast_walk``): a Python walk of rapidyaml's tree, which finds the line of
   a key or item from where its text sits in the parsed buffer.

rapidyaml itself, and its error output, are ``rapidyaml``'s.

Measured on the benchmark's records (bench/gen.py), parsing alone: libyaml about 4,400
case files or 11,000 grant files a second; route 1 about 14,000 and 25,000.

``tests/test_fastparse.py`` runs a corpus of tricky files, generated records and mutated
files through every path and demands identical data, lines and problems.
"""

from __future__ import annotations

import re

from hardship_cli.i18n import _
from hardship_cli.load import strict
from hardship_cli.load.fast_json import REFERENCE, json_route, json_unsafe
from hardship_cli.load.fast_walk import VIEW_OFFSET, Fallback, Walk
from hardship_cli.load.rapidyaml import parse_quietly, ryml
from hardship_cli.load.strict import ParseResult

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


AVAILABLE = ryml is not None and VIEW_OFFSET is not None


def describe() -> str:
    """Which parser reads records, for --verbose."""
    if AVAILABLE:
        return _("rapidyaml {version} (libyaml for files it cannot reproduce exactly)").format(
            version=ryml.version  # type: ignore[union-attr]
        )
    if ryml is None:
        return _("libyaml (PyYAML C); install the `fast` extra (rapidyaml) for a faster read")
    return _("libyaml (PyYAML C); rapidyaml is installed but this Python is not supported")


def parse(raw: bytes, path: str) -> ParseResult:
    """``strict.parse`` with the fast path where it gives the same answer."""
    result = parse_fast(raw, path)
    return strict.parse(raw, path) if result is None else result


def parse_fast(raw: bytes, path: str) -> ParseResult | None:
    """The fast path alone: a result identical to ``strict.parse``, or None to fall back."""
    if not AVAILABLE:
        return None
    screened = strict.screen(raw, path)
    if isinstance(screened, ParseResult):
        return screened
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if suspicious(data):
        return None
    if not json_unsafe(screened):
        result = json_route(data, screened)
        if result is REFERENCE:
            return None
        if result is not None:
            return result
    buf = bytearray(data)
    try:
        tree = parse_quietly(buf)
    except Exception:  # noqa: BLE001 - rapidyaml refused it: the reference says why
        return None
    try:
        return Walk(tree, buf, data, path).result()
    except Fallback:
        return None
    finally:
        del tree
