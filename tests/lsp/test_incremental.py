"""The note-by-note parse equals the whole-file parse: cards, problems (lines, order and
messages), front matter and digest, on every fixture and bundled deck, on generated decks with
every kind of card, and after edits that change one note, break a fence or add a duplicate."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studyrnn.decks.parser import parse_text
from studyrnn.lsp.incremental import IncrementalParser, _cut

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
    assert parser.parse(text, "big.md") == parse_text(text, "big.md")  # whole, the first time
    parser.warm()
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
    parser.warm()
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
}


@pytest.mark.parametrize("text", ODD.values(), ids=ODD.keys())
def test_odd_texts_parse_as_the_whole_file_does(text: str) -> None:
    assert IncrementalParser().by_notes(text, "odd.md") == parse_text(text, "odd.md")
