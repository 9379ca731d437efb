"""``studyrnn export anki [DECK...] --out FILE.apkg [--no-code]``: the decks as an Anki package,
to review on a phone.

Basic, bidirectional, cloze and multiple-choice cards become Anki notes; code cards become
static notes tagged ``studyrnn-code`` (one variant of a parametric card), or are left out with
``--no-code``. A predict card's expected value is computed by the sandboxed checker, as the
review screen computes it; where the checker cannot run code, the card shows its ``expect``
code instead, and says so. Each deck's errors are printed (their cards are not in the decks),
as is every card that could not be written. Exit 0 when every card was exported, 1 when some
were not, 2 on bad usage. Thin: ``decks.anki_notes`` and ``decks.anki_writer`` do the work.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from studyrnn.commands.common import reports_errors, resolve_decks, resolve_device
from studyrnn.decks.model import Card, CardKind, Severity
from studyrnn.errors import UsageError


@click.group(name="export")
def export() -> None:
    """Write the decks in another tool's format."""


def _expected_values(cards: Sequence[Card], device: str) -> dict[str, str]:
    """The expected value of each predict card on the exported variant, by card key; a card
    whose value the checker could not compute is printed and left out."""
    from studyrnn.decks.anki_notes import VARIANT_SEED
    from studyrnn.runner.checker import ENABLE_HINT, Checker

    values: dict[str, str] = {}
    with Checker(device=device) as checker:
        if not checker.wait_ready():
            click.echo(
                f"note: the checker did not start, so {len(cards)} predict cards show their "
                "expect code instead of its value (`studyrnn doctor` says why)"
            )
            return values
        if not (checker.confined() or checker.unconfined):
            click.echo(
                f"note: code cards cannot run here, so {len(cards)} predict cards show their "
                f"expect code instead of its value; to run them, {ENABLE_HINT}"
            )
            return values
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(lambda c: checker.expected(c, seed=VARIANT_SEED), cards))
    for card, result in zip(cards, results, strict=True):
        if result.passed and result.expected:
            values[card.key] = result.expected
        else:
            message = result.message.replace("\n", " | ")
            click.echo(
                f"{card.path}:{card.line}: {card.key}: expected value not computed "
                f"({result.verdict.value}: {message}); the card shows its expect code"
            )
    return values


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@export.command(name="anki")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .apkg file to write (replaced if it exists).",
)
@click.option("--no-code", "no_code", is_flag=True, help="Leave out code cards.")
@click.option(
    "--device",
    default=None,
    type=click.Choice(["auto", "cpu", "cuda", "mps"]),
    help="Where predict cards run to compute their values.",
)
@click.pass_context
@reports_errors
def anki(
    ctx: click.Context, paths: tuple[str, ...], out: str, no_code: bool, device: str | None
) -> None:
    """Write the decks as an Anki package (.apkg) to review on a phone."""
    from studyrnn.decks.anki_notes import build_notes
    from studyrnn.decks.anki_writer import write_package
    from studyrnn.decks.parser import load

    target = Path(out)
    if target.suffix.lower() != ".apkg":
        raise UsageError(
            f"{out} does not end in .apkg", "Anki imports .apkg files: --out NAME.apkg"
        )
    if not target.parent.is_dir():
        raise UsageError(f"no such folder: {target.parent}", "create it, or choose another --out")
    decks = load(resolve_decks(ctx, paths))
    errors = [p for p in decks.problems if p.severity is Severity.ERROR]
    for problem in errors:
        click.echo(problem.format())
    cards = decks.cards
    predict = [c for c in cards if c.kind is CardKind.PREDICT]
    expected: dict[str, str] = {}
    if predict and not no_code:
        expected = _expected_values(predict, resolve_device(ctx, device))
    result = build_notes(cards, code=not no_code, expected=expected)
    for problem in result.problems:
        click.echo(problem.format())
    if not result.notes:
        raise UsageError("no card to export", "give the deck files or folders to export")
    write_package(result.notes, target)
    kinds: Counter[str] = Counter()
    for note in result.notes:
        kinds["code" if note.kind.is_code else note.kind.value] += note.cards
    exported = sum(kinds.values())
    shown = ", ".join(f"{kind} {kinds[kind]}" for kind in sorted(kinds))
    decks_made = len({n.deck for n in result.notes})
    left_out = f"; {_count(result.left_out, 'code card')} left out" if result.left_out else ""
    click.echo(
        f"anki: {_count(len(result.notes), 'note')}, {_count(exported, 'card')} ({shown}) in "
        f"{_count(decks_made, 'deck')}{left_out}; {len(result.problems)} not exported, "
        f"{_count(len(errors), 'deck error')}; wrote {target}"
    )
    if result.problems or errors:
        ctx.exit(1)
