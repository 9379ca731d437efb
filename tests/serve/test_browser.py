"""The app in a real browser: Debian's chromium, driven by Playwright, against a real server,
store and app processes."""

from __future__ import annotations

import re
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
    terminal.wait_for(r"cloze · new · 2 left", "the next card")
    # The answer was committed before the next card was shown.
    assert reviews(served.db_path) == [("ui-zero-grad", 3, "review", 0)]

    second = context.new_page()
    other = Terminal(second)
    second.goto(served.url)
    other.wait_for(r"Today: 1 reviews", "the second tab's Home, counting the review")
    assert re.search(r"All decks\s+2 new\s+0 lrn\s+0 due", other.text), other.text

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
    terminal.wait_for(r"Today: 1 reviews", "the first tab still answering, back on Home")

    first.close()
    wait_until(
        None,
        lambda: not any(running(pid, command) for pid, command in tree.items()),
        "every app and checker to end once both tabs closed",
    )
    assert served.proc.poll() is None  # the server goes on, with no app
    assert served.stop() == 0
    assert not any(running(pid, command) for pid, command in tree.items())
