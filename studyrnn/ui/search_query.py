"""Browse's search box: free text plus ``tag:NAME`` and ``deck:NAME`` filters.

``lstm tag:gates deck:RNNs`` searches the text "lstm" in the deck RNNs among cards tagged
gates. A deck name with spaces is written with quotes: ``deck:"Deep RNNs"``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    tag: str | None = None
    deck: str | None = None


def parse_query(raw: str) -> Query:
    try:
        words = shlex.split(raw)
    except ValueError:  # an unbalanced quote while typing: take the words as they are
        words = raw.split()
    text: list[str] = []
    tag: str | None = None
    deck: str | None = None
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key.lower() == "tag" and value:
            tag = value
        elif sep and key.lower() == "deck" and value:
            deck = value
        else:
            text.append(word)
    return Query(" ".join(text), tag, deck)
