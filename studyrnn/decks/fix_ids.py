"""``studyrnn lint --fix-ids``: stamp an explicit ``<!-- id: slug -->`` onto every note that
lacks one. The only code in studyrnn that writes to a deck file.

Every other byte of the file is kept: a CRLF file gets a CRLF line, a BOM stays, trailing
whitespace and odd lines are untouched. The write is atomic (a temporary file in the same
folder, then ``os.replace``), so a crash leaves either the old file or the new one. Running it
twice changes nothing the second time, because every note then has an id.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studyrnn.decks import cloze
from studyrnn.decks.blocks import scan
from studyrnn.decks.frontmatter import default_deck_name, parse_front_matter
from studyrnn.decks.keys import slugify
from studyrnn.decks.note import META_RE, metadata_key
from studyrnn.decks.notes import BIDI_RE
from studyrnn.decks.params import PLACEHOLDER_RE
from studyrnn.decks.parser import deck_files
from studyrnn.decks.text import BOM, decode, normalize_front

_LINE_RE = re.compile(r"[^\r\n]*(\r\n|\r|\n|$)")


@dataclass(frozen=True, slots=True)
class Stamp:
    path: str
    line: int  # 1-based line of the H2 that got an id
    id: str


@dataclass(frozen=True, slots=True)
class FixResult:
    stamps: tuple[Stamp, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, reason) for files that were not touched


def fix_ids(paths: Sequence[str | os.PathLike[str]]) -> FixResult:
    """Stamp ids into every deck file of ``paths``. Ids are unique across all of them."""
    files = deck_files(paths)
    texts: dict[Path, tuple[bytes, str]] = {}
    skipped: list[tuple[str, str]] = []
    taken: set[str] = set()
    for path in files:
        data = path.read_bytes()
        text, reason = decode(data)
        if text is None:
            skipped.append((str(path), f"not UTF-8 ({reason})"))
            continue
        texts[path] = (data, text)
        taken.update(existing_ids(text))
    stamps: list[Stamp] = []
    for path, (data, text) in texts.items():
        new_data, file_stamps = stamp_text(data, text, str(path), taken)
        if file_stamps:
            write_atomic(path, new_data)
            stamps.extend(file_stamps)
    return FixResult(tuple(stamps), tuple(skipped))


def existing_ids(text: str) -> Iterable[str]:
    for line in text.split("\n"):
        m = META_RE.match(line)
        if m and m.group(1) == "id":
            yield m.group(2).strip()  # any id-looking comment: a new id must not clash


def stamp_text(data: bytes, text: str, path: str, taken: set[str]) -> tuple[bytes, list[Stamp]]:
    """``data`` with an id line after every H2 that lacks one; ``text`` is ``decode(data)``.

    New ids are added to ``taken``.
    """
    lines = text.split("\n")
    blocks = scan(text, lines)
    deck = default_deck_name(path)
    if blocks.front_matter is not None:
        deck = parse_front_matter(blocks.front_matter.content, 2, path).deck
    wanted: list[tuple[int, str]] = []  # (0-based H2 line, new id)
    for heading in blocks.headings:
        if heading.level != 2 or _has_id(lines, heading.line):
            continue
        new_id = _new_id(deck, heading.text, taken)
        taken.add(new_id)
        wanted.append((heading.line, new_id))
    if not wanted:
        return data, []

    raw = data.decode("utf-8")
    bom = raw.startswith(BOM)
    if bom:
        raw = raw[1:]
    raw_lines = [m.group(0) for m in _LINE_RE.finditer(raw)]
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()  # the empty match at the very end
    default_eol = _dominant_eol(raw_lines)
    stamps: list[Stamp] = []
    for line, new_id in reversed(wanted):
        heading_raw = raw_lines[line]
        eol = _eol(heading_raw)
        comment = f"<!-- id: {new_id} -->"
        if eol:
            raw_lines.insert(line + 1, comment + eol)
        else:  # the H2 is the last line and has no line break
            raw_lines[line] = heading_raw + default_eol
            raw_lines.insert(line + 1, comment)
        stamps.append(Stamp(path, line + 1, new_id))
    out = (BOM if bom else "") + "".join(raw_lines)
    return out.encode("utf-8"), list(reversed(stamps))


def _has_id(lines: list[str], heading_line: int) -> bool:
    """Whether the metadata comments right after the H2 include an id."""
    i = heading_line + 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        found = metadata_key(lines[i])
        if found is None:
            return False  # the body starts here, as the parser reads it
        if found[0] == "id":
            return True
        i += 1
    return False


def _new_id(deck: str, heading: str, taken: set[str]) -> str:
    """``short-slug-of-the-front-3f2a``: readable, and the hex keeps it unique."""
    sep = BIDI_RE.search(heading)
    shown = heading[: sep.start()] if sep is not None and sep.start() > 0 else heading
    blanks, _ = cloze.scan(shown)
    shown = cloze.back_text(shown, blanks)
    shown = PLACEHOLDER_RE.sub(lambda m: m.group(1), shown)
    slug = slugify(shown, max_words=5, max_len=32)
    digest = hashlib.sha256(f"{deck}\n{normalize_front(heading)}".encode()).hexdigest()
    for width in (4, 6, 8, 12, 16):
        candidate = f"{slug}-{digest[:width]}"
        if candidate not in taken:
            return candidate
    counter = 2
    while f"{slug}-{digest[:16]}-{counter}" in taken:
        counter += 1
    return f"{slug}-{digest[:16]}-{counter}"


def _eol(raw_line: str) -> str:
    if raw_line.endswith("\r\n"):
        return "\r\n"
    if raw_line.endswith(("\n", "\r")):
        return raw_line[-1]
    return ""


def _dominant_eol(raw_lines: list[str]) -> str:
    endings = [_eol(line) for line in raw_lines if _eol(line)]
    if not endings:
        return "\n"
    return max(("\r\n", "\n", "\r"), key=endings.count)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
