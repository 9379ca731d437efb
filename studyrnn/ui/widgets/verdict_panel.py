"""The verdict panel: what the checker decided about the learner's answer, and why.

For a predict card: the verdict, the learner's value against the expected one (for this
variant), the time the check took, and the named mistake when one matched. For a write card:
the first failing message or diagnosis, and the captured output.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from studyrnn.runner.verdict import CheckResult, Verdict
from studyrnn.ui.format import variant_line

VERDICT_WORDS = {
    Verdict.PASS: "✓ pass",
    Verdict.WRONG: "✗ wrong",
    Verdict.ERROR: "✗ error",
    Verdict.TIMEOUT: "✗ timeout",
    Verdict.RESOURCE: "✗ too many resources",
    Verdict.SKIPPED: "– skipped",
    Verdict.INTERNAL: "! checker problem",
    Verdict.UNREADABLE: "? not a value studyrnn can read",
}
MAX_OUTPUT_LINES = 12


def verdict_parts(result: CheckResult, *, predict: bool, tries: int = 0) -> list[Text]:
    """The panel's lines, as Rich texts (tested without an app)."""
    if result.verdict is Verdict.UNREADABLE:
        return unreadable_parts(result.message)
    head = Text(VERDICT_WORDS.get(result.verdict, result.verdict.value), style="bold")
    head.append(f"   checked in {result.elapsed_ms:.0f} ms on {result.device}", style="dim")
    if tries > 1:
        head.append(f" · try {tries}", style="dim")
    parts: list[Text] = [head]
    if result.mistake:
        parts.append(Text.assemble(("Named mistake: ", "bold"), result.mistake))
    if predict:  # the expected value is always shown; the detail line repeats it: dropped
        parts.append(Text.assemble(("Your answer:  ", "bold"), result.got or "-"))
        expected = Text.assemble(
            ("Expected:     ", "bold"), result.expected or "(could not be computed, see below)"
        )
        if result.params:
            expected.append(f"   for this variant: {variant_line(result.params)}", style="dim")
        parts.append(expected)
    message = "\n".join(
        line
        for line in result.message.strip().splitlines()
        if line.strip() != result.mistake.strip()
        and not (predict and result.got and line.startswith("expected "))
    )
    if message:
        parts.append(Text(message))
    if not result.verdict.counts_against_learner:
        parts.append(
            Text(
                "This check does not count against you. Compare with the answer below and "
                "rate yourself, or press b to bury the card.",
                style="italic",
            )
        )
    output = result.output.strip()
    if output:
        lines = output.splitlines()
        shown = lines[-MAX_OUTPUT_LINES:]
        title = "Output" if len(shown) == len(lines) else f"Output (last {len(shown)} lines)"
        parts.append(Text(title, style="bold"))
        parts.append(Text("\n".join(shown), style="dim"))
    return parts


UNREADABLE_TITLE = "? Not read: nothing was run or recorded"
UNREADABLE_SUBTITLE = "fix it and press Enter"
UNREADABLE_PREFIX = "studyrnn cannot read this answer: "


def unreadable_parts(message: str) -> list[Text]:
    """An answer studyrnn cannot read: nothing ran. The reason with the caret under the
    position (``AnswerSyntaxError.marked``). Compact, so that at 80x24 the reason and the
    caret fit under the answer box: the panel's title says it was not read and nothing was
    recorded, its subtitle the way on."""
    return [Text(message.removeprefix(UNREADABLE_PREFIX))]


class VerdictPanel(Static):
    """Shows one CheckResult; its border colour follows the verdict (a class per verdict).
    ``plain`` keeps the text shown, for tests and for screen readers' sake."""

    plain = ""

    class Resized(Message):
        """The panel was laid out at a new size: the screen may share its rows again."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    def show(self, result: CheckResult, *, predict: bool, tries: int = 0) -> None:
        if result.verdict is Verdict.UNREADABLE:
            self.show_unreadable(result.message)
            return
        parts = verdict_parts(result, predict=predict, tries=tries)
        self._paint(parts, f"-{result.verdict.value}", "Verdict")

    def _paint(self, parts: list[Text], css_class: str, title: str, subtitle: str = "") -> None:
        for verdict in Verdict:
            self.remove_class(f"-{verdict.value}")
        self.remove_class("-info")
        self.add_class(css_class)
        self.border_title = title
        self.border_subtitle = subtitle
        lines = [part.plain for part in parts]
        if subtitle:  # the title and subtitle are part of what the panel says
            lines = [title, *lines, subtitle]
        self.plain = "\n".join(lines)
        self.update(Group(*parts))
        self.display = True

    def show_unreadable(self, message: str) -> None:
        """The answer typed is not a value studyrnn can read; the box stays the learner's."""
        self._paint(
            unreadable_parts(message),
            f"-{Verdict.UNREADABLE.value}",
            UNREADABLE_TITLE,
            UNREADABLE_SUBTITLE,
        )

    def show_text(self, text: str, css_class: str = "-info") -> None:
        """A plain message in the panel, e.g. the expected value for a learner who gave up."""
        self._paint([Text(text)], css_class, "Answer")

    def hide(self) -> None:
        self.display = False
        self.plain = ""
        self.update("")
