"""The giveaway lint rule: a card whose front shows its own answer tests nothing (issue 14).

- A cloze card: the text of its hidden blank appears in what its front shows (the heading,
  the other blanks filled in, the prose before ``Why:``), e.g. a list of the four sequence
  types whose last item explains itself with two of the others.
- A bidirectional card: the side it asks for appears in the side it shows, e.g.
  ``ELU <-> ELU_α(z) = ...``, whose reverse card names ELU on its front.

"Appears" means verbatim after ignoring markup (backticks, emphasis) and case, and as whole
words, so the blank ``log`` is not found in ``logits``. An answer that is a bare number or
``True``/``False``/``None`` is not looked for: values repeat (``num_layers=1, ...
proj_size=0``) without naming each other, and ``z < 0`` does not give away ``heaviside = 0``.
It is a warning: the rule finds the
plain cases, and a person decides. A blank inside the heading is not looked at (the body's
blanks are the ones that name each other).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from studyrnn.decks import cloze
from studyrnn.decks.model import Card, CardKind, Problem, Severity

CODE = "giveaway"
_MARKUP = re.compile(r"[`*]")
_SPACE = re.compile(r"\s+")
_LITERAL = re.compile(r"[-+]?(?:\d[\d_.]*(?:e[-+]?\d+)?|true|false|none)")


def normalized(text: str) -> str:
    """Case-folded, markup and repeated whitespace removed."""
    return _SPACE.sub(" ", _MARKUP.sub("", text)).strip().casefold()


def shows(front: str, answer: str) -> bool:
    """Whether ``answer`` appears in ``front`` as whole words, markup and case ignored."""
    needle = normalized(answer)
    if not needle or _LITERAL.fullmatch(needle):
        return False
    return _whole_words_in(needle, normalized(front))


def _whole_words_in(needle: str, haystack: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` with no word character (``\\w``: a letter,
    digit or ``_``) glued to an end of it that is itself alphanumeric. A plain search, not a
    regex built per answer: a deck has thousands of distinct answers, and compiling each one
    cost more than the rest of the rule."""
    check_start = needle[0].isalnum()
    check_end = needle[-1].isalnum()
    size = len(needle)
    at = haystack.find(needle)
    while at >= 0:
        end = at + size
        if not (check_start and at > 0 and _is_word(haystack[at - 1])) and not (
            check_end and end < len(haystack) and _is_word(haystack[end])
        ):
            return True
        at = haystack.find(needle, at + 1)
    return False


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\w` matches in a str pattern


def problems(cards: Sequence[Card]) -> list[Problem]:
    """One warning per card of ``cards`` (one file's) that gives its answer away."""
    found: list[Problem] = []
    # the cards of one cloze note share a body: it is scanned once, not once per card
    scanned: dict[str, list[cloze.Blank]] = {}
    for card in cards:
        if card.kind is CardKind.CLOZE and card.cloze is not None:
            blanks = scanned.get(card.body)
            if blanks is None:
                blanks = scanned[card.body] = cloze.scan(card.body)[0]
            found.extend(_cloze(card, blanks))
    found.extend(_bidirectional(cards))
    return found


def _cloze(card: Card, blanks: list[cloze.Blank]) -> Iterable[Problem]:
    for blank in blanks:
        if blank.number == card.cloze and shows(card.front, blank.answer):
            yield _warning(
                card,
                f"cloze card c{card.cloze} gives its answer away: `{_short(blank.answer)}` "
                "appears in its own front (the heading, the other blanks filled in, or the text "
                "before `Why:`); hide it there too, move it to the `Why:` line, or merge the "
                "blanks into one",
            )
            return


def _bidirectional(cards: Sequence[Card]) -> Iterable[Problem]:
    fronts: dict[str, dict[str, Card]] = {}
    for card in cards:
        if card.kind is CardKind.BIDIRECTIONAL:
            direction = card.key.rsplit(":", 1)[-1]
            fronts.setdefault(card.note_key, {})[direction] = card
    for pair in fronts.values():
        fwd, rev = pair.get("fwd"), pair.get("rev")
        if fwd is None or rev is None:
            continue
        for asked, answer in ((fwd, rev.front), (rev, fwd.front)):
            if shows(asked.front, answer):
                side = "right" if asked is fwd else "left"
                yield _warning(
                    asked,
                    f"bidirectional card {asked.key.rsplit(':', 1)[-1]} gives its answer away: "
                    f"the {side} side, `{_short(answer)}`, appears in its own front; reword "
                    "that side without it",
                )


def _warning(card: Card, message: str) -> Problem:
    return Problem(card.path, card.line, Severity.WARNING, CODE, message)


def _short(text: str, limit: int = 60) -> str:
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
