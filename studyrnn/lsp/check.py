"""Check this card: run a code card's own check in the sandbox, from the editor.

The same contract as ``studyrnn check``: a predict card's ``expect`` evaluates and its named
wrong answers differ from it; a write card's solution passes its check and its starter does
not; a parametric card on ``VARIANTS`` variants (seeds 1, 2, ...). The warm worker is started
on the first check and kept for the session. ``run`` blocks: the server calls it in a thread,
so the editor is never kept waiting.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyrnn.decks.model import Card

if TYPE_CHECKING:
    from studyrnn.runner.checker import Checker

VARIANTS = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: str  # "pass", "skipped", or the first failing verdict ("wrong", "error", ...)
    message: str  # one line, shown as the card's diagnostic

    @property
    def failed(self) -> bool:
        return self.verdict not in ("pass", "skipped")


class CardChecks:
    def __init__(self, device: str = "auto") -> None:
        self.device = device
        self._checker: Checker | None = None
        self._lock = threading.Lock()

    def _warm(self) -> Checker:
        with self._lock:
            if self._checker is None:
                # imported on first use: the server itself never loads the runner's machinery
                from studyrnn.runner.checker import Checker

                self._checker = Checker(device=self.device)
            return self._checker

    def run(self, card: Card) -> Outcome:
        """Check every variant; the first failure is the outcome, else a pass."""
        from studyrnn.runner.verdict import Verdict

        checker = self._warm()
        seeds = range(1, VARIANTS + 1) if card.is_parametric else range(1, 2)
        elapsed = 0.0
        skipped = ""
        for seed in seeds:
            for result in checker.verify(card, seed=seed):
                elapsed += result.elapsed_ms
                if result.verdict is Verdict.SKIPPED:
                    skipped = result.message
                elif result.verdict is not Verdict.PASS:
                    variant = f" (seed {seed})" if card.is_parametric else ""
                    text = result.message.replace("\n", " | ")
                    return Outcome(
                        result.verdict.value, f"check: {result.verdict}{variant}: {text}"
                    )
        if skipped:
            return Outcome("skipped", f"check: skipped: {skipped}")
        variants = f" on {len(seeds)} variants" if card.is_parametric else ""
        return Outcome("pass", f"check: pass{variants} ({elapsed:.0f} ms)")

    def close(self) -> None:
        with self._lock:
            if self._checker is not None:
                self._checker.close()
                self._checker = None
