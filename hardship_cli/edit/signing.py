"""Signing: each officer's public SSH key (or OpenPGP fingerprint) is in hardship.yaml.

Committing: the key git signs an officer's commit with, refused when it is not the one
listed for them. Auditing: git checks signatures against the listed keys through an
allowed-signers file written for the occasion (``signers``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hardship_cli.edit.gitrepo import run_git
from hardship_cli.i18n import _
from hardship_cli.problems import ConfigError, Refused

if TYPE_CHECKING:
    from hardship_cli.domain.model import Config

# Where the acting officer's private key is on this machine (else git's user.signingkey).
SIGNING_KEY_ENV = "HARDSHIP_SIGNING_KEY"


def is_fingerprint(key: str | None) -> bool:
    """An OpenPGP fingerprint (as the model stores it), not an SSH public key."""
    return bool(key) and re.fullmatch(r"[0-9A-F]{40}", key or "") is not None


def signing_key_for(top: Path, who: str, listed: str | None) -> str:
    """The key git signs the commit of officer `who` with (`listed`: their key as
    hardship.yaml lists it). SSH: $HARDSHIP_SIGNING_KEY, else git's user.signingkey,
    refused when it is not the listed key. OpenPGP: the fingerprint listed, whose secret
    key must be in this machine's keyring."""
    if not listed:
        raise ConfigError(
            _(
                "hardship.yaml requires signed commits (git: sign: required) but lists no "
                "signing_key for {name}; nothing was written"
            ).format(name=who),
            _(
                "add `signing_key: ssh-ed25519 AAAA...` (the public key of {name}) to {name} "
                "under officers"
            ).format(name=who),
        )
    if is_fingerprint(listed):
        return _openpgp_key(who, listed)
    if shutil.which("ssh-keygen") is None:
        raise ConfigError(
            _(
                "hardship.yaml requires signed commits, and signing needs ssh-keygen "
                "(OpenSSH), which is not installed; nothing was written"
            ),
            _("install OpenSSH's client (apt-get install openssh-client)"),
        )
    key = os.environ.get(SIGNING_KEY_ENV, "").strip()
    source = f"${SIGNING_KEY_ENV}"
    if not key:
        key = run_git(["config", "user.signingkey"], top).stdout.strip()
        source = _("git's user.signingkey")
    if not key:
        raise ConfigError(
            _(
                "hardship.yaml requires signed commits, and no signing key for {name} is set "
                "on this machine; nothing was written"
            ).format(name=who),
            _(
                "set {variable} to the file of {name}'s private SSH key "
                "(or git config user.signingkey FILE)"
            ).format(variable=SIGNING_KEY_ENV, name=who),
        )
    literal = key.startswith(("key::", "ssh-", "ecdsa-", "sk-"))
    if not literal and not Path(key).expanduser().exists():
        raise ConfigError(
            _("{source} names {key}, which does not exist; nothing was written").format(
                source=source, key=key
            ),
            _("point {variable} at the file of {name}'s private SSH key").format(
                variable=SIGNING_KEY_ENV, name=who
            ),
        )
    public = _public_key(key)
    if public is not None and key_body(public) != key_body(listed):
        raise Refused(
            _(
                "the signing key on this machine ({source}) is not the one hardship.yaml "
                "lists for {name}: only {name}'s key signs {name}'s actions; nothing was written"
            ).format(source=source, name=who),
            _("act as yourself (--as), or use {name}'s key").format(name=who),
        )
    return str(Path(key).expanduser()) if not literal else key


def _openpgp_key(who: str, fingerprint: str) -> str:
    if shutil.which("gpg") is None:
        raise ConfigError(
            _(
                "hardship.yaml lists an OpenPGP key for {name}, and signing with it needs gpg "
                "(GnuPG), which is not installed; nothing was written"
            ).format(name=who),
            _("install GnuPG (apt-get install gnupg)"),
        )
    found = subprocess.run(
        ["gpg", "--batch", "--with-colons", "--list-secret-keys", fingerprint],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if found.returncode != 0:
        raise ConfigError(
            _(
                "the OpenPGP key hardship.yaml lists for {name} ({fingerprint}) has no secret "
                "key in this machine's GnuPG keyring: only its owner signs with it; nothing "
                "was written"
            ).format(name=who, fingerprint=fingerprint),
            _("act as yourself (--as), or import {name}'s secret key on their own machine").format(
                name=who
            ),
        )
    return fingerprint


def key_body(key: str) -> str:
    """`type base64` of a public key, without its comment."""
    parts = key.removeprefix("key::").split()
    return " ".join(parts[:2])


def _public_key(key: str) -> str | None:
    """The public half of a signing key, where it can be known without a passphrase."""
    if key.startswith(("key::", "ssh-", "ecdsa-", "sk-")):
        return key.removeprefix("key::")
    path = Path(key).expanduser()
    candidates = [path] if path.suffix == ".pub" else [Path(f"{path}.pub")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace").strip()
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-P", "", "-f", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return derived.stdout.strip() if derived.returncode == 0 and derived.stdout.strip() else None


# ---------------------------------------------------------------------------------------
# Checking signatures: git reads the officers' keys from an allowed-signers file.


@dataclass
class Signers:
    """The officers' keys as git's allowed-signers principals (officer-1, ...)."""

    args: list[str]  # `-c gpg.ssh.allowedSignersFile=...` for git
    names: dict[str, str]  # principal (SSH) or fingerprint (OpenPGP) -> officer name


@contextmanager
def signers(config: Config | None) -> Iterator[Signers | None]:
    """Where the root requires signing: an allowed-signers file of the officers' keys, for
    as long as the caller reads the log. None where signing is not required."""
    if config is None or config.git.sign != "required":
        yield None
        return
    lines: list[str] = []
    names: dict[str, str] = {}
    for number, officer in enumerate(config.officers, 1):
        if is_fingerprint(officer.signing_key):
            names[officer.signing_key or ""] = officer.name
        elif officer.signing_key:
            principal = f"officer-{number}"
            names[principal] = officer.name
            lines.append(f'{principal} namespaces="git" {key_body(officer.signing_key)}')
    with tempfile.TemporaryDirectory(prefix="hardship-signers-") as folder:
        path = Path(folder) / "allowed_signers"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield Signers(["-c", f"gpg.ssh.allowedSignersFile={path}"], names)
