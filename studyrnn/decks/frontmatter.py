"""The optional YAML front matter of a deck file: its name, tags, source and description.

Invalid YAML is an error but never stops the cards from being read: the file then uses its
default deck name. An unknown key is a warning, since it may be a typo of a known one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from studyrnn.decks.model import Problem, Severity

KNOWN_KEYS = ("deck", "tags", "source", "description")

_KEY_LINE = re.compile(r"^([^\s:#][^:]*?)\s*:")


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
        if not all(isinstance(v, str | int | float) for v in value):
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
        data = yaml.safe_load(content) if content.strip() else {}
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
            if isinstance(value, str | int | float) and str(value).strip():
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
            if isinstance(value, str | int | float):
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
