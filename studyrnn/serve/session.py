"""One browser tab's app: a studyrnn process driven through textual-serve's app service.

textual-serve's ``AppService`` starts the process and relays its frames. This subclass adds
what a learner's machine needs: a tab that closes ends its app (and so the app's checker)
even when the app does not answer the quit request, and an app that stops with an error
shows that error in the tab, as it would in a terminal, instead of a bare "Session ended".
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from textual_serve.app_service import AppService

log = logging.getLogger("studyrnn.serve")

QUIT_GRACE = 10.0  # seconds an app has to close its checker and leave after "quit"
KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL

# The app runs from the same studyrnn as the server (the folder that holds the package goes
# first on sys.path), whatever an installed copy elsewhere would otherwise put first.
APP_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from studyrnn.cli import main; main(sys.argv[2:])"
)


def app_command(db: str, decks: Sequence[Path], device: str) -> str:
    """The shell command of one tab's app: the same store, decks and device for every tab.
    ``exec`` makes the app the shell's own process, so stopping it stops the app."""
    root = str(Path(__file__).resolve().parents[2])
    argv = [sys.executable, "-c", APP_BOOT, root, "--db", db, "--device", device]
    for deck in decks:
        argv += ["--decks", str(deck)]
    return "exec " + shlex.join(argv)


def terminal_text(text: str) -> bytes:
    """Plain text as a terminal shows it: reset attributes, leave the alternate screen, and
    turn bare newlines into CR LF (xterm.js does not return the carriage by itself)."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return ("\x1b[0m\x1b[?1049l\r\n" + "\r\n".join(lines) + "\r\n").encode("utf-8")


class TabSession(AppService):
    """The app process of one tab."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._stopping: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def on_meta(self, data: bytes) -> None:
        # The app says it is leaving: the websocket stays open until its stderr is read,
        # so that a crash report reaches the tab (``run`` closes it).
        if json.loads(data).get("type") == "exit":
            return
        await super().on_meta(data)

    async def run(self) -> None:
        """Relay the app's frames until it exits; then show its error, if any, and close."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stdout, stderr = process.stdout, process.stderr
        errors = io.BytesIO()

        async def read_stderr() -> None:
            while data := await stderr.read(4096):
                errors.write(data)

        stderr_task = asyncio.create_task(read_stderr())
        try:
            for _ in range(10):  # textual's prelude: the app really is a Textual app
                line = await stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if kind == b"D":
                    await self.on_data(payload)
                elif kind == b"M":
                    await self.on_meta(payload)
                elif kind == b"P":
                    await self.on_packed(payload)
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
            pass
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(stderr_task, KILL_GRACE)  # a grandchild may hold stderr
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(process.wait(), KILL_GRACE)
        text = errors.getvalue().decode("utf-8", "replace").strip()
        if text and process.returncode not in (0, None):
            log.warning("an app stopped with exit status %s:\n%s", process.returncode, text)
            with contextlib.suppress(Exception):  # the tab may be gone already
                await self.remote_write_bytes(terminal_text(text))
        with contextlib.suppress(Exception):
            await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit; terminate, then kill it, if it does not. Safe to call from
        the tab's handler and from the server's shutdown at once."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        process, task = self._process, self._task
        if process is None or task is None:
            return
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            for signal_process in (None, process.terminate, process.kill):
                if signal_process is not None and process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        signal_process()
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), QUIT_GRACE)
                    break
                except TimeoutError:
                    continue
        with contextlib.suppress(asyncio.CancelledError):
            await task
