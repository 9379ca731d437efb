"""What a parsed deck is: cards, their code fences, and the problems found on the way.

These types are the contract between the parser and everything above it (store, runner, UI).
They are plain frozen dataclasses so that they pickle (the runner sends cards to its worker)
and compare by value (sync decides "changed" by comparing them).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class CardKind(enum.StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"  # multiple choice, from a task list
    BIDIRECTIONAL = "bidirectional"
    PREDICT = "predict"  # code predict: the learner types a value
    WRITE = "write"  # code write: the learner writes code

    @property
    def is_code(self) -> bool:
        return self in (CardKind.PREDICT, CardKind.WRITE)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One lint finding. ``line`` is 1-based and points at the offending line."""

    path: str
    line: int
    severity: Severity
    code: str  # a short stable slug, e.g. "unterminated-fence"
    message: str  # includes the hint, e.g. "... (add a ```python check``` fence)"

    def format(self) -> str:
        """GCC style: ``decks/ch13.md:42: error: message``."""
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"


class Role(enum.StrEnum):
    """What a ```python ROLE``` fence is for."""

    SETUP = "setup"
    EXPECT = "expect"
    WRONG = "wrong"
    SOLUTION = "solution"
    CHECK = "check"
    STARTER = "starter"
    PARAMS = "params"
    ALSO = "also"  # write cards: another correct answer, which must pass on every seed


@dataclass(frozen=True, slots=True)
class Fence:
    """A role fence of a code card. ``line`` is the 1-based line of the opening ```."""

    role: Role
    code: str
    line: int
    attrs: tuple[tuple[str, str], ...] = ()  # key=value pairs after the role, in order
    label: str = ""  # the quoted message of a ``wrong "..."`` fence


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """Everything the checker needs to run a code card. Fences keep their source lines so that
    tracebacks and lint can point into the deck file."""

    setup: Fence | None = None
    expect: Fence | None = None  # predict cards
    # named wrong answers: expressions (predict cards), or code that must fail with its name
    # in the diagnosis (write cards)
    wrongs: tuple[Fence, ...] = ()
    solution: Fence | None = None  # write cards
    check: Fence | None = None  # write cards
    starter: Fence | None = None  # write cards
    params: Fence | None = None  # parametric cards
    timeout: float | None = None  # seconds; None means the checker's default (5 s)
    device: str = "cpu"  # cpu | cuda | mps | any
    rtol: float | None = None
    atol: float | None = None
    alsos: tuple[Fence, ...] = ()  # write cards: alternative correct answers


@dataclass(frozen=True, slots=True)
class Choice:
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class Card:
    """One schedulable card.

    A note (one H2) can yield several cards: one per cloze number, two for a bidirectional note.
    Those siblings share ``note_key`` and differ in ``key``.
    """

    key: str  # stable identity: explicit id (plus "#c2", ":rev"), else derived from deck+front
    note_key: str  # identity of the note this card came from; siblings share it
    explicit_id: str | None  # the ``<!-- id: ... -->`` slug, if any
    deck: str  # display name of the deck (front matter ``deck:`` or from the file name)
    section: str  # the enclosing H1 text, "" when none
    kind: CardKind
    front: str  # what is asked: markdown (cloze blanks already shown as [...] / [hint])
    back: str  # the answer shown after reveal: markdown (cloze filled in)
    body: str  # the raw markdown body under the heading, for search and for the editor
    path: str  # the deck file, as given to the parser
    line: int  # 1-based line of the H2 heading
    tags: tuple[str, ...] = ()  # front-matter tags + ``<!-- tags: ... -->``, sorted, unique
    source: str = ""  # ``<!-- source: ... -->``: the chapter or documentation page
    cloze: int | None = None  # the N of cN, for cloze cards
    choices: tuple[Choice, ...] = ()  # for multiple-choice cards
    code: CodeSpec | None = None  # for predict and write cards
    placeholders: tuple[str, ...] = field(default=())  # {{=name}} names used in front/body

    @property
    def is_parametric(self) -> bool:
        return self.code is not None and self.code.params is not None


@dataclass(frozen=True, slots=True)
class DeckFile:
    """One parsed file: its cards and its problems. Bad cards are dropped with a problem
    reported at their line; the good cards are always kept."""

    path: str
    deck: str
    cards: tuple[Card, ...]
    problems: tuple[Problem, ...]
    front_matter: tuple[tuple[str, object], ...] = ()
    digest: str = ""  # sha256 of the file's bytes, so sync can skip unchanged files

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


@dataclass(frozen=True, slots=True)
class DeckSet:
    """Several files loaded together: cross-file checks (duplicate ids) are done here."""

    files: tuple[DeckFile, ...]
    problems: tuple[Problem, ...]  # all problems, the per-file ones included, sorted by path/line

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(c for f in self.files for c in f.cards)
