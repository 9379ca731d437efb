"""Diagnostics through a real LSP client: published on open, on change after the debounce,
cleared when fixed, with lint's codes and messages, narrowed ranges, and related places."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp

from tests.lsp.client import next_diagnostics, open_doc, replace_all, serving

UNTERMINATED = """# Code

## What is `1 + 1`?
```python expect
1 + 1

## Another card
Its answer.
"""


async def test_a_duplicate_id_names_the_other_file(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "twin.md")
        found = await next_diagnostics(client, uri)
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.code == "duplicate-id"
    assert diagnostic.source == "studyrnn"
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.message == (
        f"duplicate id `lstm-forget`: also used at {decks / 'rnn.md'}:10 (ids are unique "
        "across all decks; rename one, this card is skipped)"
    )
    assert diagnostic.range == lsp.Range(lsp.Position(2, 0), lsp.Position(2, 27))
    assert list(diagnostic.related_information or ()) == [
        lsp.DiagnosticRelatedInformation(
            lsp.Location(
                (decks / "rnn.md").as_uri(),
                lsp.Range(lsp.Position(9, 0), lsp.Position(10, 0)),
            ),
            "the other card",
        ),
        lsp.DiagnosticRelatedInformation(
            lsp.Location(uri, diagnostic.range),
            "ids are unique across all decks; rename one, this card is skipped",
        ),
    ]


async def test_a_clean_deck_gets_no_diagnostics_and_a_typo_is_flagged_after_a_change(
    decks: Path,
) -> None:
    path = decks / "rnn.md"
    text = path.read_text(encoding="utf-8")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        replace_all(client, uri, text.replace("python expect", "python expcet"), 2)
        found = await next_diagnostics(client, uri)
        # the card heading gets the card's problem, the role word its own
        assert [(d.code, d.range) for d in found] == [
            ("missing-fence", lsp.Range(lsp.Position(18, 0), lsp.Position(18, 45))),
            ("unknown-role", lsp.Range(lsp.Position(23, 10), lsp.Position(23, 16))),
        ]
        assert found[1].message == (
            "unknown fence role `expcet` (roles: setup, expect, wrong, solution, check, "
            "starter, params, also; did you mean `expect`?; a plain ```python fence is shown as "
            "code and never run)"
        )
        replace_all(client, uri, text, 3)
        assert await next_diagnostics(client, uri) == []


async def test_changes_are_debounced_into_one_publication(decks: Path) -> None:
    path = decks / "rnn.md"
    text = path.read_text(encoding="utf-8")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        for version, role in enumerate(["e", "ex", "exp", "expc"], start=2):
            replace_all(client, uri, text.replace("python expect", f"python {role}"), version)
        found = await next_diagnostics(client, uri)
    # only the last text was linted: the role of the final keystroke is the one named
    roles = [d.message.split(" (")[0] for d in found if d.code == "unknown-role"]
    assert roles == ["unknown fence role `expc`"]


async def test_an_unterminated_fence_is_an_error_on_its_opening_line(decks: Path) -> None:
    path = decks / "code.md"
    path.write_text(UNTERMINATED, encoding="utf-8")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        found = await next_diagnostics(client, uri)
    assert [(d.code, d.range.start.line, d.severity) for d in found] == [
        ("unterminated-fence", 3, lsp.DiagnosticSeverity.Error)
    ]


async def test_a_markdown_file_that_is_no_deck_is_left_alone(decks: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("## A heading\n```python expcet\nx\n```\n", encoding="utf-8")
    deck = tmp_path / "loose.md"
    deck.write_text("---\ndeck: Loose\n---\n\n## Q\n```python expcet\nx\n```\n", "utf-8")
    async with serving(decks) as client:
        open_doc(client, notes)
        loose = open_doc(client, deck)
        found = await next_diagnostics(client, loose)  # the first published is the deck's
    assert [(d.code, d.range.start.line) for d in found] == [("unknown-role", 5)]
    assert notes.as_uri() not in client.diagnostics


async def test_an_id_below_the_body_is_a_warning_on_its_line(decks: Path) -> None:
    path = decks / "late-id.md"
    path.write_text("## What does a GRU merge?\nThe forget and input gates.\n<!-- id: gru -->\n")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        found = await next_diagnostics(client, uri)
    assert [(d.code, d.severity, d.range) for d in found] == [
        (
            "misplaced-metadata",
            lsp.DiagnosticSeverity.Warning,
            lsp.Range(lsp.Position(2, 0), lsp.Position(2, 16)),
        )
    ]
    assert [r.message for r in found[0].related_information or ()] == [
        "move this line to just under line 1"
    ]
