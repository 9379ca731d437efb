"""Helpers every command shares: the global options (decks, database, checker device), how
errors are printed, and the JSON of a lint problem."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from studyrnn import config
from studyrnn.errors import StudyrnnError

if TYPE_CHECKING:
    from studyrnn.decks.model import Problem

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Print a StudyrnnError as ``error:``/``hint:`` on stderr and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StudyrnnError as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"hint: {exc.hint}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def global_opts(ctx: click.Context) -> dict[str, Any]:
    obj: dict[str, Any] = ctx.find_root().obj or {}
    return obj


def resolve_decks(ctx: click.Context, paths: tuple[str, ...]) -> list[Path]:
    """Paths given to the command, else the configured decks."""
    if paths:
        return [Path(p) for p in paths]
    return config.deck_paths(global_opts(ctx).get("decks") or ())


def resolve_db(ctx: click.Context, db: str | None = None) -> str:
    return config.db_url(db or global_opts(ctx).get("db"))


def resolve_device(ctx: click.Context, device: str | None = None) -> str:
    """The checker's device: the command's ``--device``, else the global one, else "auto"."""
    return str(device or global_opts(ctx).get("device") or "auto")


def problem_json(problem: Problem) -> dict[str, object]:
    """One lint problem as ``lint --json`` and ``sync --json`` print it."""
    return {
        "path": problem.path,
        "line": problem.line,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
    }
