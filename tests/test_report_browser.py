"""The HTML reports in a real headless Chromium: no console errors, charts and tables
visible, a screenshot that is not blank, and an A4 print with no table cut."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import (
    BROWSERS,
    DEMO_REPORT_NAMES,
    DEMO_REPORTS,
    PAGINATE,
    REQUIRE,
    VISIBLE,
    Browser,
    find_browser,
    inked_share,
    needs_browser,
    required,
)
from tests.clirun import hardship
from tests.conftest import DEMO, TODAY

BINARY = find_browser()
if BINARY is None and not required():  # pragma: no cover - .ci/run installs Debian's chromium
    print("\nSKIP browser tests: no chromium found (apt-get install chromium)")
pytestmark = needs_browser()
REPORTS = DEMO_REPORTS


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if BINARY is None:
        pytest.fail(
            f"{REQUIRE}=1 says a headless browser was installed, but none of "
            f"{', '.join(BROWSERS)} is on PATH",
            pytrace=False,
        )
    b = Browser(BINARY, tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("browser") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".hardship-cache", "reports"))
    out = {}
    for kind, args in REPORTS.items():
        for lang in ("zh", "en"):
            path = root.parent / f"{kind}.{lang}.html"
            result = hardship(
                "--root", root, "report", *args, "--lang", lang, "--today", str(TODAY), "-o", path
            )
            assert result.code == 0, result.err
            out[f"{kind}.{lang}"] = path
    return out


@pytest.mark.parametrize("name", DEMO_REPORT_NAMES)
def test_html_report_in_a_browser(browser, pages, name, tmp_path):
    session = browser.open(pages[name].as_uri())
    seen = browser.evaluate(session, VISIBLE)
    assert seen["scripts"] == 0 and seen["external"] == 0  # self-contained, no JavaScript
    assert seen["tables"] >= 1
    if name.split(".")[0] in ("monthly", "annual"):
        assert len(seen["charts"]) == 3 and all(n > 0 for n in seen["charts"]), seen
    shot = browser.screenshot(session)
    (tmp_path / f"{name}.png").write_bytes(shot)
    assert inked_share(shot) > 0.03  # not blank
    pdf = browser.pdf(session)
    assert pdf.startswith(b"%PDF")
    printed = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    browser.send("Emulation.setEmulatedMedia", session, media="print")
    layout = browser.evaluate(session, PAGINATE)
    for table in layout["tables"]:
        assert table["cutRows"] == 0, (name, table)
        if not table["long"]:
            assert len(table["pages"]) == 1, (name, table)
    assert not [f for f in layout["figures"] if f["cut"]], name
    # the simulation is faithful to the real print: same number of A4 pages, give or take one
    assert printed >= 1 and abs(printed - layout["pages"]) <= 1, (printed, layout["pages"])
    assert browser.errors(session) == [], name
