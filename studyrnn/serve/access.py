"""Who may open the page: the token, loopback addresses and same-origin websockets.

Anything that can reach the page can run code cards on this machine (inside the sandbox), so
a server reachable from other machines needs a token. The token is compared in constant time
and never written to a log; the page trades it for an HttpOnly cookie at once, so it leaves
the address bar and the websocket carries the cookie, not the token.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

TOKEN_QUERY = "token"
TOKEN_COOKIE = "studyrnn_token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def is_loopback(host: str) -> bool:
    """True for a name or address that only this machine can reach (127.0.0.0/8, ::1,
    localhost). ``0.0.0.0`` and ``::`` listen on every interface, so they are not."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A random token, 32 characters that survive a URL unquoted."""
    return secrets.token_urlsafe(24)


def token_matches(supplied: str | None, token: str) -> bool:
    """Constant-time comparison, so the time of a refusal tells nothing about the token."""
    if supplied is None:
        return False
    return hmac.compare_digest(supplied.encode("utf-8"), token.encode("utf-8"))


def host_name(host_header: str) -> str:
    """The name part of a Host header: ``127.0.0.1:8000`` -> ``127.0.0.1``, ``[::1]:80`` ->
    ``::1``."""
    return urlsplit(f"//{host_header}").hostname or ""


def same_origin(origin: str | None, host_header: str) -> bool:
    """A websocket is opened by the page itself, not by another site in the same browser:
    browsers send Origin on every websocket, and it must name the host the page came from
    (websockets are not bound by CORS, so without this any site could drive the app)."""
    if origin is None:
        return True  # not a browser: the token or loopback already decided
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()
