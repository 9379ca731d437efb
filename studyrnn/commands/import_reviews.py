"""``studyrnn import-reviews FILE.csv``: load a review history
(``card_id,review_rating,review_time,review_duration``) so that ``optimize`` and ``stats`` can
work on real data. Importing the same file twice adds nothing.

The history is replayed in study days (04:00 to 04:00 by default) of the time zone it was
recorded in: ``--tz`` names it (an IANA name such as ``America/Los_Angeles``); without it the
machine's zone is used. The report says which zone was used."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from studyrnn.commands.common import reports_errors, resolve_db
from studyrnn.errors import UsageError


def zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            f"unknown time zone {name!r}", "use an IANA name such as America/Los_Angeles or UTC"
        ) from exc


@click.command(name="import-reviews")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option(
    "--tz",
    "tz_name",
    metavar="ZONE",
    help="The time zone the history was recorded in (default: this machine's).",
)
@click.pass_context
@reports_errors
def import_reviews(ctx: click.Context, csv_file: str, db: str | None, tz_name: str | None) -> None:
    """Import a review log from a CSV file."""
    from studyrnn.engine.study import Study

    recorded_in = zone(tz_name)
    study = Study(resolve_db(ctx, db), [])
    try:
        report = study.import_reviews(Path(csv_file), tz=recorded_in)
    finally:
        study.close()
    click.echo(report.summary())
