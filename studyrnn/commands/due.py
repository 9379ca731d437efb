"""``studyrnn due``: per deck, the new, learning and review cards due today (after syncing the
configured decks, so the counts match the files)."""

from __future__ import annotations

import json

import click

from studyrnn.commands.common import reports_errors, resolve_db, resolve_decks


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--no-sync", is_flag=True, help="Count what the store has, without syncing first.")
@click.pass_context
@reports_errors
def due(
    ctx: click.Context, paths: tuple[str, ...], db: str | None, as_json: bool, no_sync: bool
) -> None:
    """Show what is due today, per deck.

    Each deck's row is what studying that deck alone brings today; the "all decks" row is what
    a session over all decks brings. New cards and reviews follow the daily limits (20 new
    cards and 200 reviews unless changed in the settings), which all decks share: so the deck
    rows can add up to more than the "all decks" row. Learning cards are never limited, and
    count from the moment a step starts (a card due again in 10 minutes is counted now).
    When the limit holds new cards back, a last line says so; "Study more" in the app
    (m on a deck) allows extra new cards today.
    """
    from studyrnn.engine.study import Study

    decks = resolve_decks(ctx, paths)
    study = Study(resolve_db(ctx, db), decks)
    try:
        if not no_sync:
            study.sync(decks)
        counts = [c for c in study.deck_counts() if c.section == ""]
        total = study.total_counts()
        limit = study.new_limit()
    finally:
        study.close()
    if as_json:
        rows = [
            {
                "deck": c.deck,
                "new": c.new,
                "learning": c.learning,
                "review": c.review,
                "total": c.total,
            }
            for c in counts
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    if not counts:
        click.echo("no decks in the store; run `studyrnn sync` first")
        return
    labels = ["deck", *(c.deck for c in counts), *(["all decks"] if len(counts) > 1 else [])]
    width = max(len(label) for label in labels)
    # The words Home's deck tree and the review header use: new, lrn, due.
    click.echo(f"{'deck':<{width}}  {'new':>4}  {'lrn':>4}  {'due':>4}")
    for c in counts:
        click.echo(f"{c.deck:<{width}}  {c.new:>4}  {c.learning:>4}  {c.review:>4}")
    if len(counts) > 1:
        t = total
        click.echo(f"{'all decks':<{width}}  {t.new:>4}  {t.learning:>4}  {t.review:>4}")
    if limit.reached:  # the shared limit stops new cards today: say which, and where it is set
        click.echo(limit.explain())
        click.echo("To study more today: press m on a deck in the app (Study more).")
