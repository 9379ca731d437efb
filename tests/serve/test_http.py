"""The server over plain HTTP, without a browser: the token, the Host and the Origin checks."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from studyrnn.serve.session import APP_BOOT

from .conftest import REPO, Served

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def get(served: Served, path: str, headers: dict[str, str] | None = None) -> Answer:
    parts = urlsplit(served.base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, dict(response.headers), response.read())
    finally:
        conn.close()


def test_loopback_serves_the_start_page_without_a_token(serve: Callable[..., Served]) -> None:
    served = serve()
    assert served.url.startswith("http://127.0.0.1:") and "token" not in served.url
    response = get(served, "/")
    page = response.body.decode()
    assert response.status == 200
    assert "studyrnn is starting…" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{urlsplit(served.base).port}/ws"' in page
    assert "googleapis" not in page  # nothing is fetched from elsewhere
    assert get(served, "/static/js/textual.js").status == 200


def test_loopback_refuses_a_foreign_host_and_origin(serve: Callable[..., Served]) -> None:
    served = serve()
    rebound = get(served, "/", {"Host": "attacker.example:80"})
    assert rebound.status == 403
    assert rebound.body == b"studyrnn serve answers only to 127.0.0.1 and localhost\n"
    ws = get(
        served,
        "/ws",
        {
            "Origin": "http://attacker.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert ws.status == 403


def test_a_wildcard_host_refuses_the_page_without_the_token(serve: Callable[..., Served]) -> None:
    served = serve("--host", "0.0.0.0")
    assert "?token=" in served.url
    token = served.url.split("?token=", 1)[1]
    assert len(token) == 32
    for path in ("/", "/?token=", f"/?token={token[:-1]}", f"/?token={token}x", "/ws"):
        response = get(served, path)
        assert (path, response.status) == (path, 403)
        assert b"needs the token the server printed" in response.body
    wrong_cookie = get(served, "/", {"Cookie": "studyrnn_token=nope"})
    assert wrong_cookie.status == 403
    # The right token is traded for a cookie, and leaves the address.
    granted = get(served, f"/?token={token}")
    assert granted.status == 303
    assert granted.headers["Location"] == "/"
    cookie = granted.headers["Set-Cookie"]
    assert cookie.startswith(f"studyrnn_token={token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = get(served, "/", {"Cookie": f"studyrnn_token={token}"})
    assert page.status == 200
    # The token is printed once, as the address to open, and never logged.
    assert served.stop() == 0
    assert sum(token in line for line in served.lines) == 1


def test_a_chosen_token_is_not_printed(serve: Callable[..., Served]) -> None:
    served = serve("--host", "0.0.0.0", "--token", "sofa-tablet-42")
    assert served.url.endswith("/?token=<your token>")
    assert get(served, "/?token=sofa-tablet-4").status == 403
    assert get(served, "/?token=sofa-tablet-42").status == 303
    assert served.stop() == 0
    assert not any("sofa-tablet-42" in line for line in served.lines)


def test_a_port_in_use_is_an_error_with_a_hint(
    serve: Callable[..., Served], deck: Path, tmp_path: Path
) -> None:
    served = serve()
    port = urlsplit(served.base).port
    argv = [sys.executable, "-c", APP_BOOT, str(REPO), "--db", f"sqlite:///{tmp_path / 'b.db'}"]
    argv += ["--decks", str(deck), "serve", "--port", str(port)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2:] == [
        f"error: cannot listen on 127.0.0.1:{port}: the port is in use",
        "hint: choose another --port, or stop what is using it",
    ]
