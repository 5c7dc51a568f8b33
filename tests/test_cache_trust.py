"""The parse cache and the lock, tried as a hostile colleague would (issue 10, items 1-2).

A shard is a pickle: a poisoned one runs code when unpickled. Whatever arrives with the
records (a shard committed and cloned), sits in the cache without this user's MAC, or was
signed on another machine is a miss: `validate` prints what `--no-cache` prints and the
payload's marker file never appears. Links are never followed, the cache is owner-only,
and nothing the tool makes shows in `git status`.
"""

from __future__ import annotations

import ast
import os
import pickle
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardship_cli import portable
from hardship_cli.load import cache, cache_folder, store
from tests.clirun import hardship, hardship_process
from tests.conftest import DEMO
from tests.workflow_fixtures import git

GRANTS = "grants/2026"
TODAY = "2026-11-29"


class Payload:
    """Unpickling this creates the marker file: the stand-in for any code at all."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (str(self.marker), "w"))


def poison(marker: Path) -> bytes:
    """A pickle shaped like a shard, whose loading runs the payload."""
    return pickle.dumps({"names": [], "clean": True, "payload": Payload(marker)})


def age(root: Path) -> None:
    past = time.time() - 60
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, (past, past), follow_symlinks=False)


def demo_in_git(where: Path) -> Path:
    root = where / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".hardship-cache"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    age(root)
    return root


def validate(root: Path, *flags: str) -> tuple[int, str]:
    result = hardship_process("--root", root, *flags, "validate", "--today", TODAY,
                              "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, result.out


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (the session's is shared by every test)."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def demo(tmp_path: Path, own_cache: Path) -> Path:
    return demo_in_git(tmp_path)


def test_the_payload_is_live(tmp_path: Path) -> None:
    """The poison used below does run when unpickled: its absence later is the cache's
    doing, not a dud payload."""
    marker = tmp_path / "pwned"
    pickle.loads(poison(marker))
    assert marker.exists()


# ---------------------------------------------------------------------------------------
# (a) A shard committed to the records, cloned by a colleague


def a_user_of_hardship(tmp_path: Path) -> None:
    """This user has run hardship before: her key is in her cache folder."""
    other = demo_in_git(tmp_path / "her-other-root")
    store.load(other)
    assert (Path(os.environ["HARDSHIP_CACHE_DIR"]) / cache_folder.KEY_FILE).exists()


@pytest.mark.parametrize("form", ["bare pickle", "old format", "this format, no MAC",
                                  "this format, the attacker's MAC"])
def test_a_poisoned_shard_committed_and_cloned_never_runs(
    tmp_path: Path, own_cache: Path, form: str
) -> None:
    a_user_of_hardship(tmp_path)
    origin = demo_in_git(tmp_path / "attacker")
    marker = tmp_path / "pwned"
    body = poison(marker)
    head = cache.header()
    blob = {
        "bare pickle": body,
        "old format": cache.MAGIC + b"0" * 64 + b"\n" + b"%08x\n" % 0 + body,
        "this format, no MAC": head + b"\0" * cache.MAC_BYTES + body,
        "this format, the attacker's MAC": head + cache.mac(b"a" * 32, head, body) + body,
    }[form]
    legacy = origin / cache_folder.LEGACY_DIR
    legacy.mkdir()
    for folder in ("cases", GRANTS, "grants/2025", "visits/2026", "budgets", "campaigns"):
        (legacy / cache_folder.shard_name(folder)).write_bytes(blob)
    git(origin, "add", "-f", cache_folder.LEGACY_DIR)
    git(origin, "commit", "-q", "-m", "a little something")
    clone = tmp_path / "victim" / "demo"
    clone.parent.mkdir()
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert (clone / cache_folder.LEGACY_DIR / cache_folder.shard_name(GRANTS)).read_bytes() == blob
    age(clone)
    cold = validate(clone, "--no-cache")
    assert validate(clone) == validate(clone) == cold
    assert not marker.exists()
    # the warm run used her own shards, in her cache folder, signed with her key
    assert store.load(clone).loading.cached == store.load(clone).files
    assert cache_folder.cache_dir(clone).parent == own_cache


# ---------------------------------------------------------------------------------------
# (b) In the cache folder, without a valid MAC; (c) signed on another machine


def mac_forms(body: bytes) -> dict[str, bytes]:
    head = cache.header()
    return {
        "no MAC": head + body,
        "zero MAC": head + b"\0" * cache.MAC_BYTES + body,
        "MAC of another key": head + cache.mac(os.urandom(32), head, body) + body,
        "MAC of the body only": head + cache.mac(b"k" * 32, b"", body) + body,
    }


@pytest.mark.parametrize("form", ["no MAC", "zero MAC", "MAC of another key",
                                  "MAC of the body only"])
def test_a_poisoned_shard_in_the_cache_folder_without_this_users_mac_never_runs(
    demo: Path, tmp_path: Path, form: str
) -> None:
    cold = validate(demo, "--no-cache")
    assert validate(demo) == cold  # the cache and the user's key now exist
    marker = tmp_path / "pwned"
    shard = cache_folder.shard_path(demo, GRANTS)
    shard.write_bytes(mac_forms(poison(marker))[form])
    shard.chmod(0o600)
    assert validate(demo) == cold
    assert not marker.exists()
    assert validate(demo) == cold  # the shard was written anew, and holds
    assert store.load(demo).loading.cached == store.load(demo).files


def test_the_same_poison_signed_with_this_users_key_would_be_loaded(
    demo: Path, tmp_path: Path, own_cache: Path
) -> None:
    """The control for the test above: only the MAC stands between the shard and the
    unpickler (so it is the MAC that keeps the payload from running there)."""
    validate(demo)
    marker = tmp_path / "pwned"
    body = poison(marker)
    key = (own_cache / cache_folder.KEY_FILE).read_bytes()
    head = cache.header()
    cache_folder.shard_path(demo, GRANTS).write_bytes(head + cache.mac(key, head, body) + body)
    cache.read_shard(demo, GRANTS)
    assert marker.exists()


def test_shards_from_another_machine_are_misses(demo: Path, tmp_path: Path,
                                                own_cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A root's cache folder brought over from another machine (its shards genuine there,
    one of them poisoned and signed with that machine's key) is not used on this one,
    which has a key of its own."""
    cold = validate(demo, "--no-cache")
    validate(demo)
    marker = tmp_path / "pwned"
    body = poison(marker)
    their_key = (own_cache / cache_folder.KEY_FILE).read_bytes()
    head = cache.header()
    shard = head + cache.mac(their_key, head, body) + body
    cache_folder.shard_path(demo, GRANTS).write_bytes(shard)
    theirs = cache_folder.cache_dir(demo)
    here = tmp_path / "this-machine"
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(here))
    a_user_of_hardship(tmp_path)
    assert (here / cache_folder.KEY_FILE).read_bytes() != their_key
    shutil.copytree(theirs, cache_folder.cache_dir(demo))
    assert store.load(demo).loading.cached == 0
    assert validate(demo) == cold
    assert not marker.exists()
    assert store.load(demo).loading.cached == store.load(demo).files


def test_a_shard_not_the_users_own_is_a_miss(demo: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store.load(demo)
    assert store.load(demo).loading.cached > 0
    uid = os.geteuid()
    monkeypatch.setattr(portable, "uid", lambda: uid + 1)
    assert store.load(demo).loading.cached == 0


def test_a_key_others_may_read_is_not_used(demo: Path, own_cache: Path) -> None:
    store.load(demo)
    (own_cache / cache_folder.KEY_FILE).chmod(0o640)
    assert store.load(demo).loading.cached == 0


def test_a_cache_folder_others_may_write_is_not_used(demo: Path, own_cache: Path) -> None:
    own_cache.mkdir(mode=0o700)
    own_cache.chmod(0o770)
    store.load(demo)
    assert store.load(demo).loading.cached == 0
    assert os.listdir(own_cache) == []


def test_a_cache_folder_inside_the_root_is_never_used(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(demo / "cache"))
    store.load(demo)
    assert store.load(demo).loading.cached == 0
    assert not (demo / "cache").exists()
    assert git(demo, "status", "--porcelain") == ""


UNPICKLING = {"pickle.loads", "pickle.load", "pickle.Unpickler", "loads", "cache.loads"}


class Unpicklers(ast.NodeVisitor):
    """The functions that call an unpickler, by file and innermost function name."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[str] = []
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Call(self, node: ast.Call) -> None:
        if ast.unparse(node.func) in UNPICKLING:
            self.found.add(f"{self.file}:{self.stack[-1] if self.stack else '<module>'}")
        self.generic_visit(node)


def test_every_unpickling_is_of_authenticated_bytes() -> None:
    """pickle.loads is called in cache.py only (after the MAC in read_shard, and in
    `loads`), and `loads` only where the bytes come from a checked shard or from this
    process's own workers: a new unpickling anywhere fails here until it is looked at."""
    package = Path(cache.__file__).parent
    found: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        visitor = Unpicklers(str(path.relative_to(package)))
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= visitor.found
    assert found == {
        "cache.py:read_signed",  # after hmac.compare_digest (shards, what is made)
        "cache.py:loads",
        "records.py:rebuild",  # a record of a checked shard, or from the workers
        "parsing.py:_take",  # the facts the workers send through their queue
    }


# ---------------------------------------------------------------------------------------
# Links are not followed


def secret_free(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_legacy_cache_folder_linked_elsewhere_gets_nothing(demo: Path,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "somewhere-else"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    (demo / cache_folder.LEGACY_DIR).symlink_to(target)
    validate(demo)
    validate(demo)
    assert secret_free(target) == ["precious.txt"]
    assert (target / "precious.txt").read_text() == "keep me"
    cleared = hardship("--root", demo, "cache", "clear")
    assert cleared.code == 0, cleared.err
    assert f"removed the link {demo / cache_folder.LEGACY_DIR} (what it pointed to is left alone)" \
        in cleared.err
    assert not (demo / cache_folder.LEGACY_DIR).is_symlink()
    assert secret_free(target) == ["precious.txt"]


def test_cache_clear_removes_an_old_cache_folder_in_the_root(demo: Path) -> None:
    legacy = demo / cache_folder.LEGACY_DIR
    legacy.mkdir()
    (legacy / "grants.2026.pickle").write_bytes(b"old")
    outside = demo.parent / "outside.txt"
    outside.write_text("keep me")
    (legacy / "link.pickle").symlink_to(outside)
    validate(demo)
    cleared = hardship("--root", demo, "cache", "clear")
    assert cleared.code == 0, cleared.err
    assert cleared.err.splitlines() == [
        f"removed the parse cache of {demo}: {cache_folder.cache_dir(demo)} (7 file(s))",
        f"removed the old cache folder {legacy} (2 file(s))",
    ]
    assert not legacy.exists() and outside.read_text() == "keep me"
    assert not cache_folder.cache_dir(demo).exists()
    again = hardship("--root", demo, "cache", "clear")
    assert (again.code, again.err) == (0, f"no parse cache of {demo} to remove\n")


@pytest.mark.parametrize("link", ["root's folder", "user's cache folder"])
def test_a_linked_cache_folder_is_not_followed(demo: Path, tmp_path: Path,
                                               own_cache: Path, link: str) -> None:
    cold = validate(demo, "--no-cache")
    target = tmp_path / "target"
    target.mkdir(mode=0o700)
    if link == "root's folder":
        validate(demo)  # the key exists, the root's folder is then a link
        shutil.rmtree(cache_folder.cache_dir(demo))
        cache_folder.cache_dir(demo).symlink_to(target)
    else:
        own_cache.parent.mkdir(exist_ok=True)
        own_cache.symlink_to(target)
    assert validate(demo) == cold
    assert validate(demo) == cold
    assert secret_free(target) == []
    assert store.load(demo).loading.cached == 0
    cleared = hardship("--root", demo, "cache", "clear")
    assert cleared.code == 0, cleared.err
    assert target.is_dir() and secret_free(target) == []


def test_a_linked_shard_is_neither_read_nor_written_through(demo: Path,
                                                           tmp_path: Path) -> None:
    validate(demo)
    shard = cache_folder.shard_path(demo, GRANTS)
    genuine = tmp_path / "genuine.pickle"
    shutil.copy(shard, genuine)  # a shard this user's tool wrote: only the link is wrong
    shard.unlink()
    shard.symlink_to(genuine)
    before = genuine.read_bytes()
    records = store.load(demo)
    assert records.loading.cached < records.files
    assert genuine.read_bytes() == before
    assert not shard.is_symlink()  # the link was replaced by a file, not written through
    assert store.load(demo).loading.cached == records.files


def test_cache_clear_that_cannot_remove_says_why(demo: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (demo / cache_folder.LEGACY_DIR).mkdir()

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_folder.shutil, "rmtree", refuse)
    result = hardship("--root", demo, "cache", "clear")
    assert result.code == 2
    assert (
        f"cannot remove the parse cache {demo / cache_folder.LEGACY_DIR}: Permission denied\n"
        "    hint: remove it by hand, or run with --no-cache (the cache is never needed for a"
        " correct answer)\n"
    ) in result.err
    assert "Traceback" not in result.err and (demo / cache_folder.LEGACY_DIR).is_dir()


# ---------------------------------------------------------------------------------------
# Where the cache is, owner-only


def test_where_the_user_cache_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "records"
    name = cache_folder.root_name(root)
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", "/x/hardship-here")
    monkeypatch.setenv("XDG_CACHE_HOME", "/y/cache")
    monkeypatch.setenv("HOME", "/z/home")
    assert cache_folder.cache_dir(root) == Path("/x/hardship-here") / name
    monkeypatch.delenv("HARDSHIP_CACHE_DIR")
    assert cache_folder.cache_dir(root) == Path("/y/cache/hardship") / name
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache_folder.cache_dir(root) == Path("/z/home/.cache/hardship") / name
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder.cache_dir(root) == Path("/z/home/.cache/hardship") / name
    # a folder per root, named by the root's real path: a link to it shares its cache
    (tmp_path / "records").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "records")
    alias, other = tmp_path / "alias", tmp_path / "other"
    assert cache_folder.root_name(alias) == name != cache_folder.root_name(other)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


def test_cache_files_are_0600_and_folders_0700(demo: Path, own_cache: Path,
                                               open_umask: None) -> None:
    store.load(demo)
    modes = {
        str(path.relative_to(own_cache)): stat.S_IMODE(path.lstat().st_mode)
        for path in [own_cache, *own_cache.rglob("*")]
    }
    name = cache_folder.root_name(demo)
    assert modes[cache_folder.KEY_FILE] == 0o600
    assert modes["."] == modes[name] == 0o700
    shards = {k: v for k, v in modes.items() if k.endswith(".pickle")}
    assert len(shards) == 7 and set(shards.values()) == {0o600}
    assert set(modes) == {".", cache_folder.KEY_FILE, name, *shards}


def test_the_cache_and_key_are_never_in_the_root(demo: Path, own_cache: Path) -> None:
    before = sorted(str(p.relative_to(demo)) for p in demo.rglob("*") if ".git" not in p.parts)
    validate(demo)
    validate(demo)
    after = sorted(str(p.relative_to(demo)) for p in demo.rglob("*") if ".git" not in p.parts)
    assert after == before
    assert cache_folder.cache_dir(demo).parent == own_cache


# ---------------------------------------------------------------------------------------
# Nothing the tool makes shows in git


def add_grant(root: Path) -> str:
    added = hardship(
        "--root", root, "add", "grant", "--as", "李明", "--case", "HS-2026-0001",
        "--kind", "medical", "--amount", "2000", "--fund", "union", "--reason", "术后",
        "--on", TODAY, "--today", TODAY, "--no-commit",
    )
    assert added.code == 0, added.err
    return added.out.strip()


def test_git_status_stays_clean_in_a_root_without_gitignore(demo: Path) -> None:
    assert not (demo / ".gitignore").exists()
    validate(demo)
    assert git(demo, "status", "--porcelain", "--untracked-files=all") == ""
    grant = add_grant(demo)
    assert git(demo, "status", "--porcelain", "--untracked-files=all") == (
        f"?? grants/2026/{grant}.yaml\n"
    )
    assert (demo / ".hardship" / "lock").exists()


def test_init_inside_an_existing_repository_leaves_git_status_clean(
    tmp_path: Path, own_cache: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitignore").write_text("node_modules/\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an existing repository")
    made = hardship("init", repo, "--demo")
    assert made.code == 0, made.err
    assert (repo / ".gitignore").read_text() == "node_modules/\n"  # theirs, left alone
    git(repo, "add", "-A")  # what the officer commits: the root, nothing of the tool's
    staged = git(repo, "diff", "--cached", "--name-only").splitlines()
    assert ".hardship/schema/grant.schema.json" in staged
    assert [n for n in staged if "lock" in n or "cache" in n or n.endswith(".gitignore")] == []
    git(repo, "commit", "-q", "-m", "the records root")
    age(repo)
    validate(repo)
    grant = add_grant(repo)
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == (
        f"?? grants/2026/{grant}.yaml\n"
    )
    ignored = git(repo, "status", "--porcelain", "--ignored", "--untracked-files=all")
    assert "!! .hardship/lock\n" in ignored


def test_a_linked_lock_folder_is_refused_and_not_written_through(demo: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (demo / ".hardship").symlink_to(target)
    result = hardship(
        "--root", demo, "add", "grant", "--as", "李明", "--case", "HS-2026-0001",
        "--kind", "medical", "--amount", "2000", "--fund", "union", "--reason", "术后",
        "--on", TODAY, "--today", TODAY, "--no-commit",
    )
    assert result.code == 2
    assert (
        f"{demo / '.hardship'} is a link or not a folder; hardship keeps its lock in it and"
        " does not write through a link" in result.err
    )
    assert os.listdir(target) == []
    assert "Traceback" not in result.err


def test_a_linked_lock_is_refused(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (demo / ".hardship").mkdir()
    (demo / ".hardship" / "lock").symlink_to(target)
    result = hardship(
        "--root", demo, "add", "grant", "--as", "李明", "--case", "HS-2026-0001",
        "--kind", "medical", "--amount", "2000", "--fund", "union", "--reason", "术后",
        "--on", TODAY, "--today", TODAY, "--no-commit",
    )
    assert result.code == 2
    assert f"{demo / '.hardship' / 'lock'} is a link; hardship does not write through a link" \
        in result.err
    assert not target.exists()


def test_no_cache_leaves_the_users_cache_alone(demo: Path, own_cache: Path) -> None:
    validate(demo, "--no-cache")
    assert not own_cache.exists()
    assert subprocess.run(["git", "status", "--porcelain"], cwd=demo, capture_output=True,
                          text=True, check=True).stdout == ""


def refusing_open(monkeypatch: pytest.MonkeyPatch, lock: Path, error: OSError,
                  when: int) -> None:
    """os.open of the lock fails with `error` when its flags hold `when` (what another
    user's lock, or a read-only root, does; the tests run as whoever runs them)."""
    real_open = os.open

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path) == str(lock) and flags & when:
            raise error
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)


def test_another_users_lock_is_taken_for_reading(demo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    lock = demo / ".hardship" / "lock"
    lock.parent.mkdir()
    lock.touch()
    refusing_open(monkeypatch, lock, PermissionError(13, "Permission denied"), os.O_RDWR)
    assert add_grant(demo).startswith("GR-2026-")


def test_a_lock_that_cannot_be_made_is_said_in_plain_words(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    lock = demo / ".hardship" / "lock"
    refusing_open(monkeypatch, lock, OSError(errno.EROFS, "Read-only file system"), os.O_CREAT)
    result = hardship(
        "--root", demo, "add", "grant", "--as", "李明", "--case", "HS-2026-0001",
        "--kind", "medical", "--amount", "2000", "--fund", "union", "--reason", "术后",
        "--on", TODAY, "--today", TODAY, "--no-commit",
    )
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot create the lock file {lock}: the file system is read-only; nothing"
        " was written\n    hint: the records root is on a read-only disk or mount: work in a"
        " writable clone\n"
    )
    assert git(demo, "status", "--porcelain", "--untracked-files=all") == ""
