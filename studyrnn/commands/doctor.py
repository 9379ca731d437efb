"""``studyrnn doctor``: what the checker can do on this machine.

Reports the sandbox isolation in force (a user+network namespace, or an honest "network not
isolated"), the device ``auto`` picks, the torch version and the worker's start-up time, then
times one warm check. Exit 0 when the worker works, 1 when it does not.
"""

from __future__ import annotations

import json
import sys

import click

from studyrnn.commands.common import reports_errors, resolve_device
from studyrnn.decks.model import Card
from studyrnn.decks.parser import parse_text

# A real one-card deck, read by the real parser: the probe exercises what a learner's card does.
PROBE_DECK = """## `torch.ones(2).sum().item()`?
```python expect
torch.ones(2).sum().item()
```
"""


def _probe_card() -> Card:
    (card,) = parse_text(PROBE_DECK, "<doctor>").cards
    return card


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--device", default=None, type=click.Choice(["auto", "cpu", "cuda", "mps"]))
@click.pass_context
@reports_errors
def doctor(ctx: click.Context, as_json: bool, device: str | None) -> None:
    """Report the checker's isolation, device, torch version and speed."""
    from studyrnn.runner.checker import Checker

    with Checker(device=resolve_device(ctx, device)) as checker:
        info = checker.info()
        if info["ready"]:
            card = _probe_card()
            probe = checker.grade(card, "2.0", seed=0)
            probe = checker.grade(card, "2.0", seed=0)  # the second one is warm
            info["warm_check_ms"] = round(probe.elapsed_ms, 1)
            info["probe_verdict"] = probe.verdict.value
    ok = bool(info["ready"]) and info.get("probe_verdict") == "pass"
    if as_json:
        click.echo(json.dumps(info))
    else:
        click.echo(f"worker:      {'ok' if ok else 'NOT WORKING'}")
        click.echo(f"isolation:   {info['isolation']}")
        click.echo(f"snippets as: {info['sandbox_user']}")
        click.echo(
            f"device:      {info['device']} (cuda: {'yes' if info['cuda'] else 'no'}, "
            f"mps: {'yes' if info['mps'] else 'no'})"
        )
        click.echo(f"torch:       {info['torch']} (python {info['python']})")
        click.echo(f"start-up:    {info['worker_startup_ms']:.0f} ms (importing torch, once)")
        if "warm_check_ms" in info:
            click.echo(f"warm check:  {info['warm_check_ms']:.1f} ms")
    sys.exit(0 if ok else 1)
