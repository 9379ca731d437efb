"""Loading files and folders together: recursion, order, cross-file duplicates, bad paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyrnn.decks.model import Severity
from studyrnn.decks.parser import load, parse_file
from studyrnn.errors import UsageError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "decks"


def test_folder_is_searched_recursively_for_md_files_in_sorted_order() -> None:
    decks = load([FIXTURES / "good"])
    assert [Path(f.path).relative_to(FIXTURES).as_posix() for f in decks.files] == [
        "good/one.md",
        "good/sub/two.md",
    ]
    assert [c.key for c in decks.cards] == ["tensor", *[c.key for c in decks.files[1].cards]]
    assert [c.deck for c in decks.cards] == ["one", "Two", "Two"]
    assert decks.problems == ()


def test_a_file_given_twice_is_read_once() -> None:
    one = FIXTURES / "good" / "one.md"
    assert len(load([one, FIXTURES / "good", one]).files) == 2


def test_duplicate_id_across_files_names_both_places_and_drops_the_second() -> None:
    decks = load([FIXTURES / "dupes"])
    a, b = (str(FIXTURES / "dupes" / n) for n in ("a.md", "b.md"))
    assert [(p.path, p.line, p.severity, p.code) for p in decks.problems] == [
        (b, 5, Severity.ERROR, "duplicate-id"),
        (b, 9, Severity.WARNING, "duplicate-question"),
    ]
    assert decks.problems[0].message.startswith(
        f"duplicate id `shared`: also used at {a}:1 (ids are unique across all decks"
    )
    assert decks.problems[1].message.startswith(f"the same question as {a}:5 in deck `a`")
    assert [c.front for c in decks.cards] == [
        "First question",
        "Same text in two files",
        "Same text in two files",
    ]
    keys = [c.key for c in decks.cards]
    assert len(set(keys)) == 3
    assert keys[2] == keys[1] + "~2"
    # the file's own view agrees with the set's
    assert decks.files[1].problems == decks.problems


def test_missing_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        load([FIXTURES / "no-such-deck.md"])
    assert info.value.exit_code == 2
    assert "no such deck file or folder" in info.value.message


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "d.md"
    folder.mkdir()
    deck = parse_file(folder)
    assert [p.code for p in deck.problems] == ["unreadable"]


def test_empty_folder_loads_nothing(tmp_path: Path) -> None:
    decks = load([tmp_path])
    assert decks.files == () and decks.cards == () and decks.problems == ()


def test_hidden_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("## Q\nA\n")
    (tmp_path / "y.md").write_text("## Q\nA\n")
    assert [Path(f.path).name for f in load([tmp_path]).files] == ["y.md"]
