"""Answering in the review: a typo costs nothing, the expected value is always shown, letters
pick multiple-choice options, a revealed cloze blank stands out inside code, the answer and
the card can be edited in $EDITOR (never inside the package), messages show the drawn
variant, and a late result never paints on the card that followed. The code cards are
judged by the real sandboxed checker."""

from __future__ import annotations

import contextlib
import re
import shlex
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Markdown

from studyrnn import config
from studyrnn.decks.model import Card
from studyrnn.runner.verdict import CheckResult
from studyrnn.ui.app import StudyApp
from studyrnn.ui.backend import Backend, CheckerLike, default_checker_factory
from studyrnn.ui.screens.browse import BrowseScreen, cells
from studyrnn.ui.screens.copy_deck import CopyDeckDialog
from studyrnn.ui.screens.review import Phase
from studyrnn.ui.widgets.choice_list import ChoiceList
from studyrnn.ui.widgets.code_editor import CodeEditor
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import Rating

from .conftest import NOW, history, open_deck, wait_for_front, wait_until

SIZES = pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
CHECK_TIMEOUT = 180.0  # an upper bound, not a wait: a cold checker imports torch first
REPO_DECKS = Path(__file__).resolve().parents[2] / "decks"


class HeldChecker:
    """The real checker, counting the answers it is asked to grade, and holding each
    ``expected`` result until the test releases it: a result that arrives late."""

    def __init__(self, device: str) -> None:
        self.real = default_checker_factory(device)
        self.graded: list[str] = []
        self.release = threading.Event()
        self.returned = threading.Event()

    def grade(self, card: Card, answer: str, **kwargs: Any) -> CheckResult:
        self.graded.append(answer)
        return self.real.grade(card, answer, **kwargs)

    def expected(self, card: Card, **kwargs: Any) -> CheckResult:
        result = self.real.expected(card, **kwargs)
        self.release.wait(CHECK_TIMEOUT)
        self.returned.set()
        return result

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self.real.wait_ready(timeout)

    def close(self) -> None:
        self.release.set()
        self.real.close()


@pytest.fixture
def held_app(
    decks: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[StudyApp, list[HeldChecker]]]:
    """The app on the fixture decks, with a HeldChecker (in the list once it is made)."""
    monkeypatch.setenv("STUDYRNN_LOG_DIR", str(tmp_path / "logs"))
    checkers: list[HeldChecker] = []

    def factory(device: str) -> CheckerLike:
        checkers.append(HeldChecker(device))
        return checkers[-1]

    backend = Backend(db_url, [decks], device="cpu", clock=lambda: NOW, checker_factory=factory)
    try:
        yield StudyApp(backend, start="home"), checkers
    finally:
        backend.close()


def deck_file(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "own-decks"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def notes(app: StudyApp) -> list[str]:
    return [n.message for n in app._notifications]


# --- a typo never costs a review -------------------------------------------------------------
@SIZES
async def test_a_typo_shows_where_keeps_the_box_and_records_nothing(
    size: tuple[int, int], held_app: tuple[StudyApp, list[HeldChecker]], db_url: str, decks: Path
) -> None:
    app, checkers = held_app
    async with app.run_test(size=size) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None and screen.item.card.key == "ui-lstm-hn"
        card_id = screen.item.card_id
        field = screen.query_one("#predict", Input)
        await pilot.press(*"(8, 39, 1", "enter")
        assert screen.query_one(VerdictPanel).plain == (
            "? Not read: nothing was run or recorded\n"
            "this tuple is never closed (expected ')') at column 10\n"
            "  (8, 39, 1\n"
            "           ^\n"
            "fix it and press Enter"
        )
        panel, scroll = screen.query_one(VerdictPanel), screen.query_one("#card-scroll")
        await wait_until(
            pilot,
            lambda: scroll.region.contains_region(panel.region),
            what="the whole reason in view",
        )
        assert screen.phase is Phase.FRONT and screen.verdict is None
        assert screen.focused is field and not field.disabled
        assert field.value == "(8, 39, 1"
        await pilot.press("backspace", *"20)")  # fixed in place: (8, 39, 20) is a value
        assert field.value == "(8, 39, 20)"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "verdict")
        assert checkers[-1].graded == ["(8, 39, 20)"]  # the typo never reached the checker
        assert screen.verdict == "wrong"
        assert "Expected:     (2, 32, 20)" in screen.query_one(VerdictPanel).plain
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [(r.rating, r.verdict) for r in rows] == [(Rating.AGAIN, "wrong")]


# --- the expected value after every verdict ---------------------------------------------------
async def test_the_expected_value_is_shown_after_a_predict_and_a_write_verdict(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        await pilot.press(*"(2, 32, 20)", "enter")
        await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "verdict")
        lines = screen.query_one(VerdictPanel).plain.splitlines()
        assert lines[1:3] == ["Your answer:  (2, 32, 20)", "Expected:     (2, 32, 20)"]
        await pilot.press("3")
        await wait_for_front(pilot, screen, "write")
        await pilot.press("ctrl+g")  # give up: the reference solution is shown
        assert screen.phase is Phase.ANSWER
        assert screen.query_one(VerdictPanel).plain == "Gave up: the solution is below."
        back = screen.query_one("#back", Markdown)
        assert back.display
        assert "def double(x):\n    return x * 2" in back.source


# --- multiple choice --------------------------------------------------------------------------
SINGLE = """---
deck: Choice
---
## Which gate does a GRU not have?
<!-- id: t-gru-gates -->
- [ ] update gate
- [ ] reset gate
- [x] output gate

Why: a GRU exposes its whole state.
"""


@SIZES
async def test_a_single_answer_question_has_radio_buttons_picked_with_letters(
    size: tuple[int, int], make_app: Callable[..., StudyApp], tmp_path: Path, db_url: str
) -> None:
    path = deck_file(tmp_path, "choice.md", SINGLE)
    app = make_app(paths=[path])
    async with app.run_test(size=size) as pilot:
        screen = await open_deck(pilot, app, "Choice")
        choices = screen.query_one(ChoiceList)
        assert choices.plain == (
            "a) ◯ update gate\n"
            "b) ◯ reset gate\n"
            "c) ◯ output gate\n"
            "\n"
            "Press a-c to pick one, then Enter to answer."
        )
        assert screen.query_one("#hint").render().plain == (  # type: ignore[attr-defined]
            "a-c pick one option · Enter answers · 1-4 rate after the answer"
        )
        await pilot.press("b")  # picks option b (not bury)
        await pilot.press("a")  # a radio button: the new pick replaces the last
        assert screen.item is not None and screen.phase is Phase.FRONT
        assert choices.plain.splitlines()[:3] == [
            "a) ◉ update gate",
            "b) ◯ reset gate",
            "c) ◯ output gate",
        ]
        await pilot.press("enter")
        assert choices.plain == (
            "a) ◉ update gate  ✗ your pick, wrong\nb) ◯ reset gate\nc) ◯ output gate  ✓ right"
        )
        assert screen.query_one(VerdictPanel).plain == (
            "✗ You picked a: not quite. The right option is marked ✓ above."
        )
        assert "a-c" not in str(screen.query_one("#hint").render())  # type: ignore[attr-defined]
        # the back leaves out its own list of the options, which are marked above
        assert screen.query_one("#back", Markdown).source == "Why: a GRU exposes its whole state."
        await pilot.press("c")  # no picking after the reveal
        assert choices.picked == {1}
        card_id = screen.item.card_id
        await pilot.press("2")  # digits rate, after the reveal only
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    assert [r.rating for r in history(db_url, path.parent, card_id)] == [Rating.HARD]


# --- a revealed cloze blank inside inline code ------------------------------------------------
def real_note(deck: Path, note_id: str) -> str:
    """One note of a bundled deck, from its heading to the next, with the deck's header."""
    text = deck.read_text(encoding="utf-8")
    marker = text.index(f"<!-- id: {note_id} -->")
    start = text.rindex("\n## ", 0, marker) + 1
    end = text.find("\n## ", marker)
    return "---\ndeck: Real\n---\n" + text[start : end if end >= 0 else len(text)]


def styles_of(markdown: Markdown) -> dict[str, str]:
    """Each painted piece of text in ``markdown``'s paragraphs, with its style."""
    found: dict[str, str] = {}
    for block in markdown.query("MarkdownParagraph"):
        for y in range(block.size.height):
            for segment in block.render_line(y):
                if segment.text.strip():
                    found[segment.text] = str(segment.style)
    return found


@SIZES
async def test_a_revealed_blank_inside_inline_code_stands_out(
    size: tuple[int, int], make_app: Callable[..., StudyApp], tmp_path: Path
) -> None:
    note = real_note(REPO_DECKS / "ch13-rnns.md", "ch13-rnn-layer-equation")
    path = deck_file(tmp_path, "real.md", note)
    app = make_app(paths=[path])
    async with app.run_test(size=size) as pilot:
        screen = await open_deck(pilot, app, "Real")
        assert screen.item is not None and screen.item.card.cloze == 1
        await pilot.press("space")
        back = screen.query_one("#back", Markdown)
        assert back.source == (
            "Outputs of a recurrent layer for a mini-batch\n\n"
            "`Ŷ_t = φ(X_t W_x + `**`Ŷ_{t-1} W_ŷ`**` + b)`, where `X_t` is `(batch, n_inputs)`, "
            "`W_x` is\n`(n_inputs, n_neurons)` and `W_ŷ` is `(n_neurons, n_neurons)`.\n\n"
            "Why: `W_ŷ` connects every output of the previous step to every neuron of the layer."
        )
        await wait_until(pilot, lambda: "Ŷ_{t-1} W_ŷ" in styles_of(back), what="the back")
        painted = styles_of(back)
        blank, code = painted["Ŷ_{t-1} W_ŷ"], painted["Ŷ_t = φ(X_t W_x + "]
        assert "bold" in blank and "underline" in blank  # marked without colour too
        assert "bold" not in code and "underline" not in code
        assert blank.split(" on ")[1] != code.split(" on ")[1]  # and on another background
        # The filled note replaces the front: no dashed rule above it, where nothing is.
        assert not screen.query_one("#front", Markdown).display
        assert back.content_region.y == back.region.y


# --- $EDITOR: the answer, and the card's source -----------------------------------------------
def fake_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runs headless, with no terminal to hand over; the editor is a real process."""
    monkeypatch.setattr(StudyApp, "suspend", lambda self: contextlib.nullcontext())


def editor_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(f"import sys, pathlib\nargs = sys.argv[1:]\n{body}\n", encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


async def test_e_writes_the_answer_in_the_editor_and_reads_it_back(
    make_app: Callable[..., StudyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_terminal(monkeypatch)
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path,
            f"p = pathlib.Path(args[-1])\npathlib.Path({str(seen)!r}).write_text(p.read_text())\n"
            "p.write_text(p.read_text().replace('return x', 'return x * 2'))",
        ),
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        await pilot.press("escape", "b")
        await wait_for_front(pilot, screen, "write")
        editor = screen.query_one(CodeEditor)
        await pilot.press("escape")  # leave the editor, so e is a key of the screen
        assert screen.active_bindings["e"].binding.description == "Answer in $EDITOR"
        await pilot.press("e")
        assert seen.read_text() == "def double(x):\n    return x\n"  # the box's text
        assert editor.text == "def double(x):\n    return x * 2\n"
        assert screen.focused is editor and screen.phase is Phase.FRONT
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "verdict")
        assert screen.verdict == "pass"


async def test_E_edits_a_card_of_the_learners_deck_at_its_line(
    make_app: Callable[..., StudyApp],
    tmp_path: Path,
    decks: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_terminal(monkeypatch)
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, f"pathlib.Path({str(calls)!r}).write_text(repr(args))")
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        assert screen.item is not None and screen.item.card.key == "ui-zero-grad"
        await pilot.press("E")
        await wait_until(pilot, lambda: calls.exists(), what="the editor")
        assert calls.read_text() == repr(["+8", str(decks / "basics.md")])
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="the re-sync")


async def test_E_on_a_bundled_card_offers_a_copy_and_edits_the_copy(
    make_app: Callable[..., StudyApp],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_terminal(monkeypatch)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # the bundled decks as installed: in the source checkout decks/ is edited in place
    installed = tmp_path / "site-packages" / "studyrnn" / "bundled_decks"
    shutil.copytree(REPO_DECKS, installed)
    monkeypatch.setattr(config, "bundled_decks_dir", lambda: installed)
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, f"pathlib.Path({str(calls)!r}).write_text(repr(args))")
    )
    bundled = config.bundled_decks_dir() / "ch13-rnns.md"
    app = make_app(paths=[bundled])
    async with app.run_test(size=(100, 30)) as pilot:
        tree_deck = "Ch 13 · RNNs, LSTMs and GRUs"
        screen = await open_deck(pilot, app, tree_deck)
        assert screen.item is not None
        card_id, line = screen.item.card_id, screen.item.card.line
        if screen.focused is not None:  # a code card's box has the keys: leave it
            await pilot.press("escape")
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, CopyDeckDialog), what="dialog")
        copy = tmp_path / "data" / "studyrnn" / "decks" / "ch13-rnns.md"
        await pilot.press("n")  # cancel: nothing copied, nothing opened
        assert app.screen is screen and not copy.exists() and not calls.exists()
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, CopyDeckDialog), what="dialog")
        await pilot.press("y")
        await wait_until(pilot, lambda: calls.exists(), what="the editor")
        assert calls.read_text() == repr([f"+{line}", str(copy)])  # the copy, never the package
        assert copy.read_bytes() == bundled.read_bytes()
        await wait_until(
            pilot,
            lambda: screen.phase is Phase.FRONT and screen.item is not None,
            what="the re-sync",
        )
        assert screen.item is not None
        assert screen.item.card_id == card_id  # the same card, its progress kept
        assert Path(screen.item.card.path).resolve() == copy.resolve()
        assert app.backend.deck_paths == [copy.parent]


# --- messages show the drawn card, never its template ----------------------------------------
async def test_bury_names_the_variant_drawn_and_browse_a_neutral_form(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Params")
        assert screen.item is not None
        k, n = screen.item.params["k"], screen.item.params["n"]
        await pilot.press("escape", "b")
        await wait_until(pilot, lambda: screen.phase is Phase.DONE, what="the bury")
        assert (
            f"Buried until tomorrow: Output length of `nn.Conv1d(1, 1, kernel_size={k})` on a "
            f"sequence of {n}?"
        ) in notes(app)
        await pilot.press("escape")
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")
        table = app.screen.query_one("#cards", DataTable)
        await wait_until(pilot, lambda: table.row_count == 6, what="all six cards")
        fronts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Output length of nn.Conv1d…" in fronts  # markdown rendered, cut to its column
        questions = [cells(info)["question"] for info in app.screen.cards.values()]
        assert "Output length of `nn.Conv1d(1, 1, kernel_size=k)` on a sequence of n?" in questions
        assert not any("{{" in front for front in fronts)


# --- no stale frames --------------------------------------------------------------------------
@SIZES
async def test_a_late_expected_value_never_paints_on_the_next_showing(
    size: tuple[int, int],
    held_app: tuple[StudyApp, list[HeldChecker]],
) -> None:
    """Give up (the expected value is computed late), answer Again, undo: the same card is
    back for a new try. The late value arrives then, and must not give the answer away."""
    app, checkers = held_app
    async with app.run_test(size=size) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None and screen.item.card.key == "ui-lstm-hn"
        await pilot.press("ctrl+o")
        panel = screen.query_one(VerdictPanel)
        assert panel.plain == "Solution shown: computing the expected value…"
        await pilot.press("1")
        await wait_for_front(pilot, screen, "write")
        assert not panel.display and panel.plain == ""
        back = screen.query_one("#back", Markdown)
        assert not back.display and back.source == ""  # no answer of the last card
        await pilot.press("escape", "u")
        await wait_for_front(pilot, screen, "predict")
        assert screen.item.card.key == "ui-lstm-hn"  # type: ignore[union-attr]
        checker = checkers[-1]
        checker.release.set()
        await wait_until(pilot, lambda: checker.returned.is_set(), CHECK_TIMEOUT, "late value")
        await wait_until(
            pilot,
            lambda: (
                not any(
                    w.name == "compute the expected value" and not w.is_finished
                    for w in app.workers
                )
            ),
            what="the late worker",
        )
        await pilot.pause()
        assert not panel.display and panel.plain == ""
        assert not re.search(r"Expected", panel.plain)
        assert screen.phase is Phase.FRONT
