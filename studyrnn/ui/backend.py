"""The app's handle on the layers below it: one engine facade and one checker.

The app never talks to the store or the checker from the event loop; its workers call through
this object. It imports neither textual nor torch: ``studyrnn.engine.study`` (SQLAlchemy, fsrs) and
``studyrnn.runner`` are imported the first time a worker thread needs them, so the first frame
never waits for them.

Engine calls are serialised by one lock: the facade is safe from worker threads one call at a
time, and a learner's actions are sequential anyway, so the lock costs nothing visible.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from studyrnn.decks.model import Card
    from studyrnn.engine.study import Study
    from studyrnn.runner.verdict import CheckResult

T = TypeVar("T")
CLOSE_WAIT = 0.5  # seconds close() waits for a running engine call before leaving it to close
WARM_UP_TIMEOUT = 120.0  # seconds; a cold torch import on a slow disk can take a while


class CheckerLike(Protocol):
    """What the app needs of ``studyrnn.runner.Checker``."""

    def grade(
        self,
        card: Card,
        answer: str,
        *,
        seed: int | None = ...,
        params: dict[str, object] | None = ...,
    ) -> CheckResult: ...

    def expected(
        self, card: Card, *, seed: int | None = ..., params: dict[str, object] | None = ...
    ) -> CheckResult: ...

    def wait_ready(self, timeout: float | None = ...) -> bool: ...

    def close(self) -> None: ...


CheckerFactory = Callable[[str], CheckerLike]


def default_checker_factory(device: str) -> CheckerLike:
    """The real checker; imported here, in a worker thread, never at app import."""
    from studyrnn.runner import Checker

    checker: CheckerLike = Checker(device=device)
    return checker


class Backend:
    """Opens the engine and the checker lazily, from worker threads, and closes both."""

    def __init__(
        self,
        db_url: str,
        deck_paths: Sequence[Path],
        *,
        device: str = "auto",
        clock: Callable[[], datetime] | None = None,
        checker_factory: CheckerFactory | None = None,
    ) -> None:
        self.db_url = db_url
        self.deck_paths = list(deck_paths)
        self.device = device
        self.clock = clock
        self._checker_factory = checker_factory or default_checker_factory
        self._lock = threading.RLock()
        self._study: Study | None = None
        self._checker: CheckerLike | None = None
        self._checker_lock = threading.Lock()
        self._checker_ready = threading.Event()
        self._closed = False

    # --- the engine ----------------------------------------------------------------------
    def call(self, fn: Callable[[Study], T]) -> T:
        """Run ``fn`` with the engine, opening it on first use. Call from a worker thread."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the app is closing")
            if self._study is None:
                from studyrnn.engine.study import Study

                self._study = Study(self.db_url, self.deck_paths, clock=self.clock)
            try:
                return fn(self._study)
            finally:
                if self._closed:  # close() gave up waiting for this call: finish its job
                    self._close_study()

    def now(self) -> datetime:
        """The clock the engine schedules with (aware UTC)."""
        if self.clock is not None:
            return self.clock()
        from datetime import UTC

        return datetime.now(UTC)

    # --- the checker ---------------------------------------------------------------------
    def start_checker(self, device: str) -> CheckerLike:
        """Create the checker (it warms its worker in the background) and wait until it is
        ready. Blocking: call from a worker thread."""
        with self._checker_lock:
            if self._closed:
                raise RuntimeError("the app is closing")
            if self._checker is None:
                self._checker = self._checker_factory(device)
            checker = self._checker
        if not checker.wait_ready(WARM_UP_TIMEOUT):
            from studyrnn.errors import RunnerError

            raise RunnerError(
                "the checker's worker did not start",
                "run `studyrnn doctor` to see why; cards without code still work",
            )
        self._checker_ready.set()
        return checker

    @property
    def checker_ready(self) -> bool:
        return self._checker_ready.is_set()

    def checker(self) -> CheckerLike:
        """The checker, starting it if the warm-up has not run yet. It may still be warming
        up: a check waits for it, but an unreadable predict answer is answered at once."""
        with self._checker_lock:
            checker = self._checker
        if checker is None:
            return self.start_checker(self.device)
        return checker

    def stop_checker(self) -> None:
        """Stop the checker (to start it again on another device)."""
        with self._checker_lock:
            checker, self._checker = self._checker, None
            self._checker_ready.clear()
        if checker is not None:
            checker.close()

    # --- shutdown ------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the checker's worker process and close the store. Safe to call twice, and
        quick: if a worker is inside an engine call, that call closes the store as it ends."""
        with self._checker_lock:
            self._closed = True
            checker, self._checker = self._checker, None
        if checker is not None:
            checker.close()
        if self._lock.acquire(timeout=CLOSE_WAIT):
            try:
                self._close_study()
            finally:
                self._lock.release()

    def _close_study(self) -> None:
        study, self._study = self._study, None
        if study is not None:
            study.close()
