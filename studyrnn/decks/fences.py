"""Role fences of code cards: reading ```` ```python ROLE key=value ```` info strings.

A fence is a role fence when its language is ``python`` and a word follows. The word must be a
known role, and what follows it must be known ``key=value`` attributes, else it is an error
with a hint: a typo such as ``expcet`` must never turn a code card into plain prose silently.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from studyrnn.decks.model import Role

ROLES = tuple(r.value for r in Role)
ATTRS = ("timeout", "device", "rtol", "atol")
# Flags are single words. ``raises`` (expect fences only): the expression must raise, and the
# expected value is the exception's class name (docs/deck-format.md, "Expecting an exception").
FLAGS = ("raises",)
DEVICES = ("cpu", "cuda", "mps", "any")
PYTHON_LANGS = ("python",)


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """The parsed info string of a role fence; ``errors`` are messages with hints."""

    role: Role | None
    label: str
    attrs: tuple[tuple[str, str], ...]
    errors: tuple[tuple[str, str], ...]  # (code, message)


@dataclass
class _Draft:
    role: Role | None = None
    label: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def language(info: str) -> str:
    return info.split(None, 1)[0].lower() if info.strip() else ""


def is_role_fence(info: str) -> bool:
    """A ```` ```python ```` fence with anything after the language."""
    parts = info.split(None, 1)
    return len(parts) == 2 and parts[0].lower() in PYTHON_LANGS


def misspelled_language(info: str) -> bool:
    """``py expect``, ``python3 setup``: a role after a language that is not ``python``, so
    the fence would silently be plain code."""
    parts = info.split(None, 2)
    return (
        len(parts) >= 2
        and parts[1] in ROLES
        and parts[0].lower() not in PYTHON_LANGS
        and parts[0].lower().startswith(("py", "ipython"))
    )


def _read_quoted(text: str, start: int) -> tuple[str, int] | None:
    """A double-quoted string at ``text[start]`` (``\\"`` escapes a quote); None if unclosed."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    return None


@functools.lru_cache(maxsize=2048)
def parse_info(info: str) -> FenceInfo:
    """Read ``python ROLE ["label"] key=value ...``. Remembered: decks repeat the same few
    info strings thousands of times."""
    draft = _parse_info(info)
    return FenceInfo(draft.role, draft.label, tuple(draft.attrs), tuple(draft.errors))


def _parse_info(info: str) -> _Draft:
    result = _Draft()
    rest = info.split(None, 1)[1].strip()
    word, tail = [*rest.split(None, 1), ""][:2]
    if word not in ROLES:
        near = f"; did you mean `{_closest(word, ROLES)}`?" if _closest(word, ROLES) else ""
        result.errors.append(
            (
                "unknown-role",
                f"unknown fence role `{word}` (roles: {', '.join(ROLES)}{near}; "
                "a plain ```python fence is shown as code and never run)",
            )
        )
        return result
    result.role = Role(word)
    tail = tail.strip()
    if result.role is Role.WRONG:
        if not tail.startswith('"'):
            result.errors.append(
                (
                    "bad-fence",
                    "a wrong-answer fence needs a quoted message (write "
                    '```python wrong "what went wrong")',
                )
            )
        else:
            quoted = _read_quoted(tail, 0)
            if quoted is None:
                result.errors.append(
                    (
                        "bad-fence",
                        'the message of this wrong-answer fence never closes (end it with `"`)',
                    )
                )
                return result
            result.label, end = quoted
            tail = tail[end:].strip()
            if not result.label.strip():
                result.errors.append(
                    (
                        "bad-fence",
                        "the message of a wrong-answer fence is empty (say what went "
                        "wrong, it is shown to the learner)",
                    )
                )
    for item in tail.split():
        key, eq, value = item.partition("=")
        if key in FLAGS:
            if eq:
                result.errors.append(
                    ("bad-attribute", f"`{key}` takes no value: write it alone (`expect {key}`)")
                )
            elif result.role is not Role.EXPECT:
                result.errors.append(
                    (
                        "bad-attribute",
                        f"`{key}` belongs on an expect fence (```python expect {key})",
                    )
                )
            elif (key, "") not in result.attrs:
                result.attrs.append((key, ""))
            continue
        if key not in ATTRS:
            near = f"; did you mean `{_closest(key, ATTRS)}`?" if _closest(key, ATTRS) else ""
            result.errors.append(
                (
                    "unknown-attribute",
                    f"unknown fence attribute `{key}` "
                    f"(attributes: {', '.join(ATTRS + FLAGS)}{near})",
                )
            )
            continue
        if not eq or not value:
            result.errors.append(
                (
                    "bad-attribute",
                    f"fence attribute `{key}` needs a value (write it as `{key}=VALUE`)",
                )
            )
            continue
        problem = check_attr(key, value)
        if problem:
            result.errors.append(("bad-attribute", problem))
            continue
        result.attrs.append((key, value))
    return result


def check_attr(key: str, value: str) -> str:
    """An error message for a bad attribute value, or ""."""
    if key == "device":
        if value not in DEVICES:
            return f"`device={value}` is not a device (use one of {', '.join(DEVICES)})"
        return ""
    try:
        number = float(value)
    except ValueError:
        return (
            f"`{key}={value}` is not a number (e.g. `{key}={'10' if key == 'timeout' else '1e-4'}`)"
        )
    if not math.isfinite(number) or number < 0 or (key == "timeout" and number == 0):
        return f"`{key}={value}` must be a positive number"
    return ""


def _closest(word: str, choices: tuple[str, ...]) -> str:
    """The choice a typo most likely meant: same letters, or one edit away."""
    for choice in choices:
        if sorted(choice) == sorted(word) or _one_edit(word, choice):
            return choice
    return ""


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# public: the metadata reader suggests the key a typo meant with it
closest = _closest
