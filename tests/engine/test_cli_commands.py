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
        "hidden": [],
    }  # fmt: skip


def test_a_decks_folder_replaces_the_bundled_decks_and_sync_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --decks, ./decks is used instead of the bundled decks, not beside them: the
    bundled decks' cards stay in the store (with their history) and stop showing."""
    from studyrnn import config

    bundled = config.bundled_decks_dir()
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    runner = CliRunner(env={"STUDYRNN_DB": db, "STUDYRNN_DECKS": ""})
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["sync"], catch_exceptions=False)
    stored = int(first.output.split()[1].rstrip(","))  # "added N, ..."
    assert stored > 100
    Path("decks").mkdir()
    Path("decks/rnn.md").write_text(DECK)
    second = runner.invoke(cli, ["sync"], catch_exceptions=False)
    assert second.output.splitlines() == [
        "added 2, changed 0, carried over 0, retired 0, unchanged 0",
        f"bundled decks not configured now: {stored} cards kept in the store, hidden until "
        "configured again",
    ]
    due = runner.invoke(cli, ["due", "--json"], catch_exceptions=False)
    assert json.loads(due.output) == [
        {"deck": "RNNs", "new": 2, "learning": 0, "review": 0, "total": 2}
    ]
    review = runner.invoke(cli, ["review", "--plain"], input="\n1\n\n1\nq\n")
    lines = review.output.splitlines()
    assert lines[0] == second.output.splitlines()[1]
    headers = [line for line in lines if line.startswith("---")]
    assert headers[:2] == ["--- RNNs (new)", "--- RNNs (new)"]
    assert all(header.startswith("--- RNNs (") for header in headers)  # no bundled card
    assert lines[-1] == "reviewed 2 cards: again 2"
    # configured again, the bundled decks come back with every card
    both = runner.invoke(cli, ["--decks", "decks", "--decks", str(bundled), "sync"])
    assert both.output.splitlines() == [
        f"added 0, changed 0, carried over 0, retired 0, unchanged {stored + 2}"
    ]
    due = runner.invoke(cli, ["--decks", "decks", "--decks", str(bundled), "due", "--json"])
    assert sum(row["total"] for row in json.loads(due.output)) == stored + 2


def test_another_decks_folder_names_the_decks_it_hides(env: tuple[str, Path]) -> None:
    db, decks = env
    other = decks.parent / "decks2"  # its path starts with the other folder's: not inside it
    other.mkdir()
    (other / "gru.md").write_text("---\ndeck: GRUs\n---\n## What does a GRU lack?\nA cell state.\n")
    run("sync", str(decks), "--db", db)
    assert run("--decks", str(other), "sync", "--db", db)[1].splitlines() == [
        "added 1, changed 0, carried over 0, retired 0, unchanged 0",
        "decks not configured now (RNNs): 2 cards kept in the store, hidden until configured again",
    ]
    code, out = run("--decks", str(other), "due", "--db", db, "--json")
    assert code == 0
    assert json.loads(out) == [{"deck": "GRUs", "new": 1, "learning": 0, "review": 0, "total": 1}]
    assert run("sync", str(decks), "--db", db)[1].splitlines()[1] == (
        "decks not configured now (GRUs): 1 card kept in the store, hidden until configured again"
    )
    code, out = run("due", str(decks), "--db", db, "--json")
    assert [row["deck"] for row in json.loads(out)] == ["RNNs"]


def test_stats_count_the_configured_decks_and_say_what_is_hidden(env: tuple[str, Path]) -> None:
    """Cards of decks not configured now are left out of the card counts, as `due` leaves
    them out; the review log is counted whole, and the last line says both."""
    db, decks = env
    other = decks.parent / "decks2"
    other.mkdir()
    (other / "gru.md").write_text("---\ndeck: GRUs\n---\n## What does a GRU lack?\nA cell state.\n")
    run("review", "--plain", str(decks), "--db", db, input="\n4\n")  # one RNNs card, Easy
    run("sync", str(other), "--db", db)
    assert run("stats", str(other), "--db", db)[1].splitlines() == [
        "reviews today: 1",
        "left today: 1 new · 0 lrn · 0 due",
        "streak: 1 day",
        "true retention, last 30 days: no reviews to measure",
        "leeches: 0",
        "due in the next 30 days: nothing",
        "not counted: 2 cards of decks not configured now (left today, leeches and the forecast "
        "leave them out; reviews today, streak and retention include their reviews)",
    ]
    both = run("stats", str(decks), str(other), "--db", db)[1].splitlines()
    assert both[1] == "left today: 2 new · 0 lrn · 0 due"
    assert both[5] == "due in the next 30 days: 1 card"
    assert len(both) == 8  # the forecast's two lines, and no hidden line
    hidden = json.loads(run("stats", str(other), "--db", db, "--json")[1])
    assert (hidden["hidden_cards"], sum(d["due"] for d in hidden["forecast"])) == (2, 0)


def test_plain_review_records_each_answer_and_ends_on_q(env: tuple[str, Path]) -> None:
    db, decks = env
    code, out = run("review", "--plain", str(decks), "--db", db, input="\nbogus\ngood\n\nq\n")
    assert code == 0
    assert out.splitlines() == [
        "--- RNNs (new)",
        "What does an LSTM's forget gate decide?",
        "press Enter to show the answer ",
        "Which parts of the long-term state to erase.",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); q to stop: ",
        "type 1, 2, 3 or 4 (or again, hard, good, easy), or q to stop",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); q to stop: ",
        "recorded",
        "--- RNNs (new)",
        "What does a GRU merge?",
        "press Enter to show the answer ",
        "The forget and input gates.",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); q to stop: ",
        "reviewed 1 card: good 1",
    ]
    code, out = run("due", str(decks), "--db", db, "--json")
    assert json.loads(out) == [{"deck": "RNNs", "new": 1, "learning": 1, "review": 0, "total": 2}]


CHOICE_AND_CODE = """---
deck: Mix
---
## Which of these activations saturate for large inputs?
- [x] `tanh`
- [x] sigmoid
- [ ] ReLU

Why: tanh and sigmoid flatten out at **both** ends.

## What does `optimizer.zero_grad()` do?
It sets each `.grad` to `None`, as [the docs](https://pytorch.org/docs) say:

```python
for p in model.parameters():
    p.grad = None
```
"""


def test_plain_review_prints_options_once_and_code_as_plain_text(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "mix.md").write_text(CHOICE_AND_CODE)
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    typed = "a d\nac\n\n\n3\nq\n"
    code, out = run("review", "--plain", str(decks), "--db", db, input=typed)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:23] + lines[-1:] == [
        "--- Mix (new)",
        "Which of these activations saturate for large inputs?",
        "  a) tanh",
        "  b) sigmoid",
        "  c) ReLU",
        "your pick (letters such as a c; Enter to show the answer): ",
        "type letters from a to c (such as a c), or Enter",
        "your pick (letters such as a c; Enter to show the answer): ",
        "  a) right: tanh (your pick)",
        "  b) right: sigmoid",
        "  c) wrong: ReLU (your pick)",
        "Why: tanh and sigmoid flatten out at both ends.",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); Enter for Again; "
        "q to stop: ",
        "recorded",
        "--- Mix (new)",
        "What does optimizer.zero_grad() do?",
        "press Enter to show the answer ",
        "It sets each .grad to None, as the docs (https://pytorch.org/docs) say:",
        "",
        "    for p in model.parameters():",
        "        p.grad = None",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); q to stop: ",
        "recorded",
        "reviewed 2 cards: again 1, good 1",
    ]
    assert "`" not in out and "*" not in out


WRITE = """---
deck: Code
---
## Define `double(x)`
```python solution
def double(x):
    return 2 * x
```
```python check
def observe(ns, gen):
    return ns["double"](torch.arange(3))
```
Why: *broadcasting* does the rest.
"""


def test_plain_review_shows_a_write_cards_reference_solution(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "write.md").write_text(WRITE)
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    code, out = run("review", "--plain", str(decks), "--db", db, input="\n3\nq\n")
    assert code == 0, out
    assert out.splitlines()[:9] == [
        "--- Code (new)",
        "Define double(x)",
        "press Enter to show the answer ",
        "reference solution:",
        "    def double(x):",
        "        return 2 * x",
        "",
        "Why: broadcasting does the rest.",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); q to stop: ",
    ]


def test_plain_review_ends_cleanly_at_end_of_input(env: tuple[str, Path]) -> None:
    db, decks = env
    code, out = run("review", "--plain", str(decks), "--db", db, input="\n4\n")
    assert code == 0
    assert out.splitlines()[-1] == "reviewed 1 card: easy 1"
    code, out = run("stats", str(decks), "--db", db, "--json")
    stats = json.loads(out)
    assert (stats["reviews_today"], stats["streak_days"], stats["leeches"]) == (1, 1, 0)
    assert stats["button_mix"] == {"again": 0, "hard": 0, "good": 0, "easy": 1}
    assert len(stats["forecast"]) == 30


def test_stats_on_an_empty_store(env: tuple[str, Path]) -> None:
    db, decks = env
    code, out = run("stats", str(decks), "--db", db)
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
    assert lines[:7] == [
        "--- Code (new)",
        "torch.zeros(2, 3).shape?",
        "your answer: ",
        "checker: pass: right",
        "expected value: (2, 3)",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); Enter for Good; q to stop: ",
        "recorded",
    ]
    assert lines[-1] == "reviewed 1 card: good 1"
    study = Study(db, [decks])
    try:
        [info] = study.search()
        [row] = study.history(info.card_id)
        assert (row.rating, row.verdict) == (3, "pass")
    finally:
        study.close()


WRONG_PREDICT = """---
deck: Code
---
## `torch.zeros(2, 3).shape`?
```python setup
x = torch.zeros(2, 3)
```
```python expect
x.shape
```
```python wrong "rows and columns swapped"
torch.Size([3, 2])
```
Why: the sizes come in the order given.

## `torch.ones(4).shape`?
```python expect
torch.ones(4).shape
```
"""


@pytest.mark.slow
def test_plain_review_shows_the_expected_value_after_a_wrong_answer_and_a_skip(
    tmp_path: Path,
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "code.md").write_text(WRONG_PREDICT)
    db = f"sqlite:///{tmp_path / 'studyrnn.db'}"
    typed = "(3, 2)\n\n\n1\nq\n"  # Enter takes the suggestion; then Enter skips the check
    code, out = run("--device", "cpu", "review", "--plain", str(decks), "--db", db, input=typed)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:17] + lines[-1:] == [
        "--- Code (new)",
        "torch.zeros(2, 3).shape?",
        "",
        "    x = torch.zeros(2, 3)",
        "your answer: ",
        "checker: wrong: rows and columns swapped",
        "  expected (2, 3), got (3, 2)",
        "expected value: (2, 3)",
        "Why: the sizes come in the order given.",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (9d); Enter for Again; "
        "q to stop: ",
        "recorded",
        "--- Code (new)",
        "torch.ones(4).shape?",
        "your answer: ",
        "expected value: (4,)",
        "rating: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); q to stop: ",
        "recorded",
        "reviewed 2 cards: again 2",
    ]


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


def test_a_typo_in_a_command_names_the_closest_one() -> None:
    result = CliRunner().invoke(cli, ["reveiw"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: No such command 'reveiw': did you mean `review`?"
    )
    result = CliRunner().invoke(cli, ["xyzzy"])
    assert result.output.splitlines()[-1] == "Error: No such command 'xyzzy'."


def test_help_format_prints_the_deck_format_page() -> None:
    code, out = run("help", "format")
    docs = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"
    assert (code, out) == (0, docs.read_text(encoding="utf-8"))
    code, out = run("help")
    assert out.splitlines()[:2] == [
        "topics (`studyrnn help TOPIC`):",
        "  format        the deck format: cards of every kind, code cards, checks",
    ]
    result = CliRunner().invoke(cli, ["help", "due"], prog_name="studyrnn")
    assert (result.exit_code, result.output.splitlines()[0]) == (
        0,
        "Usage: studyrnn due [OPTIONS] [PATHS]...",
    )
    result = CliRunner().invoke(cli, ["help", "fromat"])
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "error: no help topic `fromat`",
            "hint: topics: format, editors, security, architecture; or the name of a command",
        ],
    )
