"""Which files are decks, and the set of deck files an open document is linted with.

A markdown file is a deck when it lies in a configured deck folder (or is a configured deck
file), or when its front matter names a ``deck:``. An open document is linted together with
the other files of its deck folder, so that cross-file problems (a duplicate id in another
deck) show up exactly as ``studyrnn lint`` reports them; the editor's unsaved text wins over
the file on disk. Files on disk are parsed once and kept until their size or mtime changes;
an open document is parsed note by note, re-parsing only the notes that changed
(``incremental``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from studyrnn.decks.model import DeckFile, DeckSet
from studyrnn.decks.parser import combine, deck_files, parse_file
from studyrnn.errors import UsageError
from studyrnn.lsp.incremental import IncrementalParser

# ``---`` on the first line, then a ``deck:`` key before the closing ``---``.
_FRONT_DECK_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:(?!---[ \t]*\r?\n).*\r?\n)*?deck[ \t]*:")


@dataclass(frozen=True, slots=True)
class _Cached:
    stamp: tuple[int, int]  # (size, mtime_ns)
    parsed: DeckFile


class DeckIndex:
    """The configured deck paths and a cache of the deck files parsed from disk."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = [Path(os.path.abspath(p)) for p in roots]
        self._disk: dict[str, _Cached] = {}
        self._open: dict[str, IncrementalParser] = {}  # an open document's pieces, by path
        self._lock = threading.Lock()

    def root_of(self, path: Path) -> Path | None:
        """The configured deck folder (or file) that holds ``path``, if any."""
        for root in self.roots:
            if path == root or (root.is_dir() and path.is_relative_to(root)):
                return root
        return None

    def is_deck(self, path: Path, text: str) -> bool:
        if path.suffix.lower() != ".md":
            return False
        return self.root_of(path) is not None or _FRONT_DECK_RE.match(text) is not None

    def deck_set(self, path: Path, open_texts: Mapping[str, str]) -> DeckSet:
        """``path`` linted with the other files of its deck folder, as ``studyrnn lint`` on
        that folder would; ``open_texts`` (path -> text) are the editor's unsaved buffers.
        Thread-safe: the server lints in a thread while it answers hovers on its loop."""
        with self._lock:
            return self._deck_set(path, open_texts)

    def _deck_set(self, path: Path, open_texts: Mapping[str, str]) -> DeckSet:
        root = self.root_of(path)
        members = self._members(root) if root is not None else []
        if str(path) not in members:
            members = [str(path)]  # a deck outside any deck folder is linted on its own
        files = [
            self._open_file(m, open_texts[m]) if m in open_texts else self._disk_file(m)
            for m in members
        ]
        return combine(files)

    def forget(self, path: Path) -> None:
        """The editor closed ``path``: drop what was kept of its text."""
        with self._lock:
            self._open.pop(str(path), None)

    def _open_file(self, path: str, text: str) -> DeckFile:
        parser = self._open.get(path)
        if parser is None:
            parser = self._open[path] = IncrementalParser()
        return parser.parse(text, path)

    def _members(self, root: Path) -> list[str]:
        try:
            return [os.path.abspath(p) for p in deck_files([root])]
        except UsageError:  # the folder was removed while the server runs
            return []

    def _disk_file(self, path: str) -> DeckFile:
        try:
            info = os.stat(path)
        except OSError:
            return parse_file(path)  # one "unreadable" problem
        stamp = (info.st_size, info.st_mtime_ns)
        cached = self._disk.get(path)
        if cached is None or cached.stamp != stamp:
            cached = _Cached(stamp, parse_file(path))
            self._disk[path] = cached
        return cached.parsed
