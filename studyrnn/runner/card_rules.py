"""Rules ``studyrnn check`` holds a code card to, beyond "its own code runs" (issue 14).

- A predict card whose value is a bool asks one question: a front with a second question mark,
  an "and", or a yes/no question after a value in code and a colon pairs a question with the
  value (or asks two), and a learner's correct "No" to the question is graded wrong against
  the value.
- A write card's ```` ```python wrong "..." ```` answer must fail on every seed, with its
  name in the diagnosis; an ```` ```python also ```` answer must pass on every seed.

Pure functions over results the checker already has: this module runs nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from studyrnn.decks.model import Card, Fence
from studyrnn.runner.verdict import CheckResult, Verdict

_CODE_BLOCK = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_AND = re.compile(r"\band\b", re.IGNORECASE)
# "`flag`: does no_grad switch to eval mode?": a value, then a yes/no question about something
# else, whose right answer ("No") is not the value (True)
_VALUE_THEN_YES_NO = re.compile(
    r"`\s*[:;]\s*(?:does|do|did|is|are|was|were|can|will|has|have|should|would)\b[^?]*\?",
    re.IGNORECASE,
)
BOOLS = ("True", "False")


def question_text(card: Card) -> str:
    """The prose of a code card's front: the setup block and inline code left out, since
    `x and y` or a `?` in code asks nothing."""
    return _INLINE_CODE.sub("", _CODE_BLOCK.sub("", card.front))


def two_questions(card: Card, result: CheckResult) -> CheckResult:
    """Fail a passing predict result whose expected value is a bool while the front asks
    more than one thing."""
    if result.verdict is not Verdict.PASS or result.expected not in BOOLS:
        return result
    text = question_text(card)
    labelled = _CODE_BLOCK.sub("", card.front)  # inline code kept: "`flag`: does ...?"
    why = ""
    if text.count("?") > 1:
        why = "a second question mark"
    elif _AND.search(text):
        why = 'an "and"'
    elif _VALUE_THEN_YES_NO.search(labelled):
        why = "a yes/no question after the value it asks for"
    if not why:
        return result
    return replace(
        result,
        verdict=Verdict.WRONG,
        message=(
            f"the expected value is a bool ({result.expected}) but the front has {why}: a "
            "yes/no answer to one question is graded against the value of the other (ask one "
            "question; put the other in the Why line)"
        ),
    )


def wrong_answer(card: Card, fence: Fence, result: CheckResult) -> CheckResult:
    """A write card's named mistake: it must not pass, and the diagnosis must name it."""
    where = f"{card.path}:{fence.line}"
    if result.verdict is Verdict.PASS:
        return replace(
            result,
            verdict=Verdict.WRONG,
            message=f'the wrong answer "{fence.label}" at {where} passes the check; it must not',
        )
    if result.verdict in (Verdict.SKIPPED, Verdict.INTERNAL):
        return result
    said = result.mistake or result.message
    if fence.label.casefold() not in said.casefold():
        return replace(
            result,
            verdict=Verdict.WRONG,
            message=(
                f'the wrong answer "{fence.label}" at {where} fails ({result.verdict}), but the '
                f"diagnosis does not name it: {said!r} (make `diagnose` return a message "
                "that contains the fence's)"
            ),
        )
    return replace(result, verdict=Verdict.PASS, message=f'"{fence.label}" fails as it should')


def also_answer(card: Card, fence: Fence, result: CheckResult) -> CheckResult:
    """A write card's alternative correct answer: it must pass."""
    if result.verdict in (Verdict.PASS, Verdict.SKIPPED):
        return result
    return replace(
        result,
        message=(
            f"the alternative answer at {card.path}:{fence.line} does not pass "
            f"({result.verdict}): {result.message}"
        ),
    )
