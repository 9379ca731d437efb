"""The headless commands, run through the real click group on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyrnn.cli import cli

DECK = """---
deck: RNNs
---
## What does an LSTM's forget gate decide?
<!-- id: lstm-forget-gate -->
Which parts of the long-term state to erase.

## What does a GRU merge?
The forget and input gates.
"""

SAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fsrs-review-log-sample.csv"
)


@pytest.fixture
def env(tmp_path: Path) -> tuple[str, Path]:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rnn.md").write_text(DECK)
    return f"sqlite:///{tmp_path / 'studyrnn.db'}", decks


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_sync_prints_the_report_line(env: tuple[str, Path]) -> None:
    db, decks = env
    assert run("sync", str(decks), "--db", db) == (
        0,
        "added 2, changed 0, carried over 0, retired 0, unchanged 0\n",
    )
    code, out = run("sync", str(decks), "--db", db, "--json")
    assert code == 0
    assert json.loads(out) == {
        "added": 0, "changed": 0, "carried_over": 0, "retired": 0, "unchanged": 2, "problems": [],
    }  # fmt: skip


def test_plain_review_records_each_answer_and_ends_on_q(env: tuple[str, Path]) -> None:
    db, decks = env
    code, out = run("review", "--plain", str(decks), "--db", db, input="\nbogus\ngood\n\nq\n")
    assert code == 0
    assert out.splitlines() == [
        "--- RNNs (new)",
        "What does an LSTM's forget gate decide?",
        "press Enter to show the answer ",
        "Which parts of the long-term state to erase.",
        "rating (1 again, 2 hard, 3 good, 4 easy; q to stop): ",
        "type 1, 2, 3 or 4 (or again, hard, good, easy), or q to stop",
        "rating (1 again, 2 hard, 3 good, 4 easy; q to stop): ",
        "recorded",
        "--- RNNs (new)",
        "What does a GRU merge?",
        "press Enter to show the answer ",
        "The forget and input gates.",
        "rating (1 again, 2 hard, 3 good, 4 easy; q to stop): ",
        "reviewed 1 card: good 1",
    ]
    code, out = run("due", str(decks), "--db", db, "--json")
    assert json.loads(out) == [{"deck": "RNNs", "new": 1, "learning": 1, "review": 0, "total": 2}]


def test_plain_review_ends_cleanly_at_end_of_input(env: tuple[str, Path]) -> None:
    db, decks = env
    code, out = run("review", "--plain", str(decks), "--db", db, input="\n4\n")
    assert code == 0
    assert out.splitlines()[-1] == "reviewed 1 card: easy 1"
    code, out = run("stats", "--db", db, "--json")
    stats = json.loads(out)
    assert (stats["reviews_today"], stats["streak_days"], stats["leeches"]) == (1, 1, 0)
    assert stats["button_mix"] == {"again": 0, "hard": 0, "good": 0, "easy": 1}
    assert len(stats["forecast"]) == 30


def test_stats_on_an_empty_store(env: tuple[str, Path]) -> None:
    db, _decks = env
    code, out = run("stats", "--db", db)
    assert code == 0
    assert out.splitlines()[:5] == [
        "reviews today: 0",
        "left today: 0 new · 0 lrn · 0 due",
        "streak: 0 days",
        "true retention, last 30 days: no reviews to measure",
        "leeches: 0",
    ]


def test_a_corrupt_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    path.write_bytes(b"garbage" * 50)
    result = CliRunner().invoke(cli, ["stats", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 1
    assert f"error: cannot read the database {path}" in result.output
    assert "hint: there is no backup beside it" in result.output


@pytest.mark.slow
def test_import_reviews_then_optimize(env: tuple[str, Path]) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"the shared review log is not at {SAMPLE}")
    db, _decks = env
    assert run("import-reviews", str(SAMPLE), "--db", db, "--tz", "America/Los_Angeles") == (
        0,
        "imported 12580 reviews of 1205 cards (0 already there);"
        " study days in America/Los_Angeles\n",
    )
    assert run("import-reviews", str(SAMPLE), "--db", db, "--tz", "America/Los_Angeles")[1] == (
        "imported 0 reviews of 1205 cards (12580 already there);"
        " study days in America/Los_Angeles\n"
    )
    code, out = run("optimize", "--db", db, "--json")
    first = json.loads(out)
    assert code == 0 and first["reviews"] == 12580 and first["kept"] is True
    assert first["fitted"]["log_loss"] < first["current"]["log_loss"]
    assert first["margin"] == first["gain"] - first["noise"] and first["margin"] > 0
    assert len(first["seed_log_losses"]) == 8 and first["recomputed_cards"] == 1205
    code, out = run("optimize", "--db", db)
    lines = out.splitlines()
    assert lines[1].startswith("current parameters: log loss ")
    assert lines[2].startswith("fitted parameters:  log loss ")
    assert lines[3].startswith("gain ") and ", margin -" in lines[3]
    assert lines[4] == (
        "kept the current parameters: the fitted ones do not beat them by more than the noise"
    )


def test_import_reviews_refuses_an_unknown_zone(env: tuple[str, Path]) -> None:
    db, _decks = env
    code, out = run("import-reviews", "x.csv", "--db", db, "--tz", "Mars/Olympus")
    assert (code, out.splitlines()) == (
        2,  # a usage error
        [
            "error: unknown time zone 'Mars/Olympus'",
            "hint: use an IANA name such as America/Los_Angeles or UTC",
        ],
    )


PREDICT = """---
deck: Code
---
## `torch.zeros(2, 3).shape`?
<!-- id: zeros-shape -->
```python expect
torch.zeros(2, 3).shape
```
"""


@pytest.mark.slow
def test_plain_review_judges_a_predict_card_with_the_checker(tmp_path: Path) -> None:
    from studyrnn.engine.study import Study

    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "code.md").write_text(PREDICT)
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    code, out = run(
        "--device", "cpu", "review", "--plain", str(decks), "--db", db, input="(2, 3)\n\nq\n"
    )
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:3] == ["--- Code (new)", "`torch.zeros(2, 3).shape`?", "your answer: "]
    assert lines[3].startswith("checker: pass")
    assert lines[4] == "rating (1 again, 2 hard, 3 good, 4 easy, Enter for good; q to stop): "
    assert lines[5] == "recorded"
    assert lines[-1] == "reviewed 1 card: good 1"
    study = Study(db, [decks])
    try:
        [info] = study.search()
        [row] = study.history(info.card_id)
        assert (row.rating, row.verdict) == (3, "pass")
    finally:
        study.close()


@pytest.mark.slow
def test_plain_review_asks_again_for_an_unreadable_answer(tmp_path: Path) -> None:
    from studyrnn.engine.study import Study

    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "code.md").write_text(PREDICT)
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    typed = "torch.zeros(2, 3).shape\n\x1b[2J(2, 3)\n(2, 3)\n\nq\n"
    code, out = run("--device", "cpu", "review", "--plain", str(decks), "--db", db, input=typed)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[2:12] == [
        "your answer: ",
        "studyrnn cannot read this answer: 'torch.zeros(...)' is a call: an answer is a value "
        "such as (2, 3) or tensor([1., 2.]), and studyrnn never runs it at column 1",
        "  torch.zeros(2, 3).shape",
        "  ^",
        "fix your answer (Enter to skip the check): ",
        "studyrnn cannot read this answer: '\\x1b' is not part of a value at column 1",
        "  \\x1b[2J(2, 3)",
        "  ^",
        "fix your answer (Enter to skip the check): ",
        "checker: pass: right",
    ]
    assert "\x1b" not in out
    study = Study(db, [decks])
    try:
        [info] = study.search()
        [row] = study.history(info.card_id)
        assert (row.rating, row.verdict) == (3, "pass")
    finally:
        study.close()


def test_due_caps_each_deck_by_the_shared_limit_and_says_so(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    for name in ("Alpha", "Beta"):
        (decks / f"{name.lower()}.md").write_text(
            f"---\ndeck: {name}\n---\n"
            + "".join(f"## {name} question {i}?\nAnswer {i}.\n\n" for i in range(15))
        )
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    assert run("due", str(decks), "--db", db) == (
        0,
        "deck        new   lrn   due\n"
        "Alpha        15     0     0\n"
        "Beta         15     0     0\n"
        "all decks    20     0     0\n",
    )
    code, out = run("due", "--help")
    assert code == 0
    assert 'the deck rows can add up to more than the "all decks" row' in " ".join(out.split())
