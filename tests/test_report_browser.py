"""Open the HTML report in headless Chromium (Debian's ``chromium``; CI installs it).

The page is driven over the Chrome DevTools protocol with a tiny standard-library
WebSocket client (no extra dependency): console errors and uncaught exceptions are
collected, the hostile strings of the synthetic corpus must not have executed
(``window.__pwned`` stays undefined), the leaderboard, figures, sorting, search and
best/worst links must work, and the page must fit a phone-width viewport.  A
``--screenshot`` of the page is also taken and checked.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from _runfolder import write_run
from sumbench.reports import compare_runs, render_report

pytestmark = pytest.mark.browser

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
]


def _chromium() -> str | None:
    env = os.environ.get("SUMBENCH_CHROMIUM")
    if env and Path(env).exists():
        return env
    for c in CANDIDATES:
        path = shutil.which(c)
        if path:
            return path
    return None


CHROMIUM = _chromium()
if CHROMIUM is None:
    pytest.skip(
        "no chromium binary found (apt-get install chromium; or set SUMBENCH_CHROMIUM)", allow_module_level=True
    )


# --- a minimal WebSocket client (RFC 6455, client side, text frames) --------------------
class WebSocket:
    def __init__(self, url: str, timeout: float = 30.0):
        assert url.startswith("ws://")
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port or 80)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        status, _, self.buffer = head.partition(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake failed: {status[:200]!r}")

    def send(self, text: str) -> None:
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(b ^ mask[k % 4] for k, b in enumerate(data)))

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self) -> str:
        parts = []
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode in (0x9, 0xA):  # ping/pong: ignore
                continue
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode()

    def close(self) -> None:
        self.sock.close()


class DevTools:
    """Just enough of the DevTools protocol: commands, and events kept in a list."""

    def __init__(self, ws_url: str):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        for e in self.events:
            if e["method"] == method:
                return e
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method:
                    return msg
        raise TimeoutError(method)

    def js(self, expression: str):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}))[:500])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append(json.dumps(p.get("args", []))[:500])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append(p["entry"].get("text", "")[:500])
        return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1280,2000",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"chromium did not start (exit code {proc.poll()})")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _open(port: int, url: str, width: int = 1280, height: int = 2000, mobile: bool = False) -> DevTools:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    target = json.loads(urllib.request.urlopen(req, timeout=30).read())
    dt = DevTools(target["webSocketDebuggerUrl"])
    for domain in ("Runtime", "Log", "Page"):
        dt.call(f"{domain}.enable")
    dt.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
    dt.call("Page.navigate", url=url)
    dt.wait_for("Page.loadEventFired")
    dt.js("new Promise(r => setTimeout(r, 400))")  # let any (hostile) handler have its chance
    return dt


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    run_dir = write_run(tmp_path_factory.mktemp("browser-run") / "a")
    return render_report(run_dir)["html"]


def test_report_loads_cleanly_and_hostile_strings_stay_inert(browser, report):
    dt = _open(browser, report.as_uri())
    try:
        assert dt.errors() == []
        assert dt.js("typeof window.__pwned") == "undefined"
        assert dt.js("document.documentElement.dataset.reportReady") == "1"  # our inline script ran
        assert dt.js("document.scripts.length") == 1
        assert dt.js("document.querySelector('#doc-doc-03 .card.article .text').textContent").startswith(
            "Officials said <script>window.__pwned=1</script>"
        )
        # leaderboard and figures
        assert dt.js("document.querySelectorAll('#leaderboard-table tbody tr').length") == 3
        imgs = dt.js("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.src.slice(0, 22)])")
        assert len(imgs) == 5
        assert all(ok and w > 300 and src == "data:image/png;base64," for ok, w, src in imgs)
        assert dt.js("document.querySelectorAll('details.doc').length") == 12
        assert dt.js("document.querySelectorAll('mark').length") > 10
    finally:
        dt.ws.close()


def test_sorting_search_and_links(browser, report):
    dt = _open(browser, report.as_uri())
    try:
        col = (
            "Array.from(document.querySelectorAll('#leaderboard-table tbody tr'))"
            ".map(r => r.cells[1].textContent.trim())"
        )
        before = dt.js(col)
        assert before[0] == "lead"
        dt.js("document.querySelectorAll('#leaderboard-table th')[3].click()")  # ROUGE-2 F, ascending
        assert dt.js(col) == before[::-1]
        assert dt.js("document.querySelectorAll('#leaderboard-table th')[3].getAttribute('aria-sort')") == "ascending"
        # search filters by id and title
        dt.js(
            "{ const b = document.getElementById('doc-search'); b.value = 'BREAKING'; "
            "b.dispatchEvent(new Event('input')); }"
        )
        assert dt.js("document.querySelectorAll('details.doc:not(.hidden)').length") == 1
        assert dt.js("document.getElementById('doc-count').textContent") == "1 of 12 documents"
        dt.js("{ const b = document.getElementById('doc-search'); b.value = ''; b.dispatchEvent(new Event('input')); }")
        # a best/worst link opens its document
        href = dt.js("document.querySelector('a.best-link').getAttribute('href')")
        dt.js("document.querySelector('a.best-link').click()")
        dt.js("new Promise(r => setTimeout(r, 100))")
        assert dt.js(f"document.getElementById({json.dumps(href[1:])}).open") is True
        assert dt.errors() == []
        assert dt.js("typeof window.__pwned") == "undefined"
    finally:
        dt.ws.close()


def test_expanded_documents_stay_inert_and_fit_a_phone(browser, report):
    dt = _open(browser, report.as_uri(), width=390, height=844, mobile=True)
    try:
        dt.js("document.getElementById('expand-all').click()")
        dt.js("new Promise(r => setTimeout(r, 300))")
        assert dt.js("document.querySelectorAll('details.doc[open]').length") == 12
        assert dt.js("typeof window.__pwned") == "undefined"
        # nothing but the scrollable table wrappers may be wider than the screen
        assert dt.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert dt.errors() == []
    finally:
        dt.ws.close()


def test_a_budgeted_drill_down_keeps_every_best_and_worst_link_working(browser, tmp_path):
    run_dir = write_run(tmp_path / "run")
    html = render_report(run_dir, tmp_path / "out", max_documents=4)["html"]
    dt = _open(browser, html.as_uri())
    try:
        assert dt.errors() == []
        assert dt.js("document.querySelectorAll('details.doc').length") < 12
        assert dt.js("document.getElementById('drill-down-note').textContent").startswith("The drill-down shows ")
        hrefs = dt.js("Array.from(document.querySelectorAll('a.bw')).map(a => a.getAttribute('href'))")
        assert len(hrefs) == 6
        for k, href in enumerate(hrefs):
            dt.js(f"document.querySelectorAll('a.bw')[{k}].click()")
            dt.js("new Promise(r => setTimeout(r, 50))")
            assert dt.js(f"document.getElementById({json.dumps(href[1:])}).open") is True, href
        assert dt.errors() == []
    finally:
        dt.ws.close()


def test_compare_page_loads_cleanly(browser, tmp_path):
    a = write_run(tmp_path / "a")
    b = write_run(tmp_path / "b", variant="b")
    html = compare_runs(a, b, tmp_path / "cmp")["html"]
    dt = _open(browser, html.as_uri())
    try:
        assert dt.errors() == []
        assert dt.js("typeof window.__pwned") == "undefined"
        assert dt.js("document.querySelectorAll('#moved-table tbody tr').length") > 0
    finally:
        dt.ws.close()


def test_screenshot(tmp_path, report):
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            report.as_uri(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a blank page compresses to a few kB
    keep = os.environ.get("SUMBENCH_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
