"""``studyrnn stats``: reviews today, streak, true retention over 30 days, a 30-day forecast of
due cards, and the count of leeches. ``--json`` for the same as an object.

The card counts (left today, leeches, forecast) are of the configured decks, as ``due``'s are;
the review log is counted whole, and a last line says so when some decks are hidden."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import click

from studyrnn.commands.common import reports_errors, resolve_db, resolve_decks


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.pass_context
@reports_errors
def stats(ctx: click.Context, paths: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Show review statistics. The card counts are of PATHS (else the configured decks)."""
    from studyrnn.engine.study import Study

    # The configured decks, as `due` has them: cards of decks not configured now are hidden
    # from the counts; the review log (reviews today, streak, retention) stays whole.
    study = Study(resolve_db(ctx, db), resolve_decks(ctx, paths))
    try:
        result = study.stats(history=False)
        hidden = sum(h.cards for h in study.hidden())
    finally:
        study.close()
    retention = result.true_retention_30d
    if as_json:
        payload = {
            "reviews_today": result.reviews_today,
            "left_today": None
            if result.today is None
            else {
                "new": result.today.new,
                "learning": result.today.learning,
                "review": result.today.review,
            },
            "streak_days": result.streak_days,
            "true_retention_30d": None if retention is None else round(retention, 4),
            "forecast": [{"day": d.isoformat(), "due": n} for d, n in result.forecast],
            "leeches": result.leeches,
            "button_mix": {r.name.lower(): n for r, n in result.button_mix.items()},
            "hidden_cards": hidden,
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(f"reviews today: {result.reviews_today}")
    if result.today is not None:  # the same counts as Home and `studyrnn due`
        click.echo(f"left today: {result.today.words()}")
    click.echo(f"streak: {result.streak_days} day{'s' if result.streak_days != 1 else ''}")
    shown = "no reviews to measure" if retention is None else f"{retention:.1%}"
    click.echo(f"true retention, last 30 days: {shown}")
    click.echo(f"leeches: {result.leeches}")
    for line in forecast_lines(result.forecast):
        click.echo(line)
    if hidden:
        click.echo(hidden_line(hidden))


def hidden_line(cards: int) -> str:
    """Which numbers leave out the cards of decks not configured now, and which do not."""
    return (
        f"not counted: {cards} card{'s' if cards != 1 else ''} of decks not configured now "
        "(left today, leeches and the forecast leave them out; reviews today, streak and "
        "retention include their reviews)"
    )


def forecast_lines(forecast: Sequence[tuple[date, int]]) -> list[str]:
    """The forecast in a few lines: the days with cards due, and how many days have none
    (thirty lines of zeros say less than one line that counts them)."""
    total = sum(n for _, n in forecast)
    head = f"due in the next {len(forecast)} days: "
    if total == 0:
        return [head + "nothing"]
    busy = [(day, n) for day, n in forecast if n]
    lines = [head + f"{total} card{'s' if total != 1 else ''}"]
    lines += [f"  {day.isoformat()}  {n}" for day, n in busy]
    free = len(forecast) - len(busy)
    if free:
        lines.append(f"  nothing due on the other {free} day{'s' if free != 1 else ''}")
    return lines
