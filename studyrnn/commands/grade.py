"""``studyrnn grade CARD --answer FILE [--json] [--device D] [--seed S]``: judge one answer.

CARD is a card id or ``path.md:LINE`` (the line of the card's heading); FILE is the answer,
``-`` for stdin: the typed value of a predict card, the code of a write card. Exit 0 on pass,
1 on any other verdict, 2 on bad usage or an unknown card. Thin: the runner does the work.
"""

from __future__ import annotations

import json
import sys

import click

from studyrnn.commands.common import reports_errors, resolve_decks, resolve_device
from studyrnn.errors import UsageError


def read_answer(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        with open(source, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise UsageError(
            f"cannot read the answer file {source}: {exc.strerror}",
            "give a readable file, or - to read the answer from stdin",
        ) from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"the answer file {source} is not UTF-8 text", "save it as UTF-8") from exc


@click.command()
@click.argument("card_ref", metavar="CARD")
@click.option(
    "--answer",
    "answer_file",
    required=True,
    metavar="FILE",
    help="The answer: a file, or - for stdin.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.option(
    "--device",
    default=None,
    type=click.Choice(["auto", "cpu", "cuda", "mps"]),
    help="Where `device=any` cards run (default: the global --device).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Judge against this variant (parametric cards) and these inputs.",
)
@click.pass_context
@reports_errors
def grade(
    ctx: click.Context,
    card_ref: str,
    answer_file: str,
    as_json: bool,
    device: str | None,
    seed: int | None,
) -> None:
    """Judge one answer to a code card without the app."""
    from studyrnn.runner.cards import find_card
    from studyrnn.runner.checker import Checker

    card = find_card(card_ref, resolve_decks(ctx, ()))
    answer = read_answer(answer_file)
    with Checker(device=resolve_device(ctx, device)) as checker:
        result = checker.grade(card, answer, seed=seed)
    if as_json:
        out: dict[str, object] = {
            "card": card.key,
            "verdict": result.verdict.value,
            "message": result.message,
            "elapsed_ms": round(result.elapsed_ms, 2),
            "device": result.device,
            "seed": result.seed,
        }
        if card.is_parametric:
            out["params"] = result.params
        if result.expected:
            out["expected"] = result.expected
        if result.mistake:
            out["mistake"] = result.mistake
        click.echo(json.dumps(out, default=repr))
    else:
        head = f"{result.verdict.value}: {result.message}"
        click.echo(head)
        if result.params:
            shown = ", ".join(f"{k}={v!r}" for k, v in result.params.items())
            click.echo(f"variant: {shown} (seed {result.seed})")
        if result.output.strip():
            click.echo("output:")
            click.echo(result.output.rstrip()[-2000:])
    sys.exit(0 if result.passed else 1)
