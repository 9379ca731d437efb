"""The app's entries in the command palette (ctrl+p): every screen, reachable by name, and
one "Review deck …" entry per deck."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from studyrnn.ui.app import StudyApp


def system_commands(app: StudyApp) -> Iterator[SystemCommand]:
    def open_screen(name: str) -> None:
        from studyrnn.ui.screens.browse import BrowseScreen
        from studyrnn.ui.screens.review import ReviewScreen
        from studyrnn.ui.screens.settings import SettingsScreen
        from studyrnn.ui.screens.stats import StatsScreen

        factories = {
            "review": ReviewScreen,
            "browse": BrowseScreen,
            "stats": StatsScreen,
            "settings": SettingsScreen,
        }
        app.push_screen(factories[name]())

    def recall() -> None:
        from studyrnn.ui.screens.recall import RecallStartScreen

        app.push_screen(RecallStartScreen())

    def review_deck(deck: str) -> None:
        from studyrnn.ui.screens.review import ReviewScreen

        app.push_screen(ReviewScreen(deck=deck))

    def journal() -> None:
        from studyrnn.ui.screens.journal import JournalScreen

        app.push_screen(JournalScreen())

    yield SystemCommand("Review all decks", "Start today's queue", lambda: open_screen("review"))
    yield SystemCommand("Browse cards", "Search, inspect, suspend", lambda: open_screen("browse"))
    yield SystemCommand("Stats", "Reviews, forecast, retention", lambda: open_screen("stats"))
    yield SystemCommand(
        "Settings", "Retention, limits, device, theme", lambda: open_screen("settings")
    )

    def study_more() -> None:
        screen = app.screen
        action = getattr(screen, "action_study_more", None)
        if action is not None:
            action()
        else:
            app.notify("Study more is on Home (m on a deck) and at the end of a review.")

    yield SystemCommand(
        "Study more", "Extra new cards today, or review ahead (Custom Study)", study_more
    )
    yield SystemCommand("Recall", "Free recall of a chapter", recall)
    yield SystemCommand("Journal", "Past recall sessions and deck coverage", journal)
    for deck in app.deck_names:
        yield SystemCommand(
            f"Review deck {deck}", "Start this deck's queue", partial(review_deck, deck)
        )
    yield SystemCommand("Keys", "The keys of this screen", app.action_help)
