"""``studyrnn lint [PATH...] [--json] [--fix-ids]``: check deck files, report every problem.

One line per problem, GCC style (``decks/ch13.md:42: error: ...``), then a summary line with
the cards by kind, the errors and the warnings. Exit 0 when there is no error (warnings are
fine), 1 on any error, 2 on bad usage (a path that does not exist). ``--fix-ids`` first stamps
an explicit id onto every note lacking one (the only command that writes to a deck), then
lints the result. Thin: the decks layer does the work.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from studyrnn.commands.common import problem_json, reports_errors, resolve_decks
from studyrnn.decks.model import CardKind, DeckSet, Severity
from studyrnn.errors import UsageError


def counts_by_kind(decks: DeckSet) -> dict[str, int]:
    """One key per card kind, in the model's order, zeros included."""
    counts = {kind.value: 0 for kind in CardKind}
    for card in decks.cards:
        counts[card.kind.value] += 1
    return counts


def summary_line(decks: DeckSet) -> str:
    """``12 files, 340 cards (basic 120, cloze 80, ...), 2 errors, 1 warning``."""
    counts = counts_by_kind(decks)
    total = sum(counts.values())
    errors = sum(p.severity is Severity.ERROR for p in decks.problems)
    warnings = len(decks.problems) - errors
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return (
        f"{_plural(len(decks.files), 'file')}, {_plural(total, 'card')} ({kinds}), "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )


def as_json(decks: DeckSet) -> dict[str, Any]:
    """The shape issue 2 fixes (files, cards by kind, problems), plus the counts of
    parametric cards and of named wrong answers that the decks are held to (issue 8)."""
    cards = decks.cards
    return {
        "files": len(decks.files),
        "cards": counts_by_kind(decks),
        "parametric": sum(card.is_parametric for card in cards),
        "wrong_answers": sum(len(card.code.wrongs) for card in cards if card.code is not None),
        "problems": [problem_json(p) for p in decks.problems],
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_fix_ids(paths: Sequence[str]) -> None:
    from studyrnn.decks.fix_ids import fix_ids

    result = fix_ids(paths)
    for path, reason in result.skipped:
        click.echo(f"{path}: skipped: {reason}", err=True)
    for stamp in result.stamps:
        click.echo(f"{stamp.path}:{stamp.line}: stamped id `{stamp.id}`", err=True)
    files = len({s.path for s in result.stamps})
    click.echo(
        f"fix-ids: stamped {_plural(len(result.stamps), 'id')} in {_plural(files, 'file')}",
        err=True,
    )


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json_output", is_flag=True, help="Print one JSON object.")
@click.option(
    "--fix-ids",
    is_flag=True,
    help="First stamp an explicit id onto every card lacking one (writes the files).",
)
@click.pass_context
@reports_errors
def lint(ctx: click.Context, paths: tuple[str, ...], as_json_output: bool, fix_ids: bool) -> None:
    """Check deck files (default: the configured decks) and report every problem."""
    from studyrnn.decks.parser import deck_files, load

    if fix_ids:
        if not paths:
            raise UsageError(
                "--fix-ids writes to deck files, so it needs the paths to write",
                "name them, e.g. `studyrnn lint --fix-ids decks/`",
            )
        deck_files(paths)  # a missing path is a usage error before anything is written
        run_fix_ids(paths)
    decks = load(resolve_decks(ctx, paths))
    if as_json_output:
        click.echo(json.dumps(as_json(decks), ensure_ascii=False, indent=2))
    else:
        for problem in decks.problems:
            click.echo(problem.format())
        click.echo(summary_line(decks))
    if any(p.severity is Severity.ERROR for p in decks.problems):
        ctx.exit(1)
