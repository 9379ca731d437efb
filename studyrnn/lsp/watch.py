"""``studyrnn watch``: lint and check decks on every save, for editors without an LSP client.

Each save is reported as the file's lint problems (as ``studyrnn lint`` prints them), then the
verdict of every code card that is new or changed since the last save (checked in the sandbox,
on the same warm worker as the language server's "check this card"), then one summary line.
Files are re-linted with their deck folders, so a duplicate id in another deck still shows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from studyrnn.decks.model import Card, Severity
from studyrnn.decks.parser import load
from studyrnn.lsp.check import CardChecks


class Watcher:
    def __init__(self, paths: Sequence[Path], checks: CardChecks, echo: Callable[[str], None]):
        self.paths = list(paths)
        self.checks = checks
        self.echo = echo
        self.decks = load(self.paths)

    def saved(self, changed: set[str]) -> None:
        """Report the files in ``changed`` (absolute paths) after they were saved."""
        before = {card.key: card for card in self.decks.cards}
        self.decks = load(self.paths)
        for deck_file in self.decks.files:
            if os.path.abspath(deck_file.path) not in changed:
                continue
            for problem in deck_file.problems:
                self.echo(problem.format())
            cards = [c for c in deck_file.cards if _changed_code(c, before)]
            verdicts = [self._check(card) for card in cards]
            errors = sum(p.severity is Severity.ERROR for p in deck_file.problems)
            warnings = len(deck_file.problems) - errors
            failed = sum(not ok for ok in verdicts)
            self.echo(
                f"{deck_file.path}: {len(deck_file.cards)} cards, {_plural(errors, 'error')}, "
                f"{_plural(warnings, 'warning')}; {_plural(len(cards), 'code card')} checked, "
                f"{len(cards) - failed} pass, {failed} fail"
            )

    def _check(self, card: Card) -> bool:
        outcome = self.checks.run(card)
        self.echo(f"{card.path}:{card.line}: {card.key}: {outcome.message}")
        return not outcome.failed


def _changed_code(card: Card, before: dict[str, Card]) -> bool:
    return card.kind.is_code and card.code is not None and before.get(card.key) != card


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def watch(
    paths: Sequence[Path],
    checks: CardChecks,
    echo: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Report every save under ``paths`` until ``stop`` is set or Ctrl-C."""
    from watchfiles import watch as changes  # imported when watching starts

    watcher = Watcher(paths, checks, echo)
    echo(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)")
    try:
        for batch in changes(
            *paths,
            watch_filter=lambda _change, path: path.endswith(".md"),
            stop_event=stop,
            raise_interrupt=False,
            debounce=200,
        ):
            changed = {os.path.abspath(p) for _change, p in batch if os.path.isfile(p)}
            if changed:
                watcher.saved(changed)
    except KeyboardInterrupt:  # Ctrl-C while a save was being reported, not while waiting
        pass
    echo("stopped watching")
