"""The language a person reads: gettext catalogs, and which one speaks.

Every string a person reads is marked where it is written and looked up when it is shown:

    from hardship_cli.i18n import N_, _, ngettext

    raise UsageError(_("no case {id} in this root").format(id=case_id))
    _PLAIN = {errno.EROFS: N_("the file system is read-only")}   # marked, kept in English
    print(_(_PLAIN[errno.EROFS]))                                  # translated when shown

The source strings are English; `tools/catalogs.py` extracts them with Babel into
``locale/hardship.pot``, merges them into ``locale/zh_CN/LC_MESSAGES/hardship.po`` (and
``en``), and compiles each to the ``.mo`` that ships with the package (stdlib `gettext`
reads it: no Babel at run time). Placeholders are ``{name}``, filled by ``.format`` after
the lookup, so a translation may put them in another order.

The language of the terminal: ``--lang zh|en``, else ``$HARDSHIP_LANG``, else the root's
``locale`` in hardship.yaml, else ``$LC_ALL`` / ``$LC_MESSAGES`` / ``$LANG``, else English
(`choose`). The CLI sets it once per run (`set_language`); the core reads it through `_`.
Documents (reports) are rendered in a language of their own, looked up with `gettext_in`.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "hardship"
LANGS = ("zh", "en")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).with_name("locale")
# The catalog of each language (a folder under LOCALE_DIR).
CATALOGS = {"zh": "zh_CN", "en": "en"}

_current = DEFAULT
_loaded: dict[str, _gettext.NullTranslations] = {}


def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (read once per process); English falls back to the
    source strings themselves."""
    found = _loaded.get(lang)
    if found is None:
        found = _gettext.translation(
            DOMAIN, LOCALE_DIR, languages=[CATALOGS.get(lang, lang)], fallback=True
        )
        _loaded[lang] = found
    return found


def set_language(lang: str) -> None:
    """The language of what the terminal shows from now on (one of LANGS)."""
    global _current
    _current = lang if lang in LANGS else DEFAULT


def language() -> str:
    return _current


def _(message: str) -> str:
    """`message` in the language of the terminal."""
    if _current == DEFAULT:
        return message
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, in the language of the terminal."""
    if _current == DEFAULT:
        return singular if n == 1 else plural
    return translations(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the sense `context` gives it (one English word, two Chinese ones)."""
    return translations(_current).pgettext(context, message)


def gettext_in(lang: str, message: str, context: str | None = None) -> str:
    """`message` in `lang`, whatever the terminal speaks (a report in its own language)."""
    found = translations(lang)
    return found.pgettext(context, message) if context else found.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it here (a constant, looked up
    with `_` where it is shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark `message` with its `context` for the catalogs (looked up with `gettext_in` or
    `pgettext` and the same context where it is shown)."""
    return message


# ---------------------------------------------------------------------------------------
# Which language speaks


def normalize(value: str | None) -> str | None:
    """A language as people and systems write it -> one of LANGS, or None when unknown:
    ``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``中文`` -> zh; ``en``, ``en_US.UTF-8``, ``C``,
    ``POSIX`` -> en."""
    if not value:
        return None
    text = value.strip().lower()
    if text in ("中文", "汉语", "简体中文", "chinese"):
        return "zh"
    if text in ("c", "posix", "english", "英文", "英语") or text.startswith("c."):
        return "en"
    head = re.split(r"[-_.@:]", text, maxsplit=1)[0]
    return head if head in LANGS else None


# `locale:` at the top level of hardship.yaml, read without parsing the whole file (the
# choice is made before any command runs, `--help` included).
_LOCALE_LINE = re.compile(r"""^locale:[ \t]*["']?([A-Za-z_-]+)["']?[ \t]*(?:#.*)?$""", re.M)


def root_locale(root: Path | None) -> str | None:
    """The `locale` of the root's hardship.yaml, or None (no root, no such line, a file
    that is not a regular file: whatever it is, nothing is followed out of the root)."""
    if root is None:
        return None
    path = root / "hardship.yaml"
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    found = _LOCALE_LINE.search(head)
    return normalize(found.group(1)) if found else None


def choose(
    flag: str | None, environ: Mapping[str, str] | None = None, root: Path | None = None
) -> str:
    """The language of the terminal: --lang, else $HARDSHIP_LANG, else the root's locale,
    else $LC_ALL / $LC_MESSAGES / $LANG, else English. An unknown value is passed over."""
    env = os.environ if environ is None else environ
    for found in (flag, env.get("HARDSHIP_LANG")):
        lang = normalize(found)
        if lang:
            return lang
    lang = root_locale(root)
    if lang:
        return lang
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            # The first one set decides, as in POSIX (LC_ALL=C means C).
            return normalize(env[name]) or DEFAULT
    return DEFAULT
