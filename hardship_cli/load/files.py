"""Record files under a root: finding the root, scanning its folders, reading a file's
bytes (regular files only), and typing one file into a record with its key lines."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hardship_cli.domain.kinds import ID_YEAR_RE, KINDS, PREFIX_TO_KIND
from hardship_cli.domain.model import Budget, Campaign, Case, Config, Grant, Record, Visit
from hardship_cli.i18n import N_, _
from hardship_cli.load import strict
from hardship_cli.load.errors import problem_from_error
from hardship_cli.load.odd_files import A_LINK, SYMLINK, OddFile, odd_kind, open_regular, read_open
from hardship_cli.problems import ConfigError, Problem, UsageError

CONFIG_FILE = "hardship.yaml"

# A record in the folder of another kind: what its ID says it is (by kind).
_IS_A = {
    "case": N_("{id} is a case, but this file is in the {folder} folder"),
    "grant": N_("{id} is a grant, but this file is in the {folder} folder"),
    "campaign": N_("{id} is a donation drive, but this file is in the {folder} folder"),
    "visit": N_("{id} is a visit, but this file is in the {folder} folder"),
}
# A record of a kind filed by year, sitting directly in its kind's folder (by kind).
_IN_YEAR_FOLDER = {
    "case": N_("a case file belongs in a year folder, not directly in {folder}/"),
    "grant": N_("a grant file belongs in a year folder, not directly in {folder}/"),
    "campaign": N_("a donation drive file belongs in a year folder, not directly in {folder}/"),
    "visit": N_("a visit file belongs in a year folder, not directly in {folder}/"),
}

# The model of each kind of record (its folder, prefix and IDs: ``domain.kinds``).
RECORD_MODELS: dict[str, type[Record]] = {
    "case": Case,
    "grant": Grant,
    "campaign": Campaign,
    "visit": Visit,
}


@dataclass(slots=True)
class Source:
    """Where a record came from: its path relative to the root and the line of each key."""

    path: str
    lines: strict.Lines

    def line(self, *loc: Any) -> int | None:
        return strict.line_of(self.lines, loc)


# ---------------------------------------------------------------------------------------
# Finding the root


def no_such_case(case_id: str) -> UsageError:
    """A case ID that names no file of the root (advise, report case): said once."""
    return UsageError(
        _("no case {id} in this root").format(id=case_id),
        _("each case is cases/ID.yaml, named after its ID (`hardship advise --all` lists "
          "the active ones): check the ID"),
    )


def find_root(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """--root, else $HARDSHIP_ROOT, else the nearest folder upward with hardship.yaml,
    else ./records when it holds one."""
    if explicit:
        root = Path(explicit)
        if not (root / CONFIG_FILE).is_file():
            _refuse_odd_config(root / CONFIG_FILE)
            raise ConfigError(
                _("{root}: no {file} here, so this is not a records root").format(
                    root=root, file=CONFIG_FILE
                ),
                _("create one with `hardship init {root}`, or pass the right --root").format(
                    root=root
                ),
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
        _("no records root found (no {file} in {here} or above, nor in ./records)").format(
            file=CONFIG_FILE, here=here
        ),
        _("pass --root PATH, set HARDSHIP_ROOT, or create a root with `hardship init PATH`"),
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
            problem_from_error(model, err, parsed.data, parsed.lines, path)
            for err in exc.errors(include_url=False, include_input=True)
        ]


# ---------------------------------------------------------------------------------------
# Reading the files of a root


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
        raise ConfigError(
            _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None
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
        _odd_problem(f"{rel}/{n}", A_LINK, SYMLINK, not n.endswith(YAML_SUFFIXES))
        for n, _is_dir, is_link in found
        if is_link
    ]
    files = [
        n for n, is_dir, is_link in found if not (is_dir or is_link) and n.endswith(YAML_SUFFIXES)
    ]
    return files, [n for n, is_dir, _link in found if is_dir], links


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
    for kind, place in KINDS.items():
        name, by_year = place.folder, place.by_year
        base = root / name
        odd = _odd_folder(base, name)
        if odd is not None:
            problems.append(odd)
            continue
        files, subs, links = _record_names(base, name, with_folders=by_year)
        problems.extend(links)
        if by_year:
            for sub in subs:
                inner, _subs, _links = _record_names(
                    base / sub, f"{name}/{sub}", with_folders=False
                )
                folders.append(Folder(f"{name}/{sub}", str(base / sub), kind, sub, inner))
            for file in files:
                problems.append(
                    Problem(
                        f"{name}/{file}",
                        None,
                        "wrong-folder",
                        _(_IN_YEAR_FOLDER[kind]).format(folder=name),
                        _("move it to {place}").format(place=f"{name}/YEAR/{file}"),
                    )
                )
        if files:
            folders.append(Folder(name, str(base), kind, None, files))
    odd = _odd_folder(root / "budgets", "budgets")
    if odd is not None:
        problems.append(odd)
    else:
        budgets, _subs, _links = _record_names(root / "budgets", "budgets", with_folders=False)
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
        model = RECORD_MODELS[entry.kind]
        record_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(record_id, str):
            problems, other_kind = _id_place_problems(entry, record_id, stem, source)
            if other_kind:
                return None, source, problems
    record, more = to_record(model, parsed, entry.rel)
    problems.extend(more)
    if isinstance(record, Budget) and str(record.year) != stem:
        problems.append(
            Problem(
                entry.rel,
                source.line("year"),
                "id-mismatch",
                _("the file is named {stem} but its year is {year}").format(
                    stem=stem, year=record.year
                ),
                _("rename the file to {file}, or correct the year").format(
                    file=f"{record.year}.yaml"
                ),
            )
        )
    return record, source, problems


def _id_place_problems(
    entry: FileEntry, record_id: str, stem: str, source: Source
) -> tuple[list[Problem], bool]:
    """What a record's ID says of its file's place: its kind's folder, its year's folder,
    its file name; and whether it is another kind's record (then it is not typed)."""
    problems: list[Problem] = []
    match = ID_YEAR_RE.match(record_id)
    if match:
        true_kind = PREFIX_TO_KIND[match.group(1)]
        if true_kind != entry.kind:
            folder = KINDS[true_kind].folder
            problems.append(
                Problem(
                    entry.rel,
                    source.line("id"),
                    "wrong-folder",
                    _(_IS_A[true_kind]).format(id=record_id, folder=KINDS[entry.kind].folder),
                    _("move it to {place}").format(place=f"{folder}/"),
                )
            )
            return problems, True
        if entry.folder_year is not None and match.group(2) != entry.folder_year:
            folder = KINDS[entry.kind].folder
            problems.append(
                Problem(
                    entry.rel,
                    source.line("id"),
                    "wrong-folder",
                    _("{id} belongs to {year}, but the file is in {place}").format(
                        id=record_id, year=match.group(2), place=f"{folder}/{entry.folder_year}/"
                    ),
                    _("move it to {place}").format(
                        place=f"{folder}/{match.group(2)}/{record_id}.yaml"
                    ),
                )
            )
    if record_id != stem:
        problems.append(
            Problem(
                entry.rel,
                source.line("id"),
                "id-mismatch",
                _("the file is named {stem} but its id is {id}").format(stem=stem, id=record_id),
                _("rename the file to {file}, or correct the id").format(file=f"{record_id}.yaml"),
            )
        )
    return problems, False


def unloaded_key(entry: FileEntry) -> str:
    """The ID a file that failed to load was meant to hold (its name says it)."""
    stem = entry.path.name.rsplit(".", 1)[0]
    return f"budget:{stem}" if entry.kind == "budget" else stem
