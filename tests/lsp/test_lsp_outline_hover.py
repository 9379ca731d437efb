"""The outline (document symbols) and the hover on a card's heading, through a real client."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lsprotocol import types as lsp

from studyrnn.engine.study import Study
from studyrnn.values import Rating
from tests.lsp.client import open_doc, serving

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _tree(found: list[lsp.DocumentSymbol]) -> list[tuple[str, int, int, str | None, list[object]]]:
    return [
        (s.name, s.range.start.line, s.range.end.line, s.detail, _tree(list(s.children or [])))
        for s in found
    ]


async def _hover(client: object, uri: str, line: int) -> lsp.Hover | None:
    return await client.text_document_hover_async(  # type: ignore[attr-defined, no-any-return]
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, 3))
    )


async def test_the_outline_is_sections_with_their_cards(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "rnn.md")
        found = await client.text_document_document_symbol_async(
            lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
        )
    assert found is not None
    symbols = [s for s in found if isinstance(s, lsp.DocumentSymbol)]
    assert _tree(symbols) == [
        (
            "Gates",
            7,
            14,
            None,
            [
                ("What does an LSTM's forget gate decide?", 9, 12, "basic · lstm-forget", []),
                (
                    "The cell update is `c_t = {{c1::f_t * c_prev}} + {{c2::i_t * g_t}}`",
                    14,
                    14,
                    "cloze ×2",
                    [],
                ),
            ],
        ),
        (
            "Code",
            16,
            25,
            None,
            [("What is `torch.zeros({{=rows}}, 3).shape`?", 18, 25, "predict · zeros-shape", [])],
        ),
    ]
    assert symbols[0].kind == lsp.SymbolKind.Namespace
    assert symbols[0].children is not None and symbols[0].children[0].kind == lsp.SymbolKind.Class


async def test_hover_shows_a_cloze_note_as_its_two_cards(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "rnn.md")
        shown = await _hover(client, uri, 14)
        elsewhere = await _hover(client, uri, 12)  # the body of a card, not its heading
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value == (
        "**cloze c1** · RNNs › Gates\n\n"
        "**Front**\n\nThe cell update is `c_t = [...] + i_t * g_t`\n\n"
        "**Back**\n\nThe cell update is `c_t = f_t * c_prev + i_t * g_t`\n\n"
        "key `rnns/eaca1953ae7f3a10#c1` (no id) · tags `rnn`"
        "\n\n---\n\n"
        "**cloze c2** · RNNs › Gates\n\n"
        "**Front**\n\nThe cell update is `c_t = f_t * c_prev + [...]`\n\n"
        "**Back**\n\nThe cell update is `c_t = f_t * c_prev + i_t * g_t`\n\n"
        "key `rnns/eaca1953ae7f3a10#c2` (no id) · tags `rnn`"
    )
    assert elsewhere is None


async def test_hover_draws_one_variant_of_a_parametric_card(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "rnn.md")
        shown = await _hover(client, uri, 18)
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value == (
        "**predict** · RNNs › Code\n\n"
        "variant (seed 1): rows = 3\n\n"
        "**Front**\n\nWhat is `torch.zeros(3, 3).shape`?\n\n```python\nrows = 3\n```\n\n"
        "**Back**\n\nthe value of\n```python\ntorch.zeros(rows, 3).shape\n```\n\n"
        "id `zeros-shape` · tags `rnn`"
    )


async def test_hover_shows_the_schedule_from_the_store(decks: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'study.db'}"
    study = Study(db, [decks], clock=lambda: NOW, fuzz=False)
    study.sync()
    card = next(i for i in study.search("lstm-forget") if i.card.key == "lstm-forget")
    study.answer(card.card_id, Rating.GOOD, duration_ms=3000)
    study.close()
    async with serving(decks, db) as client:
        uri = open_doc(client, decks / "rnn.md")
        shown = await _hover(client, uri, 9)
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value.split("\n\n")[-2:] == [
        "id `lstm-forget` · tags `lstm`, `rnn`",
        "schedule: learning · due 2026-11-20 09:10 UTC · stability 2.3 d · lapses 0 · "
        "last verdict -",
    ]


async def test_without_a_store_file_no_schedule_is_shown_and_none_is_created(
    decks: Path, tmp_path: Path
) -> None:
    db = tmp_path / "absent.db"
    async with serving(decks, f"sqlite:///{db}") as client:
        uri = open_doc(client, decks / "rnn.md")
        shown = await _hover(client, uri, 9)
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value.endswith("id `lstm-forget` · tags `lstm`, `rnn`")
    assert not db.exists()


async def test_a_card_dropped_for_an_error_says_so(decks: Path) -> None:
    async with serving(decks) as client:
        uri = open_doc(client, decks / "twin.md")  # its id is already used in rnn.md
        shown = await _hover(client, uri, 2)
        found = await client.text_document_document_symbol_async(
            lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
        )
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value == (
        "**no card**: this note has an error (see its problems), so it is skipped"
    )
    symbols = [s for s in found or [] if isinstance(s, lsp.DocumentSymbol)]
    assert _tree(symbols) == [
        (
            "Twins",
            0,
            4,
            None,
            [("A card that reuses an id", 2, 4, "no card (see its problems)", [])],
        )
    ]


async def test_after_a_fence_left_open_the_next_card_still_has_its_hover_and_outline(
    decks: Path,
) -> None:
    # the parser ends a fence that never closes before the next heading: so do hover and the
    # outline, which once read the rest of the file as code
    deck = decks / "code.md"
    deck.write_text(
        "# Code\n\n## What is `1 + 1`?\n```python expect\n1 + 1\n\n"
        "## What does `zero_grad()` do?\nSets each `.grad` to `None`.\n",
        encoding="utf-8",
    )
    async with serving(decks) as client:
        uri = open_doc(client, deck)
        shown = await _hover(client, uri, 6)
        found = await client.text_document_document_symbol_async(
            lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
        )
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value == (
        "**basic** · code › Code\n\n**Front**\n\nWhat does `zero_grad()` do?\n\n"
        "**Back**\n\nSets each `.grad` to `None`.\n\nkey `code/b4c1c3e1b5c09b4c` (no id)"
    )
    symbols = [s for s in found or [] if isinstance(s, lsp.DocumentSymbol)]
    assert [name for name, *_ in _tree(symbols)[0][4]] == [  # type: ignore[misc]
        "What is `1 + 1`?",
        "What does `zero_grad()` do?",
    ]
