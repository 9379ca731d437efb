"""``studyrnn import-reviews FILE.csv``: load a review history
(``card_id,review_rating,review_time,review_duration``) so that ``optimize`` and ``stats`` can
work on real data. Importing the same file twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import click

from studyrnn.commands.common import reports_errors, resolve_db


@click.command(name="import-reviews")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.pass_context
@reports_errors
def import_reviews(ctx: click.Context, csv_file: str, db: str | None) -> None:
    """Import a review log from a CSV file."""
    from studyrnn.engine.study import Study

    study = Study(resolve_db(ctx, db), [])
    try:
        report = study.import_reviews(Path(csv_file))
    finally:
        study.close()
    click.echo(report.summary())
