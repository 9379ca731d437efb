"""``studyrnn journal``: list, show and export the recall sessions kept in the store.

Thin: it opens the recall journal on the configured database and prints what
``studyrnn.recall`` computes. It needs no decks (a session keeps its own snapshot of the
cards it marked), so it works even after a deck was moved or edited.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from studyrnn.commands.common import reports_errors, resolve_db
from studyrnn.errors import UsageError
from studyrnn.recall.export import file_name, summary_line, times_line, to_markdown
from studyrnn.recall.journal import SessionRecord, format_duration
from studyrnn.recall.marks import Mark
from studyrnn.recall.service import RecallJournal

NO_SESSIONS = "No recall sessions yet."
NO_SESSIONS_HINT = "start one with `studyrnn recall`, or press r on the app's Home screen"
T = TypeVar("T")


def _read(ctx: click.Context, read: Callable[[RecallJournal], T]) -> T:
    """Open the journal on the configured database, read from it, close it."""
    j = RecallJournal(resolve_db(ctx))
    try:
        return read(j)
    finally:
        j.close()


def _say_no_sessions() -> None:
    click.echo(NO_SESSIONS)
    click.echo(f"hint: {NO_SESSIONS_HINT}")


LIST_HEADER = f"{'#':>3}  {'started (UTC)':<16}  {'spent':>8}  {'stage':<9}  marks, then the goal"


def list_line(s: SessionRecord) -> str:
    """``  3  2026-11-29 09:30  32 min  done       ✓ 8  🟡 2  🔴 1  – 1  Recall chapter 13``"""
    c = s.counts
    marks = "  ".join(f"{m.symbol} {c[m]}" for m in Mark)
    goal = s.goal.splitlines()[0] if s.goal.strip() else "(no goal)"
    return (
        f"{s.id:>3}  {s.started_at:%Y-%m-%d %H:%M}  {format_duration(s.spent_ms):>8}  "
        f"{s.stage.value:<9}  {marks}  {goal}"
    )


@click.group()
def journal() -> None:
    """The journal of recall sessions: list, show and export them as markdown."""


@journal.command("list")
@click.pass_context
@reports_errors
def list_sessions(ctx: click.Context) -> None:
    """List every recall session, oldest first (times in UTC)."""
    sessions = _read(ctx, lambda j: j.all())
    if not sessions:
        _say_no_sessions()
        return
    click.echo(LIST_HEADER)
    for s in sessions:
        click.echo(list_line(s))


@journal.command("show")
@click.argument("number", type=int)
@click.pass_context
@reports_errors
def show(ctx: click.Context, number: int) -> None:
    """Show session NUMBER: goal, debrief, the recall text and the 🔴/🟡 cards."""
    s = _read(ctx, lambda j: j.get(number))
    click.echo(f"Session {s.id} ({s.stage.value}): {s.title()}")
    click.echo(times_line(s))
    click.echo(summary_line(s))
    click.echo("")
    click.echo(to_markdown(s), nl=False)


@journal.command("export")
@click.argument("number", type=int, required=False)
@click.option("--all", "export_all", is_flag=True, help="Export every session.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write the markdown files into (created if missing).",
)
@click.pass_context
@reports_errors
def export(ctx: click.Context, number: int | None, export_all: bool, out: Path) -> None:
    """Write session NUMBER (or --all) as markdown: recall-NNN-DATE.md in --out."""
    if (number is None) == (not export_all):
        raise UsageError(
            "give a session number or --all, not both" if export_all else "which session?",
            "for example `studyrnn journal export 3` or `studyrnn journal export --all`; "
            "`studyrnn journal list` shows the numbers",
        )
    sessions = _read(ctx, lambda j: j.all() if export_all else [j.get(number or 0)])
    if not sessions:
        _say_no_sessions()
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        for s in sessions:
            target = out / file_name(s)
            target.write_text(to_markdown(s), encoding="utf-8")
            click.echo(f"wrote {target}")
    except OSError as exc:
        raise UsageError(
            f"cannot write to {out}: {exc.strerror or exc}", "pick another folder with --out"
        ) from exc
