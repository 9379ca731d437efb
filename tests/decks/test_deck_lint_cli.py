"""``studyrnn lint`` and ``studyrnn new`` through click's runner: exact lines, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyrnn import config
from studyrnn.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "decks"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_clean_deck_exits_0_with_a_summary() -> None:
    assert run("lint", str(FIXTURES / "good")) == (
        0,
        "2 files, 3 cards (basic 1, cloze 0, choice 0, bidirectional 2, predict 0, write 0), "
        "0 errors, 0 warnings\n",
        "",
    )


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    deck = tmp_path / "w.md"
    deck.write_text("---\ncolour: red\n---\n## Q\nA\n")
    code, out, _ = run("lint", str(deck))
    assert code == 0
    assert out.splitlines() == [
        f"{deck}:2: warning: unknown front-matter key `colour` (known keys: deck, tags, source, "
        "description)",
        "1 file, 1 card (basic 1, cloze 0, choice 0, bidirectional 0, predict 0, write 0), "
        "0 errors, 1 warning",
    ]


def test_mixed_deck_reports_every_bad_card_and_counts_the_good_ones() -> None:
    path = FIXTURES / "mixed.md"
    code, out, err = run("lint", str(path))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[-1] == (
        "1 file, 9 cards (basic 3, cloze 2, choice 1, bidirectional 2, predict 1, write 0), "
        "9 errors, 2 warnings"
    )
    assert lines[:-1] == [
        f"{path}:4: warning: unknown front-matter key `colour` (known keys: deck, tags, source, "
        "description)",
        f"{path}:15: error: empty question: the `## ` heading has no text (write the question "
        "after `## `)",
        f"{path}:18: error: empty answer: nothing under this question (write the answer below "
        "the heading)",
        f"{path}:26: error: code-write card has a solution but no check fence (add a ```python "
        "check``` fence)",
        f"{path}:43: error: unknown fence role `expcet` (roles: setup, expect, wrong, solution, "
        "check, starter, params, also; did you mean `expect`?; a plain ```python fence is shown as "
        "code and never run)",
        f"{path}:48: error: unknown fence attribute `colour` (attributes: timeout, device, rtol, "
        "atol, raises)",
        f"{path}:56: error: cloze numbering skips c2 (this note has c1, c3; number the blanks "
        "c1, c2, ... without gaps)",
        f"{path}:59: error: cloze `{{{{c1::` never closes (an unmatched bracket keeps it open: "
        "brackets inside a blank must pair up)",
        f"{path}:66: error: no right option (mark at least one with `- [x]`)",
        f"{path}:69: error: duplicate id `good-basic`: also used at {path}:11 (ids are unique "
        "across all decks; rename one, this card is skipped)",
        f"{path}:75: warning: `## ` inside a code fence stays code and does not start a card (if "
        "you meant a new card, close the fence above it)",
    ]


def test_json_output_shape() -> None:
    path = FIXTURES / "dupes"
    code, out, _ = run("lint", "--json", str(path))
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["files", "cards", "parametric", "wrong_answers", "problems"]
    assert (data["parametric"], data["wrong_answers"]) == (0, 0)
    assert data["files"] == 2
    assert data["cards"] == {
        "basic": 3,
        "cloze": 0,
        "choice": 0,
        "bidirectional": 0,
        "predict": 0,
        "write": 0,
    }
    assert data["problems"][0] == {
        "path": str(path / "b.md"),
        "line": 5,
        "severity": "error",
        "code": "duplicate-id",
        "message": f"duplicate id `shared`: also used at {path / 'a.md'}:1 (ids are unique "
        "across all decks; rename one, this card is skipped)",
    }
    assert [p["severity"] for p in data["problems"]] == ["error", "warning"]


def test_json_counts_parametric_cards_and_named_wrong_answers(tmp_path: Path) -> None:
    target = tmp_path / "s.md"
    run("new", str(target))
    code, out, _ = run("lint", "--json", str(target))
    data = json.loads(out)
    assert code == 0
    assert (data["parametric"], data["wrong_answers"]) == (1, 2)
    assert data["problems"] == []


def test_missing_path_exits_2_with_a_clear_message() -> None:
    assert run("lint", "no/such/deck.md") == (
        2,
        "",
        "error: no such deck file or folder: no/such/deck.md\n"
        "hint: give a .md file or a folder of them (see `studyrnn lint --help`)\n",
    )


def test_default_paths_are_the_configured_decks() -> None:
    code, out, _ = run("lint", env={"STUDYRNN_DECKS": str(FIXTURES / "good")})
    assert code == 0
    assert out.startswith("2 files, 3 cards ")
    code, out, _ = run("--decks", str(FIXTURES / "dupes"), "lint")
    assert code == 1
    assert out.splitlines()[-1].startswith("2 files, 3 cards ")


def test_fix_ids_stamps_then_lints(tmp_path: Path) -> None:
    deck = tmp_path / "d.md"
    deck.write_text("## Q\nA\n")
    code, out, err = run("lint", "--fix-ids", str(deck))
    assert code == 0
    stamped = deck.read_text().splitlines()[1]
    assert stamped.startswith("<!-- id: q-") and stamped.endswith(" -->")
    new_id = stamped[len("<!-- id: ") : -len(" -->")]
    assert err.splitlines() == [
        f"{deck}:1: stamped id `{new_id}`",
        "fix-ids: stamped 1 id in 1 file",
    ]
    assert out.startswith("1 file, 1 card (basic 1,")
    assert run("lint", "--fix-ids", str(deck))[2] == "fix-ids: stamped 0 ids in 0 files\n"


def test_fix_ids_needs_paths() -> None:
    code, _, err = run("lint", "--fix-ids")
    assert code == 2
    assert err.startswith("error: --fix-ids writes to deck files, so it needs the paths")


def test_fix_ids_with_a_missing_path_writes_nothing(tmp_path: Path) -> None:
    deck = tmp_path / "d.md"
    deck.write_text("## Q\nA\n")
    code, _, _ = run("lint", "--fix-ids", str(deck), str(tmp_path / "missing.md"))
    assert code == 2
    assert deck.read_text() == "## Q\nA\n"


def test_new_writes_a_starter_that_lints_clean(tmp_path: Path) -> None:
    target = tmp_path / "decks" / "topics" / "my-topic.md"  # neither folder exists yet
    data = tmp_path / "data"
    code, out, _ = run("new", str(target), env={"XDG_DATA_HOME": str(data)})
    assert code == 0
    assert out == (
        f"wrote {target}: one example of every card kind. Next: edit it, then run "
        f"`studyrnn lint {target}`. `studyrnn help format` shows the deck format.\n"
        f"studyrnn does not read {target.parent} now. To study it with the bundled decks: "
        f"`studyrnn --decks {target.parent} --decks {config.bundled_decks_dir()} review`, or "
        f"keep your decks in {data / 'studyrnn' / 'decks'}, which is read with them.\n"
    )
    assert "`studyrnn help format` shows the whole format" in target.read_text()
    code, out, _ = run("lint", str(target))
    assert (code, out) == (
        0,
        "1 file, 9 cards (basic 1, cloze 2, choice 1, bidirectional 2, predict 2, write 1), "
        "0 errors, 0 warnings\n",
    )
    from studyrnn.decks.parser import parse_file

    cards = parse_file(target).cards
    assert {c.deck for c in cards} == {"My topic"}
    assert sum(c.is_parametric for c in cards) == 1
    assert all(c.explicit_id and c.explicit_id.startswith("my-topic-") for c in cards)


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "deck.md"
    target.write_text("mine")
    code, _, err = run("new", str(target))
    assert code == 2
    assert err == (
        f"error: {target} already exists; it was not changed\n"
        "hint: pick a new file name, or edit that deck directly\n"
    )
    assert target.read_text() == "mine"


def test_new_rejects_bad_targets(tmp_path: Path) -> None:
    code, _, err = run("new", str(tmp_path / "deck.txt"))
    assert (code, err.splitlines()[0]) == (2, f"error: {tmp_path / 'deck.txt'} is not a .md file")
    (tmp_path / "notes").write_text("a file, not a folder")
    code, _, err = run("new", str(tmp_path / "notes" / "deck.md"))
    assert (code, err.splitlines()) == (
        2,
        [
            f"error: cannot create the folder {tmp_path / 'notes'}: File exists",
            "hint: pick a path in a folder you can write to",
        ],
    )
    assert not list(tmp_path.glob("*.md"))


@pytest.mark.slow
def test_new_code_cards_are_correct_pytorch(tmp_path: Path) -> None:
    """The starter's code cards run: predict values differ from their named wrong answers,
    the write card's solution passes its check and its starter does not."""
    torch = pytest.importorskip("torch")
    import math

    from studyrnn.decks.params import draw
    from studyrnn.decks.parser import parse_file

    target = tmp_path / "s.md"
    run("new", str(target))
    for card in parse_file(target).cards:
        if card.code is None:
            continue
        for seed in range(5):
            ns: dict[str, object] = {
                "torch": torch,
                "nn": torch.nn,
                "F": torch.nn.functional,
                "math": math,
                "device": "cpu",
            }
            if card.code.params is not None:
                ns.update(draw(card.code.params.code, seed))
            if card.code.expect is not None:
                assert card.code.setup is not None
                exec(card.code.setup.code, ns)
                right = eval(card.code.expect.code, ns)
                for wrong in card.code.wrongs:
                    assert tuple(eval(wrong.code, ns)) != tuple(right)
            else:
                assert card.code.solution and card.code.check and card.code.starter
                results = []
                for code in (card.code.solution.code, card.code.starter.code):
                    space = dict(ns)
                    exec(code, space)
                    exec(card.code.check.code, space)
                    gen = torch.Generator().manual_seed(seed)
                    results.append(space["observe"](space, gen))  # type: ignore[operator]
                want, starter = results
                assert not torch.allclose(starter, want)
                assert torch.allclose(want.mean(dim=0), torch.zeros(3, dtype=want.dtype))


def test_lint_of_a_copied_fixture_folder_is_stable(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good", tmp_path / "good")
    code, out, _ = run("lint", str(tmp_path / "good"))
    assert code == 0
    assert out.endswith("0 errors, 0 warnings\n")
