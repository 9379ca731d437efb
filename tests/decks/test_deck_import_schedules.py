"""``studyrnn import obsidian``: the scheduling comments become the cards' schedules in the
store (never review rows), so each card comes up on the day Obsidian had it due. Run on two
notes of the plugin's own test vault and on the deck written from its documentation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from studyrnn.cli import cli
from studyrnn.decks import sr_comments
from studyrnn.decks.sr_comments import FsrsSchedule, Sm2Schedule
from studyrnn.engine.study import Study

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "decks" / "import"
VAULT = SOURCES / "obsidian-vault"


@pytest.fixture(autouse=True)
def no_user_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A store written without --db is the test's own, never the user's."""
    monkeypatch.setenv("STUDYRNN_DB", f"sqlite:///{tmp_path / 'default.db'}")


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, list(args))
    assert result.stderr == ""
    return result.exit_code, result.stdout.splitlines()


def rows(db_url: str) -> list[tuple[object, ...]]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    text(
                        "SELECT key, state, step, round(stability, 3), round(difficulty, 3), "
                        "due, last_review, reps, lapses FROM cards WHERE state != 0 ORDER BY key"
                    )
                )
            ]
    finally:
        engine.dispose()


def count(db_url: str, sql: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


# the rows of the five schedules the fixtures carry, due at 04:00 UTC of Obsidian's due day
CARRIED = [
    ("a-question-with-multiple-parts-5fa195d5#c1", 2, None, 1.0, 8.587,
     "2024-05-22 04:00:00.000000", "2024-05-21 04:00:00.000000", 0, 0),
    ("a-question-with-multiple-parts-5fa195d5#c2", 2, None, 4.0, 7.025,
     "2024-05-25 04:00:00.000000", "2024-05-21 04:00:00.000000", 0, 0),
    ("gru-gated-recurrent-unit-6e2dc1e0:fwd", 2, None, 7.0, 7.15,
     "2024-03-05 04:00:00.000000", "2024-02-27 04:00:00.000000", 0, 0),
    ("gru-gated-recurrent-unit-6e2dc1e0:rev", 2, None, 6.0, 7.748,
     "2024-03-04 04:00:00.000000", "2024-02-27 04:00:00.000000", 0, 0),
    ("what-does-the-forget-gate-173d6090", 2, None, 4.0, 7.025,
     "2024-03-02 04:00:00.000000", "2024-02-27 04:00:00.000000", 0, 0),
]  # fmt: skip


def test_segments_as_the_plugin_writes_them() -> None:
    # from the plugin's own tests: SM-2 with and without `!`, a new card, FSRS in learning
    assert sr_comments.segments("!2024-05-22,1,230!2024-05-25,4,270!2033-03-03,3,333") == [
        Sm2Schedule(date(2024, 5, 22), 1, 230),
        Sm2Schedule(date(2024, 5, 25), 4, 270),
        Sm2Schedule(date(2033, 3, 3), 3, 333),
    ]
    assert sr_comments.segments("2021-08-11,4,270") == [Sm2Schedule(date(2021, 8, 11), 4, 270)]
    assert sr_comments.segments(
        "!2000-01-01,1,250!fsrs,2023-09-06T00:10:00.000Z,0,0.4,5.5,1,1,0,1,2023-09-06T00:00:00.000Z"
    ) == [sr_comments.NEVER, sr_comments.LEARNING]
    assert sr_comments.segments(
        "!fsrs,2024-03-10T08:00:00.000Z,9,9.2,4.1,2,5,1,0,2024-03-01T08:00:00.000Z"
    ) == [
        FsrsSchedule(
            datetime(2024, 3, 10, 8, tzinfo=UTC),
            datetime(2024, 3, 1, 8, tzinfo=UTC),
            9.2,
            4.1,
            5,
            1,
        )
    ]
    assert sr_comments.segments("!05-03-2024,2.5,250!Sat Mar 02 2024,3,250") == [
        Sm2Schedule(date(2024, 3, 5), 2.5, 250),
        Sm2Schedule(date(2024, 3, 2), 3, 250),
    ]
    assert (
        sr_comments.segments("!2024-13-01,3,250!2024-03-01,x,250!2024-03-01,0,250")
        == [sr_comments.UNREADABLE] * 3
    )


def test_real_vault_schedules_become_card_schedules_not_reviews(
    tmp_path: Path, db_url: str
) -> None:
    out = tmp_path / "out"
    code, lines = run(
        "import", "obsidian", str(SOURCES / "obsidian"), str(VAULT), "--out", str(out),
        "--db", db_url, "--tz", "UTC",
    )  # fmt: skip
    assert code == 1  # RNN.md has a card that cannot be imported
    assert lines == [
        f"{SOURCES / 'obsidian' / 'RNN.md'}:31: error: a reversed card with a multi-line side: a "
        "studyrnn bidirectional card is one heading line `left <-> right` (shorten a side)",
        f"{VAULT / 'A.md'}:9: warning: this scheduling comment holds 3 schedules for 2 cards: the "
        "last 1 are not carried over",
        f"{VAULT / 'Triboelectric Effect.md'}:31: warning: this scheduling comment is beside no "
        "card, so its schedule is not carried over",
        "obsidian: 3 files, 11 cards imported (basic 3, bidirectional 4, cloze 4), 1 not "
        "imported; 4 SR scheduling comments: 5 card schedules carried over into the store (due "
        "as in Obsidian; no review rows, the comments hold no answers), 2 not (1 beside no card, "
        f"1 more schedules than cards); decks in {out}",
    ]
    assert rows(db_url) == CARRIED
    assert count(db_url, "SELECT count(*) FROM reviews") == 0
    assert count(db_url, "SELECT count(*) FROM cards WHERE state = 0") == 6

    # a later sync of the decks keeps the schedules
    study = Study(db_url, [out], tz=UTC)
    try:
        assert study.sync([out]).summary() == (
            "added 0, changed 0, carried over 0, retired 0, unchanged 11"
        )
    finally:
        study.close()
    assert rows(db_url) == CARRIED


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2024, 3, 2, 3, 59, tzinfo=UTC), False),  # the study day before (cutoff 04:00)
        (datetime(2024, 3, 2, 4, 0, tzinfo=UTC), True),
    ],
)
def test_a_card_comes_up_on_the_day_obsidian_had_it_due(
    tmp_path: Path, db_url: str, now: datetime, due: bool
) -> None:
    src = tmp_path / "Gates.md"
    src.write_text("What does the forget gate decide::what to erase\n<!--SR:!2024-03-02,4,270-->\n")
    out = tmp_path / "out"
    code, _ = run("import", "obsidian", str(src), "--out", str(out), "--db", db_url, "--tz", "UTC")
    assert code == 0
    study = Study(db_url, [out], clock=lambda: now, tz=ZoneInfo("UTC"))
    try:
        queued = [study.card_info(i).card.key for i in study.queue()]
    finally:
        study.close()
    assert queued == (["what-does-the-forget-gate-b842e4e4"] if due else [])


def test_fsrs_new_learning_and_unimported_schedules(tmp_path: Path, db_url: str) -> None:
    src = tmp_path / "Mixed.md"
    src.write_text(
        "FSRS card::yes <!--SR:!fsrs,2024-03-10T08:00:00.000Z,9,9.2,4.1,2,5,1,0,"
        "2024-03-01T08:00:00.000Z-->\n\n"
        "Learning card::yes <!--SR:!fsrs,2024-03-01T08:10:00.000Z,0,0.4,5.5,1,1,0,1,"
        "2024-03-01T08:00:00.000Z-->\n\n"
        "New card:::in a reversed pair <!--SR:!2000-01-01,1,250!2024-03-09,3,250-->\n\n"
        "Left\n??\ntwo\nlines <!--SR:!2024-03-09,3,250!2024-03-09,3,250-->\n"
    )
    out = tmp_path / "out"
    code, lines = run(
        "import", "obsidian", str(src), "--out", str(out), "--db", db_url, "--tz", "UTC"
    )
    assert code == 1
    assert lines[1] == (
        "obsidian: 1 file, 4 cards imported (basic 2, bidirectional 2, cloze 0), 1 not imported; "
        "4 SR scheduling comments: 2 card schedules carried over into the store (due as in "
        "Obsidian; no review rows, the comments hold no answers), 4 not (1 never reviewed in "
        "Obsidian, 2 of cards not imported, 1 still in Obsidian's learning steps); decks in "
        f"{out}"
    )
    assert rows(db_url) == [
        ("fsrs-card-5e665917", 2, None, 9.2, 4.1, "2024-03-10 04:00:00.000000",
         "2024-03-01 08:00:00.000000", 5, 1),
        ("new-card-in-a-reversed-871d9ff5:rev", 2, None, 3.0, 7.657,
         "2024-03-09 04:00:00.000000", "2024-03-06 04:00:00.000000", 0, 0),
    ]  # fmt: skip


def test_importing_again_leaves_the_stores_schedules_alone(tmp_path: Path, db_url: str) -> None:
    for name in ("a", "b"):
        _, lines = run(
            "import", "obsidian", str(VAULT), "--out", str(tmp_path / name), "--db", db_url,
            "--tz", "UTC",
        )  # fmt: skip
    assert lines[-1] == (
        "obsidian: 2 files, 3 cards imported (basic 1, bidirectional 0, cloze 2), 0 not imported; "
        "2 SR scheduling comments: 0 card schedules carried over into the store (due as in "
        "Obsidian; no review rows, the comments hold no answers), 4 not (2 already scheduled in "
        "the store, 1 beside no card, 1 more schedules than cards); decks in "
        f"{tmp_path / 'b'}"
    )
    assert rows(db_url) == CARRIED[:2]


def test_without_schedules_the_store_is_not_touched(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    src = tmp_path / "Plain.md"
    src.write_text("Question::answer\n")
    code, _ = run(
        "import", "obsidian", str(src), "--out", str(tmp_path / "out"), "--db", f"sqlite:///{db}"
    )
    assert code == 0
    assert not db.exists()
