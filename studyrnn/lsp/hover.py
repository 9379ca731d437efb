"""Hover on a card's heading: the card as studyrnn shows it, its id and tags, its schedule.

A note yields one or more cards (a cloze note one per blank number, a bidirectional note two);
each is shown, front then back, in markdown. A parametric card is shown on one drawn variant
(seed ``VARIANT_SEED``), with the drawn values named, so the author sees real numbers.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from studyrnn.decks.model import Card, CardKind, DeckFile
from studyrnn.decks.params import ParamError, draw, render
from studyrnn.lsp.headings import headings
from studyrnn.lsp.schedule import Schedule, ScheduleLookup
from studyrnn.lsp.text import utf16_len

VARIANT_SEED = 1


def variant(card: Card) -> dict[str, object]:
    if card.code is None or card.code.params is None:
        return {}
    try:
        return draw(card.code.params.code, VARIANT_SEED)
    except ParamError:
        return {}


def question(card: Card, values: dict[str, object]) -> str:
    """The front as the review shows it; a multiple-choice card's options, which the app
    numbers, are listed here as they are written."""
    text = card.front.rstrip()
    return render(text, values) if values and "{{=" in text else text


def answer(card: Card, values: dict[str, object]) -> str:
    """The back; a predict card's answer is the value its ``expect`` fence evaluates to, which
    only the checker knows, so the fence is shown."""
    text = card.back.rstrip()
    if not text and card.code is not None and card.code.expect is not None:
        text = f"the value of\n```python\n{card.code.expect.code.rstrip()}\n```"
    return render(text, values) if values and "{{=" in text else text


def card_markdown(card: Card, schedule: Schedule | None) -> str:
    values = variant(card)
    title = card.kind.value
    if card.kind is CardKind.CLOZE and card.cloze is not None:
        title += f" c{card.cloze}"
    if card.key.endswith(":rev"):
        title += " (reverse)"
    parts = [f"**{title}** · {card.deck}" + (f" › {card.section}" if card.section else "")]
    if values:
        shown = " · ".join(f"{name} = {value!r}" for name, value in values.items())
        parts.append(f"variant (seed {VARIANT_SEED}): {shown}")
    parts += ["**Front**", question(card, values) or "(empty)", "**Back**", answer(card, values)]
    facts = [f"id `{card.explicit_id}`" if card.explicit_id else f"key `{card.key}` (no id)"]
    if card.tags:
        facts.append("tags " + ", ".join(f"`{tag}`" for tag in card.tags))
    parts.append(" · ".join(facts))
    if schedule is not None:
        parts.append(schedule_line(schedule))
    return "\n\n".join(parts)


def schedule_line(schedule: Schedule) -> str:
    due = schedule.due.strftime("%Y-%m-%d %H:%M UTC") if schedule.due else "-"
    stability = f"{schedule.stability:.1f} d" if schedule.stability is not None else "-"
    return (
        f"schedule: {schedule.state} · due {due} · stability {stability} · "
        f"lapses {schedule.lapses} · last verdict {schedule.last_verdict or '-'}"
    )


def hover(
    lines: list[str],
    deck_file: DeckFile,
    position: lsp.Position,
    lookup: ScheduleLookup | None,
) -> lsp.Hover | None:
    heading = next((h for h in headings(lines) if h.level == 2 and h.line == position.line), None)
    if heading is None:
        return None
    cards = [c for c in deck_file.cards if c.line == heading.line + 1]
    if cards:
        text = "\n\n---\n\n".join(
            card_markdown(c, lookup.of(c.key) if lookup is not None else None) for c in cards
        )
    else:
        text = "**no card**: this note has an error (see its problems), so it is skipped"
    where = lsp.Range(
        lsp.Position(heading.line, 0),
        lsp.Position(heading.line, utf16_len(lines[heading.line])),
    )
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), where)
