"""``studyrnn import hashcards|obsidian PATH... --out DIR``: write studyrnn decks from another
tool's markdown flashcards; ``studyrnn import anki FILE.apkg|FILE.colpkg --out DIR``: the same
from an Anki package, with its review history written into the store.

Each source file becomes one deck file in DIR (folders keep their layout); an Anki deck tree
becomes files and sections, its media files go to ``DIR/media``. Every source card becomes a
card or a problem printed as ``path:line: error: ...`` (``FILE.apkg: note N: error: ...``);
the summary counts both. The sources are only read, and an existing file in DIR is never
overwritten. Exit 0 when every card was imported, 1 when some were not, 2 on bad usage. Thin:
``decks.convert`` and ``decks.anki_convert`` do the work, the engine the store's part.

Obsidian's scheduling comments (``<!--SR:...-->``) hold where the answers left each card,
not the answers: they become the cards' schedules in the store (``--db``), never review
rows. The written decks are synced, then each card with a schedule becomes a review card due
on the day Obsidian had it due (study days in ``--tz``, default this machine's zone); the
summary counts the schedules carried over and why the others were not. Without such
schedules the store is not touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyrnn.commands.common import reports_errors, resolve_db
from studyrnn.commands.import_reviews import zone
from studyrnn.errors import UsageError

if TYPE_CHECKING:
    from studyrnn.decks.sr_comments import SrSchedule
    from studyrnn.store.schedule_import import CarryReport


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
@click.argument("source", type=click.Choice(["hashcards", "obsidian", "anki"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Folder for the decks."
)
@click.option(
    "--db", "db", help="obsidian, anki: SQLAlchemy URL of the store schedules and reviews go to."
)
@click.option(
    "--tz",
    "tz_name",
    metavar="ZONE",
    help="obsidian, anki: the time zone of the due days and reviews (default: this machine's).",
)
@click.pass_context
@reports_errors
def import_cards(
    ctx: click.Context,
    source: str,
    paths: tuple[str, ...],
    out: str,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Convert hashcards, Obsidian Spaced Repetition or Anki cards into studyrnn decks."""
    if source == "anki":
        _import_anki(ctx, paths, Path(out), db, tz_name)
        return
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
    tz = zone(tz_name)
    cards = problems = comments = 0
    kinds = {"basic": 0, "bidirectional": 0, "cloze": 0}
    carried: dict[str, SrSchedule] = {}
    not_carried: Counter[str] = Counter()
    written: list[Path] = []
    for src, rel, dest in plan:
        conv = read(src.read_bytes(), str(src))
        text, count = convert(conv, str(dest), rel.as_posix())
        for problem in sorted([*conv.problems, *conv.notes], key=lambda p: p.line):
            click.echo(problem.format())
        problems += len(conv.problems)
        comments += conv.schedules
        carried.update(conv.carried)
        not_carried.update(conv.not_carried)
        if conv.cards:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
            written.append(dest)
        cards += count
        for card in conv.cards:
            kinds[card.kind] += card.cards
    if carried:
        done = _carry(ctx, db, tz, written, carried)
        not_carried["already scheduled in the store"] += done.scheduled
        not_carried["not in the store"] += done.missing
        carried_count = done.carried
    else:
        carried_count = 0
    shown = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
    note = _schedules_note(comments, carried_count, not_carried) if comments else ""
    click.echo(
        f"{source}: {len(plan)} file{'' if len(plan) == 1 else 's'}, {cards} cards imported "
        f"({shown}), "
        f"{problems} not imported{note}; decks in {target}"
    )
    if problems:
        ctx.exit(1)


def _carry(
    ctx: click.Context,
    db: str | None,
    tz: tzinfo | None,
    written: list[Path],
    schedules: Mapping[str, SrSchedule],
) -> CarryReport:
    """Sync the written decks into the store, then give their cards Obsidian's schedules."""
    from studyrnn.engine.study import Study

    study = Study(resolve_db(ctx, db), written, tz=tz)
    try:
        synced = study.sync(written)
        for problem in synced.problems:
            click.echo(problem.format())
        return study.carry_schedules(schedules)
    finally:
        study.close()


def _schedules_note(comments: int, carried: int, not_carried: Counter[str]) -> str:
    left = sum(not_carried.values())
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(not_carried.items()) if n)
    return (
        f"; {comments} SR scheduling comment{'' if comments == 1 else 's'}: {carried} card "
        f"schedule{'' if carried == 1 else 's'} carried over into the store (due as in "
        f"Obsidian; no review rows, the comments hold no answers), {left} not"
        + (f" ({why})" if why else "")
    )


def _import_anki(
    ctx: click.Context, paths: tuple[str, ...], target: Path, db: str | None, tz_name: str | None
) -> None:
    """Write the package's decks and media into ``target``, sync them into the store, and
    attach their review history."""
    from studyrnn.decks.anki_convert import MEDIA, convert_package
    from studyrnn.decks.anki_reader import read_package
    from studyrnn.engine.study import Study

    if len(paths) != 1 or not Path(paths[0]).is_file():
        raise UsageError(
            "give one Anki package: studyrnn import anki FILE.apkg --out DIR",
            "export it from Anki (File > Export, with scheduling information)",
        )
    recorded_in = zone(tz_name)
    package_path = Path(paths[0])
    package = read_package(package_path)
    result = convert_package(package, str(package_path))
    writes = [(target / d.path, d.text.encode("utf-8")) for d in result.decks]
    # Anki's media names are flat; a name with a folder in it keeps only its last part
    writes += [(target / MEDIA / Path(n).name, data) for n, data in package.media.items()]
    clashes = [str(dest) for dest, _ in writes if dest.exists()]
    if clashes:
        raise UsageError(
            f"{clashes[0]} already exists (import never overwrites a file)",
            "choose an empty --out folder",
        )
    study = Study(resolve_db(ctx, db), [target])  # opened first: a bad --db writes nothing
    try:
        for dest, data in writes:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        for line in result.problems:
            click.echo(line)
        synced = study.sync([target]) if result.decks else None
        histories = {
            key: (h.answers, h.due_day, h.suspended) for key, h in result.histories.items()
        }
        attached = study.import_anki_history(histories, package.created, tz=recorded_in)
    finally:
        study.close()
    for problem in synced.problems if synced is not None else ():
        click.echo(problem.format())
    cards = sum(d.cards for d in result.decks)
    shown = ", ".join(f"{k} {result.kinds[k]}" for k in ("basic", "bidirectional", "cloze"))
    left = f", {result.reviews_left} of cards not imported left out" if result.reviews_left else ""
    if result.log_left:
        left += f", {result.log_left} log entries that are no answers left out"
    if attached.missing:  # a card sync could not take (its problem is printed above)
        left += f", {attached.missing} cards' reviews found no card in the store"
    media = len(package.media)
    click.echo(
        f"anki: {len(result.decks)} deck file{'' if len(result.decks) == 1 else 's'}, "
        f"{cards} cards imported ({shown}), {result.not_imported} not imported; "
        f"{attached.reviews} reviews of {attached.cards} cards into the store{left}; "
        f"study days in {attached.zone}; {media} media file{'' if media == 1 else 's'}; "
        f"decks in {target}"
    )
    if result.problems:
        ctx.exit(1)
