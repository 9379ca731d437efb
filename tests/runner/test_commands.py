"""``studyrnn grade``, ``check`` and ``doctor`` through the real command line group."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyrnn.cli import cli
from tests.runner.conftest import FIXTURES

pytestmark = pytest.mark.slow


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_grade_pass_from_stdin_by_location() -> None:
    code, out, _ = run(
        "grade", f"{FIXTURES / 'predict.md'}:5", "--answer", "-", stdin="(2, 32, 20)\n"
    )
    assert (code, out) == (0, "pass: right\n")


def test_grade_an_unreadable_answer_says_where() -> None:
    code, out, _ = run("grade", f"{FIXTURES / 'predict.md'}:5", "--answer", "-", stdin="(2, 32,\n")
    assert (code, out) == (
        1,
        "unreadable: studyrnn cannot read this answer: expected a value after ',' at column 8\n"
        "  (2, 32,\n"
        "         ^\n",
    )


def test_grade_json_with_seed_on_a_parametric_card(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("(7, 3, 6)\n")
    code, out, _ = run(
        "--decks",
        str(FIXTURES),
        "grade",
        "lstm-hn-param",
        "--answer",
        str(answer),
        "--json",
        "--seed",
        "5",
    )
    assert code == 1
    got = json.loads(out)
    label = "batch_first does not apply to h_n and c_n: they are (layers, batch, hidden)"
    assert {k: got[k] for k in ("card", "verdict", "message", "device", "seed", "params")} == {
        "card": "lstm-hn-param",
        "verdict": "wrong",
        "message": f"{label}\nexpected (3, 7, 6), got (7, 3, 6)",
        "device": "cpu",
        "seed": 5,
        "params": {"layers": 3, "hidden": 6, "batch": 7},
    }
    assert isinstance(got["elapsed_ms"], float)


def test_grade_unknown_card_is_usage_error() -> None:
    code, _, err = run(
        "--decks", str(FIXTURES), "grade", "no-such-card", "--answer", "-", stdin="1"
    )
    assert code == 2
    assert err == (
        "error: unknown card `no-such-card`\n"
        "hint: give a card id (`<!-- id: ... -->`) or path.md:LINE\n"
    )


def test_grade_bad_line_is_usage_error() -> None:
    code, _, err = run("grade", f"{FIXTURES / 'predict.md'}:6", "--answer", "-", stdin="1")
    assert code == 2
    assert err.startswith("error: no card starts at ")


def test_check_reports_failing_cards_and_seeds() -> None:
    code, out, _ = run(
        "check",
        str(FIXTURES / "params.md"),
        str(FIXTURES / "write.md"),
        "--variants",
        "3",
        "--jobs",
        "2",
    )
    params, write = FIXTURES / "params.md", FIXTURES / "write.md"
    assert code == 1
    assert out.splitlines() == [
        f"{params}:23: breaks-on-small-n: internal (seed 2): the card's expect code failed at "
        f"{params}:29: IndexError: index 3 is out of bounds for dimension 0 with size 2",
        # a write card runs on 20 seeds at least, and names each one that fails
        *(
            f"{write}:66: starter-passes: wrong (seed {seed}): the starter passes the check at "
            f"{write}:68; it must not"
            for seed in range(1, 21)
        ),
        "checked 7 code cards (106 checks): 5 cards pass, 2 fail",
    ]


def test_check_json_shape() -> None:
    code, out, _ = run("check", str(FIXTURES / "predict.md"), "--json")
    assert code == 1
    data = json.loads(out)
    assert (data["passed"], data["failed"], data["skipped"]) == (14, 5, 1)
    failed = {r["card"] for r in data["results"] if r["verdict"] not in ("pass", "skipped")}
    assert failed == {
        "broken-expect",
        "wrong-equals-right",
        "raises-not",
        "raises-typo",
        "escapes-in-error",
    }
    first = data["results"][0]
    assert set(first) == {
        "card",
        "path",
        "line",
        "kind",
        "verdict",
        "message",
        "elapsed_ms",
        "device",
        "seed",
    }
    assert (first["card"], first["line"], first["kind"], first["verdict"]) == (
        "lstm-hn-shape",
        5,
        "predict",
        "pass",
    )
    param = next(r for r in data["results"] if r["card"] == "param-shape")
    assert set(param["params"]) == {"rows", "cols"}


SKIPPED_DECK = """---
deck: C
---
## `torch.zeros(2).shape`?
```python expect
torch.zeros(2).shape
```

## Write `f`
```python solution
def f(x):
    return x
```

## Predict with a stray solution
```python expect
1
```
```python solution
x = 1
```
```python bogus
```

## A basic card
Its answer.
"""


def test_check_names_the_cards_lint_errors_kept_from_it(tmp_path: Path) -> None:
    deck, unreadable = tmp_path / "d.md", tmp_path / "latin1.md"
    deck.write_text(SKIPPED_DECK)
    unreadable.write_bytes(b"## Caf\xe9?\nyes\n")
    code, out, _ = run("check", str(tmp_path), "--device", "cpu")
    assert (code, out.splitlines()) == (
        0,
        [
            f"{deck}:9: skipped, lint error: code-write card has a solution but no check fence "
            "(add a ```python check``` fence)",
            f"{deck}:15: skipped, lint error at line 19: a predict card (it has an expect fence) "
            "cannot have a ```python solution fence (those belong to write cards) (and 1 more "
            "error: `studyrnn lint` lists them)",
            f"{unreadable}:1: skipped this file, lint error: this file is not UTF-8 text "
            "(byte 6 (0xe9)); save it as UTF-8 (cards in it are not read)",
            "checked 1 code cards (1 checks): 1 cards pass, 0 fail; 2 cards skipped: lint found "
            "errors in them; 1 file skipped: lint could not read it",
        ],
    )
    code, out, _ = run("check", str(deck), "--device", "cpu", "--json")
    skipped = json.loads(out)["lint_skipped"]
    assert [(s["line"], [e["line"] for e in s["errors"]]) for s in skipped] == [
        (9, [9]),
        (15, [19, 22]),
    ]


def test_doctor_reports_isolation_and_speed() -> None:
    code, out, _ = run("doctor", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["probe_verdict"] == "pass"
    assert info["torch"].startswith("2.")
    assert info["device"] == "cpu"
    assert (info["mechanism"], info["confined"], info["reason"]) == ("namespaces", True, "")
    assert {name: p["held"] for name, p in info["protections"].items()} == {
        "files": True,
        "network": True,
        "processes": True,
        "capabilities": True,
        "persistence": True,
        "budgets": True,
    }
    assert info["worker_startup_ms"] > 0


def test_the_repos_decks_pass_check(repo_root: Path) -> None:
    code, out, _ = run("check", str(repo_root / "decks"), "--variants", "2")
    assert code == 0, out
    assert out.splitlines()[-1].endswith(" 0 fail")


def test_check_holds_cards_to_the_rules_of_issue_14() -> None:
    """A bool asked next to a second question fails; a write card runs on 20 seeds at least,
    its `wrong` answers must fail with their name in the diagnosis, its `also` answers pass."""
    rules = FIXTURES / "rules.md"
    code, out, _ = run("check", str(rules), "--variants", "1", "--jobs", "2", "--json")
    assert code == 1
    results = json.loads(out)["results"]
    seeds: dict[str, list[int]] = {}
    for r in results:
        seeds.setdefault(r["card"], []).append(r["seed"])
    assert {card: sorted(s) for card, s in seeds.items()} == {
        "bool-and": [1],
        "bool-colon": [1],
        "bool-one": [1],
        **{card: list(range(1, 21)) for card in ("double", "triple", "halve", "negate")},
    }
    # the values differ on every seed; the rest of each message is the same
    failing = {
        (r["card"], r["verdict"], re.sub(r"values differ \(.*?allowed\)\)", "values differ", m))
        for r in results
        if r["verdict"] != "pass"
        for m in [r["message"]]
    }
    assert sum(r["verdict"] != "pass" for r in results) == 2 + 3 * 20
    one = "a yes/no answer to one question is graded against the value of the other (ask one "
    one += "question; put the other in the Why line)"
    assert failing == {
        (
            "bool-and",
            "wrong",
            f'the expected value is a bool (True) but the front has an "and": {one}',
        ),
        (
            "bool-colon",
            "wrong",
            "the expected value is a bool (True) but the front has a yes/no question after the "
            f"value it asks for: {one}",
        ),
        (
            "triple",
            "wrong",
            f'the wrong answer "a right answer" at {rules}:72 passes the check; it must not',
        ),
        (
            "halve",
            "wrong",
            f'the wrong answer "twice x" at {rules}:92 fails (wrong), but the diagnosis does not '
            "name it: 'values differ' (make `diagnose` return a message that contains the "
            "fence's)",
        ),
        (
            "negate",
            "wrong",
            f"the alternative answer at {rules}:107 does not pass (wrong): values differ",
        ),
    }
