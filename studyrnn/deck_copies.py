"""Copies of the bundled decks in the learner's own decks folder, to edit them.

The bundled decks live inside the installed package: an upgrade would overwrite an edit made
there, so studyrnn never opens them in an editor. ``copy_bundled`` copies a bundled deck, byte
for byte, into the learner's decks folder; the cards keep their ids (the ``<!-- id: -->``
lines, and the file name that derived ids depend on), so a sync moves their progress to the
copy. A copy in that folder then shadows the bundled file of the same name (``with_copies``):
the deck is read once, from the copy, and the other bundled decks stay.

In a source checkout ``decks/`` is the project's source, not an installed copy: it is edited in
place; it is read as the bundled decks all the same, with the learner's folder. The learner's
decks folder is the first configured deck folder outside the package, else
``decks/`` in the user data folder (``STUDYRNN_DECKS``, ``--decks`` and ``./decks`` say where
the decks are: see ``config``).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studyrnn import config
from studyrnn.errors import UsageError


def user_decks_dir() -> Path:
    """Where copies go when no deck folder of the learner's is configured."""
    return config.data_dir() / "decks"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def is_bundled(path: str | Path) -> bool:
    """Whether ``path`` is one of the decks shipped inside the installed package. Run from a
    source checkout, ``decks/`` is the project's own source (a pyproject.toml beside it), and
    its author edits it in place."""
    folder = config.bundled_decks_dir()
    if (folder.parent / "pyproject.toml").is_file():
        return False
    return _inside(Path(path), folder)


def in_bundled_folder(path: str | Path) -> bool:
    """Whether ``path`` is the bundled decks' folder or in it, installed or in a source
    checkout alike: what the decks are read from does not depend on how studyrnn was
    installed (only whether a deck is edited in place does: ``is_bundled``)."""
    return _inside(Path(path), config.bundled_decks_dir())


def bundled_files() -> list[Path]:
    return sorted(config.bundled_decks_dir().glob("*.md"))


def learner_dir(paths: Sequence[Path]) -> Path:
    """The learner's decks folder for the configured ``paths``."""
    for path in paths:
        if path.is_dir() and not in_bundled_folder(path):
            return path
    return user_decks_dir()


def with_copies(paths: Sequence[Path], copies: Path | None = None) -> list[Path]:
    """``paths`` with each bundled deck that has a copy in ``copies`` (the user decks folder
    by default) read from there instead: the bundled folder becomes ``copies`` plus the
    bundled files without a copy, so the learner's own decks there are read too. Unchanged
    when ``copies`` holds no deck."""
    copies = copies or user_decks_dir()
    copied = {p.name for p in copies.glob("*.md")} if copies.is_dir() else set()
    if not copied:
        return list(paths)
    bundled_dir = config.bundled_decks_dir().resolve()
    listed = any(p.resolve() == copies.resolve() for p in paths)
    out: list[Path] = []
    for path in paths:
        if path.resolve() == bundled_dir:
            out.extend([] if listed else [copies])
            out.extend(p for p in bundled_files() if p.name not in copied)
            listed = True
        elif in_bundled_folder(path) and path.name in copied:
            out.extend([] if listed else [copies])
            listed = True
        else:
            out.append(path)
    return out


@dataclass(frozen=True, slots=True)
class Copied:
    source: Path
    target: Path


def find_bundled(name: str) -> Path:
    """The bundled deck file named ``name``: its file name or stem (``ch13-rnns``), or the
    start of it (``ch13``)."""
    files = bundled_files()
    wanted = name.removesuffix(".md").lower()
    exact = [p for p in files if p.stem.lower() == wanted]
    if exact:
        return exact[0]
    starts = [p for p in files if p.stem.lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    names = ", ".join(p.stem for p in files)
    if not starts:
        raise UsageError(f"no bundled deck is called {name!r}", f"the bundled decks are {names}")
    raise UsageError(
        f"{name!r} names several bundled decks: {', '.join(p.stem for p in starts)}",
        "give more of the name",
    )


def copy_bundled(name: str | None, target: Path) -> list[Copied]:
    """Copy the bundled deck ``name`` (every bundled deck when None) into ``target``. A file
    already there is never overwritten: that copy may hold the learner's edits."""
    sources = [find_bundled(name)] if name else bundled_files()
    done: list[Copied] = []
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        destination = target / source.name
        if destination.exists():
            if name:
                raise UsageError(
                    f"{destination} already exists",
                    "it may hold your edits: edit it, or move it away to copy the deck again",
                )
            continue
        shutil.copyfile(source, destination)
        done.append(Copied(source, destination))
    return done
