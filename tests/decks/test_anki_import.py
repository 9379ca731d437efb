"""``studyrnn import anki``: packages made by Anki's own backend
(``tests/fixtures/anki/record_anki_packages.py``) become markdown decks, and their review
history becomes the store's review log, on a real SQLite file.

The three packages hold one collection in Anki's three layouts (``collection.anki21b`` with
zstd and protobuf, the legacy ``collection.anki21``, and a whole-collection ``.colpkg``), so
every assertion about the decks holds for each.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from studyrnn.cli import cli
from studyrnn.decks.anki_convert import _markdown, convert_package, replayed
from studyrnn.decks.anki_reader import Answer, read_package
from studyrnn.decks.parser import load, parse_text
from studyrnn.engine.study import Study
from studyrnn.schedule import fsrs_step
from studyrnn.schedule.day import StudyDay
from studyrnn.store.models import CardRow, Review
from studyrnn.values import Rating

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anki"
PACKAGES = ["sample.apkg", "sample-legacy.apkg", "sample.colpkg"]
DAY0 = datetime(2026, 3, 2, tzinfo=UTC)

PYTORCH = """---
deck: "PyTorch"
---

## What does `optimizer.zero_grad()` set the gradients to?
<!-- id: anki-d82223e5101e -->
<!-- tags: optim, pytorch::basics -->
**None**, by default\\
(since PyTorch 2.0: *set\\_to\\_none=True*)

## The dtype of `torch.arange(3)`?
<!-- id: anki-374346a47fe4 -->
torch.int64
"""

TENSORS = """---
deck: "PyTorch::Tensors"
---

## Which picture shows a 1x1 tensor?
<!-- id: anki-3ee0fb8cfc52 -->
This one:

![](../media/tensor.png)

## torch.float32 <-> torch.float
<!-- id: anki-a83a2bd5821b -->

## `x.view(-1)`
<!-- id: anki-e69e0107764f -->
flattens `x`

- no copy
- needs contiguous memory

# Shapes

## Shapes
<!-- id: anki-84e9e69eac3c -->
An LSTM's `h_n` has shape {{c1::(layers, batch, hidden)}}, whatever \
{{c2::batch\\_first::the flag}} says.

Why: *batch\\_first* changes only `input` and output.
"""

TRAINING = """---
deck: "PyTorch::Training"
---

# Optimizers

## Optimizers
<!-- id: anki-9e82db56683e -->
Adam keeps running averages of the {{c1::gradient}} and its {{c2::square}}.

## torch.optim.SGD <-> stochastic gradient descent
<!-- id: anki-d7f99747eab5 -->

## Optimizers
<!-- id: anki-85dbcfa56c44 -->
{{c1::ReLU}} is max(0, x).
"""


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def at(day: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return DAY0 + timedelta(days=day, hours=hour, minutes=minute)


def imported(tmp_path: Path, name: str = "sample.apkg") -> tuple[Path, str, list[str], int]:
    out, db = tmp_path / "decks", f"sqlite:///{tmp_path / 'store.db'}"
    code, lines, err = run(
        "--db", db, "import", "anki", str(FIXTURES / name), "--out", str(out), "--tz", "UTC"
    )
    assert err == ""
    return out, db, lines, code


@pytest.mark.parametrize("name", PACKAGES)
def test_every_card_becomes_a_card_or_a_reported_problem(tmp_path: Path, name: str) -> None:
    package = FIXTURES / name
    before = snapshot(FIXTURES)
    out, _db, lines, code = imported(tmp_path, name)
    assert code == 1
    assert lines == [
        f"{package}: note 1772440200003: error: card 2: the question has several paragraphs, "
        "and a studyrnn question is one heading line (make it one paragraph in Anki)",
        f"{package}: note 1772440200008: error: card 2: the note has no {{{{c2::...}}}}",
        f'{package}: note 1772440200009: error: note type "Vocabulary" does not map to a '
        "studyrnn card: its cards also show Example (a type maps when its cards show two "
        "fields: a question and an answer, or a cloze text and an extra)",
        f'{package}: note 1772440200010: error: note type "Image Occlusion" does not map to a '
        "studyrnn card: its cards also show Header, Back Extra (a cloze type maps when its "
        "cards show two fields: a question and an answer, or a cloze text and an extra)",
        "anki: 3 deck files, 13 cards imported (basic 4, bidirectional 4, cloze 5), 4 not "
        "imported; 21 reviews of 6 cards into the store, 2 of cards not imported left out; "
        f"study days in UTC; 1 media file; decks in {out}",
    ]
    assert snapshot(FIXTURES) == before  # the package is only read
    assert sorted(snapshot(out)) == [
        "PyTorch.md",
        "PyTorch/Tensors.md",
        "PyTorch/Training.md",
        "media/tensor.png",
    ]
    assert (out / "PyTorch.md").read_text() == PYTORCH
    assert (out / "PyTorch" / "Tensors.md").read_text() == TENSORS
    assert (out / "PyTorch" / "Training.md").read_text() == TRAINING
    assert (out / "media" / "tensor.png").read_bytes() == read_package(package).media["tensor.png"]
    assert (out / "media" / "tensor.png").read_bytes().startswith(b"\x89PNG")

    decks = load([out])
    assert decks.problems == ()
    assert [c.tags for c in decks.cards if c.key == "anki-d82223e5101e"] == [
        ("optim", "pytorch::basics")
    ]
    assert [(c.key, c.deck, c.section, c.kind.value, c.front) for c in decks.cards] == [
        ("anki-3ee0fb8cfc52", "PyTorch::Tensors", "", "basic", "Which picture shows a 1x1 tensor?"),
        ("anki-a83a2bd5821b:fwd", "PyTorch::Tensors", "", "bidirectional", "torch.float32"),
        ("anki-a83a2bd5821b:rev", "PyTorch::Tensors", "", "bidirectional", "torch.float"),
        ("anki-e69e0107764f", "PyTorch::Tensors", "", "basic", "`x.view(-1)`"),
        (
            "anki-84e9e69eac3c#c1",
            "PyTorch::Tensors",
            "Shapes",
            "cloze",
            "Shapes\n\nAn LSTM's `h_n` has shape [...], whatever batch\\_first says.",
        ),
        (
            "anki-84e9e69eac3c#c2",
            "PyTorch::Tensors",
            "Shapes",
            "cloze",
            "Shapes\n\nAn LSTM's `h_n` has shape (layers, batch, hidden), whatever [the flag] "
            "says.",
        ),
        (
            "anki-9e82db56683e#c1",
            "PyTorch::Training",
            "Optimizers",
            "cloze",
            "Optimizers\n\nAdam keeps running averages of the [...] and its square.",
        ),
        (  # Anki's c3, renumbered: its card (ord 2) keeps its place as c2
            "anki-9e82db56683e#c2",
            "PyTorch::Training",
            "Optimizers",
            "cloze",
            "Optimizers\n\nAdam keeps running averages of the gradient and its [...].",
        ),
        (  # Anki's "Basic (optional reversed card)", its reverse added
            "anki-d7f99747eab5:fwd",
            "PyTorch::Training",
            "Optimizers",
            "bidirectional",
            "torch.optim.SGD",
        ),
        (
            "anki-d7f99747eab5:rev",
            "PyTorch::Training",
            "Optimizers",
            "bidirectional",
            "stochastic gradient descent",
        ),
        (  # its card 2 is Anki's empty card, reported
            "anki-85dbcfa56c44#c1",
            "PyTorch::Training",
            "Optimizers",
            "cloze",
            "Optimizers\n\n[...] is max(0, x).",
        ),
        (
            "anki-d82223e5101e",
            "PyTorch",
            "",
            "basic",
            "What does `optimizer.zero_grad()` set the gradients to?",
        ),
        # Anki's "Basic (type in the answer)"
        ("anki-374346a47fe4", "PyTorch", "", "basic", "The dtype of `torch.arange(3)`?"),
    ]


def _rows(db: str) -> tuple[dict[str, CardRow], dict[str, list[Review]]]:
    engine = create_engine(db)
    with Session(engine) as session:
        cards = {c.key: c for c in session.scalars(select(CardRow))}
        by_id = {c.id: k for k, c in cards.items()}
        reviews: dict[str, list[Review]] = {}
        for r in session.scalars(select(Review).order_by(Review.card_id, Review.reviewed_at)):
            reviews.setdefault(by_id[r.card_id], []).append(r)
        session.expunge_all()
    engine.dispose()
    return cards, reviews


# What Anki stored in the package (cards.data, rounded there to 4 and 3 decimals) after the
# history was answered with FSRS on, and each review card's due day.
ANKI_MEMORY = {
    "anki-d82223e5101e": (36.1518, 2.097, 48),
    "anki-a83a2bd5821b:fwd": (0.6598, 7.38, 3),
    "anki-a83a2bd5821b:rev": (1.3772, 5.092, 2),
    "anki-84e9e69eac3c#c1": (2.0677, 7.589, 5),
    "anki-84e9e69eac3c#c2": (58.1319, 1.0, 68),
    "anki-9e82db56683e#c1": (29.7336, 1.0, 35),
}


def test_the_review_history_continues_in_the_store(tmp_path: Path) -> None:
    out, db, _lines, _code = imported(tmp_path)
    cards, reviews = _rows(db)
    assert sum(len(r) for r in reviews.values()) == 21
    assert sorted(reviews) == sorted(ANKI_MEMORY)
    # the reversed note's forward card: learned on day 0, lapsed and relearned on day 2
    forward = reviews["anki-a83a2bd5821b:fwd"]
    assert [(Rating(r.rating), r.reviewed_at, r.state_before, r.state_after) for r in forward] == [
        (Rating.GOOD, at(0, "09:01"), 0, 1),
        (Rating.GOOD, at(0, "09:11"), 1, 2),
        (Rating.AGAIN, at(2, "08:31"), 2, 3),
        (Rating.GOOD, at(2, "08:41"), 3, 2),
    ]
    assert [r.first_of_day for r in forward] == [True, False, True, False]
    assert [r.study_day for r in forward] == [
        (DAY0 + timedelta(days=d)).date().toordinal() for d in (0, 0, 2, 2)
    ]
    assert [Rating(r.rating) for r in reviews["anki-84e9e69eac3c#c1"]] == [
        Rating.AGAIN,
        Rating.GOOD,
        Rating.GOOD,
        Rating.HARD,
    ]

    config = fsrs_step.SchedulerConfig(day=StudyDay(4, ZoneInfo("UTC")))
    for key, (stability, difficulty, due_day) in ANKI_MEMORY.items():
        card = cards[key]
        history = [(Rating(r.rating), r.reviewed_at) for r in reviews[key]]
        replayed = fsrs_step.replay(config, card.id, history)[-1][1]
        # the memory state is the replay's, exactly, and Anki's within its rounding
        assert (card.stability, card.difficulty) == (replayed.stability, replayed.difficulty)
        assert card.stability == pytest.approx(stability, rel=1e-3), key
        assert card.difficulty == pytest.approx(difficulty, rel=1e-3), key
        assert (card.state, card.reps) == (2, len(history))
        # due on the day Anki gave it, from the start of that study day
        assert card.due == DAY0 + timedelta(days=due_day, hours=4), key
    assert cards["anki-a83a2bd5821b:fwd"].lapses == 1
    for key in ("anki-3ee0fb8cfc52", "anki-e69e0107764f", "anki-9e82db56683e#c2"):
        assert (cards[key].state, cards[key].reps, cards[key].due) == (0, 0, None), key
    # suspended in Anki, suspended here
    assert [k for k, c in cards.items() if c.suspended] == ["anki-3ee0fb8cfc52"]

    # syncing the decks again finds them unchanged, and their schedule is today's queue
    code, lines, _err = run("--db", db, "sync", str(out))
    assert (code, lines) == (0, ["added 0, changed 0, carried over 0, retired 0, unchanged 13"])
    study = Study(db, [out], clock=lambda: at(3, "10:00"), tz=ZoneInfo("UTC"))
    try:
        queued = {study.card_info(i).card.key for i in study.queue()}
    finally:
        study.close()
    assert queued == {
        "anki-a83a2bd5821b:fwd",  # due on day 3
        "anki-a83a2bd5821b:rev",  # due on day 2, overdue
        # new: never answered in Anki (and not suspended there)
        "anki-e69e0107764f",
        "anki-9e82db56683e#c2",
        "anki-d7f99747eab5:fwd",
        "anki-d7f99747eab5:rev",
        "anki-85dbcfa56c44#c1",
        "anki-374346a47fe4",
    }


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "decks"
    (out / "PyTorch").mkdir(parents=True)
    (out / "PyTorch" / "Tensors.md").write_text("mine\n")
    db = tmp_path / "store.db"
    code, lines, err = run(
        "--db",
        f"sqlite:///{db}",
        "import",
        "anki",
        str(FIXTURES / "sample.apkg"),
        "--out",
        str(out),
    )
    assert (code, lines) == (2, [])
    assert err.splitlines() == [
        f"error: {out / 'PyTorch' / 'Tensors.md'} already exists (import never overwrites a file)",
        "hint: choose an empty --out folder",
    ]
    assert snapshot(out) == {"PyTorch/Tensors.md": b"mine\n"}
    assert not db.exists()


def test_a_file_that_is_not_a_package_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "deck.apkg"
    fake.write_text("not a zip")
    code, lines, err = run("import", "anki", str(fake), "--out", str(tmp_path / "out"))
    assert (code, lines) == (2, [])
    assert err.splitlines() == [
        f"error: cannot read {fake} as an Anki package: File is not a zip file",
        "hint: give an .apkg or .colpkg file exported from Anki",
    ]


def test_note_types_are_mapped_by_shape_not_name() -> None:
    """A renamed basic type still maps; its cards keep the key Anki's ord gives them."""
    package = read_package(FIXTURES / "sample.apkg")
    renamed = {
        i: type(t)(t.id, f"My {t.name}", t.cloze, t.fields, t.templates)
        for i, t in package.notetypes.items()
    }
    result = convert_package(type(package)(**{**_fields(package), "notetypes": renamed}), "x")
    assert sorted(result.histories) == sorted(convert_package(package, "x").histories)
    assert result.kinds == {"basic": 4, "bidirectional": 4, "cloze": 5}


def _fields(package: object) -> dict[str, object]:
    return {name: getattr(package, name) for name in package.__slots__}  # type: ignore[attr-defined]


def _entry(day: int, ease: int, kind: int, factor: int = 2500) -> Answer:
    return Answer(int(at(day, "09:00").timestamp() * 1000), 1, ease, kind, factor, 1500)


def test_the_answers_replayed_are_those_anki_computes_memory_from() -> None:
    learn, review, relearn, filtered, manual = 0, 1, 2, 3, 4
    history = [
        _entry(0, 3, learn),
        _entry(1, 3, review),
        _entry(2, 3, filtered, factor=0),  # a cram answer that did not reschedule
        _entry(3, 1, review),
        _entry(3, 3, relearn),
        _entry(4, 0, manual, factor=2500),  # set due date
        _entry(5, 3, review),
    ]
    assert [(r, w.day) for r, w, _ in replayed(history)] == [
        (Rating.GOOD, 2),
        (Rating.GOOD, 3),
        (Rating.AGAIN, 5),
        (Rating.GOOD, 5),
        (Rating.GOOD, 7),
    ]
    # after a reset to new, only the new learning run counts
    reset = [*history, _entry(6, 0, manual, factor=0), _entry(7, 1, learn), _entry(7, 3, learn)]
    assert [(r, w.day) for r, w, _ in replayed(reset)] == [(Rating.AGAIN, 9), (Rating.GOOD, 9)]
    # reset and never answered since: no history to replay
    assert replayed([*history, _entry(6, 0, manual, factor=0)]) == ()
    # a history cut before its learning (no learning answer): from the first answer
    assert [r for r, _w, _d in replayed(history[1:])] == [
        Rating.GOOD,
        Rating.AGAIN,
        Rating.GOOD,
        Rating.GOOD,
    ]


def test_fields_html_becomes_markdown_linking_the_media() -> None:
    html = (
        'A&nbsp;<b>bold</b> <img src="my plot.png"> <img src="https://x.org/a.png">'
        "<br>[sound:say it.mp3]"
    )
    assert _markdown(html, "../media/") == (
        "A **bold** ![](../media/my%20plot.png) ![](https://x.org/a.png)\\\n"
        "[say it.mp3](../media/say%20it.mp3)"
    )
    # a line break before a list or at the end breaks nothing
    assert _markdown("x<br><ul><li>a</li></ul>y<br>", "media/") == "x\n\n- a\n\ny"


def test_two_decks_never_share_a_file() -> None:
    """Decks whose names differ only in case, or only in characters a file name cannot
    hold, get files of their own."""
    package = read_package(FIXTURES / "sample.apkg")
    renamed = {("PyTorch", "Training"): ("pytorch", "tensors"), ("PyTorch",): ("PyTorch/",)}
    decks = {i: (*renamed.get(d[:2], d[:2]), *d[2:]) for i, d in package.decks.items()}
    result = convert_package(dataclasses.replace(package, decks=decks), "x")
    assert [(str(d.path), d.cards) for d in result.decks] == [
        ("PyTorch/Tensors.md", 6),
        ("PyTorch-.md", 2),
        ("pytorch/tensors-2.md", 5),
    ]


def test_a_basic_question_with_an_arrow_stays_basic() -> None:
    package = read_package(FIXTURES / "sample.apkg")
    notes = tuple(
        dataclasses.replace(n, fields=("Is A <-> B {{c1::x}}?", "yes"))
        if n.fields[0].startswith("What does")
        else n
        for n in package.notes
    )
    result = convert_package(dataclasses.replace(package, notes=notes), "x")
    text = next(d.text for d in result.decks if str(d.path) == "PyTorch.md")
    assert "## Is A <\\-> B \\{{c1::x}}?\n" in text
    cards = parse_text(text, "PyTorch.md").cards
    assert [(c.kind.value, c.front) for c in cards] == [
        ("basic", "Is A <\\-> B {{c1::x}}?"),  # a basic card, showing the braces
        ("basic", "The dtype of `torch.arange(3)`?"),
    ]
