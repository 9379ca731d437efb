"""``studyrnn check [PATH...] [--json] [--jobs N] [--variants N]``: continuous integration for
decks.

Every predict card's ``expect`` must evaluate, every named wrong answer must differ from it,
and a bool value must not be asked next to a second question; every write card's solution
must pass its own check, its starter, if any, must not, each ``wrong`` answer must fail with
its name in the diagnosis and each ``also`` answer must pass (``runner.card_rules``).
Parametric cards are checked on N variants (seeds 1..N, default 5), write cards on at least
20 seeds, and a failure names the seed that shows it (``studyrnn grade CARD --seed S``
replays it). One line per failing card, ``path:line: ...``, one per card that lint errors
dropped (so it was not checked), then a summary; exit 1 if any card fails, 2 on bad usage.
Checks run on one warm worker, ``--jobs`` of them at a time.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import click

from studyrnn.commands.common import (
    problem_json,
    reports_errors,
    resolve_decks,
    resolve_device,
)
from studyrnn.decks.model import Card, CardKind
from studyrnn.decks.skipped import Skipped
from studyrnn.runner.verdict import CheckResult, Verdict

if TYPE_CHECKING:  # the checker is imported when the command runs, not when the CLI starts
    from studyrnn.runner.checker import Checker

NOT_FAILURES = (Verdict.PASS, Verdict.SKIPPED)  # skipped: the card needs a device not here
WRITE_SEEDS = 20  # the fewest seeds a write card is checked on (issue 14)


@dataclass(frozen=True)
class Outcome:
    """One card on one variant: the first result that failed, else the last one."""

    card: Card
    seed: int
    result: CheckResult

    @property
    def failed(self) -> bool:
        return self.result.verdict not in NOT_FAILURES

    def line(self) -> str:
        seeded = self.card.is_parametric or self.card.kind is CardKind.WRITE
        variant = f" (seed {self.seed})" if seeded else ""
        message = self.result.message.replace("\n", " | ")
        return (
            f"{self.card.path}:{self.card.line}: {self.card.key}: "
            f"{self.result.verdict.value}{variant}: {message}"
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "card": self.card.key,
            "path": self.card.path,
            "line": self.card.line,
            "kind": self.card.kind.value,
            "verdict": self.result.verdict.value,
            "message": self.result.message,
            "elapsed_ms": round(self.result.elapsed_ms, 2),
            "device": self.result.device,
            "seed": self.seed,
        }
        if self.card.is_parametric:
            out["params"] = self.result.params
        return out


def _one(checker: Checker, card: Card, seed: int) -> Outcome:
    results = checker.verify(card, seed=seed)
    failing = [r for r in results if r.verdict not in NOT_FAILURES]
    chosen = failing[0] if failing else results[-1]
    total = sum(r.elapsed_ms for r in results)
    return Outcome(card, seed, replace(chosen, elapsed_ms=total))


def skipped_line(skip: Skipped) -> str:
    """``path:line: skipped ...`` for a card (or a file) that lint errors kept from the check."""
    first = skip.errors[0]
    more = len(skip.errors) - 1
    also = f" (and {more} more error{'s' if more > 1 else ''}: `studyrnn lint` lists them)"
    tail = also if more else ""
    if skip.heading == 0:
        return f"{skip.path}:{first.line}: skipped this file, lint error: {first.message}{tail}"
    at = f" at line {first.line}" if first.line != skip.heading else ""
    return f"{skip.path}:{skip.heading}: skipped, lint error{at}: {first.message}{tail}"


def seeds(card: Card, variants: int) -> range:
    """Seeds 1..N for a parametric card; 1..max(N, WRITE_SEEDS) for a write card, whose check
    draws fresh inputs from every seed (a check that one seed in twenty fools is a loophole);
    seed 1 for any other card."""
    if card.kind is CardKind.WRITE:
        return range(1, max(variants, WRITE_SEEDS) + 1)
    return range(1, variants + 1) if card.is_parametric else range(1, 2)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print every result as JSON.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Checks at a time (default: the number of cores).",
)
@click.option(
    "--variants",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Variants checked per parametric card (write cards: at least 20).",
)
@click.option("--device", default=None, type=click.Choice(["auto", "cpu", "cuda", "mps"]))
@click.pass_context
@reports_errors
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    as_json: bool,
    jobs: int | None,
    variants: int,
    device: str | None,
) -> None:
    """Check that every code card of the decks is right."""
    from studyrnn.decks.parser import load
    from studyrnn.decks.skipped import skipped as lint_skipped
    from studyrnn.runner.cards import code_cards
    from studyrnn.runner.checker import Checker

    decks = load(resolve_decks(ctx, paths))
    cards = code_cards(decks)
    dropped = lint_skipped(decks)
    dropped_cards = sum(1 for skip in dropped if skip.heading)
    dropped_files = len(dropped) - dropped_cards
    tasks = [(card, seed) for card in cards for seed in seeds(card, variants)]
    workers = jobs or os.cpu_count() or 1
    with Checker(device=resolve_device(ctx, device)) as checker:
        checker.wait_ready()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(lambda t: _one(checker, *t), tasks))
    failed = [o for o in outcomes if o.failed]
    failed_cards = {o.card.key for o in failed}
    skipped = sum(o.result.verdict is Verdict.SKIPPED for o in outcomes)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "results": [o.to_json() for o in outcomes],
                    "passed": len(outcomes) - len(failed) - skipped,
                    "failed": len(failed),
                    "skipped": skipped,
                    "lint_skipped": [
                        {
                            "path": skip.path,
                            "line": skip.heading or None,
                            "errors": [problem_json(p) for p in skip.errors],
                        }
                        for skip in dropped
                    ],
                },
                default=repr,
            )
        )
    else:
        for outcome in failed:
            click.echo(outcome.line())
        for skip in dropped:
            click.echo(skipped_line(skip))
        click.echo(
            f"checked {len(cards)} code cards ({len(tasks)} checks): "
            f"{len(cards) - len(failed_cards)} cards pass, {len(failed_cards)} fail"
            + (f", {skipped} checks skipped (device not here)" if skipped else "")
            + _plural(dropped_cards, "card", "skipped: lint found errors in")
            + _plural(dropped_files, "file", "skipped: lint could not read")
        )
    sys.exit(1 if failed else 0)


def _plural(count: int, noun: str, why: str) -> str:
    if not count:
        return ""
    them = "it" if count == 1 else "them"
    return f"; {count} {noun}{'s' if count != 1 else ''} {why} {them}"
