"""The gettext catalogs of hardship: extract, update, compile, check (Babel).

    python tools/catalogs.py            # extract -> hardship.pot, update the .po, compile .mo
    python tools/catalogs.py --check    # what is missing, fuzzy or wrong; exit 1 if anything

Every string marked with ``_``, ``N_``, ``ngettext`` or ``pgettext`` in ``hardship_cli/``
goes into ``hardship_cli/locale/hardship.pot``; each language's ``.po`` is updated from it
(new messages empty, changed ones fuzzy, removed ones dropped) and compiled to the ``.mo``
that the package reads. Dates in the headers are fixed, locations carry no line numbers:
the files change only when the messages do (and merge without churn).

`make test` runs tests/test_catalogs.py: a marked message without a ``zh_CN``
translation, a fuzzy one, one whose ``{placeholders}`` differ from the source, a stale
``.mo`` or ``.pot``, each fails it with the message named.
"""

from __future__ import annotations

import argparse
import gettext
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "hardship_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "hardship"
POT = LOCALE / f"{DOMAIN}.pot"
# The languages of the catalogs, and whether every message must be translated.
LANGUAGES = {"zh_CN": True, "en": False}
FIXED_DATE = datetime(2026, 12, 3, tzinfo=UTC)
PROJECT = "hardship"
WIDTH = 100
# Babel's keywords, and N_'s twin with a context: NP_("kind", "medical relief").
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract(package: Path = PACKAGE) -> Catalog:
    """Every marked message of the package's modules, in the order of the files."""
    template = Catalog(
        project=PROJECT, version="", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
        fuzzy=False,
    )
    found = extract_from_dir(
        package, method_map=[("**.py", "python")], keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        path = (package / filename).relative_to(REPO).as_posix()
        template.add(
            message, None, [(path, lineno)], auto_comments=comments, context=context,
        )
    return template


HEADER_COMMENT = """\
# The messages of hardship, the command-line tool of a trade union's hardship fund.
# Made by tools/catalogs.py from the marked strings of hardship_cli/: edit the msgstr
# lines only, then run `python tools/catalogs.py` (it keeps what you wrote)."""


def _write_po(catalog: Catalog) -> bytes:
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    catalog.header_comment = HEADER_COMMENT
    catalog.last_translator = "hardship"
    catalog.language_team = "hardship"
    catalog.msgid_bugs_address = ""
    buffer = io.BytesIO()
    pofile.write_po(
        buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True,
    )
    # Which Babel wrote it is no part of the messages (and would differ between machines).
    return re.sub(rb'"Generated-By: [^"]*\\n"\n', b"", buffer.getvalue())


def _write_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    return buffer.getvalue()


def read_po(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return pofile.read_po(handle, locale=locale)


def updated(template: Catalog, lang: str) -> Catalog:
    """The `lang` catalog brought up to `template` (translations kept)."""
    path = po_path(lang)
    if path.exists():
        catalog = read_po(path, lang)
    else:
        catalog = Catalog(locale=lang, project=PROJECT, version="", fuzzy=False)
    catalog.update(template, update_creation_date=False)
    catalog.fuzzy = False
    return catalog


def build() -> dict[Path, bytes]:
    """What every catalog file should hold now: the .pot, each .po and each .mo."""
    template = extract()
    files = {POT: _write_po(template)}
    for lang in LANGUAGES:
        catalog = updated(template, lang)
        po = _write_po(catalog)
        files[po_path(lang)] = po
        # Compiled from the .po as written, so that the .mo is exactly the file's.
        files[mo_path(lang)] = _write_mo(pofile.read_po(io.BytesIO(po), locale=lang))
    return files


def write(files: dict[Path, bytes]) -> list[Path]:
    changed = []
    for path, data in files.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    return changed


# ---------------------------------------------------------------------------------------
# The checks


_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders(text: str) -> list[str]:
    """The ``{name}`` placeholders of a message (``{{`` and ``}}`` are literal braces)."""
    return sorted(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Finding:
    lang: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.what}: {self.msgid!r}"


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string or ""]


def check_catalog(
    template: Catalog, catalog: Catalog, lang: str, complete: bool = True
) -> Iterator[Finding]:
    """What is wrong with `catalog` against the messages of `template`: a message not in
    it, untranslated (when `complete`), fuzzy, or with other placeholders."""
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        first = _ids(message)[0]
        if found is None:
            yield Finding(lang, first, "not in the catalog (run python tools/catalogs.py)")
            continue
        strings = [s for s in _strings(found) if s]
        if found.fuzzy and strings:
            yield Finding(lang, first, "fuzzy translation (check it, then drop the fuzzy flag)")
        if complete and (not strings or len(strings) < len(_strings(found))):
            yield Finding(lang, first, "no translation")
            continue
        wanted = placeholders(_ids(message)[-1])
        for text in strings:
            if set(placeholders(text)) != set(wanted):
                yield Finding(
                    lang, first,
                    f"placeholders {placeholders(text)} differ from the source's {wanted}",
                )


def _keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, _ids(m)[0]) for m in catalog if m.id}


def _compiled(data: bytes) -> dict[object, object]:
    """What gettext reads from a .mo: its messages."""
    return dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]


def check(template: Catalog | None = None) -> list[str]:
    """Every finding (as text, for a test or the terminal). Compared by their messages,
    not their bytes, so that another Babel's line wrapping is no finding."""
    template = template if template is not None else extract()
    stale = "is stale: run python tools/catalogs.py"
    findings: list[str] = []
    if not POT.exists() or _keys(read_po(POT)) != _keys(template):
        findings.append(f"{POT.relative_to(REPO)} {stale}")
    for lang, complete in LANGUAGES.items():
        if not po_path(lang).exists():
            findings.append(f"{po_path(lang).relative_to(REPO)} is missing: run python "
                            "tools/catalogs.py")
            continue
        catalog = read_po(po_path(lang), lang)
        findings += [str(f) for f in check_catalog(template, catalog, lang, complete)]
        extra = _keys(catalog) - _keys(template)
        findings += [f"{lang}: no longer in the source: {msgid!r}" for _c, msgid in extra]
        mo = mo_path(lang)
        if not mo.exists() or _compiled(mo.read_bytes()) != _compiled(_write_mo(catalog)):
            findings.append(f"{mo.relative_to(REPO)} {stale}")
    return findings


def merge_from(lang: str, others: Iterable[Path]) -> int:
    """Fill the empty translations of `lang` from other .po files of it (another branch's
    catalog: `git show BRANCH:PATH > other.po`); a translation already there is kept.
    How two branches' catalogs are merged without hand-editing a conflict."""
    catalog = read_po(po_path(lang), lang)
    filled = 0
    for other in others:
        for message in read_po(other, lang):
            if not message.id or not any(_strings(message)) or message.fuzzy:
                continue
            mine = catalog.get(message.id, context=message.context)
            if mine is None:
                catalog.add(message.id, message.string, context=message.context)
                filled += 1
            elif not any(_strings(mine)):
                mine.string = message.string
                filled += 1
    po_path(lang).write_bytes(_write_po(catalog))
    return filled


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; list findings")
    parser.add_argument(
        "--merge-from", nargs="+", type=Path, metavar="PO",
        help="fill empty zh_CN translations from these .po files, then update",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.merge_from:
        print(f"{merge_from('zh_CN', args.merge_from)} translations taken")
    if args.check:
        findings = check()
        for finding in findings:
            print(finding)
        return 1 if findings else 0
    for path in write(build()):
        print(f"wrote {path.relative_to(REPO)}")
    findings = check()
    for finding in findings:
        print(finding)
    print(f"{len(findings)} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
