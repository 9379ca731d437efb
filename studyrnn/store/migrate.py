"""Opening a store: create a new database, upgrade an older one (after a backup), refuse a newer
or a corrupt one.

- A new (missing or empty) database gets ``create_all`` and is stamped with the head revision.
- A database at an older known revision is copied beside itself first
  (``studyrnn.db.bak-<revision>-<UTC timestamp>``, SQLite only) and then upgraded.
- A revision this studyrnn does not know comes from a newer studyrnn: it is refused, never
  downgraded. A file that is not a readable SQLite database is refused too, naming the newest
  backup, and is never written to.
Migrations live in ``studyrnn/store/migrations`` and run with a Config built here, so an
installed studyrnn needs no alembic.ini.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from studyrnn.errors import StoreError
from studyrnn.store import models, recall_models  # imported: create_all makes their tables
from studyrnn.store.base import Base
from studyrnn.store.engine import IMMEDIATE, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Alembic is imported only when a database has to be created or upgraded: opening an
# up-to-date store (every start of the app) reads the revision with one query instead.
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*(.+)$", re.MULTILINE)
SQLITE_MAGIC = b"SQLite format 3\x00"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def quick_head() -> str | None:
    """The head revision read from the migration files' ``revision =`` lines without alembic;
    None when they do not form one simple chain (then alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip().strip("\"'"))
        parent = found.get("down_revision", "None").strip()
        if parent != "None":
            parents.add(parent.strip("\"'"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The database's revision with plain SQL; None when it has no alembic_version table."""
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and for in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory"):
        return None
    return Path(database)


def backups(path: Path) -> list[Path]:
    """Backups written beside ``path``, oldest first."""
    return sorted(path.parent.glob(f"{path.name}.bak-*"), key=lambda p: p.stat().st_mtime)


def _unreadable(path: Path, why: str) -> StoreError:
    found = backups(path)
    hint = (
        f"the newest backup is {found[-1]}; copy it over the broken file to go back to it"
        if found
        else "there is no backup beside it; move the file away to start a new store"
    )
    return StoreError(f"cannot read the database {path}: {why}", hint)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not a readable SQLite database, before anything writes."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from exc
    if header != SQLITE_MAGIC:
        raise _unreadable(path, "it is not a SQLite database (the file is damaged or foreign)")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, str(exc)) from exc


def write_backup(path: Path, revision: str) -> Path:
    """A consistent copy of a SQLite database beside it (the backup API reads through WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _current_revision(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    rev: str | None = MigrationContext.configure(connection).get_current_revision()
    return rev


def open_store(url: str) -> Engine:
    """An engine on a database that is at the head revision, creating or upgrading it."""
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.is_dir():
            raise StoreError(
                f"the folder of the database {path} does not exist",
                "create the folder, or give another --db",
            )
        check_sqlite_file(path)
    engine = make_engine(url)
    try:
        _migrate(engine, url, path)
    except DBAPIError as exc:
        engine.dispose()
        if path is not None:
            raise _unreadable(path, str(exc.orig)) from exc
        raise StoreError(f"cannot open the database {url}: {exc.orig}") from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def _migrate(engine: Engine, url: str, path: Path | None) -> None:
    stored = _stored_revision(engine)
    if stored is not None and stored == quick_head():
        return  # the usual case: up to date, and alembic never imported
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision()
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    with engine.connect() as conn:
        current = _current_revision(conn)
    if current == head:
        return
    where = str(path) if path is not None else make_url(url).render_as_string(hide_password=True)
    if current is not None and current not in known:
        raise StoreError(
            f"the database {where} was written by a newer studyrnn (schema {current})",
            "upgrade studyrnn, or give another --db; the file was left as it is",
        )
    if current is not None and path is not None:
        write_backup(path, current)
    with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        current = _current_revision(conn)  # another process may have done it meanwhile
        cfg = alembic_config(conn)
        if current is None:
            if "cards" in inspect(conn).get_table_names():
                raise StoreError(
                    f"the database {where} has studyrnn's tables but no schema version",
                    "it was not made by studyrnn, or was damaged; give another --db",
                )
            Base.metadata.create_all(conn)
            command.stamp(cfg, "head")
        elif current != head:
            command.upgrade(cfg, "head")


__all__ = ["backups", "head_revision", "models", "open_store", "recall_models", "sqlite_path"]
