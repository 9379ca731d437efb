"""The engine tests use the store tests' fixtures (database URL, clock, decks, study)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "studyrnn_store_test_fixtures", Path(__file__).parent.parent / "store" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures  # dataclasses look their module up there
_spec.loader.exec_module(_fixtures)

db_url = _fixtures.db_url
sqlite_url = _fixtures.sqlite_url
clock = _fixtures.clock
loader = _fixtures.loader
decks = _fixtures.decks
make_study = _fixtures.make_study
study = _fixtures.study
Clock = _fixtures.Clock
write = _fixtures.write
START = _fixtures.START
