"""The optional YAML front matter of a deck file: its name, tags, source and description.

Front matter is a ``---`` block on the first line whose YAML reads as a mapping. A leading
``---`` block that is anything else (headings, prose, a list) is a thematic break, as GitHub
shows it, and the cards under it are read; ``classify_top_block`` decides which it is.
Invalid YAML that was clearly meant as front matter (a ``key:`` line, no heading) is an error
but never stops the cards from being read: the file then uses its default deck name. An
unknown key is a warning, since it may be a typo of a known one.
"""

from __future__ import annotations

import copy
import datetime
import enum
import functools
import re
from dataclasses import dataclass, field

import yaml

from studyrnn.decks.model import Problem, Severity

KNOWN_KEYS = ("deck", "tags", "source", "description")

_KEY_LINE = re.compile(r"^([^\s:#][^:]*?)\s*:")
# what a person starting front matter writes first: `deck: RNNs`, `tags:`
_YAML_KEY_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .-]*:(?:[ \t]|$)")
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.M)
# YAML reads an unquoted 2024-01-01 as a date; as a name or a source it means the text
_TEXT_TYPES = (str, int, float, datetime.date)


class TopBlock(enum.Enum):
    """What a ``---`` block at the top of a file is."""

    FRONT_MATTER = "front matter"  # a mapping, or a broken attempt at one (an error)
    ATTEMPT = "attempt"  # not front matter, but it looks meant as one: a rule, with a warning
    RULE = "rule"  # a thematic break over ordinary markdown (headings, prose)


def _safe_load(content: str) -> object:
    """``yaml.safe_load``, remembered for the last few texts: the language server parses each
    note of a deck behind the same front matter, 2,000 times on opening a large deck. A copy
    is returned, so that no caller changes what is remembered."""
    loaded = _load_once(content)
    if isinstance(loaded, Exception):
        raise loaded.with_traceback(None)  # not the frames of every earlier raise
    return copy.deepcopy(loaded)


@functools.lru_cache(maxsize=16)
def _load_once(content: str) -> object:
    try:
        return yaml.safe_load(content)
    except Exception as exc:  # yaml raises odd errors on odd input: remembered, raised again
        return exc


def looks_like_yaml(content: str) -> bool:
    """Whether the first non-blank line is a ``key:`` line (and not a heading)."""
    for line in content.split("\n"):
        if line.strip():
            return _YAML_KEY_LINE.match(line) is not None
    return False


def classify_top_block(content: str) -> TopBlock:
    """Decide what the lines between a leading ``---`` and the next ``---`` are."""
    if not content.strip():
        return TopBlock.FRONT_MATTER
    has_heading = _HEADING_LINE.search(content) is not None
    try:
        data = _safe_load(content)
    except Exception:  # yaml raises odd errors on odd input
        if looks_like_yaml(content):
            return TopBlock.ATTEMPT if has_heading else TopBlock.FRONT_MATTER
        return TopBlock.RULE
    if isinstance(data, dict):
        return TopBlock.FRONT_MATTER
    if data is None:  # only YAML comments: `## Draft` is a heading, not a comment
        return TopBlock.RULE if has_heading else TopBlock.FRONT_MATTER
    if isinstance(data, list) and not has_heading:
        return TopBlock.ATTEMPT
    return TopBlock.RULE


@dataclass
class FrontMatter:
    deck: str
    tags: tuple[str, ...] = ()
    source: str = ""
    description: str = ""
    items: tuple[tuple[str, object], ...] = ()
    problems: list[Problem] = field(default_factory=list)


def default_deck_name(path: str) -> str:
    """``decks/rnn-basics.md`` -> ``rnn basics``."""
    name = re.split(r"[\\/]", path)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return name.replace("-", " ").replace("_", " ").strip() or "deck"


def split_tags(value: object) -> tuple[str, ...] | None:
    """A YAML list or a comma-separated string of tags; None when it is neither."""
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list):
        if not all(isinstance(v, _TEXT_TYPES) for v in value):
            return None
        parts = [str(v) for v in value]
    else:
        return None
    return tuple(p.strip() for p in parts if p.strip())


def parse_front_matter(content: str, first_line: int, path: str) -> FrontMatter:
    """Read the YAML ``content`` whose first line is the 1-based ``first_line`` of the file."""
    fm = FrontMatter(deck=default_deck_name(path))

    def problem(line: int, severity: Severity, code: str, message: str) -> None:
        fm.problems.append(Problem(path, line, severity, code, message))

    try:
        data = _safe_load(content) if content.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        reason = getattr(exc, "problem", None) or "not valid YAML"
        problem(
            line,
            Severity.ERROR,
            "front-matter-yaml",
            f"invalid front matter: {reason} (front matter is YAML, e.g. `deck: RNNs`)",
        )
        return fm
    except Exception as exc:  # yaml can raise odd errors on odd bytes; never let one escape
        problem(first_line, Severity.ERROR, "front-matter-yaml", f"invalid front matter: {exc}")
        return fm
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problem(
            first_line,
            Severity.ERROR,
            "front-matter-yaml",
            "front matter must be `key: value` lines (e.g. `deck: RNNs`)",
        )
        return fm

    key_lines: dict[str, int] = {}
    for i, raw in enumerate(content.split("\n")):
        m = _KEY_LINE.match(raw)
        if m and m.group(1) not in key_lines:
            key_lines[m.group(1)] = first_line + i
    items: list[tuple[str, object]] = []
    for key, value in data.items():
        name = str(key)
        line = key_lines.get(name, first_line)
        items.append((name, value))
        if name == "deck":
            if isinstance(value, _TEXT_TYPES) and str(value).strip():
                fm.deck = str(value).strip()
            else:
                problem(
                    line,
                    Severity.ERROR,
                    "front-matter-value",
                    "`deck:` must be a non-empty name (e.g. `deck: RNNs`)",
                )
        elif name == "tags":
            tags = split_tags(value)
            if tags is None:
                problem(
                    line,
                    Severity.ERROR,
                    "front-matter-value",
                    "`tags:` must be a list or a comma-separated string (e.g. `tags: [rnn]`)",
                )
            else:
                fm.tags = tags
        elif name in ("source", "description"):
            if isinstance(value, _TEXT_TYPES):
                setattr(fm, name, str(value).strip())
            else:
                problem(
                    line, Severity.ERROR, "front-matter-value", f"`{name}:` must be a line of text"
                )
        else:
            problem(
                line,
                Severity.WARNING,
                "front-matter-key",
                f"unknown front-matter key `{name}` (known keys: {', '.join(KNOWN_KEYS)})",
            )
    fm.items = tuple(items)
    return fm
