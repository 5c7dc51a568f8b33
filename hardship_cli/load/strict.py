"""Strict YAML in: the reference parser of a record file.

libyaml (PyYAML's C parser) composes the node tree; we walk it ourselves so that every
scalar stays the text that was written (``007`` is "007", ``No`` is "No"), the line of
every key is kept, and the traps of YAML are refused with a message instead of a silent
change of meaning: duplicate keys, aliases, merge keys, foreign tags, files that are
empty, not UTF-8, or not a mapping. The model then types each string strictly.

Reading only regular files is ``odd_files``'; writing and editing are ``edit``'s.
"""

from __future__ import annotations

from typing import Any

import yaml

from hardship_cli.i18n import N_, _
from hardship_cli.problems import Problem

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - checked in tests
    raise ImportError("PyYAML was built without libyaml; install PyYAML with its C loader")

LIBYAML_LOADER = yaml.CSafeLoader

Lines = dict[tuple[Any, ...], int]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
_TOO_DEEP = N_("nested more than {depth} levels deep")
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STD = "tag:yaml.org,2002:"
# Tags a plain or quoted scalar may resolve to; anything else was written as an explicit tag.
_SCALAR_TAGS = frozenset(
    _STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value")
)
# What libyaml says most often of a text that is not YAML, in words for the terminal's
# language (anything else it says is shown as it said it).
_LIBYAML_SAYS = {
    "mapping values are not allowed in this context": N_("a `key: value` is not allowed here"),
    "could not find expected ':'": N_("a `:` is missing after the key"),
    "did not find expected key": N_("a key was expected here"),
    "did not find expected '-' indicator": N_("a list item (`- ...`) was expected here"),
    "did not find expected ',' or ']'": N_("a list in `[...]` is not closed with `]`"),
    "did not find expected ',' or '}'": N_("a mapping in `{...}` is not closed with `}`"),
    "did not find expected node content": N_("a value was expected here"),
    "found character that cannot start any token": N_(
        "a character that cannot start a value (quote the value; indent with spaces, not tabs)"
    ),
    "found unexpected end of stream": N_(
        "the file ends in the middle of a value (a quote left open?)"
    ),
    "found unknown escape character": N_(
        "an unknown escape after a backslash (use single quotes)"
    ),
    "found undefined alias": N_("an alias (*name) with no anchor"),
    "second occurrence": N_("an anchor (&name) given twice"),
    "but found another document": N_("a second document (---) in one file"),
}


def too_deep() -> str:
    return _(_TOO_DEEP).format(depth=MAX_DEPTH)


def duplicate_key(path: str, line: int, key: str, first: int) -> Problem:
    """A key given twice in one mapping (both parsers say it in the same words)."""
    return Problem(
        path,
        line,
        "duplicate-key",
        _("key `{key}` appears twice (first on line {first})").format(key=key, first=first),
        _("keep one of them; YAML would silently keep only the last"),
    )


def _yaml_says(what: str) -> str:
    said = _LIBYAML_SAYS.get(what)
    return _(said) if said is not None else what


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
                _("file is {size} bytes; a record is never larger than {limit}").format(
                    size=f"{len(raw):,}", limit=f"{MAX_FILE_BYTES:,}"
                ),
                _("split it, or check that it is really a record"),
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
                _("file is not UTF-8 (byte {byte} at offset {offset})").format(
                    byte=f"0x{raw[exc.start]:02x}", offset=exc.start
                ),
                _("save the file as UTF-8 (from GBK: iconv -f GBK -t UTF-8)"),
            )
        )
        return ParseResult(None, {}, problems)
    if "\x00" in text:
        problems.append(
            Problem(path, None, "not-yaml", _("file holds NUL bytes; it is not a YAML text"))
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
            Problem(
                path,
                1,
                "empty-file",
                _("file is empty"),
                _("write the record, or delete the file"),
            )
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
    loader = LIBYAML_LOADER(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml may point one past the last line when the file ends mid-value.
        where = min(mark.line + 1, text.count("\n") + 1) if mark is not None else None
        what = exc.problem or exc.context
        if what == _LIBYAML_TOO_DEEP:
            # libyaml stops at its own limit (1,000 levels) before our walker sees the
            # tree: the same problem as past ours.
            problems.append(Problem(path, where, "too-deep", too_deep()))
            return ParseResult(None, {}, problems)
        problems.append(
            Problem(
                path,
                where,
                "not-yaml",
                _("not valid YAML: {what}").format(what=_yaml_says(what))
                if what
                else _("not valid YAML"),
                _("check the indentation and quoting on this line and the one above"),
            )
        )
        return ParseResult(None, {}, problems)
    except yaml.YAMLError as exc:
        problems.append(
            Problem(path, None, "not-yaml", _("not valid YAML: {what}").format(what=exc))
        )
        return ParseResult(None, {}, problems)
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(path, 1, "empty-file", _("file is empty")))
        return ParseResult(None, {}, problems)
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                path,
                node.start_mark.line + 1,
                "not-mapping",
                _("a record is a mapping of keys to values, not a list")
                if isinstance(node, yaml.SequenceNode)
                else _("a record is a mapping of keys to values, not a single value"),
                _("start the file with `id: ...` and one `key: value` per line"),
            )
        )
        return ParseResult(None, {}, problems)
    walker = _Walker(path, problems)
    data = walker.mapping(node, (), 0)
    return ParseResult(data, walker.lines, problems)


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
            self.problem(node, "too-deep", too_deep())
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
                        _("YAML anchors and aliases (&name / *name) are not allowed in records"),
                        _("write the value out in full where it is used"),
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
                self.problem(node, "tag", _tag_refused(node.tag))
            items = []
            for index, item in enumerate(node.value):
                here = (*where, index)
                self.lines[here] = item.start_mark.line + 1
                items.append(self.value(item, here, depth + 1))
            return items
        self.problem(node, "not-yaml", _("unexpected YAML node"))  # pragma: no cover
        return None

    def scalar(self, node: yaml.ScalarNode) -> str | None:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            if tag == _STD + "merge":
                self.problem(
                    node, "merge-key", _merge_key_refused(), _("write the keys out in full")
                )
            else:
                self.problem(
                    node,
                    "tag",
                    _tag_refused(tag),
                    _("remove the tag; values are typed by the record's schema"),
                )
            return None
        value: str = node.value
        if not node.style and value in _NULLS:
            return None
        return value

    def mapping(self, node: yaml.MappingNode, where: tuple[Any, ...], depth: int) -> Any:
        self.seen.add(id(node))
        if node.tag not in (_STD + "map",):
            self.problem(node, "tag", _tag_refused(node.tag))
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    key_node, "bad-key", _("a key must be plain text, not a list or mapping")
                )
                continue
            if key_node.tag == _STD + "merge":
                self.problem(
                    key_node, "merge-key", _merge_key_refused(), _("write the keys out in full")
                )
                continue
            key = key_node.value
            if key in first_line:
                self.problems.append(duplicate_key(self.path, line, key, first_line[key]))
                continue
            first_line[key] = line
            here = (*where, key)
            self.lines[here] = line
            result[key] = self.value(value_node, here, depth + 1)
        return result


def _merge_key_refused() -> str:
    return _("YAML merge keys (<<) are not allowed in records")


def _tag_refused(tag: str) -> str:
    return _("tag {tag} is not allowed in records").format(tag=tag)


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
