"""Cards to JSON and back, for the ``cards.content`` column.

The store keeps the whole parsed card so the queue can hand the UI a ``Card`` without parsing
the deck again. Only ``decks.model`` types are involved; unknown keys (from a newer model) are
dropped rather than failing, and missing ones take the dataclass defaults.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from studyrnn.decks.model import Card, CardKind, Choice, CodeSpec, Fence, Role


def card_to_json(card: Card) -> str:
    """The card as compact JSON with sorted keys: the same text ``dataclasses.asdict`` gives,
    at a fraction of its cost (asdict deep-copies every value, which was a third of a first
    sync of 10,000 cards)."""
    return json.dumps(_plain(card), separators=(",", ":"), sort_keys=True)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready dicts and lists. The model's values are dataclasses, tuples,
    strings (enums are ``StrEnum``), numbers, booleans and None."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:  # first value of this type: () marks "not a dataclass"
        is_dataclass = dataclasses.is_dataclass(kind)
        fields = dataclasses.fields(kind) if is_dataclass else ()
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields)
    if names:
        return {name: _plain(getattr(value, name)) for name in names}
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    return value


def _fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _fence(data: dict[str, Any] | None) -> Fence | None:
    if data is None:
        return None
    data = _fields(Fence, data)
    data["role"] = Role(data["role"])
    data["attrs"] = tuple(tuple(pair) for pair in data.get("attrs", ()))
    return Fence(**data)


def _code(data: dict[str, Any] | None) -> CodeSpec | None:
    if data is None:
        return None
    data = _fields(CodeSpec, data)
    for name in ("setup", "expect", "solution", "check", "starter", "params"):
        if name in data:
            data[name] = _fence(data[name])
    for many in ("wrongs", "alsos"):
        data[many] = tuple(f for f in (_fence(w) for w in data.get(many, ())) if f)
    return CodeSpec(**data)


def card_from_json(text: str) -> Card:
    data = _fields(Card, json.loads(text))
    data["kind"] = CardKind(data["kind"])
    data["tags"] = tuple(data.get("tags", ()))
    data["choices"] = tuple(Choice(**_fields(Choice, c)) for c in data.get("choices", ()))
    data["code"] = _code(data.get("code"))
    data["placeholders"] = tuple(data.get("placeholders", ()))
    return Card(**data)
