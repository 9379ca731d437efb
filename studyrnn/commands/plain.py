"""``studyrnn review --plain``: the review session as lines of text, for screen readers, plain
terminals and pipes.

For each card of today's queue (the same queue as the app): where it is and its state, the
front as plain text (``plain_text``: no fences, backticks or other markup; code indented),
then the learner's part: Enter for most cards, the typed value of a predict card, the letters
of a multiple-choice pick (a pick that is exactly right suggests Good, any other Again, as a
predict verdict does). Then the back, the verdict and the expected value of a
predict card (the reference solution of a write card), and the rating, each with the interval
it would give (``1 Again (1m)  2 Hard (6m) ...``).
Every answer is committed before ``recorded`` is printed and the next card is shown. ``q`` or
the end of input ends the session.

As in the app, a learning card due within the learn-ahead limit (20 minutes) comes early when
nothing else is left, and says so. When only learning cards due later today are left, the
session says when the next one comes and, on Enter, waits for it (q or the end of input
stops it, during the wait too when the input is a terminal).
"""

from __future__ import annotations

import math
import select
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

import click

from studyrnn.commands.plain_text import to_plain
from studyrnn.decks.model import Card, CardKind
from studyrnn.values import NextUp, Preview, QueueItem, Rating

if TYPE_CHECKING:  # the facade and the checker are imported only when a session runs
    from studyrnn.engine.study import Study
    from studyrnn.runner import Checker
    from studyrnn.runner.verdict import CheckResult

RATING_WORDS = {
    "1": Rating.AGAIN,
    "2": Rating.HARD,
    "3": Rating.GOOD,
    "4": Rating.EASY,
    "again": Rating.AGAIN,
    "hard": Rating.HARD,
    "good": Rating.GOOD,
    "easy": Rating.EASY,
}
QUIT = {"q", "quit"}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class EndOfSession(Exception):
    """The learner typed q, or the input ended."""


@dataclass(frozen=True, slots=True)
class Shown:
    """What the learner's part of a card produced: the rating to suggest, and the checker's
    verdict to record with the answer."""

    suggestion: Rating | None = None
    verdict: str | None = None


def read(stream: TextIO, prompt: str) -> str:
    click.echo(prompt, nl=False)
    line = stream.readline()
    if not line or not stream.isatty():
        click.echo()  # piped input is not echoed: end the prompt's line ourselves
    if not line:
        raise EndOfSession
    text = line.rstrip("\r\n")
    if text.strip().lower() in QUIT:
        raise EndOfSession
    return text


def _text(markdown: str, item: QueueItem) -> str:
    """A card's markdown for this variant, as plain text."""
    if item.params:
        from studyrnn.decks.params import render

        markdown = render(markdown, item.params)
    return to_plain(markdown)


def _split_choices(text: str, card: Card, *, at_end: bool) -> str:
    """A choice card's front without its trailing option list, or its back without its
    leading marked one (``decks.notes`` puts them there): plain mode prints the options once,
    lettered, itself."""
    lines = text.split("\n")
    n = len(card.choices)
    part = lines[-n:] if at_end else lines[:n]
    if len(lines) < n or not all(line.startswith("- ") for line in part):
        return text
    return "\n".join(lines[:-n] if at_end else lines[n:]).strip("\n")


def show_card(item: QueueItem, stream: TextIO, checker: Checker | None) -> Shown:
    """Show one card, take the learner's part, show the answer."""
    card = item.card
    where = f"{card.deck} › {card.section}" if card.section else card.deck
    click.echo(f"--- {where} ({item.state})")
    if card.kind is CardKind.CHOICE:
        return _choice(item, stream)
    click.echo(_text(card.front, item))
    shown = Shown()
    if card.kind is CardKind.PREDICT:
        shown = _predict(item, stream, checker)
    else:
        read(stream, "press Enter to show the answer ")
    if card.kind is CardKind.WRITE:
        click.echo("reference solution:")  # the back starts with it, as indented code
    if card.back.strip():
        click.echo(_text(card.back, item))
    return shown


def _choice(item: QueueItem, stream: TextIO) -> Shown:
    card = item.card
    click.echo(_text(_split_choices(card.front, card, at_end=True), item))
    letters = LETTERS[: len(card.choices)]
    for letter, choice in zip(letters, card.choices, strict=False):
        click.echo(f"  {letter}) {_text(choice.text, item)}")
    picked: set[int] | None = None
    while picked is None:
        typed = read(stream, "your pick (letters such as a c; Enter to show the answer): ")
        chosen = typed.replace(",", " ").split()
        if not chosen:
            break
        flat = [c.lower() for word in chosen for c in word]  # "a c", "a,c" and "ac" alike
        if all(c in letters for c in flat):
            picked = {letters.index(c) for c in flat}
        else:
            click.echo(f"type letters from a to {letters[-1]} (such as a c), or Enter")
    for index, (letter, choice) in enumerate(zip(letters, card.choices, strict=False)):
        mark = "right" if choice.correct else "wrong"
        mine = " (your pick)" if picked is not None and index in picked else ""
        click.echo(f"  {letter}) {mark}: {_text(choice.text, item)}{mine}")
    after = _split_choices(card.back, card, at_end=False)
    if after.strip():
        click.echo(_text(after, item))
    if picked is None:
        return Shown()
    right = {i for i, choice in enumerate(card.choices) if choice.correct}
    return Shown(Rating.GOOD if picked == right else Rating.AGAIN)


def _predict(item: QueueItem, stream: TextIO, checker: Checker | None) -> Shown:
    from studyrnn.runner.verdict import Verdict
    from studyrnn.ui.suggest import for_predict  # the app's rule: both suggest alike

    card = item.card
    typed = read(stream, "your answer: ")
    result: CheckResult | None = None
    while checker is not None and typed.strip():
        result = checker.grade(card, typed, seed=item.seed, params=item.params)
        if result.verdict is not Verdict.UNREADABLE:
            break
        click.echo(result.message)  # the reason and the column: not run, not recorded
        result = None
        typed = read(stream, "fix your answer (Enter to skip the check): ")
    if checker is None:
        return Shown()
    if result is not None:
        first, *rest = result.message.split("\n")
        click.echo(f"checker: {result.verdict.value}: {first}")
        for line in rest:
            click.echo(f"  {line}")
    if result is not None and result.expected:
        click.echo(f"expected value: {result.expected}")
    else:  # no answer was checked (or the check did not get that far): compute the value
        computed = checker.expected(card, seed=item.seed, params=item.params or None)
        if computed.passed and computed.expected:
            click.echo(f"expected value: {computed.expected}")
        else:
            click.echo(f"expected value: not computed ({computed.message})")
    if result is None:
        return Shown()
    return Shown(for_predict(result), result.verdict.value)


def rating_prompt(preview: Preview, suggestion: Rating | None) -> str:
    """``rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (3d); ...``"""
    buttons = "  ".join(f"{int(r)} {r.name.capitalize()} ({preview.label(r)})" for r in Rating)
    hint = f"; Enter for {suggestion.name.capitalize()}" if suggestion else ""
    return f"rating: {buttons}{hint}; q to stop: "


def ask_rating(stream: TextIO, preview: Preview, suggestion: Rating | None) -> Rating:
    while True:
        word = read(stream, rating_prompt(preview, suggestion)).strip().lower()
        if not word and suggestion is not None:
            return suggestion
        if word in RATING_WORDS:
            return RATING_WORDS[word]
        click.echo("type 1, 2, 3 or 4 (or again, hard, good, easy), or q to stop")


def open_checker(device: str) -> Checker:
    """The code checker; it starts its warm worker in the background."""
    from studyrnn.runner import Checker

    return Checker(device=device)


def _say_what_is_left(study: Study, deck: str | None) -> None:
    """Why the session ends: learning steps due later today, or the new-card limit."""
    up = study.next_up(deck)
    if up.next_due is not None:
        click.echo(
            f"learning cards still to come today: {up.counts.learning}; the next one is due at"
            f" {up.next_due.astimezone():%H:%M}"
        )
    if up.limit.reached:
        click.echo(up.limit.explain())
        click.echo("to study more today: press m on the deck in the app (Study more)")


def minutes(seconds: float) -> str:
    """``6 min``, rounded up, as the app says it: "in 1 min" until the card is there."""
    return f"{max(1, math.ceil(seconds / 60))} min"


def pause(stream: TextIO, seconds: float) -> None:
    """Sleep ``seconds``. On a terminal a line typed meanwhile ends the wait, and q (or the end
    of input) the session; piped input is the answers to come, and is not read here."""
    if not stream.isatty():
        time.sleep(seconds)
        return
    ready, _, _ = select.select([stream], [], [], seconds)
    if ready:
        line = stream.readline()
        if not line or line.strip().lower() in QUIT:
            raise EndOfSession


def wait_for_next(
    study: Study, stream: TextIO, up: NextUp, sleep: Callable[[TextIO, float], None]
) -> None:
    """Only learning cards due later today are left: say when the next one comes, and on
    Enter wait until it may be shown (``up.show_at``, its due time less the learn-ahead)."""
    assert up.show_at is not None
    left = (up.show_at - study.now()).total_seconds()
    read(
        stream,
        f"next card at {up.show_at.astimezone():%H:%M} (in {minutes(left)}); "
        "Enter to wait, q to stop ",
    )
    while (left := (up.show_at - study.now()).total_seconds()) > 0:
        sleep(stream, min(left, 60.0))  # a minute at most: a suspended laptop wakes late


def plain_review(
    study: Study,
    stream: TextIO,
    device: str,
    deck: str | None,
    *,
    sleep: Callable[[TextIO, float], None] = pause,
) -> Counter[Rating]:
    """The line-mode loop; returns how many answers of each rating were recorded. The checker
    is started at the first predict card, so a deck without code never pays for torch.
    ``sleep`` waits for a learning card (tests pass one that moves their clock)."""
    done: Counter[Rating] = Counter()
    checker: Checker | None = None
    try:
        while True:
            up = study.next_up(deck)
            item = up.item
            if item is None and up.show_at is not None:
                wait_for_next(study, stream, up, sleep)
                continue
            if item is None:
                click.echo("nothing more is due today")
                _say_what_is_left(study, deck)
                break
            if up.early is not None:
                click.echo(
                    f"learning card {minutes(up.early.total_seconds())} early: nothing else is left"
                )
            if checker is None and item.card.kind is CardKind.PREDICT:
                checker = open_checker(device)
            started = time.monotonic()
            shown = show_card(item, stream, checker)
            rating = ask_rating(stream, study.preview(item.card_id), shown.suggestion)
            study.answer(
                item.card_id,
                rating,
                duration_ms=int((time.monotonic() - started) * 1000),
                verdict=shown.verdict,
                seed=item.seed,
            )
            done[rating] += 1
            click.echo("recorded")
    except EndOfSession:
        pass
    finally:
        if checker is not None:
            checker.close()
    return done
