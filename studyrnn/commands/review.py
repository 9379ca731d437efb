"""``studyrnn review``: the app's review screen, or ``--plain`` line mode.

Line mode is for screen readers, plain terminals and pipes. For each card of today's queue (the
same queue as the app): the front, then Enter (or, for a predict card, the typed value), then
the back, then the rating (``1``-``4`` or ``again``/``hard``/``good``/``easy``; Enter takes the
checker's suggestion when there is one). Every answer is committed before ``recorded`` is
printed and the next card is shown. ``q`` or the end of input ends the session with a summary.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TYPE_CHECKING, TextIO

import click

from studyrnn.commands.common import reports_errors, resolve_db, resolve_decks, resolve_device
from studyrnn.decks.model import CardKind
from studyrnn.values import QueueItem, Rating

if TYPE_CHECKING:  # the facade and the checker are imported only when a session runs
    from studyrnn.engine.study import Study
    from studyrnn.runner import Checker

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


class EndOfSession(Exception):
    """The learner typed q, or the input ended."""


def _read(stream: TextIO, prompt: str) -> str:
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


def _render(text: str, item: QueueItem) -> str:
    if not item.params:
        return text
    from studyrnn.decks.params import render

    return render(text, item.params)


def _open_checker(device: str) -> Checker:
    """The code checker; it starts its warm worker in the background."""
    from studyrnn.runner import Checker

    return Checker(device=device)


def _show_card(
    item: QueueItem, stream: TextIO, checker: Checker | None
) -> tuple[Rating | None, str | None]:
    """Show one card; return the suggested rating and the checker's verdict, if any."""
    card = item.card
    where = f"{card.deck} › {card.section}" if card.section else card.deck
    click.echo(f"--- {where} ({item.state})")
    click.echo(_render(card.front, item))
    for letter, choice in zip("abcdefghij", card.choices, strict=False):
        click.echo(f"  {letter}) {choice.text}")
    suggestion: Rating | None = None
    verdict: str | None = None
    if card.kind is CardKind.PREDICT:
        from studyrnn.runner.verdict import Verdict
        from studyrnn.ui.suggest import for_predict  # the app's rule: both suggest alike

        typed = _read(stream, "your answer: ")
        while checker is not None and typed.strip():
            result = checker.grade(card, typed, seed=item.seed, params=item.params)
            if result.verdict is Verdict.UNREADABLE:  # not run, not recorded: fix it
                click.echo(result.message)
                typed = _read(stream, "fix your answer (Enter to skip the check): ")
                continue
            verdict = result.verdict.value
            click.echo(f"checker: {verdict}: {result.message}")
            suggestion = for_predict(result)
            break
    else:
        _read(stream, "press Enter to show the answer ")
    if card.back.strip():
        click.echo(_render(card.back, item))
    return suggestion, verdict


def _ask_rating(stream: TextIO, suggestion: Rating | None) -> Rating:
    hint = f", Enter for {suggestion.name.lower()}" if suggestion else ""
    while True:
        text = _read(stream, f"rating (1 again, 2 hard, 3 good, 4 easy{hint}; q to stop): ")
        word = text.strip().lower()
        if not word and suggestion is not None:
            return suggestion
        if word in RATING_WORDS:
            return RATING_WORDS[word]
        click.echo("type 1, 2, 3 or 4 (or again, hard, good, easy), or q to stop")


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


def plain_review(study: Study, stream: TextIO, device: str, deck: str | None) -> Counter[Rating]:
    """The line-mode loop; returns how many answers of each rating were recorded. The checker
    is started at the first predict card, so a deck without code never pays for torch."""
    done: Counter[Rating] = Counter()
    checker: Checker | None = None
    try:
        while True:
            item = study.next_card(deck)
            if item is None:
                click.echo("nothing more is due today")
                _say_what_is_left(study, deck)
                break
            if checker is None and item.card.kind is CardKind.PREDICT:
                checker = _open_checker(device)
            started = time.monotonic()
            suggestion, verdict = _show_card(item, stream, checker)
            rating = _ask_rating(stream, suggestion)
            study.answer(
                item.card_id,
                rating,
                duration_ms=int((time.monotonic() - started) * 1000),
                verdict=verdict,
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


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option(
    "--plain", is_flag=True, help="Line mode: for screen readers, plain terminals, pipes."
)
@click.option("--deck", default=None, help="Only this deck (its display name).")
@click.pass_context
@reports_errors
def review(
    ctx: click.Context, paths: tuple[str, ...], db: str | None, plain: bool, deck: str | None
) -> None:
    """Review today's cards."""
    decks = resolve_decks(ctx, paths)
    url = resolve_db(ctx, db)
    device = resolve_device(ctx)
    if not plain:
        from studyrnn.ui import launch

        launch(deck_dirs=list(decks), db=url, device=device, start="review", deck=deck)
        return
    from studyrnn.engine.study import Study

    study = Study(url, decks)
    try:
        report = study.sync(decks)
        errors = sum(1 for p in report.problems if p.severity.value == "error")
        if errors:
            click.echo(f"{errors} deck problem(s) skipped; `studyrnn lint` lists them")
        done = plain_review(study, sys.stdin, device, deck)
    finally:
        study.close()
    total = sum(done.values())
    mix = ", ".join(f"{r.name.lower()} {done[r]}" for r in Rating if done[r])
    click.echo(f"reviewed {total} card{'s' if total != 1 else ''}" + (f": {mix}" if mix else ""))
