"""``studyrnn serve``: the app in a browser, one app process per tab."""

from __future__ import annotations

import asyncio
import errno
import logging
import webbrowser

import click

from studyrnn import config
from studyrnn.commands.common import global_opts, reports_errors, resolve_db, resolve_device
from studyrnn.errors import UsageError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option(
    "--token",
    envvar="STUDYRNN_SERVE_TOKEN",
    help="Token the page asks for; a random one when the host is not loopback.",
)
@click.pass_context
@reports_errors
def serve(
    ctx: click.Context, host: str, port: int, open_browser: bool, token: str | None
) -> None:
    """Serve the app to a browser: each tab runs its own app on the same store and decks.

    Anything that can reach the page can run code cards on this machine (inside the
    sandbox): keep the default 127.0.0.1, or put the server behind your own TLS.
    """
    from studyrnn.serve import access
    from studyrnn.serve.server import ServeConfig, StudyServer
    from studyrnn.serve.session import app_command

    decks = [p.resolve() for p in config.deck_paths(global_opts(ctx).get("decks") or ())]
    missing = [p for p in decks if not p.exists()]
    if missing:
        raise UsageError(
            f"deck path not found: {missing[0]}", "pass a deck folder or a .md file that exists"
        )
    if token is not None and not token.strip():
        raise UsageError("the token is empty", "pass a token with some characters, or none")
    printed_token = None
    if token is None and not access.is_loopback(host):
        token = printed_token = access.new_token()
    command = app_command(resolve_db(ctx), decks, resolve_device(ctx))
    server = StudyServer(ServeConfig(host=host, port=port, command=command, token=token))
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    def ready(address: str) -> None:
        if token is None:
            click.echo(f"studyrnn serve: open {address}")
        elif printed_token is not None:
            click.echo(f"studyrnn serve: open {address}?token={printed_token}")
        else:
            click.echo(f"studyrnn serve: open {address}?token=<your token>")
        if not access.is_loopback(host):
            click.echo(
                "warning: anyone who can reach this address and has the token can run code "
                "cards on this machine (inside the sandbox); put it behind your own TLS",
                err=True,
            )
        click.echo("Ctrl+C stops the server and every tab's app.")
        if open_browser:
            webbrowser.open(address if token is None else f"{address}?token={token}")

    try:
        asyncio.run(server.serve(ready))
    except OSError as exc:
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or exc
        raise UsageError(
            f"cannot listen on {host}:{port}: {reason}",
            "choose another --port, or stop what is using it",
        ) from exc
