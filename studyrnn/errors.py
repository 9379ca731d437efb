"""One base error for everything a learner can cause, each with a hint.

The CLI prints these to stderr as ``error: message`` and ``hint: hint`` and exits non-zero,
without a traceback. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class StudyrnnError(Exception):
    """An error a learner can act on: a message and a hint."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} (hint: {self.hint})"


class UsageError(StudyrnnError):
    """Bad command-line usage: a path that does not exist, an unknown card."""

    exit_code = 2


class DeckError(StudyrnnError):
    """A deck could not be read at all (the per-card problems are lint problems, not errors)."""


class StoreError(StudyrnnError):
    """The database is unreadable, corrupt, or from a newer studyrnn."""


class RunnerError(StudyrnnError):
    """The checker could not start or talk to its worker."""
