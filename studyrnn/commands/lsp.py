"""``studyrnn lsp``: serve deck files to an editor over the Language Server Protocol (stdio).

The decks are the configured ones (``--decks``, ``STUDYRNN_DECKS``, ``./decks``); a markdown
file elsewhere is served when its front matter names a ``deck:``. Hover shows a card's
schedule from the store (``--db``) when that store already exists. Thin: ``studyrnn.lsp``
does the work.
"""

from __future__ import annotations

import click

from studyrnn import config
from studyrnn.commands.common import global_opts, reports_errors, resolve_device


@click.command()
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only way).")
@click.pass_context
@reports_errors
def lsp(ctx: click.Context, stdio: bool) -> None:
    """Run the deck language server over stdio (for an editor's LSP client)."""
    from studyrnn.lsp.server import build

    opts = global_opts(ctx)
    roots = config.deck_paths(opts.get("decks") or ())
    # config.db_url would create the data folder; the server must not write, so only an
    # explicit URL or the default path's existing file are used.
    db = opts.get("db") or _existing_default_db()
    build(roots, db, resolve_device(ctx)).start_io()


def _existing_default_db() -> str | None:
    import os

    env = os.environ.get(config.DB_ENV, "").strip()
    if env:
        return env
    path = config.default_db_path()
    return f"sqlite:///{path}" if path.is_file() else None
