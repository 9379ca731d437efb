"""Code actions through a real client: ids stamped exactly as ``lint --fix-ids`` stamps them,
and the quick fixes, each applied to the text and the result linted again."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types as lsp

from studyrnn.decks.fix_ids import fix_ids
from studyrnn.decks.parser import parse_text
from tests.lsp.client import (
    actions_at,
    apply_edits,
    edits_of,
    next_diagnostics,
    open_doc,
    serving,
)

STAMPLESS = """# Basics

## What is a tensor?
An n-dimensional array.

## What is a scalar?
<!-- id: scalar -->
A 0-d tensor.

## What is a vector?
A 1-d tensor."""


async def test_stamping_every_card_gives_what_lint_fix_ids_writes(
    decks: Path, tmp_path: Path
) -> None:
    path = decks / "basics.md"
    path.write_text(STAMPLESS, encoding="utf-8")
    twin = tmp_path / "fixed"
    shutil.copytree(decks, twin)
    fix_ids([twin])  # what the command line writes, on an identical folder
    async with serving(decks) as client:
        uri = open_doc(client, path)
        actions = await actions_at(client, uri, 2, [])
    assert [(a.title.split("`")[0], a.kind) for a in actions] == [
        ("Stamp id ", lsp.CodeActionKind.RefactorRewrite),
        ("Stamp ids on every card of this file (2 missing)", "source.studyrnn.stampIds"),
    ]
    every = apply_edits(STAMPLESS, edits_of(actions[1], uri))
    assert every == (twin / "basics.md").read_text(encoding="utf-8")
    this_card = apply_edits(STAMPLESS, edits_of(actions[0], uri))
    assert this_card.split("\n")[2:4] == every.split("\n")[2:4]
    assert this_card.count("<!-- id:") == 2  # scalar's own, and the new one
    assert path.read_text(encoding="utf-8") == STAMPLESS  # the server wrote nothing


async def test_no_stamp_is_offered_on_a_card_that_has_an_id(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "rnn.md")
        actions = await actions_at(client, uri, 9, [])
    # the cloze note further down still lacks one
    assert [a.title for a in actions] == ["Stamp ids on every card of this file (1 missing)"]


async def _fixed(decks: Path, text: str, line: int) -> tuple[list[str], str]:
    """Open ``text``, take the quick fix offered for the diagnostic on ``line``, apply it."""
    path = decks / "typo.md"
    path.write_text(text, encoding="utf-8")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        found = await next_diagnostics(client, uri)
        on_line = [d for d in found if d.range.start.line == line]
        actions = await actions_at(client, uri, line, on_line)
    fixes = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix]
    assert len(fixes) == 1
    assert list(fixes[0].diagnostics or ()) == on_line
    return [a.title for a in fixes], apply_edits(text, edits_of(fixes[0], uri))


def _codes(text: str) -> list[str]:
    return [p.code for p in parse_text(text, "typo.md").problems]


async def test_a_misspelled_role_is_respelled(decks: Path) -> None:
    text = "## What is `1 + 1`?\n```python expcet\n1 + 1\n```\n"
    titles, fixed = await _fixed(decks, text, 1)
    assert titles == ["Change `expcet` to `expect`"]
    assert fixed == text.replace("expcet", "expect")
    assert _codes(fixed) == []


async def test_a_misspelled_attribute_is_respelled(decks: Path) -> None:
    text = "## What is `1 + 1`?\n```python expect timeot=5\n1 + 1\n```\n"
    titles, fixed = await _fixed(decks, text, 1)
    assert titles == ["Change `timeot` to `timeout`"]
    assert fixed == text.replace("timeot", "timeout")
    assert _codes(fixed) == []


async def test_a_skipped_cloze_number_is_closed_up(decks: Path) -> None:
    text = "## Two blanks\n`{{c1::a}}` and `{{c3::b}}`, then {{c4::c}} and \\{{c9:: kept\n"
    titles, fixed = await _fixed(decks, text, 1)
    assert titles == ["Renumber the cloze blanks without gaps"]
    assert fixed == "## Two blanks\n`{{c1::a}}` and `{{c2::b}}`, then {{c3::c}} and \\{{c9:: kept\n"
    assert _codes(fixed) == []


async def test_a_fence_that_never_closes_is_closed_after_its_code(decks: Path) -> None:
    text = "## What is `1 + 1`?\n```python expect\n1 + 1\n\n## Another card\nIts answer.\n"
    titles, fixed = await _fixed(decks, text, 1)
    assert titles == ["Close the fence with ```"]
    assert fixed == (
        "## What is `1 + 1`?\n```python expect\n1 + 1\n```\n\n## Another card\nIts answer.\n"
    )
    assert _codes(fixed) == []
