"""``studyrnn review``: the app's review screen, or ``--plain`` line mode (``commands.plain``).

Line mode is for screen readers, plain terminals and pipes: each card's front as plain text,
the learner's part, the answer and the verdict, then the rating (``1``-``4`` or
``again``/``hard``/``good``/``easy``, each shown with its interval; Enter takes the checker's
suggestion when there is one). ``q`` or the end of input ends the session with a summary.
"""

from __future__ import annotations

import sys

import click

from studyrnn import config
from studyrnn.commands.common import reports_errors, resolve_db, resolve_decks, resolve_device
from studyrnn.values import Rating


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
    from studyrnn.commands.plain import plain_review
    from studyrnn.engine.study import Study

    study = Study(url, decks)
    try:
        report = study.sync(decks)
        if report.hidden:
            click.echo(report.hidden_note(str(config.bundled_decks_dir())))
        errors = sum(1 for p in report.problems if p.severity.value == "error")
        if errors:
            click.echo(f"{errors} deck problem(s) skipped; `studyrnn lint` lists them")
        done = plain_review(study, sys.stdin, device, deck)
    finally:
        study.close()
    total = sum(done.values())
    mix = ", ".join(f"{r.name.lower()} {done[r]}" for r in Rating if done[r])
    click.echo(f"reviewed {total} card{'s' if total != 1 else ''}" + (f": {mix}" if mix else ""))
