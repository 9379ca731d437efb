"""The keys a screen answers to, as (key, description) rows for the help screen."""

from __future__ import annotations

from textual.screen import Screen

GENERIC = {"app.focus_next", "app.focus_previous", "screen.copy_text"}


def binding_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """The bindings of ``screen`` and of the app, one row per description, keys joined, and
    those the focused widget shows in the footer (Home's deck tree: Enter reviews, Space
    opens a deck). A focused input's editing keys and Textual's generic focus/copy keys are
    left out: they are the usual ones, and would bury the rest."""
    by_description: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        shown_by_focus = active.node is screen.focused and binding.show
        if active.node is not screen and active.node is not screen.app and not shown_by_focus:
            continue
        if binding.system or not binding.description or binding.action in GENERIC:
            continue
        display = screen.app.get_key_display(binding)
        keys = by_description.setdefault(binding.description, [])
        if display not in keys:
            keys.append(display)
    return [(" / ".join(keys), description) for description, keys in by_description.items()]
