"""`blueprint watch`: the local server's routes and refusals, the events stream, and
redraws on save, without a browser. Timeouts are generous; speed is for benchmarks."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprint_cli import serve
from blueprint_cli.pipeline.lint import lint_paths
from blueprint_cli.pipeline.watch import State, Watch, WatchOptions, can_open_browser
from blueprint_cli.reporters.json import document
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")

TIMEOUT = 20.0  # seconds: for an event that must come
QUIET = 1.5  # seconds without a second event: "exactly one update"


@dataclass
class Running:
    watch: Watch
    server: serve.Server
    path: Path

    @property
    def port(self) -> int:
        return self.server.port


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    path = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", path)
    (tmp_path / "blueprint.toml").write_text("fail-on = 'error'\n", encoding="utf-8")
    watch = Watch(WatchOptions(str(path)))
    watch.rebuild()
    server, thread = serve.start(watch.routes(), {"/events": watch}, 0, keep_alive=0.3)
    stopping = threading.Event()
    poller = threading.Thread(target=watch.poll, args=(stopping,), daemon=True)
    poller.start()
    try:
        yield Running(watch, server, path)
    finally:
        stopping.set()
        watch.stop()
        serve.stop(server, thread)
        poller.join(TIMEOUT)
    assert watch.failure is None


def request(
    port: int, path: str, method: str = "GET", host: str | None = "default"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", f"127.0.0.1:{port}" if host == "default" else host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Stream:
    """A reader of /events on a raw socket: headers first, then one event at a time."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n", TIMEOUT)
        assert head is not None
        self.status_line, *headers = head.decode("latin-1").split("\r\n")
        self.headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in headers)}
        self.comments: list[str] = []

    def _until(self, mark: bytes, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while mark not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return None
            if not data:
                return None
            self.buffer += data
        block, _, self.buffer = self.buffer.partition(mark)
        return block

    def update(self, timeout: float = TIMEOUT) -> dict[str, object] | None:
        """The next ``update`` event's data, or None when none comes in ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            block = self._until(b"\n\n", deadline - time.monotonic())
            if block is None:
                return None
            lines = block.decode("utf-8").split("\n")
            self.comments += [line for line in lines if line.startswith(":")]
            fields = [line.partition(": ") for line in lines if not line.startswith(":")]
            if ("event", ": ", "update") in fields:
                data = "\n".join(value for key, _, value in fields if key == "data")
                return dict(json.loads(data))

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def stream(running: Running) -> Iterator[Stream]:
    reader = Stream(running.port)
    first = reader.update()
    assert first is not None and first["version"] == running.watch.state.version
    yield reader
    reader.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the routes -------------------------------------------------------------------------


def test_the_page_keeps_the_contract_of_the_browser_tests(running: Running) -> None:
    status, headers, body = request(running.port, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<div id="diagram"' in page and "<svg" in page.split('<div id="diagram"')[1]
    assert '<div id="errors" hidden></div>' in page
    assert '<span id="version">1</span>' in page
    assert '<div id="status">' in page
    assert 'http-equiv="Content-Security-Policy"' in page and "connect-src 'self'" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "<?xml" not in page  # the picture is inlined as an element
    assert "src=" not in page.replace('<script nonce="', "")  # nothing loaded from elsewhere


def test_the_picture_and_the_findings(running: Running) -> None:
    status, headers, svg = request(running.port, "/diagram.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg and b"Overnight hotel stay" in svg
    assert headers["X-Blueprint-Version"] == "1"
    status, headers, body = request(running.port, "/findings.json?v=1")
    assert status == 200 and headers["Content-Type"] == "application/json"
    os.chdir(running.path.parent)  # lint names the file as watch does: as given
    expected = document(lint_paths([str(running.path)]))
    assert json.loads(body) == json.loads(json.dumps(expected))


def test_head_answers_without_a_body(running: Running) -> None:
    status, headers, body = request(running.port, "/diagram.svg", "HEAD")
    assert status == 200 and int(headers["Content-Length"]) > 0 and body == b""


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/index.html",
        "/diagram.svg/",
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/templates/watch.html",
        "/diagram.svg/../../pyproject.toml",
        "http://127.0.0.1/../etc/passwd",
        "*",
    ],
)
def test_anything_but_the_routes_is_404_and_no_file_is_read(running: Running, path: str) -> None:
    status, _, body = request(running.port, path)
    assert status == 404
    assert b"root:" not in body and b"[project]" not in body and b"<html" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_methods_other_than_get_and_head_are_405(running: Running, method: str) -> None:
    status, headers, _ = request(running.port, "/", method)
    assert status == 405 and headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "evil.example", "127.0.0.1", "127.0.0.1:1", "[::1]:{port}", None],
)
def test_a_foreign_host_is_refused(running: Running, host: str | None) -> None:
    """DNS rebinding: a page of another site, its name re-bound to 127.0.0.1, sends its
    own name as the Host; so does anything else that is not this server."""
    shown = host.format(port=running.port) if host is not None else None
    for path in ("/", "/diagram.svg", "/findings.json", "/events"):
        status, _, body = request(running.port, path, host=shown)
        assert status == 403 and b"<svg" not in body
    assert request(running.port, "/", "POST", host=shown)[0] == 403


def test_localhost_by_name_is_accepted(running: Running) -> None:
    assert request(running.port, "/", host=f"localhost:{running.port}")[0] == 200
    assert request(running.port, "/", host=f"LocalHost:{running.port}")[0] == 200


def test_it_listens_on_127_0_0_1_only(running: Running) -> None:
    assert running.server.server_address[0] == "127.0.0.1"
    assert running.server.socket.getsockname()[0] == "127.0.0.1"
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    for address in others:  # the machine's other addresses, when it has some
        with pytest.raises(OSError), socket.create_connection((address, running.port), 2):
            pass


def test_events_are_a_stream_with_keep_alive_comments(running: Running) -> None:
    reader = Stream(running.port)
    try:
        assert reader.status_line.endswith("200 OK")
        assert reader.headers["content-type"].startswith("text/event-stream")
        assert reader.update() == {"version": 1, "ok": True, "errors": []}
        assert reader.update(timeout=1.0) is None  # nothing changed: comments only
        assert ": keep-alive" in reader.comments
    finally:
        reader.close()


# -- redraws ----------------------------------------------------------------------------


def test_a_save_gives_an_update_and_the_new_picture(running: Running, stream: Stream) -> None:
    edit(running.path, "title: Overnight hotel stay", "title: Overnight motel stay")
    update = stream.update()
    assert update == {"version": 2, "ok": True, "errors": []}
    status, headers, svg = request(running.port, "/diagram.svg?v=2")
    assert status == 200 and headers["X-Blueprint-Version"] == "2"
    assert b"Overnight motel stay" in svg and b"Overnight hotel stay" not in svg
    assert '<span id="version">2</span>' in request(running.port, "/")[2].decode()


def test_a_broken_file_keeps_the_last_good_picture(running: Running, stream: Stream) -> None:
    good = request(running.port, "/diagram.svg")[2]
    edit(running.path, "title: Overnight hotel stay", "title: [unclosed")
    update = stream.update()
    assert update is not None and update["version"] == 2 and update["ok"] is False
    errors = update["errors"]
    assert isinstance(errors, list) and errors
    for error in errors:
        assert isinstance(error["line"], int) and isinstance(error["column"], int)
        assert error["file"] == str(running.path) and error["code"] and error["message"]
    status, headers, svg = request(running.port, "/diagram.svg?v=2")
    assert status == 200 and svg == good and headers["X-Blueprint-Version"] == "1"
    page = request(running.port, "/")[2].decode()
    banner = page.split('<div id="errors"')[1].split("</div>")[0]
    assert " hidden" not in banner.split(">")[0]
    assert banner.count("<li>") == len(errors)
    first = errors[0]
    assert f"<li>{first['line']}:{first['column']} {first['code']} " in banner
    findings = json.loads(request(running.port, "/findings.json")[2])
    assert findings["summary"]["error"] >= 1
    # fixed again: the picture is drawn anew, the banner hidden
    shutil.copy(EXAMPLES / "hotel.yaml", running.path)
    update = stream.update()
    assert update == {"version": 3, "ok": True, "errors": []}
    assert '<div id="errors" hidden></div>' in request(running.port, "/")[2].decode()


def test_write_then_rename_is_one_update(running: Running, stream: Stream) -> None:
    text = running.path.read_text(encoding="utf-8").replace(
        "Overnight hotel stay", "Overnight inn stay"
    )
    temporary = running.path.with_name(".hotel.yaml.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, running.path)
    update = stream.update()
    assert update is not None and update["version"] == 2 and update["ok"] is True
    assert stream.update(timeout=QUIET) is None
    assert running.watch.state.version == 2


def test_a_burst_of_writes_is_one_update(running: Running, stream: Stream) -> None:
    original = running.path.read_text(encoding="utf-8")
    for i in range(5):  # within a few milliseconds: an editor saving in pieces
        with open(running.path, "w", encoding="utf-8") as handle:
            handle.write(original.replace("Overnight hotel stay", f"Overnight stay {i}"))
            handle.flush()
        time.sleep(0.01)
    update = stream.update()
    assert update is not None and update["version"] == 2 and update["ok"] is True
    assert stream.update(timeout=QUIET) is None
    assert b"Overnight stay 4" in request(running.port, "/diagram.svg")[2]


def test_a_file_gone_mid_save_keeps_the_picture(running: Running, stream: Stream) -> None:
    good = request(running.port, "/diagram.svg")[2]
    running.path.unlink()
    update = stream.update()
    assert update is not None and update["ok"] is False
    assert request(running.port, "/diagram.svg")[2] == good
    shutil.copy(EXAMPLES / "hotel.yaml", running.path)
    update = stream.update()
    assert update is not None and update["ok"] is True


def test_a_save_that_changes_nothing_is_no_update(running: Running, stream: Stream) -> None:
    running.path.write_bytes(running.path.read_bytes())  # touched: the same bytes
    assert stream.update(timeout=QUIET) is None
    assert running.watch.state.version == 1


def test_the_configuration_is_watched_too(running: Running, stream: Stream) -> None:
    before = json.loads(request(running.port, "/findings.json")[2])
    assert before["findings"]
    codes = sorted({f["code"] for f in before["findings"]})
    config = running.path.with_name("blueprint.toml")
    config.write_text(f"ignore = {json.dumps(codes)}\n", encoding="utf-8")
    update = stream.update()
    assert update is not None and update["version"] == 2
    assert json.loads(request(running.port, "/findings.json")[2])["findings"] == []


def test_a_reader_that_connects_late_gets_the_current_state(running: Running) -> None:
    edit(running.path, "title: Overnight hotel stay", "title: x: y: z")
    deadline = time.monotonic() + TIMEOUT
    while running.watch.state.version < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    reader = Stream(running.port)
    try:
        update = reader.update()
        assert update is not None and update["version"] == 2 and update["ok"] is False
    finally:
        reader.close()


def test_state_payload_is_the_event_contract() -> None:
    error = {"file": "a.yaml", "line": 3, "column": 5, "code": "BP001", "message": "m"}
    state = State(7, False, (error,), None, 0, b"{}")
    assert json.loads(state.payload()) == {"version": 7, "ok": False, "errors": [error]}


def test_no_browser_under_ci_or_without_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert not can_open_browser()
    monkeypatch.delenv("CI")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not can_open_browser()
    monkeypatch.setenv("DISPLAY", ":0")
    assert can_open_browser()


# -- the command ------------------------------------------------------------------------


def _start(path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHONTRACEBACK", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "blueprint_cli", "watch", str(path), "--no-open", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", path)
    proc, line = _start(path)
    try:
        assert line.startswith(f"watching {path}: http://127.0.0.1:")
        assert line.rstrip().endswith("/ (Ctrl-C stops)")
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        assert request(port, "/")[0] == 200
        reader = Stream(port)  # an open stream must not hold the stop up
        assert reader.update() is not None
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
        reader.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Aborted" not in err
    assert "stopped watching" in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), 2).close()


def test_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        proc, line = _start(path, "--port", str(taken.getsockname()[1]))
        _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 2 and line == ""
    assert "blueprint: error: cannot listen on 127.0.0.1:" in err and "Traceback" not in err


@pytest.mark.parametrize("which", ["missing.yaml", "."])
def test_watch_takes_one_existing_file(tmp_path: Path, which: str) -> None:
    proc, line = _start(tmp_path / which)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 2 and line == "" and "blueprint: error:" in err
