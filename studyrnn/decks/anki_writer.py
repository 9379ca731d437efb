"""Writing Anki notes to an ``.apkg`` file with genanki.

The note types and decks keep the same ids from one export to the next (fixed ids for the note
types, a hash of the name for a deck), and each note's guid comes from its studyrnn key, so
Anki, importing a newer export, updates what it has instead of adding a copy. The note types
are studyrnn's own, named "studyrnn ...", with Anki's field names, so that importing never
changes a learner's own "Basic" or "Cloze".
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import genanki

from studyrnn.decks.anki_notes import FIELDS, AnkiNote, NoteType

# Fixed forever: Anki knows a note type by its id.
MODEL_IDS = {
    NoteType.BASIC: 1_734_512_401,
    NoteType.REVERSED: 1_734_512_402,
    NoteType.CLOZE: 1_734_512_403,
}
MODEL_NAMES = {
    NoteType.BASIC: "studyrnn Basic",
    NoteType.REVERSED: "studyrnn Basic (and reversed card)",
    NoteType.CLOZE: "studyrnn Cloze",
}

# Long answers and code read better left-aligned than in Anki's centred default.
CSS = """\
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black;
  background-color: white; }
.nightMode .card, .night_mode .card { color: white; background-color: #2f2f31; }
pre { background: rgba(127, 127, 127, 0.12); padding: 0.5em; overflow-x: auto; }
code { font-family: monospace; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.extra { margin-top: 1em; }
"""

_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
_EXTRA = "{{#Extra}}<div class=extra>{{Extra}}</div>{{/Extra}}"
TEMPLATES: dict[NoteType, list[dict[str, str]]] = {
    NoteType.BASIC: [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}"}],
    NoteType.REVERSED: [
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}\n" + _EXTRA},
        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": _ANSWER + "{{Front}}\n" + _EXTRA},
    ],
    NoteType.CLOZE: [
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}\n\n<div class=extra>{{Back Extra}}</div>",
        }
    ],
}


def _model(note_type: NoteType) -> genanki.Model:
    return genanki.Model(
        MODEL_IDS[note_type],
        MODEL_NAMES[note_type],
        fields=[{"name": name} for name in FIELDS[note_type]],
        templates=TEMPLATES[note_type],
        css=CSS,
        model_type=genanki.Model.CLOZE if note_type is NoteType.CLOZE else genanki.Model.FRONT_BACK,
    )


MODELS = {note_type: _model(note_type) for note_type in NoteType}


def deck_id(name: str) -> int:
    """A stable id for the deck ``name``, in the range genanki recommends."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def package(notes: Sequence[AnkiNote]) -> genanki.Package:
    """The decks of ``notes`` (and the parents of subdecks, so the tree is whole)."""
    decks: dict[str, genanki.Deck] = {}

    def deck(name: str) -> genanki.Deck:
        if name not in decks:
            parent, sep, _ = name.rpartition("::")
            if sep:
                deck(parent)
            decks[name] = genanki.Deck(deck_id(name), name)
        return decks[name]

    for note in notes:
        deck(note.deck).add_note(
            genanki.Note(
                model=MODELS[note.note_type],
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
    return genanki.Package(list(decks.values()))


def write_package(
    notes: Sequence[AnkiNote], path: str | os.PathLike[str], timestamp: float | None = None
) -> None:
    """Write ``notes`` to the ``.apkg`` at ``path``, replacing it only once complete.

    ``timestamp`` (default: now) is the notes' modification time: Anki updates a note it has
    only from a newer one. This is genanki's ``Package.write_to_file``, less the temporary
    collection that it leaves behind in the temp folder at every call.
    """
    target = Path(path)
    timestamp = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory() as tmp:
        collection = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(collection)
        try:
            package(notes).write_to_db(
                conn.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            conn.commit()
        finally:
            conn.close()
        partial = target.with_name(f".{target.name}.partial")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as out:
                out.write(collection, "collection.anki2")
                out.writestr("media", "{}")
            partial.replace(target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
