"""Card identity: explicit ids, keys derived from the deck and the front, and slugs.

A card with ``<!-- id: slug -->`` keeps that id whatever is edited. A card without one gets a
key from its deck and normalised front, so it is stable while the question is unchanged; the
store carries history across edits of such cards. Siblings (cloze numbers, the two directions
of a bidirectional note) share the note key and add a suffix.
"""

from __future__ import annotations

import functools
import hashlib
import re

from studyrnn.decks.text import normalize_front

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int = 6, max_len: int = 40) -> str:
    """A short, readable slug: ``"What does zero_grad() do?"`` -> ``"what-does-zero-grad-do"``."""
    words = [w for w in _NON_SLUG.split(text.lower()) if w][:max_words]
    slug = "-".join(words)[:max_len].strip("-")
    return slug or "card"


def is_valid_id(value: str) -> bool:
    return bool(ID_RE.match(value))


def derived_note_key(deck: str, front: str) -> str:
    """``deck-slug/16 hex digits`` of the normalised front: fixed length, stable, unique enough."""
    digest = hashlib.sha256(normalize_front(front).encode("utf-8")).hexdigest()[:16]
    return f"{_deck_slug(deck)}/{digest}"


@functools.lru_cache(maxsize=256)
def _deck_slug(deck: str) -> str:
    return slugify(deck, max_words=8, max_len=60)


def cloze_key(note_key: str, number: int) -> str:
    return f"{note_key}#c{number}"


def direction_key(note_key: str, forward: bool) -> str:
    return f"{note_key}:{'fwd' if forward else 'rev'}"
