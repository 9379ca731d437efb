"""What every studyrnn screen shares: the backend, and one place where worker errors land.

Workers run with ``exit_on_error=False``; a failed one becomes an error dialog here instead of
taking the app down.

It is also where a screen that is removed before it was ever set up skips its set-up: see
``StudyScreen.on_event``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from studyrnn.ui.app import StudyApp
    from studyrnn.ui.backend import Backend


def worker_context(worker: Worker[object]) -> str:
    """A worker's name as words for an error title: ``load_card`` -> ``load card``."""
    return (worker.name or "finish a task").strip("_").replace("_", " ")


class StudyScreen(Screen[None]):
    """Base class of the app's screens."""

    @property
    def study_app(self) -> StudyApp:
        return cast("StudyApp", self.app)

    @property
    def backend(self) -> Backend:
        return self.study_app.backend

    @property
    def being_removed(self) -> bool:
        """True once Textual has begun to take this screen down (the app is quitting, or the
        screen was popped). Textual exposes no public flag for "pruned", hence its own."""
        return self._pruning or self._closing or not self.app.is_running

    async def on_event(self, event: events.Event) -> None:
        """Skip the set-up of a screen that is being removed before it was set up.

        A screen composes and mounts in its own task. When the app quits (or the screen is
        popped) in between, as when ``q`` follows a push at once or a test ends right after
        one, Textual prunes the screen first: its compose mounts no children, yet ``Mount``
        and ``ScreenResume`` are still dispatched, so an ``on_mount`` that queries a child
        crashes the quitting app with ``NoMatches`` (and a resume handler starts a worker
        whose result lands on widgets never set up). A screen going away has nothing to set
        up, so those events stop here; ``Unmount`` and the rest pass as usual.
        """
        if isinstance(event, events.Mount | events.ScreenResume) and self.being_removed:
            return
        await super().on_event(event)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker)
            self.study_app.report_error(event.worker.error, worker_context(event.worker))

    def worker_failed(self, worker: Worker[object]) -> None:
        """Hook: put the screen back into a usable state after a worker failed."""
