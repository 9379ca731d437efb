"""Home: the deck tree with today's counts, progress and streak, the heatmap, deck problems.

On first show it reads the settings (theme, checker device), starts the checker's warm-up,
and syncs the decks, all in a worker; later visits only refresh the counts. When the daily
new-card limit holds cards back, the status line says so, and m opens Study more for the
deck under the cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, Tree

from studyrnn.config import bundled_decks_dir
from studyrnn.ui.messages import HomeLoaded, SettingsLoaded, StudyMoreReady
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.study_more import NEW, MoreChoice, StudyMoreScreen, choice_note
from studyrnn.ui.widgets.deck_tree import DeckTree
from studyrnn.ui.widgets.heatmap import Heatmap
from studyrnn.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from studyrnn.values import Stats, SyncReport


def today_text(stats: Stats) -> str:
    """``Today: 12 reviews · streak 4 days · retention 91% (30 d)``."""
    streak = f"{stats.streak_days} day" + ("" if stats.streak_days == 1 else "s")
    retention = "-" if stats.true_retention_30d is None else f"{stats.true_retention_30d:.0%}"
    return (
        f"Today: {stats.reviews_today} reviews · streak {streak} · "
        f"retention {retention} (30 d) · leeches {stats.leeches}"
    )


def sync_words(report: SyncReport) -> str:
    """``decks synced: 9 added · 465 cards hidden`` for the status line: only what changed and
    how many cards are hidden, so it fits beside the checker's state at 80 columns. Why they
    are hidden is a sentence, and goes to the side panel (``side_note``); the full report is
    ``studyrnn sync``'s."""
    parts = [
        f"{n} {word}"
        for n, word in (
            (report.added, "added"),
            (report.changed, "changed"),
            (report.carried_over, "carried over"),
            (report.retired, "retired"),
        )
        if n
    ]
    words = "decks synced: " + (", ".join(parts) if parts else "no changes")
    hidden = sum(h.cards for h in report.hidden)
    if hidden:
        words += f" · {hidden} card{'s' if hidden != 1 else ''} hidden"
    return words


def side_note(report: SyncReport) -> str:
    """The deck panel's text: why cards are hidden, if any are, then the deck problems."""
    hidden = report.hidden_note(str(bundled_decks_dir()))
    problems = "\n".join(p.format() for p in report.problems) or "No problems in the decks."
    return f"{hidden}.\n\n{problems}" if hidden else problems


FIRST_LAUNCH = (
    "Welcome. Enter reviews the deck under the cursor, a reviews every deck, "
    "space shows a deck's sections, ? lists every key."
)


class HomeScreen(StudyScreen):
    """The first screen: what is due, and how the learner is doing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The deck tree's own Enter and Space are the ones the footer shows (DeckTree); these
        # two act, and are listed by `?`, when the tree does not have the keyboard.
        Binding(
            "enter",
            "review_selected",
            "Review the deck under the cursor",
            id="review-deck",
            show=False,
        ),
        Binding(
            "space",
            "toggle_selected",
            "Show or hide a deck's sections",
            id="toggle-deck",
            show=False,
        ),
        Binding("a", "review_all", "Review all", id="review-all"),
        # in ? and on the status line when the limit holds cards back; the footer has no room
        Binding("m", "study_more", "Study more", id="study-more", show=False),
        Binding("r", "recall", "Recall", id="recall"),
        Binding("j", "journal", "Journal", id="journal", show=False),
        Binding("b", "browse", "Browse", id="browse"),
        Binding("s", "stats", "Stats", id="stats", show=False),
        Binding("comma", "settings", "Settings", id="settings", show=False),
        Binding("y", "sync", "Sync decks", id="sync", show=False),
    ]

    def __init__(self, start: str = "home") -> None:
        super().__init__()
        self.start = start
        self.started = False

    def compose(self) -> ComposeResult:
        yield Static("studyrnn", id="home-title", classes="screen-title")
        yield StatusLine(id="status")
        welcome = Static(FIRST_LAUNCH, id="welcome")
        welcome.display = False  # shown while no card was ever reviewed
        yield welcome
        with Horizontal(id="home-body"):
            yield DeckTree(id="decks")
            with Vertical(id="home-side"):
                yield Static("Last 12 weeks", id="heatmap-title", classes="section-title")
                yield Heatmap(id="heatmap")
                yield Static("Deck problems", classes="section-title")
                with VerticalScroll(id="problems"):
                    yield Static("(checking the decks…)", id="problem-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DeckTree).focus()  # its Enter and Space are in the footer from the start
        self.watch(self.study_app, "checker_state", self._show_checker)
        # Let the first frame paint before any import or query starts.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.started = True
        self.load(first=True, sync=True)

    def on_screen_suspend(self) -> None:
        # A screen over Home (a review, Browse) may change every count: Home shows "…" until
        # it has counted again, never the old numbers for a frame. A dialog changes nothing
        # until it closes, and Home stays visible behind it as it was.
        if self.started and not isinstance(self.app.screen, ModalScreen):
            self.query_one(DeckTree).mark_stale()
            self.query_one("#home-title", Static).update("studyrnn")

    def on_screen_resume(self) -> None:
        if self.started:
            self.load(first=False, sync=False)

    def _show_checker(self) -> None:
        self.query_one(StatusLine).set_checker(
            self.study_app.checker_state, self.study_app.checker_detail
        )

    # --- loading -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="home", exit_on_error=False, name="load the decks")
    def load(self, first: bool, sync: bool) -> None:
        backend = self.backend
        if first:
            self.post_message(SettingsLoaded(backend.call(lambda s: s.settings())))
        report = backend.call(lambda s: s.sync()) if sync else None
        counts = backend.call(lambda s: s.deck_counts())
        total = backend.call(lambda s: s.total_counts())
        stats = backend.call(lambda s: s.stats())
        limit = backend.call(lambda s: s.new_limit())
        self.post_message(HomeLoaded(counts, total, stats, report, limit))

    def on_settings_loaded(self, message: SettingsLoaded) -> None:
        self.study_app.apply_settings(message.settings)

    def on_home_loaded(self, message: HomeLoaded) -> None:
        status = self.query_one(StatusLine)
        self.query_one("#home-title", Static).update(f"studyrnn · {today_text(message.stats)}")
        self.query_one(DeckTree).show(message.counts, message.total)
        self.study_app.deck_names = sorted(
            {c.deck for c in message.counts if not c.section}, key=str.casefold
        )
        self.query_one(Heatmap).show(message.stats.reviews_per_day, self.study_app.today())
        first_launch = not any(n for _, n in message.stats.reviews_per_day)
        self.query_one("#welcome", Static).display = first_launch
        limit = message.limit
        # First, so that a narrow screen cuts the sync summary rather than the limit.
        held = f"{limit.short()} · m: study more · " if limit and limit.reached else ""
        if message.report is not None:
            report = message.report
            status.set_sync(held + sync_words(report), busy=False)
            problems = self.query_one("#problem-list", Static)
            problems.update(side_note(report))
            problems.set_class(bool(report.problems or report.hidden), "has-problems")
            # At 80 columns the panel shows only when it has something to say.
            self.set_class(not (report.problems or report.hidden), "-clean")
        else:
            status.set_sync(held.removesuffix(" · ") or "counts up to date", busy=False)
        if self.start != "home":
            start, self.start = self.start, "home"
            if start == "review":
                self._review(self.study_app.review_deck)
            elif start == "recall":
                self.action_recall()

    def worker_failed(self, worker: object) -> None:
        self.query_one(StatusLine).set_sync("could not load the decks", busy=False)

    # --- actions -------------------------------------------------------------------------
    @on(Tree.NodeSelected, "#decks")
    def _deck_selected(self, event: Tree.NodeSelected[str | None]) -> None:
        event.stop()
        self._review(event.node.data)

    def action_review_selected(self) -> None:
        node = self.query_one(DeckTree).cursor_node
        self._review(node.data if node is not None else None)

    def action_toggle_selected(self) -> None:
        node = self.query_one(DeckTree).cursor_node
        if node is not None and node.allow_expand:
            node.toggle()

    def action_review_all(self) -> None:
        self._review(None)

    def _review(self, deck: str | None) -> None:
        from studyrnn.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(deck=deck))

    def action_study_more(self) -> None:
        """Study more for the deck under the cursor (All decks: for every deck)."""
        node = self.query_one(DeckTree).cursor_node
        self.fetch_limit(node.data if node is not None else None)

    @work(thread=True, exclusive=True, group="home", exit_on_error=False, name="read the limits")
    def fetch_limit(self, deck: str | None) -> None:
        limit = self.backend.call(lambda s: s.new_limit(deck))
        self.post_message(StudyMoreReady(deck, limit))

    def on_study_more_ready(self, message: StudyMoreReady) -> None:
        deck = message.deck

        def chosen(choice: MoreChoice | None) -> None:
            if choice is None:
                return
            if choice.kind == NEW:
                self.grant(deck, choice)
            else:
                from studyrnn.ui.screens.review import ReviewScreen

                self.app.push_screen(ReviewScreen(deck=deck, ahead_days=choice.amount))

        self.app.push_screen(StudyMoreScreen(deck, message.limit), chosen)

    # Its own group: Home's refresh on resume (as the dialog closes) must not cancel it.
    @work(thread=True, exclusive=True, group="more", exit_on_error=False, name="study more")
    def grant(self, deck: str | None, choice: MoreChoice) -> None:
        self.backend.call(lambda s: s.study_more(deck, choice.amount))
        self.app.call_from_thread(self.notify, choice_note(choice, deck), timeout=4)
        self.app.call_from_thread(self.load, False, False)

    def action_recall(self) -> None:
        from studyrnn.ui.screens.recall import RecallStartScreen

        self.app.push_screen(RecallStartScreen())

    def action_journal(self) -> None:
        from studyrnn.ui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen())

    def action_browse(self) -> None:
        from studyrnn.ui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        from studyrnn.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from studyrnn.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_sync(self) -> None:
        self.query_one(StatusLine).set_sync("syncing decks…", busy=True)
        self.load(first=False, sync=True)
