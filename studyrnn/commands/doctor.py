"""``studyrnn doctor``: what the checker can do on this machine, and what protects the learner.

Reports the sandbox's mechanism (namespaces, Landlock, or none), then each protection (files,
network, processes, capabilities, persistence, budgets) as held or not held, *as tested here*:
every line comes from an attack tried from inside the real sandbox (``runner.protections``).
Then the device, the torch version, the worker's start-up time and one warm check. Exit 0 when
code cards run confined, 1 when they do not (or the worker does not work).
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


MECHANISMS = {
    "namespaces": "namespaces (user, mount, PID, network, IPC), a read-only root, seccomp",
    "landlock": "Landlock and seccomp (the kernel refused namespaces)",
    "none": "none: code cards are not confined on this machine",
}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--device", default=None, type=click.Choice(["auto", "cpu", "cuda", "mps"]))
@click.pass_context
@reports_errors
def doctor(ctx: click.Context, as_json: bool, device: str | None) -> None:
    """Report the sandbox's protections as tested here, the device, torch and speed."""
    from studyrnn.runner.checker import ENABLE_HINT, Checker
    from studyrnn.runner.protections import check_all

    with Checker(device=resolve_device(ctx, device)) as checker:
        info = checker.info()
        runs = info["ready"] and (info["confined"] or info["unconfined_opt_in"])
        if runs:
            info["protections"] = {
                f.name: {"held": f.held, "detail": f.detail} for f in check_all(checker)
            }
            card = _probe_card()
            probe = checker.grade(card, "2.0", seed=0)
            probe = checker.grade(card, "2.0", seed=0)  # the second one is warm
            info["warm_check_ms"] = round(probe.elapsed_ms, 1)
            info["probe_verdict"] = probe.verdict.value
    protections = info.get("protections", {})
    all_held = bool(protections) and all(p["held"] for p in protections.values())
    ok = info.get("probe_verdict") == "pass" and info["confined"] and all_held
    if as_json:
        click.echo(json.dumps(info))
        sys.exit(0 if ok else 1)
    click.echo(f"worker:      {'ok' if info['ready'] else 'NOT WORKING'}")
    click.echo(f"sandbox:     {MECHANISMS.get(info['mechanism'], info['mechanism'])}")
    if info["reason"]:
        click.echo(f"             ({info['reason']})")
    click.echo(f"snippets as: {info['sandbox_user']}")
    if protections:
        for name, found in protections.items():
            state = "held" if found["held"] else "NOT HELD"
            detail = "" if found["detail"] == "held" else f" ({found['detail']})"
            click.echo(f"  {name + ':':<14}{state}{detail}")
    if not info["confined"]:
        if info["unconfined_opt_in"]:
            click.echo("code cards:  run WITHOUT isolation (STUDYRNN_RUN_UNCONFINED=1)")
        else:
            click.echo("code cards:  skipped: not isolated here")
        click.echo(f"to enable:   {ENABLE_HINT}")
    click.echo(
        f"device:      {info['device']} (cuda: {'yes' if info['cuda'] else 'no'}, "
        f"mps: {'yes' if info['mps'] else 'no'})"
    )
    click.echo(f"torch:       {info['torch']} (python {info['python']})")
    click.echo(f"start-up:    {info['worker_startup_ms']:.0f} ms (importing torch, once)")
    if "warm_check_ms" in info:
        click.echo(f"warm check:  {info['warm_check_ms']:.1f} ms")
    sys.exit(0 if ok else 1)
