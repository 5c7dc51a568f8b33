"""The fastest route of the fast parser (``fastyaml``): rapidyaml emits the tree as JSON,
the json module's C decoder reads it.

Nothing is visited in Python, so nothing is placed on a line: the lines are worked out by
the reference parser (``strict``) if and when a problem in this file needs one
(``key_lines.LazyLines``). JSON loses what records rarely hold, so such files take the walker
(``fast_walk``) instead: a plain `~`, `Null` or `NULL` (null for libyaml, text in
rapidyaml's JSON), a plain `true`/`false` (JSON booleans), the words inf, nan and
infinity (which it writes .inf, .nan), and duplicate keys (JSON keeps the last one; a
node count against the tree's tells). Numbers are JSON numbers: kept as the text
written, and only when that text is in the file as written (rapidyaml writes `.5` as
`0.5`).
"""

from __future__ import annotations

from typing import Any

from hardship_cli.load.rapidyaml import MAP, REFUSED, quietly, ryml, ryml_c
from hardship_cli.load.strict import MAX_DEPTH, ParseResult

# rapidyaml's JSON also writes the text inf, nan and infinity (quoted or not) as .inf/.nan:
# a file holding them anywhere takes the walker (found by test_fastparse's generated
# records).
_JSON_UNSAFE = ("~", "true", "false", "Null", "NULL", "inf", "nan")


def json_unsafe(text: str) -> bool:
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


if ryml is not None:
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


# What `json_route` gives when rapidyaml refused the file, or its tree was too deep to
# emit: the walker would parse it again only to give up, so the reference takes it.
REFERENCE: Any = ParseResult(None, {}, [])


def json_route(data: bytes, text: str) -> ParseResult | None:
    global _current_text
    from hardship_cli.load.key_lines import LazyLines

    buf = bytearray(data)  # the tree points into it: keep it alive until the end
    try:
        tree, emitted = quietly(_tree_as_json, buf)
    except Exception:  # noqa: BLE001 - refused, or too deep to emit: the reference says why
        return REFERENCE
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
        if type(value) is not dict or _nodes(value) != ryml_c.Tree_size(tree.this):
            return None
    except (_NumberChanged, RecursionError):
        return None
    del tree, buf
    return ParseResult(value, LazyLines.from_raw(data), [])


def _tree_as_json(buf: bytearray) -> tuple[Any, Any]:
    """The tree, and its JSON when its root is a mapping with nothing the JSON route
    refuses (else None). rapidyaml's emitter refuses a tree nested past its own limit
    (64 levels) with an exception: the caller falls back to the reference, which reports
    `too-deep`."""
    tree = ryml.parse_in_place(buf)  # type: ignore[union-attr]
    this = tree.this
    root = ryml_c.Tree_root_id(this)
    kind = ryml_c.Tree_type(this, root)
    if not kind & MAP or kind & REFUSED:
        return tree, None
    return tree, ryml_c.emit_json_malloc(tree, root)
