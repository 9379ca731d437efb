"""``studyrnn optimize``: fit FSRS parameters to the learner's review log.

Fits as Anki does (fsrs-rs, 8 passes, card ids) on the older reviews, with several training
seeds, and scores every fit on the newest fifth. The new parameters are kept only if their
held-out gain over the current ones is larger than the noise of fitting (twice the spread over
seeds) and RMSE(bins) is no worse; the gain, the noise and the margin between them are printed.
Keeping them recomputes every card's stability and difficulty from its history; due dates
stay where they are unless ``--reschedule`` is given.
"""

from __future__ import annotations

import json
import time

import click

from studyrnn.commands.common import reports_errors, resolve_db


@click.command()
@click.option("--db", "db", help="SQLAlchemy URL of the store.")
@click.option("--dry-run", is_flag=True, help="Score only; never keep the new parameters.")
@click.option(
    "--reschedule",
    is_flag=True,
    help="When the new parameters are kept, also move review due dates to match them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def optimize(
    ctx: click.Context, db: str | None, dry_run: bool, reschedule: bool, as_json: bool
) -> None:
    """Fit FSRS parameters to your own reviews."""
    from studyrnn.engine.study import Study

    study = Study(resolve_db(ctx, db), [])
    started = time.perf_counter()
    try:
        result = study.optimize(save=not dry_run, reschedule=reschedule)
    finally:
        study.close()
    elapsed = time.perf_counter() - started
    fit = result.fit
    recomputed = result.recomputed
    if as_json:
        payload = {
            "reviews": result.reviews,
            "train_items": fit.train_items,
            "test_items": fit.test_items,
            "current": {"log_loss": fit.current.log_loss, "rmse_bins": fit.current.rmse_bins},
            "fitted": {"log_loss": fit.fitted.log_loss, "rmse_bins": fit.fitted.rmse_bins},
            "seed_log_losses": list(fit.seed_losses),
            "gain": fit.gain,
            "noise": fit.noise,
            "margin": fit.margin,
            "kept": result.kept,
            "recomputed_cards": recomputed.cards if recomputed else 0,
            "rescheduled_cards": recomputed.rescheduled if recomputed else 0,
            "parameters": list(fit.parameters),
            "seconds": round(elapsed, 3),
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(
        f"{result.reviews} reviews; fitted on {fit.train_items} older items with"
        f" {len(fit.seed_losses)} seeds, scored on {fit.test_items} newer ones"
        f" (from {fit.split_at:%Y-%m-%d}) in {elapsed:.2f} s"
    )
    click.echo(
        f"current parameters: log loss {fit.current.log_loss:.4f}, "
        f"RMSE(bins) {fit.current.rmse_bins:.4f}"
    )
    click.echo(
        f"fitted parameters:  log loss {fit.fitted.log_loss:.4f}, "
        f"RMSE(bins) {fit.fitted.rmse_bins:.4f} (median seed)"
    )
    click.echo(
        f"gain {fit.gain:+.4f} log loss, noise {fit.noise:.4f} (2 x spread over seeds),"
        f" margin {fit.margin:+.4f}"
    )
    if result.kept and recomputed is not None:
        moved = (
            f"; {recomputed.rescheduled} due dates moved"
            if reschedule
            else "; due dates unchanged (--reschedule moves them)"
        )
        click.echo(
            "kept the fitted parameters: they predict the held-out reviews better by more"
            f" than the noise; recomputed {recomputed.cards} cards' memory states{moved}"
        )
    elif dry_run:
        click.echo("dry run: nothing kept")
    elif fit.margin <= 0:
        click.echo(
            "kept the current parameters: the fitted ones do not beat them by more than the noise"
        )
    else:
        click.echo("kept the current parameters: the fitted ones have a worse RMSE(bins)")
