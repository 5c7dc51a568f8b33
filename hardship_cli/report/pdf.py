"""PDF: the HTML report printed to A4 by a headless Chromium (the browser CI installs).

The page (its size, margins, page numbers, title and period in the margin: the @page rules
of templates/_base.html.j2) is laid out by the browser; the fonts it uses are embedded in
the PDF. The HTML (self-contained: no script, nothing fetched) is written to a private
temporary folder, printed, and the folder removed. The PDF's creation and modification
dates are set to the report's day: the same records and --today give the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from hardship_cli import portable
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError

# Where to look for the browser, first the one named by HARDSHIP_BROWSER.
BROWSER_ENV = "HARDSHIP_BROWSER"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_BROWSERS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
TIMEOUT = 180  # seconds for one report
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")


def find_browser() -> str | None:
    """The headless browser: $HARDSHIP_BROWSER, else the first of BROWSERS on PATH."""
    named = os.environ.get(BROWSER_ENV)
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if sys.platform == "darwin":
        for candidate in MAC_BROWSERS:
            if Path(candidate).is_file():
                return candidate
    return None


def install_hint() -> str:
    """The command that installs the renderer on this kind of machine."""
    if sys.platform == "darwin":
        return _("install Google Chrome or Chromium (brew install --cask chromium)")
    if sys.platform == "win32":
        return _("install Google Chrome or Microsoft Edge, and set {env} to its .exe").format(
            env=BROWSER_ENV
        )
    return _(
        "install it: sudo apt-get install chromium fonts-wqy-microhei "
        "(or set {env} to a Chrome or Chromium binary)"
    ).format(env=BROWSER_ENV)


def html_to_pdf(html: str, today: date) -> bytes:
    """Print the HTML report to an A4 PDF with the headless browser."""
    browser = find_browser()
    if browser is None:
        raise UsageError(
            _(
                "--format pdf needs a headless Chromium or Chrome, and none was found "
                "({browsers} on PATH, or ${env})"
            ).format(browsers=", ".join(BROWSERS[:3]), env=BROWSER_ENV),
            install_hint(),
        )
    with tempfile.TemporaryDirectory(prefix="hardship-pdf-") as folder:
        work = Path(folder)  # mode 0700: the report may hold sensitive fields
        page = work / "report.html"
        page.write_text(html, encoding="utf-8")
        out = work / "report.pdf"
        _print(browser, page, out, work / "profile")
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            raise UsageError(
                _("{browser} wrote no PDF").format(browser=browser),
                _("check that `{browser} --headless --print-to-pdf` works on this machine").format(
                    browser=browser
                ),
            )
        return stamp_dates(out.read_bytes(), today)


def _print(browser: str, page: Path, out: Path, profile: Path) -> None:
    command = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={out}",
        page.as_uri(),
    ]
    if portable.uid() == 0:
        command.insert(2, "--no-sandbox")  # Chromium refuses to run as root with it
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(
            _("{browser} did not print the report within {seconds} s").format(
                browser=browser, seconds=TIMEOUT
            ),
            install_hint(),
        ) from None
    except OSError as exc:
        raise UsageError(
            _("{browser} could not be started: {reason}").format(
                browser=browser, reason=exc.strerror
            ),
            install_hint(),
        ) from None
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        failed = (
            _("{browser} failed to print the report (exit {code}): {said}")
            if last
            else _("{browser} failed to print the report (exit {code})")
        )
        raise UsageError(
            failed.format(browser=browser, code=done.returncode, said=last[0] if last else ""),
            _("check that `{browser} --headless --print-to-pdf` works on this machine").format(
                browser=browser
            ),
        )


def stamp_dates(pdf: bytes, today: date) -> bytes:
    """The PDF's creation and modification dates set to the report's day, each of the same
    length as before, so that the file's cross-reference offsets stay right."""

    def day(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (D:" + today.strftime("%Y%m%d").encode() + b"000000Z)"
        if len(new) > len(old):
            return old
        return new + b" " * (len(old) - len(new))  # whitespace between the entries

    return _PDF_DATE.sub(day, pdf)
