"""Who may open the page: loopback, the token, the origin of a websocket."""

from __future__ import annotations

import pytest

from studyrnn.serve import access
from studyrnn.serve.server import page_address
from studyrnn.serve.session import terminal_text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.5.6.7", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("desk.example.org", False),
        ("", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert access.is_loopback(host) is loopback


def test_the_token_must_match_exactly() -> None:
    token = access.new_token()
    assert len(token) == 32
    assert access.new_token() != token
    assert access.token_matches(token, token)
    assert not access.token_matches(None, token)
    assert not access.token_matches("", token)
    assert not access.token_matches(token[:-1], token)
    assert not access.token_matches(token + "x", token)
    assert not access.token_matches("é" + token[1:], token)


@pytest.mark.parametrize(
    ("header", "name"),
    [("127.0.0.1:8000", "127.0.0.1"), ("[::1]:80", "::1"), ("Localhost", "localhost")],
)
def test_host_name_of_a_host_header(header: str, name: str) -> None:
    assert access.host_name(header) == name


def test_a_websocket_must_come_from_the_page_itself() -> None:
    assert access.same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert access.same_origin(None, "127.0.0.1:8000")
    assert not access.same_origin("http://evil.example", "127.0.0.1:8000")
    assert not access.same_origin("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not access.same_origin("null", "127.0.0.1:8000")


def test_the_printed_address_of_a_wildcard_host() -> None:
    assert page_address("0.0.0.0", 8123) == "http://127.0.0.1:8123/"
    assert page_address("::", 80) == "http://[::1]:80/"
    assert page_address("192.168.1.20", 8000) == "http://192.168.1.20:8000/"


def test_an_error_is_written_as_terminal_lines() -> None:
    assert terminal_text("error: no\nhint: yes\n") == (
        b"\x1b[0m\x1b[?1049l\r\nerror: no\r\nhint: yes\r\n"
    )
