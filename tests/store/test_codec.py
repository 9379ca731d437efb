"""Cards to JSON and back: the fast encoder writes exactly what ``dataclasses.asdict`` wrote
before it (stores already hold that text, and sync compares it), and every card of the bundled
decks and the fixtures comes back equal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from studyrnn.decks.parser import load
from studyrnn.store.codec import card_from_json, card_to_json

ROOT = Path(__file__).resolve().parents[2]


def test_every_card_round_trips_as_the_same_text() -> None:
    cards = load([ROOT / "decks", ROOT / "tests" / "fixtures"]).cards
    kinds = {card.kind.value for card in cards}
    assert {"basic", "cloze", "choice", "bidirectional", "predict", "write"} <= kinds
    assert any(card.is_parametric for card in cards)
    for card in cards:
        text = card_to_json(card)
        assert text == json.dumps(dataclasses.asdict(card), separators=(",", ":"), sort_keys=True)
        assert card_from_json(text) == card
