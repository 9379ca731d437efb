"""``studyrnn sync [PATH...]``: parse the decks and reconcile them with the store.

Prints ``added N, changed N, carried over N, retired N, unchanged N``, then a line on the cards
of decks that are in the store but not configured now (the bundled decks, once ``--decks`` or
``./decks`` replaces them: kept, and hidden until configured again), then one line per lint
problem (the valid cards are synced anyway); ``--json`` prints the same as one object. Exits 0
even with lint problems: they are reported, not fatal.
"""

from __future__ import annotations

import json

import click

from studyrnn import config
from studyrnn.commands.common import problem_json, reports_errors, resolve_db, resolve_decks


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--db", "db", help="SQLAlchemy URL of the store (default: STUDYRNN_DB, then the user data dir)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@reports_errors
def sync(ctx: click.Context, paths: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Sync deck files into the store, keeping every card's history."""
    from studyrnn.engine.study import Study

    decks = resolve_decks(ctx, paths)
    study = Study(resolve_db(ctx, db), decks)
    try:
        report = study.sync(decks)
    finally:
        study.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "added": report.added,
                    "changed": report.changed,
                    "carried_over": report.carried_over,
                    "retired": report.retired,
                    "unchanged": report.unchanged,
                    "problems": [problem_json(p) for p in report.problems],
                    "hidden": [
                        {"deck": h.deck, "path": h.path, "cards": h.cards} for h in report.hidden
                    ],
                },
                indent=2,
            )
        )
        return
    click.echo(report.summary())
    if report.hidden:
        click.echo(report.hidden_note(str(config.bundled_decks_dir())))
    for problem in report.problems:
        click.echo(problem.format())
