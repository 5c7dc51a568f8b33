"""What an auditor runs: is the git history of a records root the whole story?

`audit` reads the root's working tree and its whole history once, and finds:

- records that differ from the last commit (changed, new or deleted, not committed);
- commits that changed a record without trailers (made outside hardship, by hand);
- action commits whose trailers disagree with their author or with their change (an
  action on another record, an author who is not the `By:` officer, an approval that added
  no approval, an approval that also changed the amount);
- steps dated after the commit that recorded them;
- where hardship.yaml requires signing: action commits unsigned, or not signed with the
  key hardship.yaml lists for their officer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hardship_cli.domain.kinds import KINDS, PREFIX_TO_KIND
from hardship_cli.edit import changes, commit_log, gitrepo, judging, signing
from hardship_cli.i18n import N_, _
from hardship_cli.load.files import CONFIG_FILE
from hardship_cli.problems import ConfigError, UsageError, printable

if TYPE_CHECKING:
    from hardship_cli.domain.model import Config

# Files whose uncommitted changes matter besides the records: the rules and the money.
WATCHED = (CONFIG_FILE, "budgets")
BATCH = 2000  # blobs read per git process


@dataclass(frozen=True)
class Finding:
    code: str
    path: str  # relative to the root
    message: str
    hint: str = ""
    commit: str | None = None
    record: str | None = None

    def format(self) -> str:
        """`path: CODE message`, then the hint; control characters shown escaped."""
        text = printable(f"{self.path}: {self.code} {self.message}")
        if self.hint:
            text += "\n    " + _("hint: {hint}").format(hint=printable(self.hint))
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "path": self.path,
            "record": self.record,
            "commit": self.commit,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Audit:
    root: Path
    commits: int = 0  # commits that changed a record
    signing_required: bool = False
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "commits": self.commits,
            "signing_required": self.signing_required,
            "findings": [f.to_json() for f in self.findings],
        }


_HINTS = {
    "no-trailers": N_("ask who made it and why; if it was right, record it through hardship"),
    "other-record": N_("a hand edit was swept into another action's commit: check the change"),
    "author": N_("the commit claims an officer's action it was not made by: ask both"),
    "not-officer": N_("the By: name is not in hardship.yaml's officers"),
    "trailers": N_("the commit's trailers are incomplete: it was not made by hardship"),
    "action-change": N_("the change is not what the action does: check the record's history"),
    "dated-after-commit": N_("a step cannot be recorded before it happens: check the date"),
    "signature": N_("only the officer's own key signs their actions: ask them"),
}


def audit(root: Path, config: Config, since: str | None = None) -> Audit:
    """Audit the root's working tree and its history (the commits after `since`, where
    given: a point an auditor has already accepted)."""
    if not config.git.commit:
        raise ConfigError(
            _(
                "this root runs without git (hardship.yaml: git: commit: false): it has no "
                "audit trail to audit"
            ),
            _("to keep one, remove that setting, git init the root and commit it"),
        )
    top = gitrepo.require_repo(root, _("there is no audit trail to audit"))
    prefix = os.path.relpath(root.resolve(), top.resolve())
    folders = [kind.folder for kind in KINDS.values()]
    result = Audit(root, signing_required=config.git.sign == "required")
    result.findings += uncommitted(top, prefix, [*folders, *WATCHED])
    if not gitrepo.has_commits(top):
        return result
    specs = [_spec(prefix, folder) for folder in folders]
    span = []
    if since is not None:
        if gitrepo.run_git(["rev-parse", "--verify", "-q", f"{since}^{{commit}}"], top).returncode:
            raise UsageError(
                _("--since {value} is not a commit of this repository").format(
                    value=printable(repr(since))
                ),
                _("give a commit hash or tag, e.g. the last audited commit"),
            )
        span = [f"{since}..HEAD"]
    with signing.signers(config) as checked:
        commits = commit_log.read_log(top, [*span, "--", *specs], checked, files=True)
        pairs = [
            (c, path, old, status)
            for c in reversed(commits)
            for path, old, status in c.files
            if _record_id(path) is not None
        ]
        result.commits = len({c.sha for c, _path, _old, _status in pairs})
        for start in range(0, len(pairs), BATCH):
            batch = pairs[start : start + BATCH]
            wanted = [f"{c.sha}:{p}" for c, p, _old, s in batch if s != "D"]
            wanted += [f"{c.sha}^:{old or p}" for c, p, old, s in batch if s != "A"]
            blobs = commit_log.read_blobs(top, wanted)
            for c, path, old, status in batch:
                after = None if status == "D" else blobs.get(f"{c.sha}:{path}")
                before = None if status == "A" else blobs.get(f"{c.sha}^:{old or path}")
                change = changes.compare(before, after)
                record_id = _record_id(path)
                assert record_id is not None
                for flag in judging.judge(c, record_id, change, config, checked):
                    result.findings.append(_finding(flag, c, _shown(path, prefix), record_id))
    return result


def _spec(prefix: str, folder: str) -> str:
    return folder if prefix == "." else f"{prefix}/{folder}"


def _shown(path: str, prefix: str) -> str:
    return path if prefix == "." else os.path.relpath(path, prefix)


def _record_id(path: str) -> str | None:
    name = Path(path).name
    if not name.endswith((".yaml", ".yml")):
        return None
    stem = name.rsplit(".", 1)[0]
    return stem if stem.split("-", 1)[0] in PREFIX_TO_KIND else None


def _finding(flag: judging.Flag, commit: commit_log.Commit, path: str, record_id: str) -> Finding:
    when = commit.committed[:10]
    if commit.has_trailers:
        message = _("commit {sha} ({when}, {action} by {by}): {what}").format(
            sha=commit.sha[:10],
            when=when,
            action=commit.action,
            by=_(", ").join(commit.by) or "?",
            what=flag.message,
        )
    else:
        message = _("commit {sha} ({when}, by {author}): {what}").format(
            sha=commit.sha[:10], when=when, author=commit.author, what=flag.message
        )
    hint = _HINTS.get(flag.code)
    return Finding(
        flag.code,
        path,
        message,
        _(hint) if hint else "",
        commit.sha,
        record_id,
    )


def uncommitted(top: Path, prefix: str, names: list[str]) -> list[Finding]:
    """Record, configuration and budget files that differ from the last commit."""
    rels = [_spec(prefix, name) for name in names]
    existing = [r for r in rels if (top / r).exists()]
    found: list[Finding] = []
    for path, code in sorted(gitrepo.file_status(top, existing).items()):
        if not path.endswith((".yaml", ".yml")):
            continue
        shown = _shown(path, prefix)
        hint = (
            _("commit it (git add {path} && git commit), or move it out of the root").format(
                path=shown
            )
            if code == "??"
            else _(
                "see what changed (git diff HEAD -- {path}); record it through hardship, or "
                "restore it (git checkout HEAD -- {path})"
            ).format(path=shown)
        )
        found.append(
            Finding(
                "uncommitted",
                shown,
                _("{status} (differs from the last commit)").format(
                    status=gitrepo.describe_status(code)
                ),
                hint,
                None,
                _record_id(path),
            )
        )
    return found
