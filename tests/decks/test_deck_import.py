"""``studyrnn import hashcards|obsidian``: small decks written from each format's documentation
are converted card for card; what cannot be converted is reported at its source line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyrnn.cli import cli
from studyrnn.decks.parser import load

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "decks" / "import"


@pytest.fixture(autouse=True)
def store(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    """The store Obsidian's schedules go to: the test's own, never the user's."""
    monkeypatch.setenv("STUDYRNN_DB", db_url)
    return db_url


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))}


def test_hashcards_every_card_is_imported_or_reported(tmp_path: Path) -> None:
    src = SOURCES / "hashcards"
    before = snapshot(src)
    code, out, err = run("import", "hashcards", str(src), "--out", str(tmp_path))
    math = src / "Math.md"
    assert (code, err) == (1, "")
    assert out == [
        f"{math}:27: error: an `A:` without a `Q:` before it (add the question)",
        f"{math}:29: error: a `Q:` without an `A:` (add the answer)",
        f"{math}:31: error: a `C:` card without a `[deletion]` (put brackets around a part)",
        "hashcards: 2 files, 9 cards imported (basic 3, bidirectional 0, cloze 6), "
        f"3 not imported; decks in {tmp_path}",
    ]
    assert snapshot(src) == before  # the sources are only read
    geography = (tmp_path / "Geography.md").read_text()
    ids = re.findall(r"<!-- id: (\S+) -->", geography)
    assert geography == (
        '---\ndeck: "Geography"\n---\n\n'
        f"## What is the capital of France?\n<!-- id: {ids[0]} -->\nParis\n\n"
        f"## Geography\n<!-- id: {ids[1]} -->\n{{{{c1::Paris}}}} is the capital of "
        "{{c2::France}}.\n"
    )
    decks = load([tmp_path])
    assert decks.problems == ()
    assert [(c.deck, c.section, c.kind.value, c.front) for c in decks.cards] == [
        ("Geography", "", "basic", "What is the capital of France?"),
        ("Geography", "", "cloze", "Geography\n\n[...] is the capital of France."),
        ("Geography", "", "cloze", "Geography\n\nParis is the capital of [...]."),
        ("Group theory", "Groups", "basic", "What is the order of a group?"),
        ("Group theory", "Groups", "basic", "List the PGM minerals."),
        *[("Group theory", "Groups", "cloze", f"Groups\n\n{t}") for t in _ecclesiastes()],
        ("Group theory", "Groups", "cloze", "Groups\n\nAn image ![diagram](img.png) is no [...]."),
    ]
    assert decks.cards[4].back == "- ruthenium\n- rhodium"


def _ecclesiastes() -> list[str]:
    text = (
        "Better is the sight of the eyes than the wandering of the\n"
        "desire: this is also vanity.\n\n— {} {}:{}"
    )
    words = ["Ecclesiastes", "6", "9"]
    return [
        text.format(*(["[...]" if i == n else w for i, w in enumerate(words)])) for n in range(3)
    ]


def test_obsidian_cards_sections_and_scheduling_comments(tmp_path: Path) -> None:
    src = SOURCES / "obsidian"
    code, out, _ = run("import", "obsidian", str(src), "--out", str(tmp_path))
    assert code == 1
    assert out == [
        f"{src / 'RNN.md'}:31: error: a reversed card with a multi-line side: a studyrnn "
        "bidirectional card is one heading line `left <-> right` (shorten a side)",
        "obsidian: 1 file, 8 cards imported (basic 2, bidirectional 4, cloze 2), 1 not imported; "
        "2 SR scheduling comments: 3 card schedules carried over into the store (due as in "
        "Obsidian; no review rows, the comments hold no answers), 0 not; decks in "
        f"{tmp_path}",
    ]
    decks = load([tmp_path])
    assert decks.problems == ()
    assert [(c.section, c.kind.value, c.front, c.back) for c in decks.cards] == [
        (
            "LSTM",
            "basic",
            "What does the forget gate decide",
            "which parts of the cell state to erase",
        ),
        ("LSTM", "bidirectional", "GRU", "gated recurrent unit"),
        ("LSTM", "bidirectional", "gated recurrent unit", "GRU"),
        (
            "Multi-line",
            "basic",
            "What are the three gates of an LSTM?",
            "- forget\n- input\n- output",
        ),
        ("Multi-line", "bidirectional", "Vanishing gradient", "gradients that shrink through time"),
        ("Multi-line", "bidirectional", "gradients that shrink through time", "Vanishing gradient"),
        (
            "Multi-line",
            "cloze",
            "Multi-line\n\nThe [...] carries long-term memory, the hidden state the output.",
            "Multi-line\n\nThe cell state carries long-term memory, the hidden state the output.",
        ),
        (
            "Multi-line",
            "cloze",
            "Multi-line\n\nThe cell state carries long-term memory, the [...] the output.",
            "Multi-line\n\nThe cell state carries long-term memory, the hidden state the output.",
        ),
    ]


def test_importing_again_gives_the_same_ids(tmp_path: Path) -> None:
    for name in ("a", "b"):
        run("import", "obsidian", str(SOURCES / "obsidian"), "--out", str(tmp_path / name))
    first, second = (load([tmp_path / n]).cards for n in ("a", "b"))
    assert [c.key for c in first] == [c.key for c in second]
    assert all(c.explicit_id for c in first)


def test_an_existing_deck_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "Geography.md").write_text("mine\n")
    code, out, err = run("import", "hashcards", str(SOURCES / "hashcards"), "--out", str(tmp_path))
    assert (code, out) == (2, [])
    assert err == (
        f"error: {tmp_path / 'Geography.md'} already exists (import never overwrites a file)\n"
        "hint: choose an empty --out folder\n"
    )
    assert (tmp_path / "Geography.md").read_text() == "mine\n"
    assert not (tmp_path / "Math.md").exists()


def test_a_card_studyrnn_would_reject_is_reported_not_written(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCES / "hashcards" / "Geography.md", src / "g.md")
    with (src / "g.md").open("a") as handle:
        handle.write("\nQ: Shows {{=n}} and {{c1::x}} as text?\nA: yes\n\nC: [a {{c1::b]\n")
    code, out, _ = run("import", "hashcards", str(src), "--out", str(tmp_path / "out"))
    assert code == 1
    assert out == [
        f"{src / 'g.md'}:6: error: not imported: placeholder `{{{{=n}}}}` is not defined (only "
        "code cards with a ```python params``` fence have parameters)",
        f"{src / 'g.md'}:9: error: not imported: cloze `{{{{c1::` never closes (end it with "
        "`}}`)",
        "hashcards: 1 file, 3 cards imported (basic 1, bidirectional 0, cloze 2), 2 not "
        f"imported; decks in {tmp_path / 'out'}",
    ]


def test_obsidian_curly_and_highlight_clozes_number_in_order(tmp_path: Path) -> None:
    src = tmp_path / "Cells.md"
    src.write_text("#flashcards\n\nA {{question}} with ==two== parts <!--SR:!2024-05-22,1,230-->\n")
    code, out, _ = run("import", "obsidian", str(src), "--out", str(tmp_path / "out"))
    assert (code, out) == (
        0,
        [
            "obsidian: 1 file, 2 cards imported (basic 0, bidirectional 0, cloze 2), 0 not "
            "imported; 1 SR scheduling comment: 1 card schedule carried over into the store (due "
            "as in Obsidian; no review rows, the comments hold no answers), 0 not; decks in "
            f"{tmp_path / 'out'}"
        ],
    )
    decks = load([tmp_path / "out"])
    assert [c.front for c in decks.cards] == [
        "Cells\n\nA [...] with two parts",
        "Cells\n\nA question with [...] parts",
    ]
