"""``studyrnn decks``: the bundled decks, and copies of them to edit.

``studyrnn decks copy [DECK]`` copies a bundled deck (every one without DECK) into the
learner's decks folder, where it can be edited and where it replaces the bundled file; the
cards keep their ids, so the next sync carries their progress over to the copy.
"""

from __future__ import annotations

from pathlib import Path

import click

from studyrnn.commands.common import global_opts, reports_errors


@click.group()
def decks() -> None:
    """The bundled decks, and copies of them to edit."""


@decks.command("copy")
@click.argument("deck", required=False)
@click.option(
    "--to",
    "to",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to copy into (default: your decks folder).",
)
@click.pass_context
@reports_errors
def copy(ctx: click.Context, deck: str | None, to: Path | None) -> None:
    """Copy the bundled deck DECK (a file name such as ch13-rnns, or its start, such as ch13)
    into your decks folder, to edit it there. Without DECK, every bundled deck not copied yet.

    Your decks folder is the first deck folder you configured (--decks, STUDYRNN_DECKS or
    ./decks), else decks/ in studyrnn's data folder, which studyrnn then reads instead of the
    bundled file. The cards keep their ids: their progress carries over at the next sync.
    """
    from studyrnn import config, deck_copies

    configured = config.deck_paths(global_opts(ctx).get("decks") or ())
    target = to or deck_copies.learner_dir(configured)
    copied = deck_copies.copy_bundled(deck, target)
    if not copied:
        click.echo(f"Every bundled deck already has a copy in {target}.")
        return
    for item in copied:
        click.echo(f"Copied {item.source.name} to {item.target}")
    click.echo("The cards keep their ids: their progress carries over at the next sync.")
