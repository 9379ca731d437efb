"""What the checker answers: exactly one verdict, with a message a learner can act on."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from studyrnn.runner.printable import printable


class Verdict(enum.StrEnum):
    PASS = "pass"
    WRONG = "wrong"  # ran, but differs; the message gives the first difference
    ERROR = "error"  # the learner's code raised; short traceback with the learner's lines
    TIMEOUT = "timeout"
    RESOURCE = "resource"  # too much memory, output, processes or file size
    SKIPPED = "skipped"  # needs a device this machine lacks; never scheduled as a failure
    INTERNAL = "internal"  # the checker (or the card) failed; never counted against the learner
    # A predict answer outside the answer grammar: shown to be fixed, never run, never recorded.
    UNREADABLE = "unreadable"

    @property
    def counts_against_learner(self) -> bool:
        return self not in (Verdict.SKIPPED, Verdict.INTERNAL, Verdict.UNREADABLE)


@dataclass(frozen=True, slots=True)
class CheckResult:
    verdict: Verdict
    message: str
    elapsed_ms: float
    device: str
    seed: int
    expected: str = ""  # repr of the right value (predict) or "" (write)
    got: str = ""  # repr of the learner's value (predict) or ""
    mistake: str = ""  # the named wrong answer or diagnosis that matched, if any
    output: str = ""  # captured stdout and stderr of the learner's code, capped at 64 KB
    params: dict[str, object] = field(default_factory=dict)  # drawn values, parametric cards

    def __post_init__(self) -> None:
        # The one boundary every face prints from: what a snippet wrote is made safe here.
        for name in ("message", "expected", "got", "mistake", "output"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASS

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "message": self.message,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "device": self.device,
            "seed": self.seed,
            "expected": self.expected,
            "got": self.got,
            "mistake": self.mistake,
            "params": self.params,
        }
