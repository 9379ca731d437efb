"""Document symbols: each ``#`` section with its ``##`` cards inside, so the editor's outline
shows the deck. A card's detail is its kind (and how many cards its note yields) and its id."""

from __future__ import annotations

from collections import defaultdict

from lsprotocol import types as lsp

from studyrnn.decks.model import Card
from studyrnn.lsp.headings import Heading, headings
from studyrnn.lsp.text import utf16_len


def card_detail(cards: list[Card]) -> str:
    """``cloze ×2 · lstm-gates``; ``no card`` for a note dropped for an error."""
    if not cards:
        return "no card (see its problems)"
    kind = cards[0].kind.value + (f" ×{len(cards)}" if len(cards) > 1 else "")
    explicit = cards[0].explicit_id
    return f"{kind} · {explicit}" if explicit else kind


def symbols(lines: list[str], cards: tuple[Card, ...]) -> list[lsp.DocumentSymbol]:
    by_line: dict[int, list[Card]] = defaultdict(list)
    for card in cards:
        by_line[card.line - 1].append(card)
    found = headings(lines)
    out: list[lsp.DocumentSymbol] = []
    section: lsp.DocumentSymbol | None = None
    cards_of_section: list[lsp.DocumentSymbol] = []
    for index, heading in enumerate(found):
        if heading.level == 1:
            # a section runs to the next section, over the cards under it
            end = next((h.line for h in found[index + 1 :] if h.level == 1), len(lines))
            section = _symbol(heading, end, lines, lsp.SymbolKind.Namespace, None)
            cards_of_section = []
            section.children = cards_of_section
            out.append(section)
            continue
        symbol = _symbol(
            heading, heading.end, lines, lsp.SymbolKind.Class, card_detail(by_line[heading.line])
        )
        if section is not None:
            cards_of_section.append(symbol)
        else:
            out.append(symbol)
    return out


def _symbol(
    heading: Heading, end: int, lines: list[str], kind: lsp.SymbolKind, detail: str | None
) -> lsp.DocumentSymbol:
    last = max(end - 1, heading.line)
    while last > heading.line and not lines[last].strip():
        last -= 1  # the blank lines before the next heading belong to no one
    whole = lsp.Range(
        lsp.Position(heading.line, 0), lsp.Position(last, utf16_len(lines[last]) if lines else 0)
    )
    title = lsp.Range(
        lsp.Position(heading.line, 0), lsp.Position(heading.line, utf16_len(lines[heading.line]))
    )
    return lsp.DocumentSymbol(
        name=heading.text or "(empty heading)",
        kind=kind,
        range=whole,
        selection_range=title,
        detail=detail,
    )
