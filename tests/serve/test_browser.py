"""The app in a real browser: Debian's chromium, driven by Playwright, against a real server,
store and app processes."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .browser import (
    Terminal,
    children,
    cmdline,
    descendants,
    focused_class,
    running,
    wait_until,
)
from .conftest import Served

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow

VIEWPORT = {"width": 1200, "height": 800}
HOME_BEFORE = r"All decks\s+3 new\s+0 lrn\s+0 due"
WORKER = "studyrnn.runner.worker"


def reviews(db_path: Path) -> list[tuple[str, int, str, int]]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT c.explicit_id, r.rating, r.source, r.state_before "
            "FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id"
        ).fetchall()
    db.close()
    return [(str(a), int(b), str(c), int(d)) for a, b, c, d in rows]


def test_review_in_a_tab_then_a_second_tab_sees_it(
    serve: Callable[..., Served], chromium: Browser
) -> None:
    served = serve()
    context = chromium.new_context(viewport=VIEWPORT)
    first = context.new_page()
    terminal = Terminal(first)
    first.goto(served.url)
    terminal.wait_for(HOME_BEFORE, "Home with the three new cards")
    assert focused_class(first) == "xterm-helper-textarea"  # the page took focus by itself
    first.keyboard.press("a")
    terminal.wait_for(r"What does optimizer\.zero_grad\(\) set the gradients to", "the first card")
    first.keyboard.press("Space")
    terminal.wait_for(r"None \(since PyTorch 2\.0, set_to_none=True is the default\)", "its answer")
    first.keyboard.press("3")
    terminal.wait_for(r"cloze · new · 2 new · 1 lrn · 0 due", "the next card")
    # The answer was committed before the next card was shown.
    assert reviews(served.db_path) == [("ui-zero-grad", 3, "review", 0)]

    second = context.new_page()
    other = Terminal(second)
    second.goto(served.url)
    other.wait_for(r"Today: 1 reviews", "the second tab's Home, counting the review")
    assert re.search(r"All decks\s+2 new\s+1 lrn\s+0 due", other.text), other.text
    # The second tab reviews too, on the same store, as a second terminal would.
    second.keyboard.press("a")
    other.wait_for(r"cloze · new · 2 new · 1 lrn · 0 due", "the second tab's first card")
    second.keyboard.press("Space")
    other.wait_for(r"c_t = f_t ⊙ c_\{t-1\} \+ i_t ⊙ g_t", "the cloze's answer")
    second.keyboard.press("3")
    wait_until(second, lambda: len(reviews(served.db_path)) == 2, "the second tab's review")
    assert reviews(served.db_path) == [
        ("ui-zero-grad", 3, "review", 0),
        ("ui-lstm-cell", 3, "review", 0),
    ]

    # Two tabs, two app processes, each with its own checker.
    def apps() -> list[int]:
        return children(served.proc.pid)

    def checkers() -> list[int]:
        return [pid for app in apps() for pid in children(app) if WORKER in cmdline(pid)]

    wait_until(first, lambda: len(apps()) == 2 and len(checkers()) == 2, "two apps and checkers")
    tree = {pid: cmdline(pid) for pid in descendants(served.proc.pid)}
    assert len(tree) >= 4

    # Closing a tab ends its app and its checker; the other tab's go on.
    one_app = {pid: tree[pid] for pid in [*apps()]}
    second.close()
    wait_until(first, lambda: len(apps()) == 1, "the second tab's app to end")
    (kept,) = apps()
    gone = [pid for pid in one_app if pid != kept]
    assert not any(running(pid, tree[pid]) for pid in gone)
    first.keyboard.press("Escape")
    terminal.wait_for(r"Today: 2 reviews", "the first tab back on Home, counting both tabs")

    first.close()
    wait_until(
        None,
        lambda: not any(running(pid, command) for pid, command in tree.items()),
        "every app and checker to end once both tabs closed",
    )
    assert served.proc.poll() is None  # the server goes on, with no app
    assert served.stop() == 0
    assert not any(running(pid, command) for pid, command in tree.items())


def test_off_loopback_the_page_is_refused_without_the_token(
    serve: Callable[..., Served], chromium: Browser
) -> None:
    # Listening on every interface turns the token on; 127.0.0.1 is one of those interfaces.
    served = serve("--host", "0.0.0.0")
    token = served.url.split("?token=", 1)[1]
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    terminal = Terminal(page)
    for address in (served.base, f"{served.base}?token=wrong", f"{served.base}?token={token}x"):
        response = page.goto(address)
        assert response is not None and response.status == 403, address
        assert "needs the token the server printed" in page.inner_text("body")
        assert terminal.size is None  # no websocket, so no app
    response = page.goto(served.url)
    assert response is not None and response.status == 200
    assert page.url == served.base  # the token left the address bar for a cookie
    terminal.wait_for(HOME_BEFORE, "Home, once the token was given")


def test_the_window_size_is_the_terminal_size(
    serve: Callable[..., Served], chromium: Browser
) -> None:
    served = serve()
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    terminal = Terminal(page)
    page.goto(served.url)
    terminal.wait_for(HOME_BEFORE, "Home")
    assert terminal.size is not None
    wide = terminal.size
    page.set_viewport_size({"width": 800, "height": 600})
    wait_until(page, lambda: terminal.size != wide, "the page to resize its terminal")
    assert terminal.size is not None
    columns, rows = terminal.size
    assert columns < wide[0] and rows < wide[1]
    # The app redraws at the new size: its key bar is on the terminal's last row.
    wait_until(
        page,
        lambda: " a Review all  r Recall" in terminal.screen.display[rows - 1],
        "the key bar on the last row",
        shown=lambda: terminal.text,
    )


def test_screenshots_of_home_and_review(
    serve: Callable[..., Served], chromium: Browser, tmp_path: Path
) -> None:
    served = serve()
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    terminal = Terminal(page)
    page.goto(served.url)
    terminal.wait_for(HOME_BEFORE, "Home")
    home = tmp_path / "home.png"
    page.screenshot(path=str(home))
    page.keyboard.press("a")
    terminal.wait_for(r"basic · new · 3 new · 0 lrn · 0 due", "the first card")
    page.keyboard.press("Space")
    terminal.wait_for(r"set_to_none=True is the default", "its answer")
    review = tmp_path / "review.png"
    page.screenshot(path=str(review))
    for shot in (home, review):
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert (shot.name, width, height) == (shot.name, 1200, 800)


def test_an_app_that_stops_with_an_error_shows_it_in_the_tab(
    serve: Callable[..., Served], chromium: Browser, deck: Path, tmp_path: Path
) -> None:
    served = serve()
    shutil.rmtree(deck)  # the deck folder goes away while the server runs
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    terminal = Terminal(page)
    page.goto(served.url)
    terminal.wait_for(rf"error: deck path not found: {re.escape(str(deck))}", "the app's error")
    assert "hint: pass a deck folder or a .md file that exists" in terminal.text
    wait_until(
        page,
        lambda: "-closed" in str(page.evaluate("document.body.className")),
        "the page to say the session ended",
    )
    assert page.is_visible("#ended") and not page.is_visible("#starting")
    page.screenshot(path=str(tmp_path / "error.png"))
    assert served.proc.poll() is None  # one tab's failure is not the server's


def test_kill_9_of_the_server_loses_no_review_and_leaves_no_app(
    serve: Callable[..., Served], chromium: Browser
) -> None:
    served = serve()
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    terminal = Terminal(page)
    page.goto(served.url)
    terminal.wait_for(HOME_BEFORE, "Home")
    page.keyboard.press("a")
    terminal.wait_for(r"basic · new · 3 new · 0 lrn · 0 due", "the first card")
    page.keyboard.press("Space")
    terminal.wait_for(r"set_to_none=True is the default", "its answer")

    def checkers() -> list[int]:
        return [p for a in children(served.proc.pid) for p in children(a) if WORKER in cmdline(p)]

    wait_until(page, lambda: len(checkers()) == 1, "the app's checker")
    tree = {pid: cmdline(pid) for pid in descendants(served.proc.pid)}
    page.keyboard.press("3")
    terminal.wait_for(r"cloze · new · 2 new · 1 lrn · 0 due", "the next card")
    served.proc.kill()
    served.proc.wait(30)
    assert reviews(served.db_path) == [("ui-zero-grad", 3, "review", 0)]
    wait_until(
        page,
        lambda: not any(running(pid, command) for pid, command in tree.items()),
        "the orphaned app and its checker to end",
    )
    wait_until(page, lambda: terminal.closed, "the tab to see the session end")
