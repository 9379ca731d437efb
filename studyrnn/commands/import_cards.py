"""``studyrnn import hashcards|obsidian PATH... --out DIR``: write studyrnn decks from another
tool's markdown flashcards.

Each source file becomes one deck file in DIR (folders keep their layout). Every source card
becomes a card or a problem printed as ``path:line: error: ...``; the summary counts both.
The sources are only read, and an existing file in DIR is never overwritten. Exit 0 when
every card was imported, 1 when some were not, 2 on bad usage. Thin: ``decks.convert`` does
the work.
"""

from __future__ import annotations

from pathlib import Path

import click

from studyrnn.commands.common import reports_errors
from studyrnn.errors import UsageError


def _sources(paths: tuple[str, ...]) -> list[tuple[Path, Path]]:
    """``(source file, path of its deck relative to DIR)`` for every ``*.md`` of ``paths``."""
    found: list[tuple[Path, Path]] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found += [
                (p, p.relative_to(path))
                for p in sorted(path.rglob("*.md"))
                if p.is_file() and not any(x.startswith(".") for x in p.relative_to(path).parts)
            ]
        elif path.is_file():
            found.append((path, Path(path.name)))
        else:
            raise UsageError(
                f"no such file or folder: {path}", "give the .md files or folders to import"
            )
    return found


@click.command(name="import")
@click.argument("source", type=click.Choice(["hashcards", "obsidian"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Folder for the decks."
)
@click.pass_context
@reports_errors
def import_cards(ctx: click.Context, source: str, paths: tuple[str, ...], out: str) -> None:
    """Convert hashcards or Obsidian Spaced Repetition cards into studyrnn decks."""
    from studyrnn.decks.convert import convert, read_hashcards, read_obsidian

    read = read_hashcards if source == "hashcards" else read_obsidian
    target = Path(out)
    plan = [(src, rel, target / rel) for src, rel in _sources(paths)]
    clashes = [str(dest) for _, _, dest in plan if dest.exists()]
    if clashes:
        raise UsageError(
            f"{clashes[0]} already exists (import never overwrites a file)",
            "choose an empty --out folder",
        )
    cards = problems = schedules = 0
    kinds = {"basic": 0, "bidirectional": 0, "cloze": 0}
    for src, rel, dest in plan:
        conv = read(src.read_bytes(), str(src))
        text, count = convert(conv, str(dest), rel.as_posix())
        for problem in conv.problems:
            click.echo(problem.format())
        problems += len(conv.problems)
        schedules += conv.schedules
        if conv.cards:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
        cards += count
        for card in conv.cards:
            kinds[card.kind] += card.cards
    shown = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
    note = (
        f"; {schedules} scheduling comments not carried over (they hold no answers)"
        if schedules
        else ""
    )
    click.echo(
        f"{source}: {len(plan)} file{'' if len(plan) == 1 else 's'}, {cards} cards imported "
        f"({shown}), "
        f"{problems} not imported{note}; decks in {target}"
    )
    if problems:
        ctx.exit(1)
