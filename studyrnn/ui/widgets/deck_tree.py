"""The deck tree on Home: every deck and its sections, with new, learning and due counts.

A node's data is the deck to review (None for "All decks"); a section reviews its deck, since
the queue is per deck.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

if TYPE_CHECKING:
    from studyrnn.values import DeckCounts


COUNTS_WIDTH = 23  # "   3 new  1 lrn  12 due": the columns after the name
MIN_NAME_WIDTH = 8


def counts_text(
    label: str, new: int, learning: int, review: int, width: int = 22, *, stale: bool = False
) -> Text:
    """``RNNs            3 new  1 lrn  12 due``: Anki's colours (blue, red, green), and the
    words too, so the counts read without colour. ``width`` is the name's column. ``stale``
    counts, being counted again, show as ``…``."""
    name = label if len(label) <= width else label[: width - 1] + "…"
    text = Text(f"{name:<{width}}")
    if stale:
        text.append(f"{'…':>4} new{'…':>3} lrn{'…':>4} due", style="dim")
        return text
    text.append(f"{new:>4} new", style="bold blue" if new else "dim")
    text.append(f"{learning:>3} lrn", style="bold red" if learning else "dim")
    text.append(f"{review:>4} due", style="bold green" if review else "dim")
    return text


class DeckTree(Tree[str | None]):
    """Tree of decks. ``show`` replaces its content with fresh counts.

    The name column takes all the width the tree has (a deck's full name matters more than
    white space), so labels are re-made when the tree is resized; the counts stay aligned
    in one column whatever a line's depth.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Review", id="deck-review"),
        Binding("space", "toggle_node", "Sections", id="deck-sections"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("All decks", data=None, id=id)
        self.auto_expand = False
        self.show_root = True
        self.guide_depth = 2
        self._rows: dict[int, tuple[str, int, int, int]] = {}  # node id -> name and counts
        self.stale = False

    def name_width(self, node: TreeNode[str | None]) -> int:
        """The name column's width for ``node``: the tree's width less the node's indent,
        its expand icon and the counts."""
        indent = self._depth(node) * self.guide_depth
        icon = 2 if node.allow_expand else 0
        width = self.scrollable_content_region.width - indent - icon - COUNTS_WIDTH
        return max(MIN_NAME_WIDTH, width)

    @staticmethod
    def _depth(node: TreeNode[str | None]) -> int:
        depth = 0
        while node.parent is not None:
            node = node.parent
            depth += 1
        return depth

    def _label(self, node: TreeNode[str | None]) -> None:
        name, new, learning, review = self._rows[node.id]
        width = self.name_width(node)
        node.set_label(counts_text(name, new, learning, review, width, stale=self.stale))

    def show(self, counts: Sequence[DeckCounts], total: DeckCounts) -> None:
        """Each deck's row is what studying it alone brings; ``total`` is all decks together
        (the daily limits are shared, so it is not the sum of the rows)."""
        decks = [c for c in counts if c.section == ""]
        sections = [c for c in counts if c.section != ""]
        self.stale = False
        self.clear()
        self._rows = {self.root.id: ("All decks", total.new, total.learning, total.review)}
        # Decks by name (Ch 09 before Ch 10); sections as ``counts`` gives them, in the
        # order of the deck's file, which is the book's.
        for deck in sorted(decks, key=lambda c: c.deck.lower()):
            node = self.root.add("", data=deck.deck, expand=False)
            self._rows[node.id] = (deck.deck, deck.new, deck.learning, deck.review)
            for section in sections:
                if section.deck == deck.deck:
                    leaf = node.add_leaf("", data=deck.deck)
                    self._rows[leaf.id] = (
                        section.section,
                        section.new,
                        section.learning,
                        section.review,
                    )
        self.relabel()
        self.root.expand()
        self.move_cursor(self.root)

    def mark_stale(self) -> None:
        """The counts are out of date (answers were given elsewhere) until ``show`` brings
        new ones: show ``…`` rather than old numbers, which would go up, then down."""
        self.stale = True
        self.relabel()

    def relabel(self) -> None:
        """Fit every label to the tree's current width."""
        nodes = [self.root]
        while nodes:
            node = nodes.pop()
            if node.id in self._rows:
                self._label(node)
            nodes.extend(node.children)

    def on_resize(self) -> None:
        self.relabel()
