"""``studyrnn journal list|show|export`` on a real SQLite store, through click's runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from recall_helpers import GOLDEN, Clock
from test_recall_export import make_session

from studyrnn.cli import cli
from studyrnn.recall.journal import Target
from studyrnn.recall.service import RecallJournal


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "journal", *args])
    return result.exit_code, result.stdout, result.stderr


def two_sessions(journal: RecallJournal, clock: Clock) -> None:
    make_session(journal, clock)
    clock.advance(days=1)
    journal.start("Chapter 10 from memory\nsecond line", (Target("PyTorch basics"),))


def test_list_with_no_sessions_says_how_to_start(db_url: str) -> None:
    assert run(db_url, "list") == (
        0,
        "No recall sessions yet.\n"
        "hint: start one with `studyrnn recall`, or press r on the app's Home screen\n",
        "",
    )


def test_list(journal: RecallJournal, clock: Clock, db_url: str) -> None:
    two_sessions(journal, clock)
    code, out, err = run(db_url, "list")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "  #  started (UTC)        spent  stage      marks, then the goal",
        "  1  2026-11-29 09:30    32 min  done       ✓ 1  🟡 1  🔴 2  – 1  "
        "Recall chapter 13 on RNNs, then the PyTorch basics.",
        "  2  2026-11-30 10:02       0 s  recall     ✓ 0  🟡 0  🔴 0  – 0  Chapter 10 from memory",
    ]


def test_show(journal: RecallJournal, clock: Clock, db_url: str) -> None:
    two_sessions(journal, clock)
    code, out, err = run(db_url, "show", "1")
    assert (code, err) == (0, "")
    golden = (GOLDEN / "recall-001-2026-11-29.md").read_text(encoding="utf-8")
    assert out == (
        "Session 1 (done): RNNs › LSTM, RNNs › Recurrent neurons, PyTorch basics\n"
        "Started 2026-11-29 09:30 UTC; 32 min (writing 25 min, checking 7 min).\n"
        "5 cards: 1 ✓ recalled, 1 🟡 shaky, 2 🔴 missed, 1 skipped.\n"
        "\n" + golden
    )


def test_show_an_unknown_session_is_an_error_with_a_hint(db_url: str) -> None:
    assert run(db_url, "show", "9") == (
        2,
        "",
        "error: there is no recall session 9\n"
        "hint: run `studyrnn journal list` to see the sessions and their numbers\n",
    )


def test_export_one_matches_the_golden_file(
    journal: RecallJournal, clock: Clock, db_url: str, tmp_path: Path
) -> None:
    two_sessions(journal, clock)
    out = tmp_path / "notes" / "recall"
    code, stdout, _ = run(db_url, "export", "1", "--out", str(out))
    assert (code, stdout) == (0, f"wrote {out / 'recall-001-2026-11-29.md'}\n")
    assert [p.name for p in out.iterdir()] == ["recall-001-2026-11-29.md"]
    assert (out / "recall-001-2026-11-29.md").read_text(encoding="utf-8") == (
        GOLDEN / "recall-001-2026-11-29.md"
    ).read_text(encoding="utf-8")


def test_export_all(journal: RecallJournal, clock: Clock, db_url: str, tmp_path: Path) -> None:
    two_sessions(journal, clock)
    code, stdout, _ = run(db_url, "export", "--all", "--out", str(tmp_path))
    assert code == 0
    assert stdout.splitlines() == [
        f"wrote {tmp_path / 'recall-001-2026-11-29.md'}",
        f"wrote {tmp_path / 'recall-002-2026-11-30.md'}",
    ]
    assert (
        (tmp_path / "recall-002-2026-11-30.md")
        .read_text(encoding="utf-8")
        .startswith("# Goal\nChapter 10 from memory\nsecond line\n\n# Debrief\n\n\n# Notes\n")
    )


def test_export_needs_a_number_or_all(db_url: str) -> None:
    code, out, err = run(db_url, "export")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: which session?",
        "hint: for example `studyrnn journal export 3` or `studyrnn journal export --all`; "
        "`studyrnn journal list` shows the numbers",
    ]
    code, _, err = run(db_url, "export", "1", "--all")
    assert (code, err.splitlines()[0]) == (2, "error: give a session number or --all, not both")


def test_export_to_a_file_path_is_an_error(
    journal: RecallJournal, clock: Clock, db_url: str, tmp_path: Path
) -> None:
    make_session(journal, clock)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(db_url, "export", "1", "--out", str(blocker / "sub"))
    assert code == 2
    assert err.splitlines()[0].startswith(f"error: cannot write to {blocker / 'sub'}: ")
    assert err.splitlines()[1] == "hint: pick another folder with --out"


def test_recall_with_a_missing_deck_folder_is_an_error(db_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "--decks", str(tmp_path / "nope"), "recall", "RNNs"]
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"error: deck path not found: {tmp_path / 'nope'}",
        "hint: pass a deck folder or a .md file that exists",
    ]
