"""The note-by-note parse equals the whole-file parse: cards, problems (lines, order and
messages), front matter and digest, on every fixture and bundled deck, on generated decks with
every kind of card, and after edits that change one note, break a fence or add a duplicate."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from studyrnn.decks.parser import parse_text
from studyrnn.lsp.incremental import IncrementalParser, _cut, _cut_whole, _recut

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from parse_bench import generate  # noqa: E402

DECKS = sorted(
    [*(REPO / "decks").glob("*.md"), *(REPO / "tests" / "fixtures").rglob("*.md")],
    key=str,
)


@pytest.mark.parametrize("path", DECKS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_fixture_and_bundled_deck(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    assert IncrementalParser().by_notes(text, str(path)) == parse_text(text, str(path))


EDITS = [
    ("an answer grows", lambda t: t.replace("Sets each", "Sets each and every", 1)),
    ("a fence never closes", lambda t: t.replace("```\n", "\n", 1)),
    ("a card is duplicated", lambda t: t + t[t.index("## ") : t.index("## ", t.index("## ") + 3)]),
    ("a role is misspelled", lambda t: t.replace("python expect", "python expcet", 1)),
    ("a section is added", lambda t: t.replace("## ", "# A new section\n\n## ", 2)),
    ("a heading loses its text", lambda t: t.replace("## What", "##", 1)),
    ("the front matter breaks", lambda t: t.replace("deck: Benchmark", "deck: [oops", 1)),
]


@pytest.mark.parametrize(("name", "edit"), EDITS, ids=[name for name, _ in EDITS])
def test_after_an_edit_only_the_result_matters(name: str, edit: object) -> None:
    text = generate(120)
    parser = IncrementalParser()
    assert parser.parse(text, "big.md") == parse_text(text, "big.md")
    assert parser.by_notes(text, "big.md") == parse_text(text, "big.md")
    changed = edit(text)  # type: ignore[operator]
    assert changed != text
    assert parser.parse(changed, "big.md") == parse_text(changed, "big.md")


def test_the_bundled_decks_and_generated_ones_are_really_cut_into_notes() -> None:
    for path in sorted((REPO / "decks").glob("*.md")):
        pieces = _cut(path.read_text(encoding="utf-8"))
        assert pieces is not None and len(pieces) > 50, path
    assert len(_cut(generate(120)) or []) == 87


def test_a_keystroke_re_parses_one_note() -> None:
    text = generate(120)
    parser = IncrementalParser()
    parser.parse(text, "big.md")
    before = set(parser._pieces)
    assert len(before) == 87
    parser.parse(text.replace("Sets each", "Sets each and every", 1), "big.md")
    assert len(set(parser._pieces) - before) == 1


ODD = {
    "a heading indented into a list": "## Q\n- item\n  ## not a card\n\n## R\nAn answer.\n",
    "a fence in a list item": "## Q\n- ```python expect\n  1\n## R\n  ```\nAn answer.\n",
    "CRLF line ends": "## Q\r\nAn answer.\r\n\r\n## R\r\nAnother.\r\n",
    "a backtick in an info string": '## Q\n```python wrong "use `x`"\nx\n```\n## R\nAn answer.\n',
    "an unterminated fence": "# S\n\n## Q\n```python expect\n1 + 1\n\n## R\nAn answer.\n",
    "front matter never closes": "---\ndeck: X\n\n## Q\nAn answer.\n",
    "a first line that starts with ---": "---<!-- id: a -->\ndeck: X\n---\n## Q\nAn answer.\n",
    "an HTML block over a heading": "## Q\nA.\n<div>\n## R\nB.\n</div>\n",
    "a comment over a heading": "## Q\nA.\n<!--\n## R\nB.\n-->\n",
}


@pytest.mark.parametrize("text", ODD.values(), ids=ODD.keys())
def test_odd_texts_parse_as_the_whole_file_does(text: str) -> None:
    assert IncrementalParser().by_notes(text, "odd.md") == parse_text(text, "odd.md")


# what a random edit types or deletes: plain text, line breaks, and every kind of line that
# can start a piece or open or close a fence, so that the quick re-cut meets all of them
SNIPPETS = ["x", "\n", "\n\n", " words", "## ", "\n## New card\n", "# ", "\n# Part\n", "```",
            "\n```\n", "\n```python expect\n", "~~~", "   ## ", "\n- ```\n", "\r", "---\n",
            "#", "`", "<!-- id: a -->", "\n    ## deep\n"]  # fmt: skip


def random_edits(text: str, seed: int, count: int) -> list[str]:
    """``count`` texts, each a random edit of the one before: a snippet typed at a random
    place, or a few characters deleted; every tenth starts again from ``text``."""
    rng = random.Random(seed)
    texts, current = [], text
    for number in range(count):
        if number % 10 == 0:
            current = text
        at = rng.randrange(len(current) + 1)
        if rng.random() < 0.6:
            current = current[:at] + rng.choice(SNIPPETS) + current[at:]
        else:
            current = current[:at] + current[at + rng.randint(1, 12) :]
        texts.append(current)
    return texts


@pytest.mark.parametrize("seed", range(4))
def test_the_quick_re_cut_equals_the_whole_cut(seed: int) -> None:
    text = generate(60) if seed % 2 else (REPO / "decks" / "ch13-rnns.md").read_text("utf-8")
    before, quick = _cut_whole(text), 0
    for changed in random_edits(text, seed, 400):
        whole = _cut_whole(changed)
        cut = _recut(before, changed) if before is not None else None
        if cut is not None:
            quick += 1
            assert whole is not None
            assert (cut.front, cut.front_end, cut.heads) == (
                whole.front,
                whole.front_end,
                whole.heads,
            )
            assert cut.pieces() == whole.pieces()
        before = whole
    assert quick > 100  # many edits touch no heading or fence line: the quick way is taken


@pytest.mark.parametrize("seed", range(2))
def test_after_random_edits_the_note_by_note_parse_equals_the_whole_parse(seed: int) -> None:
    text = generate(40)
    parser = IncrementalParser()
    parser.parse(text, "big.md")
    for changed in random_edits(text, seed, 60):
        assert parser.parse(changed, "big.md") == parse_text(changed, "big.md")


def test_enter_above_a_heading_and_typing_on_a_heading_take_the_quick_way() -> None:
    text = "# S\n\n## Q\nAn answer.\n\n## R\nAnother.\n"
    cut = _cut_whole(text)
    assert cut is not None and cut.heads == [(0, 0), (2, 5), (5, 22)]
    enter = _recut(cut, text.replace("answer.\n", "answer.\n\n"))
    assert enter is not None and enter.heads == [(0, 0), (2, 5), (6, 23)]
    typed = _recut(cut, text.replace("## Q", "## Qu"))
    assert typed is not None and typed.heads == [(0, 0), (2, 5), (5, 23)]
    assert _recut(cut, text.replace("## Q", "# Q")) is None  # the level changes: look again
