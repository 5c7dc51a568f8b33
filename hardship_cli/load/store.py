"""Find the records root and load every record, strictly, with the line of every field."""

from __future__ import annotations

import difflib
import gc
import os
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hardship_cli.domain.model import (
    Budget,
    Campaign,
    Case,
    CaseFacts,
    Config,
    Grant,
    GrantFacts,
    Record,
    Visit,
    describe,
)
from hardship_cli.load import strict
from hardship_cli.load.odd_files import (
    NOT_A_FILE,
    SYMLINK,
    OddFile,
    odd_kind,
    open_regular,
    read_open,
)
from hardship_cli.problems import ConfigError, Problem, Refused

CONFIG_FILE = "hardship.yaml"
SENSITIVE_FIELDS = frozenset({"id_number", "phone", "diagnosis", "account"})

# kind -> (folder, id prefix, model, whether files sit in a year sub-folder)
LAYOUT: dict[str, tuple[str, str, type[Record], bool]] = {
    "case": ("cases", "HS", Case, False),
    "grant": ("grants", "GR", Grant, True),
    "campaign": ("campaigns", "DC", Campaign, False),
    "visit": ("visits", "VS", Visit, True),
}
PREFIX_TO_KIND = {prefix: kind for kind, (_, prefix, _, _) in LAYOUT.items()}
_ID_YEAR_RE = re.compile(r"^(HS|GR|DC|VS)-(\d{4})-\d+$")


@dataclass(slots=True)
class Source:
    """Where a record came from: its path relative to the root and the line of each key."""

    path: str
    lines: strict.Lines

    def line(self, *loc: Any) -> int | None:
        return strict.line_of(self.lines, loc)


class Pending:
    """A grant or case the parse cache holds and nobody has asked for yet.

    Rebuilding 100,000 grants costs a second; a warm `validate` needs only their facts
    and the problems kept with them, so these records are rebuilt on first use. `kept` is
    how the cache keeps one: pickled alone (bytes), or in a group pickled together by a
    worker with its place in it (bytes, index); or, with no cache, `data`: what it was
    typed from, marshalled, to type it again (with `model`)."""

    __slots__ = ("kept", "data", "model")

    def __init__(
        self,
        kept: bytes | tuple[bytes, int],
        data: bytes | None = None,
        model: type[BaseModel] | None = None,
    ) -> None:
        self.kept = kept
        self.data = data
        self.model = model

    @classmethod
    def of_data(cls, data: bytes, model: type[BaseModel]) -> Pending:
        return cls(b"", data, model)

    def rebuild(self, groups: dict[int, list[Any]]) -> Any:
        """The record; `groups` keeps each group unpickled once (by the id of its bytes)."""
        if self.data is not None:
            import marshal

            assert self.model is not None
            return self.model.model_validate(marshal.loads(self.data))
        from hardship_cli.load.cache import loads

        kept = self.kept
        if isinstance(kept, tuple):
            blob, index = kept
            group = groups.get(id(blob))
            if group is None:
                group = groups[id(blob)] = loads(blob)
            return group[index]
        return loads(kept)


class Kept:
    """The records of one kind (grants, cases) by ID, in the order of the files, rebuilt
    from the cache on first use; with what loading worked out of each: its facts (what
    the rules across records need) and its own problems (``rules.local``, for this
    hardship.yaml). Both are trusted until the records are read: whoever reads them may
    change one, so they are then worked out afresh."""

    __slots__ = ("items", "pending", "touched", "facts", "own", "unknown", "model")

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.items: dict[str, Any] = {}  # a record, or a Pending (or what one keeps)
        self.pending = 0
        self.touched = False
        self.facts: dict[str, Any] = {}
        self.own: dict[str, list[Problem]] = {}  # non-empty only
        self.unknown = 0  # records loaded without their own problems

    def all(self) -> dict[str, Any]:
        if self.pending:
            items, model = self.items, self.model
            groups: dict[int, list[Any]] = {}
            # The collector off while half a million objects are made (it would walk the
            # heap again and again: a city's grants took 7 s instead of 1), and kept off
            # them after: they live as long as the command.
            collect = gc.isenabled()
            gc.disable()
            try:
                for key, value in items.items():
                    if type(value) is not model:
                        pending = value if type(value) is Pending else Pending(value)
                        items[key] = pending.rebuild(groups)
            finally:
                if collect:
                    gc.freeze()
                    gc.enable()
            self.pending = 0
        self.touched = True
        return self.items

    def replace(self, value: dict[str, Any]) -> None:
        self.items = value
        self.pending = 0
        self.touched = True

    def all_facts(self) -> dict[str, Any]:
        if not self.touched and len(self.facts) == len(self.items):
            return self.facts
        return {key: record.facts() for key, record in self.all().items()}

    def kept_problems(self) -> dict[str, list[Problem]] | None:
        if self.touched or self.unknown:
            return None
        return self.own

    def add(self, key: str, record: Any, facts: Any, own: list[Problem] | None) -> None:
        self.items[key] = record
        if type(record) is not self.model:
            self.pending += 1
        self.facts[key] = facts if facts is not None else record.facts()
        if own is None:
            self.unknown += 1
        elif own:
            self.own[key] = own


@dataclass
class Records:
    root: Path
    config: Config | None
    config_source: Source | None = None
    # Cases and grants: use `cases` and `grants` (see Kept).
    _cases: Kept = field(default_factory=lambda: Kept(Case), repr=False)
    _grants: Kept = field(default_factory=lambda: Kept(Grant), repr=False)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    budgets: dict[int, Budget] = field(default_factory=dict)
    # Where each record came from, by record id / "budget:YEAR"; use `sources`/`source`.
    _sources: dict[str, Source] = field(default_factory=dict, repr=False)
    problems: list[Problem] = field(default_factory=list)  # found while loading
    files: int = 0
    # IDs of files that could not be loaded: references to them are not "unknown".
    unloaded: set[str] = field(default_factory=set)
    # In a roll-up of several units: record id -> the union unit it comes from.
    orgs: dict[str, str] = field(default_factory=dict)
    loading: Any = None  # bulk.LoadStats: how the files were read (for --verbose)
    # Sources the cache held, made into Source objects on first use: id -> (path, lines)
    _raw_sources: dict[str, tuple[str, bytes]] = field(default_factory=dict, repr=False)

    @property
    def sources(self) -> dict[str, Source]:
        """Where each record came from (path and key lines), by record id / "budget:YEAR"."""
        if self._raw_sources:
            for key in list(self._raw_sources):
                self._sources[key] = self._made_source(key)
        return self._sources

    def _made_source(self, key: str) -> Source:
        from hardship_cli.load.cache import LazyLines

        path, lines = self._raw_sources.pop(key)
        return Source(path, LazyLines(lines, os.path.join(self.root, path)))

    @property
    def cases(self) -> dict[str, Case]:
        """Every case by ID, in the order of the files (rebuilt from the cache on first use)."""
        return self._cases.all()

    @cases.setter
    def cases(self, value: dict[str, Case]) -> None:
        self._cases.replace(value)

    @property
    def grants(self) -> dict[str, Grant]:
        """Every grant by ID, in the order of the files (rebuilt from the cache on first use)."""
        return self._grants.all()

    @grants.setter
    def grants(self, value: dict[str, Grant]) -> None:
        self._grants.replace(value)

    def case_ids(self) -> Any:
        """The IDs of the cases (without rebuilding them)."""
        return self._cases.items.keys()

    def case_facts(self) -> dict[str, CaseFacts]:
        """What the rules across records need of each case, by ID."""
        return self._cases.all_facts()

    def grant_facts(self) -> dict[str, GrantFacts]:
        """What the rules across grants need of each grant, by ID."""
        return self._grants.all_facts()

    def kept_problems(self, kind: str) -> dict[str, list[Problem]] | None:
        """The own problems of each case or grant as loading found them, or None when they
        must be worked out again (the records were read since, or loading could not
        check them)."""
        return (self._grants if kind == "grant" else self._cases).kept_problems()

    def source(self, record_id: str) -> Source:
        found = self._sources.get(record_id)
        if found is not None:
            return found
        if record_id in self._raw_sources:
            found = self._sources[record_id] = self._made_source(record_id)
            return found
        return Source(record_id, {})

    def grants_of(self, case_id: str) -> list[Grant]:
        return [g for g in self.grants.values() if g.case == case_id]


# ---------------------------------------------------------------------------------------
# Finding the root


def find_root(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """--root, else $HARDSHIP_ROOT, else the nearest folder upward with hardship.yaml,
    else ./records when it holds one."""
    if explicit:
        root = Path(explicit)
        if not (root / CONFIG_FILE).is_file():
            _refuse_odd_config(root / CONFIG_FILE)
            raise ConfigError(
                f"{root}: no {CONFIG_FILE} here, so this is not a records root",
                f"create one with `hardship init {root}`, or pass the right --root",
            )
        return root
    env = os.environ.get("HARDSHIP_ROOT")
    if env:
        return find_root(env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    demo = here / "records"
    if (demo / CONFIG_FILE).is_file():
        return demo
    raise ConfigError(
        f"no records root found (no {CONFIG_FILE} in {here} or above, nor in ./records)",
        "pass --root PATH, set HARDSHIP_ROOT, or create a root with `hardship init PATH`",
    )


def _refuse_odd_config(path: Path) -> None:
    """hardship.yaml as a pipe, device or socket: said so (a pipe is never opened)."""
    try:
        odd = odd_kind(os.lstat(path).st_mode)
    except OSError:
        return
    if odd is not None:
        error = OddFile(str(path), *odd)
        raise ConfigError(error.message, error.hint)


# ---------------------------------------------------------------------------------------
# Turning parsed data into typed records


def to_record(
    model: type[BaseModel], parsed: strict.ParseResult, path: str
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate parsed data against a model; every error becomes a Problem with its line."""
    try:
        return model.model_validate(parsed.data), []
    except ValidationError as exc:
        return None, [
            _problem_from_error(model, err, parsed.data, parsed.lines, path)
            for err in exc.errors(include_url=False, include_input=True)
        ]


def _problem_from_error(
    model: type[BaseModel], err: Any, data: Any, lines: strict.Lines, path: str
) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    name = ".".join(str(p) for p in loc) or "record"
    leaf = str(loc[-1]) if loc else ""
    sensitive = leaf in SENSITIVE_FIELDS
    line = strict.line_of(lines, loc)
    value = err.get("input")
    shown = "" if sensitive else f": {_show(value)}"
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(leaf, known, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys here: {', '.join(known)}"
        return Problem(path, line, "unknown-key", f"unknown key `{name}`", hint)
    if kind == "missing":
        return Problem(
            path,
            line,
            "missing",
            f"required field `{name}` is missing",
            f"add `{leaf}: ...`",
        )
    if kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        hint = f"use one of: {', '.join(choices)}" if choices else ""
        if isinstance(value, str) and choices:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            if close:
                hint = f"did you mean `{close[0]}`? ({hint})"
        return Problem(path, line, "bad-value", f"`{name}` is not allowed{shown}", hint)
    if value is None and kind in ("string_type", "value_error", "model_type", "dict_type"):
        return Problem(
            path,
            line,
            "missing",
            f"`{name}` has no value",
            "write a value; if you mean the text null or ~, quote it",
        )
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        code, hint = _value_error_code(message)
        return Problem(path, line, code, f"`{name}`: {message}" if loc else message, hint)
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        return Problem(
            path,
            line,
            "bad-id",
            f"`{name}` is not a record ID of the right kind{shown}",
            f"IDs look like {_example_for_pattern(pattern)}",
        )
    if kind in ("too_long", "too_short"):
        return Problem(path, line, "bad-value", f"`{name}`: {err['msg'].lower()}")
    if kind in ("model_type", "dict_type", "list_type", "string_type", "model_attributes_type"):
        expected = {
            "model_type": "a mapping",
            "dict_type": "a mapping",
            "model_attributes_type": "a mapping",
            "list_type": "a list",
            "string_type": "text",
        }[kind]
        got = _kind_of(value)
        hint = "quote it" if expected == "text" else f"write {expected} here"
        return Problem(path, line, "wrong-type", f"`{name}` should be {expected}, not {got}", hint)
    return Problem(path, line, "bad-value", f"`{name}`: {err['msg']}")


def _value_error_code(message: str) -> tuple[str, str]:
    if "control character" in message:
        return "control-char", "remove it: a record holds no control characters"
    if "amount given must be more than" in message:
        return "zero-amount", "write the amount given; cancel or delete help that gives nothing"
    if "money" in message:
        return "bad-money", "write yuan with at most two decimals, e.g. 1200.00"
    if "not a date" in message:
        return "bad-date", "write a date as YYYY-MM-DD, e.g. 2026-03-05"
    if "whole number" in message:
        return "bad-value", "write digits only"
    if "true or false" in message:
        return "bad-value", "write true or false"
    if "expected text" in message:
        return "wrong-type", "quote it"
    return "bad-value", ""


def _example_for_pattern(pattern: str) -> str:
    for prefix, example in (
        ("HS", "HS-2026-0001"),
        ("GR", "GR-2026-0001"),
        ("DC", "DC-2026-01"),
        ("VS", "VS-2026-0001"),
    ):
        if prefix in pattern:
            return example
    return pattern


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return _kind_of(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return f"text {value!r}"
    return describe(value)


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at `loc` accepts, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


# ---------------------------------------------------------------------------------------
# Loading a whole root


def read_bytes(path: Path | str) -> bytes:
    """A regular file's bytes (see ``open_regular``: anything else is never read)."""
    fd, _info = open_regular(path)
    try:
        return read_open(fd)
    finally:
        os.close(fd)


def load_config(root: Path) -> tuple[Config | None, Source, list[Problem]]:
    config, source, problems, _raw = read_config(root)
    return config, source, problems


def read_config(root: Path) -> tuple[Config | None, Source, list[Problem], bytes]:
    """hardship.yaml typed, where it came from, its problems, and the bytes it was read
    from (what the problems kept in the cache depend on: read once, so that a save while
    a run reads it cannot file old checks under the new text)."""
    path = root / CONFIG_FILE
    try:
        raw = read_bytes(path)
    except OddFile as exc:
        raise ConfigError(exc.message, exc.hint) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    parsed = strict.parse(raw, CONFIG_FILE)
    source = Source(CONFIG_FILE, parsed.lines)
    if parsed.problems:
        return None, source, parsed.problems, raw
    record, problems = to_record(Config, parsed, CONFIG_FILE)
    assert record is None or isinstance(record, Config)
    return record, source, problems, raw


class FileEntry:
    """A record file found under the root, with what its place says it should hold.

    `path` is made on first use: a city root has 100,000 files, and building a Path for
    each costs a second that a cached run does not need to spend.
    """

    __slots__ = ("file", "_path", "rel", "kind", "folder_year")

    def __init__(self, path: Path | str, rel: str, kind: str, folder_year: str | None) -> None:
        self.file = os.fspath(path)
        self._path = path if isinstance(path, Path) else None
        self.rel = rel
        self.kind = kind  # case | grant | campaign | visit | budget
        self.folder_year = folder_year

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileEntry):
            return NotImplemented
        return (self.file, self.rel, self.kind, self.folder_year) == (
            other.file,
            other.rel,
            other.kind,
            other.folder_year,
        )

    def __repr__(self) -> str:
        return f"FileEntry({self.file!r}, {self.rel!r}, {self.kind!r}, {self.folder_year!r})"


@dataclass(slots=True)
class Folder:
    """A folder of record files: `rel` (``grants/2026``) under the root, what its files
    hold, and their names (record files only, sorted)."""

    rel: str
    path: str
    kind: str  # case | grant | campaign | visit | budget
    folder_year: str | None
    names: list[str]

    def entry(self, name: str) -> FileEntry:
        return FileEntry(f"{self.path}/{name}", f"{self.rel}/{name}", self.kind, self.folder_year)


def _record_names(
    folder: Path, rel: str, with_folders: bool = True
) -> tuple[list[str], list[str], list[Problem]]:
    """(record files, sub-folders, problems) of a folder, sorted; hidden ones left out.
    Whether a name is a regular file is settled when it is loaded (a folder of a year
    holds files only: listing it is a tenth of the cost of asking each entry what it is).
    A sub-folder that is a symbolic link is a problem, never followed."""
    try:
        if not with_folders:
            names = os.listdir(folder)
            names.sort()
            return [n for n in names if n.endswith(YAML_SUFFIXES) and n[:1] != "."], [], []
        with os.scandir(folder) as it:
            found = sorted(
                (e.name, e.is_dir(follow_symlinks=False), e.is_symlink())
                for e in it
                if not e.name.startswith(".")
            )
    except (FileNotFoundError, NotADirectoryError):
        return [], [], []
    links = [
        _odd_problem(f"{rel}/{n}", "a symbolic link", SYMLINK, not n.endswith(YAML_SUFFIXES))
        for n, _is_dir, is_link in found
        if is_link
    ]
    files = [
        n
        for n, is_dir, is_link in found
        if not (is_dir or is_link) and n.endswith(YAML_SUFFIXES)
    ]
    return files, [n for n, is_dir, _ in found if is_dir], links


def _odd_problem(rel: str, what: str, code: str, folder: bool) -> Problem:
    return OddFile(rel, what, code).problem(rel, folder)


def _odd_folder(path: Path, rel: str) -> Problem | None:
    """The problem with a folder of the layout that is a link (or a pipe, ...), if it is
    one: it is then not read at all."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # no such folder: no records of this kind
    odd = odd_kind(mode)
    return None if odd is None else _odd_problem(rel, *odd, folder=True)


YAML_SUFFIXES = (".yaml", ".yml")


def scan_folders(root: Path) -> tuple[list[Folder], list[Problem]]:
    """Every folder of record files in the layout, and files that sit where no record
    belongs; a folder of the layout that is a symbolic link is a problem, never read."""
    folders: list[Folder] = []
    problems: list[Problem] = []
    for kind, (name, _prefix, _model, by_year) in LAYOUT.items():
        base = root / name
        odd = _odd_folder(base, name)
        if odd is not None:
            problems.append(odd)
            continue
        files, subs, links = _record_names(base, name, with_folders=by_year)
        problems.extend(links)
        if by_year:
            for sub in subs:
                inner, _, _ = _record_names(base / sub, f"{name}/{sub}", with_folders=False)
                folders.append(Folder(f"{name}/{sub}", str(base / sub), kind, sub, inner))
            for file in files:
                problems.append(
                    Problem(
                        f"{name}/{file}",
                        None,
                        "wrong-folder",
                        f"a {kind} file belongs in a year folder, not directly in {name}/",
                        f"move it to {name}/YEAR/{file}",
                    )
                )
        if files:
            folders.append(Folder(name, str(base), kind, None, files))
    odd = _odd_folder(root / "budgets", "budgets")
    if odd is not None:
        problems.append(odd)
    else:
        budgets, _, _ = _record_names(root / "budgets", "budgets", with_folders=False)
        if budgets:
            folders.append(Folder("budgets", str(root / "budgets"), "budget", None, budgets))
    return folders, problems


def scan(root: Path) -> tuple[list[FileEntry], list[Problem]]:
    """Every record file in the layout (see `scan_folders`), one by one."""
    folders, problems = scan_folders(root)
    return [folder.entry(name) for folder in folders for name in folder.names], problems


def load_file(
    entry: FileEntry,
    raw: bytes,
    parse: Callable[[bytes, str], strict.ParseResult] = strict.parse,
) -> tuple[BaseModel | None, Source, list[Problem]]:
    """Parse and type one record file, and check that its place matches its content.

    `parse` is ``strict.parse`` or a path that gives the same result (``fastyaml.parse``).
    """
    parsed = parse(raw, entry.rel)
    source = Source(entry.rel, parsed.lines)
    if parsed.problems:
        return None, source, parsed.problems
    problems: list[Problem] = []
    data = parsed.data
    model: type[BaseModel]
    stem = os.path.basename(entry.file).rsplit(".", 1)[0]
    if entry.kind == "budget":
        model = Budget
    else:
        model = LAYOUT[entry.kind][2]
        record_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(record_id, str):
            match = _ID_YEAR_RE.match(record_id)
            if match:
                true_kind = PREFIX_TO_KIND[match.group(1)]
                if true_kind != entry.kind:
                    folder = LAYOUT[true_kind][0]
                    problems.append(
                        Problem(
                            entry.rel,
                            source.line("id"),
                            "wrong-folder",
                            f"{record_id} is a {true_kind}, but this file is in the "
                            f"{entry.kind}s folder",
                            f"move it to {folder}/",
                        )
                    )
                    return None, source, problems
                if entry.folder_year is not None and match.group(2) != entry.folder_year:
                    folder = LAYOUT[entry.kind][0]
                    problems.append(
                        Problem(
                            entry.rel,
                            source.line("id"),
                            "wrong-folder",
                            f"{record_id} belongs to {match.group(2)}, but the file is in "
                            f"{folder}/{entry.folder_year}/",
                            f"move it to {folder}/{match.group(2)}/{record_id}.yaml",
                        )
                    )
            if record_id != stem:
                problems.append(
                    Problem(
                        entry.rel,
                        source.line("id"),
                        "id-mismatch",
                        f"the file is named {stem} but its id is {record_id}",
                        f"rename the file to {record_id}.yaml, or correct the id",
                    )
                )
    record, more = to_record(model, parsed, entry.rel)
    problems.extend(more)
    if isinstance(record, Budget) and str(record.year) != stem:
        problems.append(
            Problem(
                entry.rel,
                source.line("year"),
                "id-mismatch",
                f"the file is named {stem} but its year is {record.year}",
                f"rename the file to {record.year}.yaml, or correct the year",
            )
        )
    return record, source, problems


# Whether `load` uses the parse cache when its caller does not say: the CLI's global
# `--no-cache` turns it off for every load of the command, its own and its helpers'.
USE_CACHE = True


def load(
    root: Path,
    today: date | None = None,
    *,
    cache: bool | None = None,
    progress: Any = None,
) -> Records:
    """Load the whole root. Problems are collected, never raised.

    With `cache` (default: `USE_CACHE`), files unchanged since the last run come from
    the parse cache in the user's cache folder, never the root (see ``cache``); the
    others are parsed, in parallel when there are many (see ``bulk``). `progress` is told
    about long loads (see ``bulk.Progress``).
    """
    from hardship_cli.load import bulk

    if cache is None:
        cache = USE_CACHE

    config, config_source, config_problems, config_bytes = read_config(root)
    records = Records(root=root, config=config, config_source=config_source)
    records.problems.extend(config_problems)
    folders, problems = scan_folders(root)
    records.problems.extend(problems)
    records.loading = bulk.load_into(
        records, folders, use_cache=cache, progress=progress,
        own=_own_checks(config, config_bytes, keyed=cache),
    )
    return records


def _own_checks(config: Config | None, config_bytes: bytes, keyed: bool = True) -> Any:
    """The checks of one case or grant on its own, for loading to work out (or find kept)
    with each: (digest of hardship.yaml as read and the checks' code, {kind: check} or
    None). Without the cache (not `keyed`) nothing is kept, so no digest is worked out."""
    from hardship_cli.rules import per_record as local

    if config is None:
        return b"", None
    return local.digest(config_bytes) if keyed else b"", {
        kind: partial(_check_one, check=check, config=config)
        for kind, check in local.CHECKS.items()
    }


def _check_one(record: Any, source: Source, check: Any, config: Config) -> list[Problem]:
    return check(record, source, config)  # type: ignore[no-any-return]


def refuse_odd_place(records: Records, rel: str) -> None:
    """Refuse an action on the record at `rel` when loading found its file, or a folder on
    its way, to be a link, pipe, device or socket (never read, never written through)."""
    for problem in records.problems:
        if problem.code in (SYMLINK, NOT_A_FILE) and (
            rel == problem.path or rel.startswith(problem.path + "/")
        ):
            raise Refused(
                f"{problem.path}: {problem.message}; nothing was written", problem.hint
            )


def unloaded_key(entry: FileEntry) -> str:
    """The ID a file that failed to load was meant to hold (its name says it)."""
    stem = entry.path.name.rsplit(".", 1)[0]
    return f"budget:{stem}" if entry.kind == "budget" else stem


def add_record(
    records: Records,
    record: BaseModel | Pending,
    source: Source,
    first_seen: dict[str, str],
    kept: tuple[Any, list[Problem] | None] | None = None,
    kind: str | None = None,
) -> None:
    """Put a record in its place; a second record with the same ID is refused.

    `kept`: for a case or grant, its facts and own problems as loading worked them out
    (a Pending comes with them, and with its `kind`)."""
    if isinstance(record, Pending):
        assert kept is not None and kind is not None
        key = kept[0].id
    elif isinstance(record, Budget):
        key = f"budget:{record.year}"
    else:
        key = record.id  # type: ignore[attr-defined]
    if key in first_seen:
        records.problems.append(
            Problem(
                source.path,
                source.line("id") if not isinstance(record, Budget) else source.line("year"),
                "duplicate-id",
                f"{key} is also defined in {first_seen[key]}",
                "two records may not share an ID (two clones merged?): renumber one of them",
            )
        )
        return
    first_seen[key] = source.path
    records._sources[key] = source
    facts, own = kept if kept is not None else (None, None)
    if kind == "case" or isinstance(record, Case):
        records._cases.add(key, record, facts, own)
    elif kind == "grant" or isinstance(record, Grant):
        records._grants.add(key, record, facts, own)
    elif isinstance(record, Campaign):
        records.campaigns[key] = record
    elif isinstance(record, Visit):
        records.visits[key] = record
    elif isinstance(record, Budget):
        records.budgets[record.year] = record
