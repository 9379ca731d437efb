"""``studyrnn optimize``: fit FSRS parameters to the learner's review log.

Fits on the older reviews and scores on the newest fifth; the new parameters are kept only if
they beat the current ones there (lower log loss, RMSE(bins) no worse). Both scores are printed.
fsrs-rs-python is the default engine; ``--engine py-fsrs`` runs fsrs' own torch optimizer
(needs ``fsrs[optimizer]``), which is far slower for the same quality.
"""

from __future__ import annotations

import json
import time

import click

from studyrnn.commands.common import reports_errors, resolve_db
from studyrnn.errors import UsageError


@click.command()
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option(
    "--engine",
    type=click.Choice(["fsrs-rs", "py-fsrs"]),
    default="fsrs-rs",
    show_default=True,
    help="Which optimizer fits the parameters.",
)
@click.option("--dry-run", is_flag=True, help="Score only; never keep the new parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def optimize(ctx: click.Context, db: str | None, engine: str, dry_run: bool, as_json: bool) -> None:
    """Fit FSRS parameters to your own reviews."""
    from studyrnn.engine.study import Study

    study = Study(resolve_db(ctx, db), [])
    started = time.perf_counter()
    try:
        result = study.optimize(engine=engine, save=not dry_run)
    except ImportError as exc:
        raise UsageError(
            f"the {engine} optimizer is not installed (it needs torch, pandas and tqdm)",
            'install it with pip install "fsrs[optimizer]", or use --engine fsrs-rs',
        ) from exc
    finally:
        study.close()
    elapsed = time.perf_counter() - started
    fit = result.fit
    if as_json:
        payload = {
            "engine": engine,
            "reviews": result.reviews,
            "train_items": fit.train_items,
            "test_items": fit.test_items,
            "current": {"log_loss": fit.current.log_loss, "rmse_bins": fit.current.rmse_bins},
            "fitted": {"log_loss": fit.fitted.log_loss, "rmse_bins": fit.fitted.rmse_bins},
            "kept": result.kept,
            "parameters": list(fit.parameters),
            "seconds": round(elapsed, 3),
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(
        f"{result.reviews} reviews; fitted on {fit.train_items} older items, scored on"
        f" {fit.test_items} newer ones (from {fit.split_at:%Y-%m-%d}) with {engine}"
        f" in {elapsed:.2f} s"
    )
    click.echo(
        f"current parameters: log loss {fit.current.log_loss:.4f}, "
        f"RMSE(bins) {fit.current.rmse_bins:.4f}"
    )
    click.echo(
        f"fitted parameters:  log loss {fit.fitted.log_loss:.4f}, "
        f"RMSE(bins) {fit.fitted.rmse_bins:.4f}"
    )
    if result.kept:
        click.echo("kept the fitted parameters: they predict the held-out reviews better")
    elif dry_run:
        click.echo("dry run: nothing kept")
    else:
        click.echo("kept the current parameters: the fitted ones do not beat them")
