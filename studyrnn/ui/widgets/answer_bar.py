"""The four answer buttons, each with the interval it would give (Anki's habit), and the
suggested one highlighted after a code check."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from studyrnn.ui.format import rating_name
from studyrnn.values import Preview, Rating

VARIANTS = {
    Rating.AGAIN: "error",
    Rating.HARD: "warning",
    Rating.GOOD: "success",
    Rating.EASY: "primary",
}


def button_label(rating: Rating, preview: Preview | None, suggested: bool) -> str:
    """``3 Good · 4d``, with a marker on the suggested answer."""
    interval = f" · {preview.label(rating)}" if preview and rating in preview.intervals else ""
    mark = "▸ " if suggested else ""
    return f"{mark}{int(rating)} {rating_name(rating)}{interval}"


class AnswerBar(Horizontal):
    """Buttons never take focus: the digits and Enter drive them; a click works too."""

    class Picked(Message):
        """A button was clicked."""

        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating in Rating:
            button = Button(
                button_label(rating, None, False),
                id=f"answer-{rating_name(rating).lower()}",
                variant="default",
            )
            button.can_focus = False
            yield button

    def show(self, preview: Preview | None, suggested: Rating | None, *, active: bool) -> None:
        for rating in Rating:
            button = self.query_one(f"#answer-{rating_name(rating).lower()}", Button)
            button.label = button_label(rating, preview, rating == suggested)
            button.variant = VARIANTS[rating] if rating == suggested else "default"
            button.disabled = not active
            button.set_class(rating == suggested, "-suggested")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("answer-")
        for rating in Rating:
            if rating_name(rating).lower() == name:
                self.post_message(self.Picked(rating))
