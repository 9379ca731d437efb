"""Where things live: the configured decks and the database URL.

Deck folders are resolved in this order: ``--decks DIR`` (repeatable), ``STUDYRNN_DECKS``
(joined with ``os.pathsep``), ``./decks`` when the current folder has one, else the decks
bundled with the package together with the learner's decks folder (``decks/`` in the data
folder: the learner's own decks, and copies made by ``studyrnn decks copy``, each read instead
of the bundled file of its name). A source checkout reads the same: its ``decks/`` is the
bundled folder, also when studyrnn runs from the checkout's root. The database is ``--db URL``,
else ``STUDYRNN_DB``, else a SQLite file in the platformdirs user data folder.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

APP_NAME = "studyrnn"
DECKS_ENV = "STUDYRNN_DECKS"
DB_ENV = "STUDYRNN_DB"


def bundled_decks_dir() -> Path:
    """The decks shipped with studyrnn.

    An installed studyrnn has them as the package ``studyrnn.bundled_decks`` (mapped from the
    repo's ``decks/`` in pyproject.toml). Run from a source checkout, that package does not
    exist on the import path, and ``decks/`` beside the package is the same folder.
    """
    # The folder holds no __init__.py (it is the learner-facing decks/ folder), so it installs
    # as a namespace package: ask the import system for its folder, not importlib.resources,
    # whose MultiplexedPath is no file-system path.
    spec = importlib.util.find_spec("studyrnn.bundled_decks")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "decks"


def docs_dir() -> Path:
    """The documentation (``docs/``): installed as the package ``studyrnn.docs``, found beside
    the package in a source checkout, as ``bundled_decks_dir`` does for the decks."""
    spec = importlib.util.find_spec("studyrnn.docs")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "docs"


def deck_paths(
    cli_dirs: Sequence[str | os.PathLike[str]] = (), cwd: Path | None = None
) -> list[Path]:
    """The configured deck folders or files, in the documented order of precedence."""
    if cli_dirs:
        return [Path(p) for p in cli_dirs]
    env = os.environ.get(DECKS_ENV, "").strip()
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    local = (cwd or Path.cwd()) / "decks"
    # From a source checkout's root, ./decks is the bundled decks' own folder: read it as the
    # bundled decks (with the learner's copies and decks), as an installed studyrnn does.
    if local.is_dir() and local.resolve() != bundled_decks_dir().resolve():
        return [local]
    # A bundled deck the learner copied to edit (``studyrnn decks copy``) is read from the copy.
    from studyrnn.deck_copies import with_copies

    return with_copies([bundled_decks_dir()])


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "studyrnn.db"


def db_url(cli_url: str | None = None) -> str:
    """The SQLAlchemy URL of the store."""
    if cli_url:
        return cli_url
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
