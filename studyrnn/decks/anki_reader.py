"""Reading an Anki package (``.apkg`` or ``.colpkg``): note types, decks, notes, cards, the
review log and the media files, as plain values.

A package is a zip holding an SQLite collection and the media. Three layouts exist:

- ``collection.anki21b`` (Anki 2.1.50 and later, the default): the SQLite file compressed with
  zstd, in schema 18 (note types, fields, templates and decks in tables of their own, some
  columns protobuf); the media map ``media`` and each media file compressed with zstd, the map
  a protobuf list whose n-th entry is the zip member named ``n``;
- ``collection.anki21`` ("support older Anki versions"): plain SQLite in schema 11 (note
  types and decks as JSON in the ``col`` row) and a JSON media map ``{"0": "name.png"}``;
- ``collection.anki2``: the same, from Anki 2.0.

No library on PyPI opens a package in all three layouts: ankipandas and anki-reader read an
unpacked collection file (through pandas), and anki-export and ankisync2 were last released in
February 2022, before Anki 2.1.50 introduced the zstd layout. Anki's own ``anki`` package is
its whole backend, and studyrnn does not depend on it. So the zip, the SQLite file and zstd
are read with ``zipfile``, ``sqlite3`` and ``zstandard``, and ``_fields`` reads the few
protobuf fields that are needed.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import zstandard

from studyrnn.errors import UsageError

_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format), by ord


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    guid: str
    notetype: int
    fields: tuple[str, ...]  # HTML, in the note type's field order
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    note: int
    deck: int  # its home deck (not a filtered deck it is borrowed by)
    ord: int  # the template (or the cloze number - 1) the card shows
    queue: int  # -1 suspended, 0 new, 1 learning, 2 review, 3 day learning, -2/-3 buried
    due: int  # a review card's day number, counted from the collection's creation day


@dataclass(frozen=True, slots=True)
class Answer:
    """One row of the review log."""

    at_ms: int  # epoch milliseconds (the row's id)
    card: int
    ease: int  # 1-4 (Again..Easy); 0 for a manual change
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    factor: int  # 0 on a filtered deck's answer that did not reschedule the card
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Package:
    created: int  # the collection's creation, epoch seconds: its day 0
    notetypes: dict[int, NoteType]
    decks: dict[int, tuple[str, ...]]  # "A::B::C" as ("A", "B", "C")
    notes: tuple[Note, ...]
    cards: tuple[Card, ...]
    answers: tuple[Answer, ...]
    media: dict[str, bytes]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message: the wire format only, which is
    all the few fields read here need (a varint, or the bytes of a string or sub-message)."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            size, pos = _varint(data, pos)
            yield number, data[pos : pos + size]
            pos += size
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ValueError(f"protobuf wire type {wire} is not read")


def _field(data: bytes, number: int) -> int | bytes | None:
    return next((v for n, v in _fields(data) if n == number), None)


def _text(value: int | bytes | None) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else ""


def _unzstd(data: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


def read_package(path: Path) -> Package:
    """Read the package at ``path``; a file that is not one is a UsageError saying why."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UsageError(
            f"cannot read {path} as an Anki package: {exc}",
            "give an .apkg or .colpkg file exported from Anki",
        ) from exc
    with archive, tempfile.TemporaryDirectory(prefix="studyrnn-anki-") as folder:
        names = set(archive.namelist())
        member = next((n for n in _COLLECTIONS if n in names), None)
        if member is None:
            raise UsageError(
                f"{path} holds no Anki collection", "give an .apkg or .colpkg file from Anki"
            )
        data = archive.read(member)
        latest = member.endswith("b")
        database = Path(folder) / "collection.sqlite"
        database.write_bytes(_unzstd(data) if latest else data)
        connection = sqlite3.connect(database)
        # Anki's tables name a collation of its own; a query that touches it needs one
        connection.create_collation("unicase", _unicase)
        try:
            package = _read_collection(connection, _media(archive, names, latest))
        except sqlite3.DatabaseError as exc:
            raise UsageError(
                f"{path}: the collection cannot be read ({exc})",
                "export it again from Anki; a damaged package cannot be imported",
            ) from exc
        finally:
            connection.close()
    return package


def _unicase(a: str, b: str) -> int:
    return (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())


def _media(archive: zipfile.ZipFile, names: set[str], latest: bool) -> dict[str, bytes]:
    if "media" not in names:
        return {}
    raw = archive.read("media")
    if latest:
        entries = [_text(_field(e, 1)) for n, e in _fields(_unzstd(raw)) if isinstance(e, bytes)]
        return {
            name: _unzstd(archive.read(str(index)))
            for index, name in enumerate(entries)
            if str(index) in names
        }
    mapping: dict[str, str] = json.loads(raw or b"{}")
    return {name: archive.read(index) for index, name in mapping.items() if index in names}


def _read_collection(db: sqlite3.Connection, media: dict[str, bytes]) -> Package:
    created, models, decks_json = db.execute("SELECT crt, models, decks FROM col").fetchone()
    has_tables = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'"
    ).fetchone()[0]
    if has_tables:  # schema 18
        notetypes = _notetypes_18(db)
        decks = {
            i: tuple(name.split("\x1f")) for i, name in db.execute("SELECT id, name FROM decks")
        }
    else:  # schema 11
        notetypes = {
            int(i): NoteType(
                int(i),
                m["name"],
                m.get("type") == 1,
                tuple(f["name"] for f in sorted(m["flds"], key=lambda f: f["ord"])),
                tuple((t["qfmt"], t["afmt"]) for t in sorted(m["tmpls"], key=lambda t: t["ord"])),
            )
            for i, m in json.loads(models).items()
        }
        decks = {int(i): tuple(d["name"].split("::")) for i, d in json.loads(decks_json).items()}
    notes = tuple(
        Note(nid, guid, mid, tuple(fields.split("\x1f")), tuple(tags.split()))
        for nid, guid, mid, fields, tags in db.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
        )
    )
    cards = tuple(
        Card(*row)
        # a card in a filtered deck keeps its home deck and due day in odid and odue
        for row in db.execute(
            "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, queue, "
            "CASE WHEN odid != 0 THEN odue ELSE due END FROM cards ORDER BY nid, ord"
        )
    )
    answers = tuple(
        Answer(*row)
        for row in db.execute(
            "SELECT id, cid, ease, type, factor, time FROM revlog ORDER BY cid, id"
        )
    )
    return Package(created, notetypes, decks, notes, cards, answers, media)


def _notetypes_18(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[tuple[str, str]]] = {}
    for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        # CardTemplateConfig: 1 q_format, 2 a_format
        templates.setdefault(ntid, []).append((_text(_field(config, 1)), _text(_field(config, 2))))
    return {
        # NotetypeConfig: 1 kind (1 is cloze)
        ntid: NoteType(
            ntid,
            name,
            _field(config, 1) == 1,
            tuple(fields.get(ntid, ())),
            tuple(templates.get(ntid, ())),
        )
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes")
    }
