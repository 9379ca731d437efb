"""``studyrnn help [TOPIC]``: the documentation that ships with the package, in the terminal.

The pages are the repository's ``docs/`` (installed as ``studyrnn.docs``), so an installed
studyrnn can show the deck format without a checkout or a network. A command's name as the
topic prints that command's ``--help``.
"""

from __future__ import annotations

import sys

import click

from studyrnn import config
from studyrnn.commands.common import reports_errors
from studyrnn.errors import UsageError

# topic -> (file in docs/, what it covers)
TOPICS: dict[str, tuple[str, str]] = {
    "format": ("deck-format.md", "the deck format: cards of every kind, code cards, checks"),
    "editors": ("editors.md", "editing decks in an editor: the language server and watch"),
    "security": ("security.md", "the sandbox that runs deck code and answers"),
    "architecture": ("architecture.md", "how studyrnn is built, in one page"),
}


def _topics() -> str:
    width = max(map(len, TOPICS))
    rows = [f"  {name.ljust(width)}  {about}" for name, (_, about) in TOPICS.items()]
    return "\n".join(["topics (`studyrnn help TOPIC`):", *rows])


@click.command("help")
@click.argument("topic", required=False)
@click.pass_context
@reports_errors
def help_command(ctx: click.Context, topic: str | None) -> None:
    """Show a documentation page (e.g. `studyrnn help format`), or a command's help."""
    if topic is None:
        click.echo(_topics())
        return
    if topic in TOPICS:
        path = config.docs_dir() / TOPICS[topic][0]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                f"cannot read {path}: {exc.strerror or exc}", "reinstall studyrnn"
            ) from None
        if sys.stdout.isatty():
            click.echo_via_pager(text)  # page a long document on a terminal
        else:
            click.echo(text, nl=False)  # print it whole into a pipe or a file
        return
    group = ctx.find_root().command
    if isinstance(group, click.Group):
        command = group.get_command(ctx, topic)
        if command is not None:
            with click.Context(command, info_name=topic, parent=ctx.find_root()) as sub:
                click.echo(command.get_help(sub))
            return
    raise UsageError(
        f"no help topic `{topic}`", f"topics: {', '.join(TOPICS)}; or the name of a command"
    )
