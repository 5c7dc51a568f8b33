"""The records of a root as loading leaves them: every record by kind and ID, where each
came from, and what loading found; cases and grants from the cache are rebuilt on first
use, with their facts and per-record problems kept beside them."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hardship_cli.domain.model import (
    Budget,
    Campaign,
    Case,
    CaseFacts,
    Config,
    Grant,
    GrantFacts,
    Visit,
)
from hardship_cli.i18n import _
from hardship_cli.load.files import Source
from hardship_cli.problems import Problem

# The kinds kept as RecordsOfKind: built on first use (a Pending till then), with their
# facts and per-record problems worked out as they are loaded.
KINDS_BUILT_ON_USE = frozenset({"case", "grant"})


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


class Derived:
    """A record made from another on first use (a roll-up's copy of a unit's case or
    grant, its IDs prefixed): `make()` gives it."""

    __slots__ = ("make",)

    def __init__(self, make: Any) -> None:
        self.make = make

    def rebuild(self, groups: dict[int, list[Any]]) -> Any:
        return self.make()


class RecordsOfKind:
    """The records of one kind (grants, cases) by ID, in the order of the files, rebuilt
    from the cache on first use; with what loading worked out of each: its facts (what
    the rules across records need) and its per-record problems (the per-record checks
    the loader was handed, for this hardship.yaml). Both are trusted until the records
    are read: whoever reads them may change one, so they are then worked out afresh."""

    __slots__ = (
        "items",
        "pending",
        "touched",
        "facts",
        "per_record_problems",
        "unchecked",
        "model",
        "groups",
    )

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.items: dict[str, Any] = {}  # a record, or a Pending (or what one keeps)
        self.pending = 0
        self.touched = False
        self.facts: dict[str, Any] = {}
        self.per_record_problems: dict[str, list[Problem]] = {}  # non-empty only
        self.unchecked = 0  # records loaded without their per-record problems
        self.groups: dict[int, list[Any]] = {}  # groups unpickled for `one`

    def all(self) -> dict[str, Any]:
        if self.pending:
            items, model = self.items, self.model
            groups = self.groups
            # The collector off while half a million objects are made (it would walk the
            # heap again and again: a city's grants took 7 s instead of 1), and kept off
            # them after: they live as long as the command.
            collect = gc.isenabled()
            gc.disable()
            try:
                for key, value in items.items():
                    if type(value) is not model:
                        items[key] = _pending(value).rebuild(groups)
            finally:
                if collect:
                    gc.freeze()
                    gc.enable()
            self.pending = 0
        self.touched = True
        return self.items

    def one(self, key: str) -> Any:
        """One record (None: no such ID), rebuilt alone if it is still pending: a report
        that names a few households does not rebuild ten thousand. The record is not
        `touched`: facts and per-record problems stay trusted."""
        value = self.items.get(key)
        if value is None or type(value) is self.model:
            return value
        record = _pending(value).rebuild(self.groups)
        self.items[key] = record
        self.pending -= 1
        return record

    def replace(self, value: dict[str, Any]) -> None:
        self.items = value
        self.pending = 0
        self.touched = True

    def all_facts(self) -> dict[str, Any]:
        if not self.touched and len(self.facts) == len(self.items):
            return self.facts
        return {key: record.facts() for key, record in self.all().items()}

    def checked_problems(self) -> dict[str, list[Problem]] | None:
        if self.touched or self.unchecked:
            return None
        return self.per_record_problems

    def add(self, key: str, record: Any, facts: Any, problems: list[Problem] | None) -> None:
        self.items[key] = record
        if type(record) is not self.model:
            self.pending += 1
        self.facts[key] = facts if facts is not None else record.facts()
        if problems is None:
            self.unchecked += 1
        elif problems:
            self.per_record_problems[key] = problems

    def add_unbuilt(
        self,
        ids: list[str],
        kept: Iterable[Any],
        facts: Iterable[Any],
        problems: Iterable[list[Problem] | None],
    ) -> None:
        """A folder's records as the cache keeps them (each rebuilt on first use; see
        Pending), their facts and per-record problems, all checked."""
        self.items.update(zip(ids, kept, strict=True))
        self.pending += len(ids)
        self.facts.update(zip(ids, facts, strict=True))
        for key, found in zip(ids, problems, strict=True):
            if found:
                self.per_record_problems[key] = found


def _pending(value: Any) -> Pending | Derived:
    return value if type(value) is Pending or type(value) is Derived else Pending(value)


@dataclass
class Records:
    root: Path
    config: Config | None
    config_source: Source | None = None
    # Cases and grants: use `cases` and `grants` (see RecordsOfKind).
    _cases: RecordsOfKind = field(default_factory=lambda: RecordsOfKind(Case), repr=False)
    _grants: RecordsOfKind = field(default_factory=lambda: RecordsOfKind(Grant), repr=False)
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
    loading: Any = None  # LoadStats: how the files were read (for --verbose)
    # The records exactly as the cache's shards hold them (cache.snapshot), when every
    # folder was taken whole: what is made from them alone may be kept under it.
    snapshot: bytes | None = None
    # Sources the cache held, made into Source objects on first use: id -> (path, lines)
    # (path, key lines packed[, the root and path of the file to read them again from:
    # another root's, in a roll-up]); see add_packed_sources, adopt_sources
    _raw_sources: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)

    @property
    def sources(self) -> dict[str, Source]:
        """Where each record came from (path and key lines), by record id / "budget:YEAR"."""
        if self._raw_sources:
            for key in list(self._raw_sources):
                self._sources[key] = self._made_source(key)
        return self._sources

    def _made_source(self, key: str) -> Source:
        from hardship_cli.load.key_lines import LazyLines

        path, lines, *where = self._raw_sources.pop(key)
        file = os.path.join(*where) if where else os.path.join(self.root, path)
        return Source(path, LazyLines(lines, file))

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

    def case(self, case_id: str) -> Case | None:
        """One case by ID, without rebuilding the others (see RecordsOfKind.one)."""
        found: Case | None = self._cases.one(case_id)
        return found

    def add_derived(self, kind: str, key: str, make: Any, facts: Any) -> None:
        """A case or grant made from another when first asked for (`make()`: a roll-up's
        copy of a unit's record), with its facts now."""
        self.of_kind(kind).add(key, Derived(make), facts, None)

    def case_ids(self) -> Any:
        """The IDs of the cases (without rebuilding them)."""
        return self._cases.items.keys()

    def case_facts(self) -> dict[str, CaseFacts]:
        """What the rules across records need of each case, by ID."""
        return self._cases.all_facts()

    def grant_facts(self) -> dict[str, GrantFacts]:
        """What the rules across grants need of each grant, by ID."""
        return self._grants.all_facts()

    def per_record_problems(self, kind: str) -> dict[str, list[Problem]] | None:
        """The per-record problems of each case or grant as loading found them, or None
        when they must be worked out again (the records were read since, or loading was
        handed no per-record checks)."""
        return self.of_kind(kind).checked_problems()

    def of_kind(self, kind: str) -> RecordsOfKind:
        """The cases or the grants, as loading fills them."""
        return self._grants if kind == "grant" else self._cases

    def add_packed_sources(self, ids: list[str], rels: list[str], lines: list[bytes]) -> None:
        """Where records came from, their key lines as the cache packs them (made into
        Source objects on first use)."""
        self._raw_sources.update(zip(ids, zip(rels, lines, strict=True), strict=True))

    def adopt_sources(self, other: Records, id_prefix: str, path_prefix: str) -> None:
        """Another root's sources, under its IDs and paths prefixed (a roll-up's), each
        made into a Source object only when first used, like this root's own."""
        for key, source in other._sources.items():
            self._sources[id_prefix + key] = Source(path_prefix + source.path, source.lines)
        root = other.root
        self._raw_sources.update(
            (id_prefix + key, (path_prefix + raw[0], raw[1], *(raw[2:] or (root, raw[0]))))
            for key, raw in other._raw_sources.items()
        )

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


def add_record(
    records: Records,
    record: BaseModel | Pending,
    source: Source,
    first_seen: dict[str, str],
    kept: tuple[Any, list[Problem] | None] | None = None,
    kind: str | None = None,
) -> None:
    """Put a record in its place; a second record with the same ID is refused.

    `kept`: for a case or grant, its facts and per-record problems as loading worked them
    out (a Pending comes with them, and with its `kind`)."""
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
                _("{id} is also defined in {path}").format(id=key, path=first_seen[key]),
                _("two records may not share an ID (two clones merged?): renumber one of them"),
            )
        )
        return
    first_seen[key] = source.path
    records._sources[key] = source
    facts, problems = kept if kept is not None else (None, None)
    if kind == "case" or isinstance(record, Case):
        records._cases.add(key, record, facts, problems)
    elif kind == "grant" or isinstance(record, Grant):
        records._grants.add(key, record, facts, problems)
    elif isinstance(record, Campaign):
        records.campaigns[key] = record
    elif isinstance(record, Visit):
        records.visits[key] = record
    elif isinstance(record, Budget):
        records.budgets[record.year] = record
