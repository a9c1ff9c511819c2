"""`blueprint watch`: one blueprint, redrawn on a local page each time it is saved.

The state is one immutable ``State``: a version number, whether the file is fine, its
errors, the last good picture and its findings (lint's JSON). A thread polls the file
and the configuration that applies to it (``os.stat``, and a digest of small files,
every ``poll`` seconds); a change is rebuilt once it has held still for ``settle``
seconds (by the files' ``ctime``: a save already that old is rebuilt at once), so an
editor's write-then-rename, or a burst of writes, is one rebuild. A
rebuild goes the one way every command goes (``plan``, ``check_one``, ``svg_of``), and
the version goes up only when what the page shows changed. A file that does not
validate, or is gone in the middle of a save, keeps the last good picture, with its
errors listed above it.

The page, the picture, the findings and a stream of events are served by ``serve`` on
127.0.0.1 only. Ctrl-C stops the watch: exit 0, as stopping is how a watch ends.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from blueprint_cli import serve
from blueprint_cli.findings import EXIT_ERROR, EXIT_OK, Report, Severity
from blueprint_cli.pipeline.render import RenderOptions, svg_of
from blueprint_cli.pipeline.run import Checked, check_one, picture_rules, plan
from blueprint_cli.text import name as safe

POLL_S = 0.2
SETTLE_S = 0.1
#: Files up to this size are also compared by a digest of their bytes: two saves within
#: one tick of the file system's clock, of the same size, are still two versions.
DIGEST_MAX_BYTES = 4 * 1024 * 1024

#: (mtime_ns, ctime_ns, size, inode, digest); None: the file is not there
Stamp = tuple[int, int, int, int, bytes] | None
Stamps = tuple[tuple[str, Stamp], ...]


@dataclass(slots=True)
class WatchOptions:
    path: str
    port: int = 0
    open_browser: bool = True
    render: RenderOptions = field(default_factory=RenderOptions)
    poll: float = POLL_S
    settle: float = SETTLE_S


@dataclass(frozen=True, slots=True)
class Built:
    """One rebuild: what the page shows of the file now."""

    ok: bool
    errors: tuple[dict[str, object], ...]
    svg: bytes | None  # drawn: the file is fine (or a draft, when asked for)
    findings: bytes  # lint's JSON document of the file
    watched: tuple[str, ...]  # the blueprint, and the configuration that applies to it


@dataclass(frozen=True, slots=True)
class State:
    version: int = 0
    ok: bool = False
    errors: tuple[dict[str, object], ...] = ()
    svg: bytes | None = None  # the last good picture
    svg_version: int = 0  # the version it was drawn at
    findings: bytes = b"{}\n"

    def payload(self) -> str:
        return json.dumps(
            {"version": self.version, "ok": self.ok, "errors": list(self.errors)},
            ensure_ascii=True,  # the event stream stays ASCII; the browser decodes
        )


def stamp(path: str) -> Stamp:
    """What tells one save of a file from the next; None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    digest = b""
    if st.st_size <= DIGEST_MAX_BYTES:
        import hashlib

        try:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(DIGEST_MAX_BYTES + 1)).digest()
        except OSError:
            return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, digest)


def quiet_for(stamps: Stamps) -> float:
    """Seconds since the last change of any of the files (a write, a rename: their
    ``ctime``); 0 when one is missing (it may be coming back)."""
    import time

    now = time.time_ns()
    ages = [(now - s[1]) / 1e9 if s is not None else 0.0 for _, s in stamps]
    return max(0.0, min(ages, default=0.0))


def _error(name: str, message: str) -> dict[str, object]:
    return {"file": name, "line": None, "column": None, "code": None, "message": message}


def build(path: str, options: RenderOptions, draft: bool = False) -> Built:
    """Check the file and, when it has no errors (or ``draft``: when it can be built at
    all), draw it as ``render`` would."""
    from blueprint_cli.reporters.json import document

    planned = plan([path], options.run)
    name = safe(path)
    report = Report(errors=list(planned.errors), fail_on=planned.settings.fail_on)
    watched = [path]
    errors = [_error(name, e) for e in planned.errors]
    checked: Checked | None = None
    if planned.jobs:
        job = planned.jobs[0]
        name = job.source.name
        if job.settings.path is not None:
            watched.append(job.settings.path)
        checked = check_one(job)
        if checked.error is not None:
            report.errors.append(checked.error)
            errors.append(_error(name, checked.error))
        else:
            report.files.append(name)
            report.findings.extend(checked.findings)
            errors.extend(
                {
                    "file": f.file,
                    "line": f.line,
                    "column": f.col,
                    "code": f.code,
                    "message": f.message,
                }
                for f in checked.findings
                if f.severity is Severity.ERROR
            )
    elif not errors:
        errors.append(_error(name, "not a blueprint file"))
    findings = _json(document(report))
    svg = None
    if checked is not None and checked.blueprint is not None and (draft or not errors):
        svg, problem = _draw(checked, options)
        if problem is not None:
            errors.append(_error(name, problem))
    ok = not errors
    return Built(ok, tuple(errors), svg, findings, tuple(watched))


def _json(doc: object) -> bytes:
    import io

    from blueprint_cli.reporters._common import write_json

    out = io.StringIO()
    write_json(doc, out)
    return out.getvalue().encode("utf-8")


def _draw(checked: Checked, options: RenderOptions) -> tuple[bytes | None, str | None]:
    """The picture ``render`` draws of the file (its findings narrowed to the rules a
    picture shows, as ``render`` checks it), or why there is none."""
    from blueprint_cli.render.graphviz import RenderError

    bp = checked.blueprint
    assert bp is not None
    steps = len(options.filters.select(bp).steps)
    if not steps:
        return None, "not drawn: the blueprint has no steps"
    limit = checked.settings.max_render_steps
    if steps > limit:
        return None, (
            f"not drawn: {steps:,} steps are too many to draw (the limit is {limit:,}, "
            "max-render-steps)"
        )
    drawn = picture_rules(checked.settings).enabled
    pictured = replace(checked, findings=[f for f in checked.findings if f.code in drawn])
    try:
        return svg_of(pictured, options), None
    except RenderError as exc:
        return None, str(exc)


class Watch:
    """The watched file's state, rebuilt on change; the events source of the page."""

    def __init__(self, options: WatchOptions, on_change: Callable[[State], None] | None = None):
        self.options = options
        self.on_change = on_change
        self.state = State()
        self.watched: tuple[str, ...] = (options.path,)
        self.built: Stamps = ()  # the stamps of the files as the last rebuild read them
        self.failure: BaseException | None = None
        self._changed = threading.Condition()
        self._stopped = False
        self._nonce = secrets.token_urlsafe(16)

    # -- building -----------------------------------------------------------------

    def stamps(self) -> Stamps:
        return tuple((p, stamp(p)) for p in self.watched)

    def rebuild(self, stamps: Stamps | None = None) -> bool:
        """Check and draw the file again; True when what the page shows changed.
        ``stamps``: those of the files taken before (default: now, before reading)."""
        before = self.stamps() if stamps is None else stamps
        current = self.state
        built = build(self.options.path, self.options.render, draft=current.svg is None)
        if built.watched != tuple(p for p, _ in before):
            before = (*before, *((p, None) for p in built.watched if p not in dict(before)))
        self.watched = built.watched
        self.built = before
        svg, svg_version = current.svg, current.svg_version
        if built.svg is not None and (built.ok or current.svg is None):
            svg = built.svg
        same = (built.ok, built.errors, svg, built.findings) == (
            current.ok,
            current.errors,
            current.svg,
            current.findings,
        )
        if same and current.version:
            return False
        version = current.version + 1
        if svg is not current.svg:
            svg_version = version
        state = State(version, built.ok, built.errors, svg, svg_version, built.findings)
        with self._changed:
            self.state = state
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change(state)
        return True

    def poll(self, stopping: threading.Event) -> None:
        """Rebuild on every change that has held still for ``settle`` seconds, until
        ``stopping`` is set. A failure (a bug) is kept in ``failure`` for the caller."""
        try:
            while not stopping.wait(self.options.poll):
                now = self.stamps()
                if now == self.built:
                    continue
                while True:  # settle: unchanged for ``settle`` seconds (by ctime, or seen)
                    wait = self.options.settle - quiet_for(now)
                    if wait <= 0:
                        break
                    if stopping.wait(wait):
                        return
                    again = self.stamps()
                    if again == now:
                        break
                    now = again
                self.rebuild(now)
        except BaseException as exc:  # a bug: the command reports it, not the thread
            self.failure = exc

    # -- serving --------------------------------------------------------------------

    def next_event(self, after: int | None, timeout: float) -> tuple[int, str, str] | None:
        with self._changed:
            if after is not None:
                self._changed.wait_for(
                    lambda: self._stopped or self.state.version != after, timeout
                )
            if self._stopped:
                raise serve.Stopped
            state = self.state
        if state.version == after:
            return None
        return state.version, "update", state.payload()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def routes(self) -> serve.Routes:
        return {
            "/": self._page,
            "/diagram.svg": self._diagram,
            "/findings.json": self._findings,
        }

    def _page(self) -> serve.Response:
        from importlib.resources import files

        state = self.state
        template = (files("blueprint_cli") / "templates" / "watch.html").read_text("utf-8")
        items = "".join(f"<li>{html.escape(error_text(e))}</li>" for e in state.errors)
        values = {
            "nonce": self._nonce,
            "title": html.escape(os.path.basename(self.options.path)),
            "path": html.escape(safe(self.options.path)),
            "version": str(state.version),
            "picture": str(state.svg_version),
            "errors": f"<ul>{items}</ul>" if items else "",
            "errors_hidden": "" if state.errors else " hidden",
            "diagram": inline_svg(state.svg) if state.svg is not None else "",
        }
        page = template
        for key, value in values.items():
            page = page.replace("{{" + key + "}}", value)
        csp = page_policy(self._nonce)
        return serve.Response(
            page.encode("utf-8"),
            "text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp},
        )

    def _diagram(self) -> serve.Response:
        state = self.state
        if state.svg is None:
            return serve.Response(b"no picture yet: see the errors\n", "text/plain", 404)
        headers = {"X-Blueprint-Version": str(state.svg_version)}
        return serve.Response(state.svg, "image/svg+xml", headers=headers)

    def _findings(self) -> serve.Response:
        return serve.Response(self.state.findings, "application/json")


def page_policy(nonce: str) -> str:
    """The page's Content-Security-Policy: its own inline style and script (by nonce:
    an ``onload=`` in a picture would not run), requests to itself only."""
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
    )


def error_text(error: dict[str, object]) -> str:
    """An error as the page lists it: ``line:col CODE message``, or the message."""
    where = f"{error['line']}:{error['column']} " if error.get("line") is not None else ""
    code = f"{error['code']} " if error.get("code") else ""
    return f"{where}{code}{error['message']}"


def inline_svg(svg: bytes) -> str:
    """The picture as the page embeds it: the ``<svg>`` element, without the XML
    declaration, doctype and comment before it."""
    text = svg.decode("utf-8")
    at = text.find("<svg")
    return text[at:] if at >= 0 else ""


def can_open_browser() -> bool:
    """Whether to open a browser: never under CI, nor on a Linux machine with no
    display (``webbrowser`` would start a text browser in this terminal), unless
    ``BROWSER`` names one."""
    if os.environ.get("CI"):
        return False
    if os.environ.get("BROWSER"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def say(state: State, name: str) -> None:
    """One line on stderr for each new version."""
    if state.ok:
        sys.stderr.write(f"blueprint: {name}: version {state.version}: drawn\n")
        return
    n = len(state.errors)
    kept = "; the last good picture stays on the page" if state.svg is not None else ""
    sys.stderr.write(
        f"blueprint: {name}: version {state.version}: {n} error{'s' * (n != 1)}{kept}\n"
    )
    for error in state.errors[:10]:
        sys.stderr.write(f"blueprint:   {safe(error_text(error))}\n")


def run_watch(options: WatchOptions) -> int:
    """The watch command: serve until Ctrl-C (exit 0, whenever it comes); returns the
    exit code."""
    try:
        return _run_watch(options)
    except KeyboardInterrupt:
        sys.stderr.write(f"blueprint: stopped watching {safe(options.path)}\n")
        return EXIT_OK


def _run_watch(options: WatchOptions) -> int:
    path = options.path
    if path == "-" or os.path.isdir(path):
        sys.stderr.write(f"blueprint: error: {safe(path)}: watch takes one blueprint file\n")
        return EXIT_ERROR
    if not os.path.isfile(path):
        sys.stderr.write(f"blueprint: error: {safe(path)}: no such file\n")
        return EXIT_ERROR
    name = safe(path)
    watch = Watch(options, lambda state: say(state, name))
    watch.rebuild()
    try:
        server, thread = serve.start(watch.routes(), {"/events": watch}, options.port)
    except OSError as exc:
        sys.stderr.write(
            f"blueprint: error: cannot listen on {serve.HOST}:{options.port}: "
            f"{exc.strerror or exc}\n"
        )
        return EXIT_ERROR
    stopping = threading.Event()
    poller = threading.Thread(target=watch.poll, args=(stopping,), name="blueprint-poll")
    try:  # from here on, Ctrl-C at any moment is a clean stop
        poller.start()
        sys.stdout.write(f"watching {name}: {server.url} (Ctrl-C stops)\n")
        sys.stdout.flush()
        if options.open_browser and can_open_browser():
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        while poller.is_alive():
            poller.join(0.5)
    finally:
        _ignore_interrupts()  # a second Ctrl-C must not break the stop into a traceback
        stopping.set()
        watch.stop()
        serve.stop(server, thread)
        if poller.ident is not None:
            poller.join(5)
    raise watch.failure or AssertionError("the poller stopped by itself")


def _ignore_interrupts() -> None:
    if threading.current_thread() is threading.main_thread():
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
