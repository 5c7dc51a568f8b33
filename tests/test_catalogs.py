"""The gettext catalogs are whole: every marked message has its zh_CN translation, none is
fuzzy, placeholders agree, the compiled .mo and the .pot are up to date; and each check
bites on a planted defect."""

from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

import pytest
from babel.messages import pofile
from babel.messages.catalog import Catalog

from hardship_cli import i18n

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import catalogs  # noqa: E402


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogs.extract()


def test_the_catalogs_are_whole(template: Catalog) -> None:
    findings = catalogs.check(template)
    assert findings == [], "\n".join(findings[:40]) + f"\n({len(findings)} findings)"


def _catalog(*pairs: tuple[str, str], fuzzy: tuple[str, ...] = ()) -> Catalog:
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in pairs:
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    return catalog


def _template(*msgids: str) -> Catalog:
    catalog = Catalog()
    for msgid in msgids:
        catalog.add(msgid)
    return catalog


def test_an_untranslated_message_is_a_finding() -> None:
    template = _template("no case {id}", "the disk is full")
    catalog = _catalog(("no case {id}", "没有档案 {id}"), ("the disk is full", ""))
    found = [str(f) for f in catalogs.check_catalog(template, catalog, "zh_CN")]
    assert found == ["zh_CN: no translation: 'the disk is full'"]


def test_a_message_missing_from_the_catalog_is_a_finding() -> None:
    found = [str(f) for f in catalogs.check_catalog(_template("new one"), _catalog(), "zh_CN")]
    assert found == ["zh_CN: not in the catalog (run python tools/catalogs.py): 'new one'"]


def test_a_fuzzy_translation_is_a_finding() -> None:
    catalog = _catalog(("the disk is full", "磁盘满了"), fuzzy=("the disk is full",))
    found = [str(f) for f in catalogs.check_catalog(_template("the disk is full"), catalog, "zh")]
    assert found == [
        "zh: fuzzy translation (check it, then drop the fuzzy flag): 'the disk is full'"
    ]


def test_placeholders_that_differ_are_a_finding() -> None:
    catalog = _catalog(("no case {id} in {root}", "{root} 中没有档案 {case}"))
    found = [str(f) for f in catalogs.check_catalog(_template("no case {id} in {root}"),
                                                     catalog, "zh_CN")]
    assert found == [
        "zh_CN: placeholders ['case', 'root'] differ from the source's ['id', 'root']: "
        "'no case {id} in {root}'"
    ]
    # The same placeholders in another order are right (Chinese puts the place first).
    catalog = _catalog(("no case {id} in {root}", "{root} 中没有档案 {id}"))
    assert list(catalogs.check_catalog(_template("no case {id} in {root}"), catalog, "zh")) == []


def test_english_may_be_left_untranslated() -> None:
    template = _template("the disk is full")
    catalog = Catalog(locale="en")
    catalog.add("the disk is full", "")
    assert list(catalogs.check_catalog(template, catalog, "en", complete=False)) == []


def test_a_planted_unmarked_translation_fails_the_whole_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: Catalog
) -> None:
    """A message marked in the source with no zh_CN translation fails the check that
    `make test` runs (the template is extended as a new `_()` call would extend it)."""
    planted = template.__class__()
    for message in template:
        if message.id:
            planted.add(message.id, context=message.context, locations=message.locations)
    planted.add("a planted message nobody translated", locations=[("hardship_cli/x.py", 1)])
    findings = catalogs.check(planted)
    assert (
        "zh_CN: not in the catalog (run python tools/catalogs.py): "
        "'a planted message nobody translated'"
    ) in findings
    assert any("hardship.pot is stale" in f for f in findings)


def test_a_stale_compiled_catalog_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: Catalog
) -> None:
    locale = tmp_path / "locale"
    for lang in catalogs.LANGUAGES:
        folder = locale / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "hardship.po").write_bytes(catalogs.po_path(lang).read_bytes())
        (folder / "hardship.mo").write_bytes(catalogs.mo_path(lang).read_bytes())
    (locale / "hardship.pot").write_bytes(catalogs.POT.read_bytes())
    monkeypatch.setattr(catalogs, "LOCALE", locale)
    monkeypatch.setattr(catalogs, "POT", locale / "hardship.pot")
    monkeypatch.setattr(catalogs, "REPO", tmp_path)
    assert catalogs.check(template) == []
    # A translation changed in the .po but not compiled.
    po = locale / "zh_CN" / "LC_MESSAGES" / "hardship.po"
    catalog = pofile.read_po(io.BytesIO(po.read_bytes()), locale="zh_CN")
    message = next(m for m in catalog if m.id == "the disk is full")
    message.string = "磁盘已经满了"
    po.write_bytes(catalogs._write_po(catalog))
    assert catalogs.check(template) == ["locale/zh_CN/LC_MESSAGES/hardship.mo is stale: run "
                                        "python tools/catalogs.py"]


def test_the_terminal_reads_the_compiled_catalog() -> None:
    try:
        i18n.set_language("zh")
        assert i18n._("the disk is full") == "磁盘已满"
        assert i18n.gettext_in("en", "the disk is full") == "the disk is full"
        i18n.set_language("en")
        assert i18n._("the disk is full") == "the disk is full"
        assert i18n.gettext_in("zh", "the disk is full") == "磁盘已满"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("flag", "env", "locale", "expected"),
    [
        ("en", {"HARDSHIP_LANG": "zh"}, "zh-CN", "en"),
        (None, {"HARDSHIP_LANG": "en"}, "zh-CN", "en"),
        (None, {"HARDSHIP_LANG": "zh_CN.UTF-8"}, "en", "zh"),
        (None, {"LANG": "en_US.UTF-8"}, "zh-CN", "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, None, "zh"),
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, None, "en"),
        (None, {"LC_ALL": "fr_FR.UTF-8"}, None, "en"),
        (None, {}, None, "en"),
        ("xx", {"HARDSHIP_LANG": "zh"}, None, "zh"),
    ],
)
def test_the_language_is_chosen_in_order(
    tmp_path: Path, flag: str | None, env: dict[str, str], locale: str | None, expected: str
) -> None:
    root = None
    if locale:
        root = tmp_path
        (root / "hardship.yaml").write_text(
            f"organization:\n  name: x\nlocale: {locale}  # the language of the records\n"
        )
    assert i18n.choose(flag, env, root) == expected


def test_a_root_locale_behind_a_link_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("locale: zh-CN\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "hardship.yaml").symlink_to(outside)
    assert i18n.root_locale(root) is None


def _modules_importing_underscore() -> list[Path]:
    found = []
    for path in sorted((REPO / "hardship_cli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "hardship_cli.i18n" and any(
                alias.name == "_" for alias in node.names
            ):
                found.append(path)
                break
    return found


def _shadowing(path: Path) -> list[int]:
    """Lines where a module that translates with `_` also binds `_` (a loop variable,
    an unpacking): from there on `_("...")` would call the wrong thing."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            lines.append(node.lineno)
        if isinstance(node, ast.arg) and node.arg == "_":
            lines.append(node.lineno)
    return lines


def test_no_module_that_translates_binds_underscore() -> None:
    bad = {str(p.relative_to(REPO)): _shadowing(p) for p in _modules_importing_underscore()}
    assert {path: lines for path, lines in bad.items() if lines} == {}


def test_the_shadowing_check_bites(tmp_path: Path) -> None:
    planted = tmp_path / "m.py"
    planted.write_text(
        "from hardship_cli.i18n import _\n\nfor _ in range(3):\n    print(_('x'))\n"
    )
    assert _shadowing(planted) == [3]
