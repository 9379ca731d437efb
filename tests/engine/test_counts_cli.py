"""`studyrnn due` and `studyrnn stats` print the same counts as the app, and `due` names the
new-card limit once it stops new cards. The real click group on a real store; the answers are
given through the engine at the real time, as the commands read it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from studyrnn.cli import cli
from studyrnn.engine.study import Study
from studyrnn.values import Rating


def deck(name: str, n: int) -> str:
    return f"---\ndeck: {name}\n---\n" + "".join(
        f"## {name} question {i}?\nAnswer {i}.\n\n" for i in range(n)
    )


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_due_and_stats_agree_and_due_names_the_limit(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.md").write_text(deck("Alpha", 22))
    (decks / "b.md").write_text(deck("Beta", 3))
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    study = Study(db, [decks])
    try:
        study.sync()
        queue = study.queue("Alpha")
        study.answer(queue[0], Rating.GOOD, duration_ms=500)  # 1m step passed: 10m step next
        for cid in queue[1:20]:
            study.answer(cid, Rating.EASY, duration_ms=500)
    finally:
        study.close()
    assert run("due", str(decks), "--db", db).splitlines() == [
        "deck        new   lrn   due",
        "Alpha         0     1     0",
        "Beta          0     0     0",
        "all decks     0     1     0",
        "5 new cards wait for tomorrow: the daily new-card limit is at 20/20 today, shared by"
        " all decks (set in Settings).",
        "To study more today: press m on a deck in the app (Study more).",
    ]
    assert run("stats", str(decks), "--db", db).splitlines()[:2] == [
        "reviews today: 20",
        "left today: 0 new · 1 lrn · 0 due",
    ]
    stats = json.loads(run("stats", str(decks), "--db", db, "--json"))
    assert stats["left_today"] == {"new": 0, "learning": 1, "review": 0}
    assert stats["forecast"][0]["due"] == 1  # today's part is today's queue


def test_a_plain_session_says_why_it_ends(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.md").write_text(deck("Alpha", 20))
    (decks / "b.md").write_text(deck("Beta", 2))
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    study = Study(db, [decks])
    try:
        study.sync()
        for cid in study.queue("Alpha"):
            study.answer(cid, Rating.EASY, duration_ms=500)
    finally:
        study.close()
    result = CliRunner().invoke(
        cli, ["review", "--plain", "--deck", "Beta", str(decks), "--db", db], input=""
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "nothing more is due today",
        "2 new cards wait for tomorrow: the daily new-card limit is at 20/20 today, shared by"
        " all decks (set in Settings).",
        "to study more today: press m on the deck in the app (Study more)",
        "reviewed 0 cards",
    ]
