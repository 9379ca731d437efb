"""The ``studyrnn`` command group.

Each command lives in ``studyrnn/commands/`` and is imported only when it is invoked, so that
``studyrnn`` (the app) starts without paying for the others' imports. Commands are thin: they
parse options, call the layers, and print.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from typing import Any

import click

from studyrnn import __version__
from studyrnn.errors import StudyrnnError

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "lint": "studyrnn.commands.lint:lint",
    "new": "studyrnn.commands.new:new",
    "sync": "studyrnn.commands.sync:sync",
    "review": "studyrnn.commands.review:review",
    "due": "studyrnn.commands.due:due",
    "stats": "studyrnn.commands.stats:stats",
    "optimize": "studyrnn.commands.optimize:optimize",
    "import": "studyrnn.commands.import_cards:import_cards",
    "export": "studyrnn.commands.export_anki:export",
    "import-reviews": "studyrnn.commands.import_reviews:import_reviews",
    "grade": "studyrnn.commands.grade:grade",
    "check": "studyrnn.commands.check:check",
    "doctor": "studyrnn.commands.doctor:doctor",
    "recall": "studyrnn.commands.recall:recall",
    "journal": "studyrnn.commands.journal:journal",
    "lsp": "studyrnn.commands.lsp:lsp",
    "watch": "studyrnn.commands.watch:watch",
    "serve": "studyrnn.commands.serve:serve",
    "help": "studyrnn.commands.help:help_command",
    "decks": "studyrnn.commands.decks:decks",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, but an unknown command names the closest ones: `studyrnn reveiw` says
        "did you mean `review`?" rather than only "No such command"."""
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            near = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            if near:
                choices = " or ".join(f"`{n}`" for n in near)
                ctx.fail(f"No such command {name!r}: did you mean {choices}?")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="studyrnn")
@click.option("--db", "db", envvar="STUDYRNN_DB", help="SQLAlchemy URL of the store.")
@click.option(
    "--decks", "decks", multiple=True, type=click.Path(), help="A deck folder (repeatable)."
)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda or mps.")
@click.pass_context
def cli(ctx: click.Context, db: str | None, decks: tuple[str, ...], device: str) -> None:
    """studyrnn: spaced repetition for deep learning with PyTorch.

    Run with no command to open the app on the configured decks.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, decks=decks, device=device)
    if ctx.invoked_subcommand is None:
        from studyrnn.ui import launch

        launch(deck_dirs=list(decks), db=db, device=device)


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="studyrnn", standalone_mode=True)
    except StudyrnnError as exc:  # pragma: no cover - click handles most; this is the backstop
        click.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"hint: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
