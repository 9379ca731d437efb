"""``studyrnn watch [PATH...]``: on every save, print the file's lint problems, the verdicts
of its new or changed code cards (checked in the sandbox), and a one-line summary. Exits
cleanly on Ctrl-C. Thin: ``studyrnn.lsp.watch`` does the work."""

from __future__ import annotations

import click

from studyrnn.commands.common import reports_errors, resolve_decks, resolve_device


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
@reports_errors
def watch(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Lint and check the decks (default: the configured decks) whenever a file is saved."""
    from studyrnn.decks.parser import deck_files
    from studyrnn.lsp.check import CardChecks
    from studyrnn.lsp.watch import watch as run_watch

    targets = resolve_decks(ctx, paths)
    deck_files(targets)  # a missing path is a usage error before anything starts
    checks = CardChecks(resolve_device(ctx))
    try:
        run_watch(targets, checks, lambda line: click.echo(line))
    finally:
        checks.close()
