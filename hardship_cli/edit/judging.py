"""Judging a commit's change to one record: a commit without trailers was made outside
the tool (a hand edit); one whose trailers name another record, whose author is not its
`By:` officer, whose change is not what its action does, whose steps are dated after the
commit, or (where hardship.yaml requires signing) whose signature is not its officer's
key, is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hardship_cli.edit.changes import Change
from hardship_cli.edit.commit_log import Commit
from hardship_cli.edit.signing import Signers
from hardship_cli.i18n import N_, _

if TYPE_CHECKING:
    from hardship_cli.domain.model import Config

# Actions that create a record; `init` is `hardship init` creating the root.
CREATING = frozenset({"file", "propose", "open", "visit", "init"})
# What each action changes in its record (top-level fields), and what it must change.
# An action not listed here (a newer one) is judged by its trailers and author only.
ACTION_FIELDS: dict[str, tuple[frozenset[str], str | None]] = {
    "check": (frozenset({"checks", "status"}), "checks"),
    "review": (frozenset({"checks", "review_due"}), "checks"),
    "notice": (frozenset({"notice", "status"}), "notice"),
    "object": (frozenset({"notice"}), "notice"),
    "approve": (
        frozenset({"approvals", "status", "review_due", "notice", "override"}),
        "approvals",
    ),
    "reject": (frozenset({"approvals", "status", "notice", "ended"}), "status"),
    "cancel": (frozenset({"status", "ended"}), "status"),
    "pay": (frozenset({"paid", "status"}), "paid"),
    "close": (frozenset({"closed", "status"}), "closed"),
    "donation": (frozenset({"contributions"}), "contributions"),
    "refer": (frozenset({"referrals"}), "referrals"),
    "referral": (frozenset({"referrals"}), "referrals"),
}


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


OUTSIDE = frozenset({"no-trailers", "other-record"})


def judge(
    commit: Commit,
    record_id: str,
    change: Change,
    config: Config | None,
    checked: Signers | None,
) -> list[Flag]:
    """What is wrong with this commit's change to this record, if anything."""
    if not commit.has_trailers:
        return [Flag("no-trailers", _("no trailers: changed outside hardship (a hand edit)"))]
    flags: list[Flag] = []
    if commit.records and record_id not in commit.records:
        flags.append(
            Flag(
                "other-record",
                _("an action on {records} that also changed {id}").format(
                    records=", ".join(commit.records), id=record_id
                ),
            )
        )
    action = commit.action or ""
    if action == "init":
        # `hardship init` makes the repository's first commit, and only creates files.
        if commit.parents:
            flags.append(
                Flag("action-change", _("an init commit that is not the repository's first"))
            )
        elif not change.created:
            flags.append(
                Flag("action-change", _("an init commit that changed an existing record"))
            )
        return flags
    if not commit.records:
        flags.append(Flag("trailers", _("no Record: trailer")))
    flags += _judge_author(commit, config)
    flags += _judge_change(action, change)
    for day in change.dates:
        if day > commit.day:
            flags.append(
                Flag(
                    "dated-after-commit",
                    _("a step dated {day} was committed on {on}, before that date").format(
                        day=day, on=commit.day
                    ),
                )
            )
    if checked is not None:
        flags += _judge_signature(commit, checked)
    return flags


def _judge_author(commit: Commit, config: Config | None) -> list[Flag]:
    if len(commit.by) != 1:
        said = (
            _("several By: trailers ({names})").format(names=", ".join(commit.by))
            if commit.by
            else _("no By: trailer")
        )
        return [Flag("trailers", said)]
    name = commit.by[0]
    if config is None:
        return [] if commit.author == name else [_author_flag(commit, name, None)]
    officer = config.officer(name)
    if officer is None:
        return [
            Flag(
                "not-officer",
                _("By: {name}, who is not an officer in hardship.yaml").format(name=name),
            )
        ]
    email_differs = bool(officer.email) and commit.email.lower() != (officer.email or "").lower()
    if commit.author != name or email_differs:
        return [_author_flag(commit, name, officer.email)]
    return []


def _author_flag(commit: Commit, name: str, email: str | None) -> Flag:
    them = f"{name} <{email}>" if email else name
    return Flag(
        "author",
        _("authored by {author} <{email}>, not by {name} whom its By: trailer names").format(
            author=commit.author, email=commit.email, name=them
        ),
    )


def _judge_change(action: str, change: Change) -> list[Flag]:
    if action == "import":
        return []
    if action in CREATING:
        existed = Flag(
            "action-change",
            _("{action} of a record that existed").format(action=action),
        )
        return [] if change.created else [existed]
    if change.created:
        return [
            Flag("action-change", _("{action} that created the record").format(action=action))
        ]
    if change.deleted:
        return [
            Flag("action-change", _("{action} that deleted the record").format(action=action))
        ]
    if action not in ACTION_FIELDS:
        return []
    allowed, must = ACTION_FIELDS[action]
    flags: list[Flag] = []
    if must is not None and must not in change.fields:
        flags.append(
            Flag(
                "action-change",
                _("{action} that did not change {field}").format(action=action, field=must),
            )
        )
    others = sorted(change.fields - allowed)
    if others:
        flags.append(
            Flag(
                "action-change",
                _("{action} that also changed {fields} (no {action} does)").format(
                    action=action, fields=", ".join(others)
                ),
            )
        )
    return flags


_SIGNATURE_WORDS = {
    "N": N_("not signed"),
    "B": N_("its signature does not verify (the commit was altered after signing?)"),
    "E": N_(
        "its signature cannot be checked (OpenPGP: import the officers' public keys into "
        "this machine's GnuPG keyring)"
    ),
    "X": N_("signed with an expired signature"),
    "Y": N_("signed with an expired key"),
    "R": N_("signed with a revoked key"),
}


def _judge_signature(commit: Commit, checked: Signers) -> list[Flag]:
    name = commit.by[0] if len(commit.by) == 1 else None
    status = commit.signature or "N"
    if status in ("G", "U"):  # a good signature; U: of a key nobody vouched for to git
        if commit.key.startswith("SHA256:"):  # SSH: the allowed-signers principal
            signer = checked.names.get(commit.signer) if status == "G" else None
        else:  # OpenPGP: hardship.yaml's fingerprint is the trust
            signer = checked.names.get(commit.primary) or checked.names.get(commit.key)
        if signer is not None and signer == name:
            return []
        if signer is not None:
            return [
                Flag(
                    "signature",
                    _("signed with {signer}'s key, not {name}'s").format(signer=signer, name=name),
                )
            ]
        return [
            Flag(
                "signature",
                _("signed with a key hardship.yaml lists for nobody ({key}), not {name}'s").format(
                    key=commit.key, name=name
                ),
            )
        ]
    words = _SIGNATURE_WORDS.get(status)
    said = _(words) if words else _("signature status {status}").format(status=status)
    return [Flag("signature", said)]
