"""Completion through a real client, at the places where a deck has a fixed vocabulary.
One server answers every request (starting one takes seconds)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.client import open_doc, serving

DECK = """---
de
---

## What is `torch.zeros({{=rows}}, {{=`?
<!-- so
```python params
rows = randint(2, 5)
cols = choice([3, 4])
```
```python {SPACE}
```python expect ti
```python expect device=
""".replace("{SPACE}", "")  # "```python " ends in a space, which the source cannot show


async def _labels(
    client: LanguageClient, uri: str, line: int, character: int
) -> list[tuple[str, str]]:
    found = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
    )
    assert isinstance(found, lsp.CompletionList)
    return [(item.label, item.insert_text or item.label) for item in found.items]


async def test_completion_offers_the_deck_vocabulary_where_it_applies(decks: Path) -> None:
    path = decks / "draft.md"
    path.write_text(DECK, encoding="utf-8")
    async with serving(decks) as client:
        uri = open_doc(client, path)
        front_matter = await _labels(client, uri, 1, 2)
        placeholders = await _labels(client, uri, 4, 38)
        metadata = await _labels(client, uri, 5, 7)
        roles = await _labels(client, uri, 10, 10)
        attributes = await _labels(client, uri, 11, 19)
        devices = await _labels(client, uri, 12, 24)
        prose = await _labels(client, uri, 4, 10)
    assert front_matter == [
        ("deck", "deck: "),
        ("tags", "tags: "),
        ("source", "source: "),
        ("description", "description: "),
    ]
    assert placeholders == [("rows", "rows"), ("cols", "cols")]
    assert metadata == [("id", "id: "), ("tags", "tags: "), ("source", "source: ")]
    assert [label for label, _ in roles] == [
        "setup",
        "expect",
        "wrong",
        "solution",
        "check",
        "starter",
        "params",
        "also",
    ]
    assert attributes == [
        ("timeout=", "timeout="),
        ("device=", "device="),
        ("rtol=", "rtol="),
        ("atol=", "atol="),
        ("raises", "raises"),
    ]
    assert [label for label, _ in devices] == ["cpu", "cuda", "mps", "any"]
    assert prose == []
