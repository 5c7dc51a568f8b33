"""Editing with the smallest diff (ruamel.yaml round-trip).

A record file is loaded into ruamel's comment-keeping tree with every plain scalar kept
as the text that was written (the same view ``strict.parse`` has), changed only where the
record changed, and dumped back: untouched lines come out as they went in. New record
files are written the same way (``new_record_text``). ruamel is imported only inside the
functions that need it (``hardship --help`` reads no YAML).
"""

from __future__ import annotations

import re
from typing import Any

from hardship_cli.i18n import _

_MONEY_TEXT_RE = re.compile(r"^[0-9]+\.[0-9]{2}$")
# Text a YAML 1.1 or 1.2 reader (an editor, another tool) would take for a number, a
# boolean, a null or a date: such text is quoted when written, so the file means the same
# to every reader. Money, dates and numbers we write on purpose stay plain.
TYPED_LOOKING_RE = re.compile(
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
    if TYPED_LOOKING_RE.match(value) and value != "":
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


def load_tree(text: str) -> Any:
    """A record file's text as ruamel's comment-keeping tree, every plain scalar as text."""
    return _round_trip().load(text)


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
            raise ValueError(_("the list in the file does not match the record"))
        common = min(len(old), len(new))
        for index in range(common):
            if new[index] != old[index]:
                if _is_container_for(tree[index], new[index]):
                    apply_change(tree[index], old[index], new[index], sparse_items[index])
                else:
                    tree[index] = _replace_scalar(tree[index], sparse_items[index])
        if len(new) < len(old):
            for _unused in range(len(old) - len(new)):
                del tree[len(new)]
        for item in sparse_items[common:]:
            _append_item(tree, _build(item))
        return
    raise ValueError(_("the file's layout does not match the record"))  # pragma: no cover


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
