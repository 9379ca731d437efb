"""Never lose a review: a reviewing process killed with SIGKILL loses no acknowledged answer,
and two processes answering in one SQLite file at once lose nothing and corrupt nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyrnn.engine.study import Study

LOOP = Path(__file__).with_name("answer_loop.py")
DECK = "".join(f"## Durability question {i}?\nAnswer {i}.\n\n" for i in range(12))

pytestmark = pytest.mark.slow


def prepared(tmp_path: Path) -> tuple[str, Path, Path]:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.md").write_text(DECK)
    path = tmp_path / "studyrnn.db"
    url = f"sqlite:///{path}"
    study = Study(url, [decks])
    study.sync()
    study.close()
    return url, decks, path


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(LOOP), *args],
        # The child imports the checkout under test, not whichever studyrnn is installed.
        env={**os.environ, "PYTHONPATH": str(LOOP.parent.parent.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stored_reviews(path: Path) -> dict[int, int]:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return dict(con.execute("SELECT id, card_id FROM reviews").fetchall())
    finally:
        con.close()


@pytest.mark.parametrize("round_", range(3))
def test_kill_9_loses_no_acknowledged_review(tmp_path: Path, round_: int) -> None:
    url, decks, path = prepared(tmp_path)
    proc = spawn(url, str(decks), "0")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    acked: dict[int, int] = {}
    wanted = 20 + random.Random(round_).randrange(40)
    while len(acked) < wanted:
        line = proc.stdout.readline()
        assert line.startswith("ack "), line + (proc.stderr.read() if proc.stderr else "")
        _, review_id, card_id = line.split()
        acked[int(review_id)] = int(card_id)
    time.sleep(random.Random(round_).random() * 0.05)  # land somewhere inside an answer
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    study = Study(url, [decks])  # reopens, recovers the WAL
    try:
        stored = stored_reviews(path)
        assert {rid: stored.get(rid) for rid in acked} == acked
        for card_id in set(acked.values()):
            reps = study.card_info(card_id).reps
            assert reps == len(study.history(card_id))  # the card and its log agree
    finally:
        study.close()


def test_two_processes_answering_at_once_lose_nothing(tmp_path: Path) -> None:
    url, decks, path = prepared(tmp_path)
    go = tmp_path / "go"
    procs = [spawn(url, str(decks), "60", str(go)) for _ in range(2)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    acked: dict[int, int] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            _, review_id, card_id = line.split()
            acked[int(review_id)] = int(card_id)
    assert len(acked) == 120  # every answer got its own row
    stored = stored_reviews(path)
    assert stored == acked
    study = Study(url, [decks])
    try:
        for card_id in set(acked.values()):
            # no lost update: each card's counter saw every answer of both processes
            assert study.card_info(card_id).reps == len(study.history(card_id)) == 10
    finally:
        study.close()
