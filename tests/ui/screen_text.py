"""Reading a Textual screen as a learner sees it, for the tests that check what fits at
80x24 and 100x30: the sizes, a widget's text, whether a region is on screen, and the footer's
keys, each checked to be whole."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from studyrnn.ui.app import StudyApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]
Size = tuple[int, int]


def text(widget: Widget) -> str:
    return str(widget.render())


def inside(region: Region, size: Size) -> bool:
    width, height = size
    return region.width > 0 and region.right <= width and region.bottom <= height


def footer_keys(app: StudyApp) -> list[str]:
    """The footer's keys as shown, ``key description``, each checked to be whole on screen."""
    keys = []
    for key in app.screen.query(FooterKey):
        if not key.display:
            continue
        assert inside(key.region, app.size), (key.key_display, key.region, app.size)
        assert key.region.width >= len(key.key_display) + len(key.description) + 1, key.region
        keys.append(f"{key.key_display} {key.description}".strip())
    return keys
