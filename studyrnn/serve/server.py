"""The web server: the start page, textual-serve's static files, one websocket per tab.

Each websocket starts a ``TabSession`` (its own app process, and so its own checker); the
websocket closing, or the server stopping, ends it. ``access`` decides who gets the page. The
access log is off: a request's address would carry the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.download_manager import DownloadManager

from studyrnn.serve import access
from studyrnn.serve.session import TabSession

log = logging.getLogger("studyrnn.serve")

STATIC = Path(textual_serve.__file__).resolve().parent / "static"
PAGE = "index.html"
TERMINAL_DEFAULT = (80, 24)


def _to_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class ServeConfig:
    host: str
    port: int
    command: str  # the shell command of one tab's app
    token: str | None  # None: no token (loopback only)
    title: str = "studyrnn"


@dataclass
class StudyServer:
    config: ServeConfig
    sessions: dict[web.WebSocketResponse, TabSession] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.downloads = DownloadManager()
        self.loopback = access.is_loopback(self.config.host)

    # --- the web application ----------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws", self.handle_websocket),
                web.static("/static", STATIC),
            ]
        )
        app.on_shutdown.append(self._on_shutdown)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Refuse the page to whoever lacks the token; keep other sites off the loopback
        server (a rebound DNS name, a websocket opened from another page)."""
        if request.path.startswith("/static/"):
            return await handler(request)  # textual-serve's files: nothing of the learner's
        if self.loopback and not access.is_loopback(access.host_name(request.host)):
            raise web.HTTPForbidden(text="studyrnn serve answers only to 127.0.0.1 and localhost\n")
        if self.config.token is not None:
            supplied = request.query.get(access.TOKEN_QUERY)
            if supplied is None:
                supplied = request.cookies.get(access.TOKEN_COOKIE)
            if not access.token_matches(supplied, self.config.token):
                raise web.HTTPForbidden(
                    text="studyrnn serve: this page needs the token the server printed when it "
                    "started.\nhint: open the address it printed, ending in ?token=...\n"
                )
            if access.TOKEN_QUERY in request.query and request.path == "/":
                # Trade the token for a cookie and take it out of the address bar and history.
                found = web.HTTPSeeOther("/")
                found.set_cookie(
                    access.TOKEN_COOKIE,
                    self.config.token,
                    httponly=True,
                    samesite="Strict",
                    path="/",
                )
                raise found
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.Response:
        page = resources.files("studyrnn.serve").joinpath(PAGE).read_text(encoding="utf-8")
        scheme = "wss" if request.secure else "ws"
        body = (
            page.replace("{{title}}", html.escape(self.config.title))
            .replace("{{ws_url}}", html.escape(f"{scheme}://{request.host}/ws"))
            .replace("{{font_size}}", str(_to_int(request.query.get("fontsize"), 16)))
        )
        return web.Response(text=body, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not access.same_origin(request.headers.get("Origin"), request.host):
            raise web.HTTPForbidden(text="studyrnn serve: a websocket from another site.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _to_int(request.query.get("width"), TERMINAL_DEFAULT[0])
        height = _to_int(request.query.get("height"), TERMINAL_DEFAULT[1])
        await websocket.prepare(request)
        session = TabSession(
            self.config.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.downloads,
        )
        self.sessions[websocket] = session
        try:
            await session.start(width, height)
            log.info("a tab opened: app process %s", session.pid)
            await self._relay(websocket, session)
        finally:
            await session.stop()
            self.sessions.pop(websocket, None)
            log.info("a tab closed: app process %s ended", session.pid)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: TabSession) -> None:
        """Keys, sizes and focus from the browser to the app."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = message.json()
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            if kind == "stdin":
                await session.send_bytes(str(envelope[1]).encode("utf-8"))
            elif kind == "resize":
                size = envelope[1]
                await session.set_terminal_size(int(size["width"]), int(size["height"]))
            elif kind == "ping":
                await websocket.send_json(["pong", envelope[1]])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def _on_shutdown(self, app: web.Application) -> None:
        """The server stops: every tab's app (and its checker) stops with it."""
        pairs = list(self.sessions.items())
        await asyncio.gather(*(session.stop() for _, session in pairs))
        for websocket, _ in pairs:
            with contextlib.suppress(Exception):
                await websocket.close(code=WSCloseCode.GOING_AWAY)

    # --- running ----------------------------------------------------------------------------
    async def serve(self, on_ready: Callable[[str], None]) -> None:
        """Listen until SIGINT or SIGTERM; ``on_ready`` gets the page's address."""
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        await site.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            on_ready(page_address(self.config.host, runner.addresses[0][1]))
            await stop.wait()
        finally:
            await runner.cleanup()


def page_address(host: str, port: int) -> str:
    """The address to open: a wildcard host is shown as this machine's loopback address."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"
