"""A selection list whose boxes differ by a glyph, not only by a shade.

Textual's ``SelectionList`` draws the same ``X`` in every box and tells a picked one by its
colour, which ``NO_COLOR`` (and some colour blindness) loses. Here an unpicked box is empty.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

ValueT = TypeVar("ValueT")


class PickList(SelectionList[ValueT]):
    """``▐X▌`` for a picked item, ``▐ ▌`` for one that is not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value not in self.selected:
            segments[1] = Segment(" " * len(ToggleButton.BUTTON_INNER), segments[1].style)
        return Strip(segments, strip.cell_length)
