"""``studyrnn recall [DECK...]``: open the app at the recall flow.

Thin: it hands the deck names (``RNNs``, or ``"RNNs › LSTM"`` for one section) to the app,
whose recall screen pre-selects them in the order given and says which names it does not know.
"""

from __future__ import annotations

import click

from studyrnn.commands.common import global_opts, reports_errors, resolve_device


@click.command()
@click.argument("decks", nargs=-1)
@click.pass_context
@reports_errors
def recall(ctx: click.Context, decks: tuple[str, ...]) -> None:
    """Explain decks from memory, then check yourself card by card.

    DECK is a deck name as Home shows it, or "deck › section" (">" works too), in the order
    you will recall them. Marks become reviews; `studyrnn journal` lists the sessions.
    """
    from studyrnn.ui import launch

    opts = global_opts(ctx)
    launch(
        deck_dirs=list(opts.get("decks") or ()),
        db=opts.get("db"),
        device=resolve_device(ctx),
        start="recall",
        recall_decks=list(decks),
    )
