"""A headless Chromium driven over the DevTools protocol on a pipe (no websocket library,
no network): open a page, collect console errors, evaluate, screenshot, print to PDF."""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
# Set to 1 by .ci/run once chromium is installed: from then on a missing browser fails the
# browser tests instead of skipping them, so that CI never passes without having run them.
REQUIRE = "HARDSHIP_REQUIRE_BROWSER"


def required() -> bool:
    return os.environ.get(REQUIRE) == "1"


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: fd 3 is what Chrome reads, fd 4 what it writes
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Python's own fds are not inheritable (PEP 446): only the two dup2'd
            # in wire() pass to Chrome; close_fds would close them after wire() ran.
            close_fds=False,
            preexec_fn=wire,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - it may be gone already
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            event = self._read()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def open(self, url: str, width: int = 900, height: int = 1200) -> str:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain, session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        return session

    def errors(self, session: str) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen on the page."""
        found = []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(json.dumps(params.get("args"), ensure_ascii=False))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(str(params["entry"].get("text")))
        return found

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def screenshot(self, session: str, scale: float = 0.25) -> bytes:
        size = self.evaluate(
            session, "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        clip = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": scale}
        data = self.send(
            "Page.captureScreenshot", session, format="png", clip=clip, captureBeyondViewport=True
        )["data"]
        return base64.b64decode(data)

    def pdf(self, session: str) -> bytes:
        data = self.send(
            "Page.printToPDF",
            session,
            printBackground=True,
            preferCSSPageSize=True,
            paperWidth=8.27,
            paperHeight=11.69,
        )["data"]
        return base64.b64decode(data)


# The demo's four reports, as `hardship report ...` arguments, and their zh/en names.
DEMO_REPORTS = {
    "monthly": ["monthly", "--month", "2026-10"],
    "annual": ["annual", "--year", "2026"],
    "case": ["case", "HS-2026-0005"],
    "notice": ["notice"],
}
DEMO_REPORT_NAMES = [f"{kind}.{lang}" for kind in DEMO_REPORTS for lang in ("zh", "en")]


def needs_browser() -> Any:
    """Skipped without a browser, except where one was installed to run the tests
    (.ci/run sets HARDSHIP_REQUIRE_BROWSER=1): there a missing browser fails them."""
    import pytest

    return pytest.mark.skipif(
        find_browser() is None and not required(),
        reason="no headless browser installed (apt-get install chromium)",
    )


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB(A) PNG: (width, height, rows of raw pixel bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            left = cur[i - channels] if i >= channels else 0
            up = prev[i]
            corner = prev[i - channels] if i >= channels else 0
            if kind == 1:
                cur[i] = (cur[i] + left) & 255
            elif kind == 2:
                cur[i] = (cur[i] + up) & 255
            elif kind == 3:
                cur[i] = (cur[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                cur[i] = (cur[i] + pred) & 255
        rows.append(bytes(cur))
        prev = cur
    return width, channels, rows


def inked_share(png: bytes) -> float:
    """The share of pixels that are not (near) white."""
    width, channels, rows = png_pixels(png)
    inked = total = 0
    for row in rows:
        for x in range(width):
            r, g, b = row[x * channels : x * channels + 3]
            total += 1
            if r < 235 or g < 235 or b < 235:
                inked += 1
    return inked / max(total, 1)


# The A4 print layout, simulated in the page: the body flows into columns one printed page
# wide and one printed page high, which CSS fragments as it fragments pages (break-inside,
# table headers). Then no short table may span two columns, and no row may be cut.
PAGINATE = r"""
(() => {
  const mm = 96 / 25.4;
  const pageW = (210 - 14 - 14) * mm, pageH = (297 - 15 - 16) * mm;
  const box = document.createElement('div');
  box.style.cssText = `column-width:${pageW}px;column-gap:0;column-fill:auto;` +
                      `height:${pageH}px;width:${pageW}px;margin:0;padding:0;`;
  while (document.body.firstChild) box.appendChild(document.body.firstChild);
  document.body.appendChild(box);
  const left = box.getBoundingClientRect().left;
  const col = x => Math.floor((x - left + 1) / pageW);
  const cut = el => { const r = el.getBoundingClientRect(); return r.width > pageW + 1; };
  const tables = [...document.querySelectorAll('table')].map(t => {
    const rows = [...t.querySelectorAll('tr')];
    const cols = new Set(rows.map(r => col(r.getBoundingClientRect().left)));
    return {id: t.id || t.className, long: t.classList.contains('long'),
            rows: rows.length, pages: [...cols], cutRows: rows.filter(cut).length};
  });
  const figures = [...document.querySelectorAll('figure, dl.figures')].map(f => ({
    id: f.id || f.className, cut: cut(f)}));
  return {pages: Math.ceil(box.scrollWidth / pageW), tables, figures};
})()
"""

VISIBLE = r"""
(() => {
  const seen = el => { const r = el.getBoundingClientRect();
    const s = getComputedStyle(el); return r.width > 0 && r.height > 0 &&
    s.visibility !== 'hidden' && s.display !== 'none'; };
  return {
    tables: [...document.querySelectorAll('table')].filter(seen).length,
    charts: [...document.querySelectorAll('figure.chart svg')].filter(seen).map(s =>
      s.querySelectorAll('rect, polyline').length),
    scripts: document.querySelectorAll('script').length,
    external: [...document.querySelectorAll('[src], link[href]')].length,
  };
})()
"""
