"""The editor of write cards: a Python TextArea where Tab indents and Esc gives the keyboard
back to the screen (Textual's own Esc would move focus to the next widget, and a review
screen has none, so the learner would be stuck in the editor)."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class CodeEditor(TextArea):
    """``CodeEditor(id=...)``: Python highlighting (the "css" theme, so it follows the app's
    dark or light theme), line numbers, soft tabs."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            language="python",
            soft_wrap=False,
            tab_behavior="indent",
            show_line_numbers=True,
            id=id,
        )

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            self.screen.set_focus(None)
            return
        await super()._on_key(event)
