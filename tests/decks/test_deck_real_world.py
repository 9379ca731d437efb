"""Real-world markdown (issue 13): each reproducer of a silent loss or a wrong parse, with the
exact cards read and the exact lint lines. GitHub's rendering is the reference: a heading it
shows is a card, one it does not show (in a comment, in an HTML block) is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from studyrnn.cli import cli
from studyrnn.decks.fix_ids import fix_ids
from studyrnn.decks.parser import combine, parse_text

HTML_HEADING = (
    "warning: this heading is part of the HTML block above it (which runs on to the next "
    "blank line), so it is raw text on GitHub and no card (put a blank line before it)"
)
EMPTY_BUT_COMMENTS = (
    "error: empty answer: nothing under this question but comments or rules (write the "
    "answer below the heading)"
)


def lint(src: str | bytes) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(front, back, section) of every card and every problem line, as `studyrnn lint`
    reports them (a file on its own, through the cross-file checks)."""
    decks = combine([parse_text(src, "d.md")])
    cards = [(c.front, c.back, c.section) for c in decks.cards]
    return cards, [p.format() for p in decks.problems]


def deep_list(levels: int) -> str:
    return "".join("  " * i + "- x\n" for i in range(levels))


# --- 1. deep lists ---------------------------------------------------------------------------


def test_a_deep_list_keeps_every_later_card() -> None:
    src = "## Q1\nA1\n\n" + deep_list(10) + "\n## Q2\nA2\n\n## Q3\nA3\n"
    cards, problems = lint(src)
    assert cards == [
        ("Q1", "A1\n\n" + deep_list(10).rstrip("\n"), ""),
        ("Q2", "A2", ""),
        ("Q3", "A3", ""),
    ]
    assert problems == []


@pytest.mark.parametrize("levels", [49, 60, 2000])
def test_a_list_deeper_than_the_nesting_limit_skips_only_itself(levels: int) -> None:
    cards, problems = lint("## Q1\nA1\n\n" + deep_list(levels) + "\n## Q2\nA2\n")
    assert [c[0] for c in cards] == ["Q1", "Q2"]
    assert cards[1] == ("Q2", "A2", "")
    assert problems == []


def test_thousands_of_nested_quotes_and_lists_keep_the_next_card() -> None:
    src = "## Q\n" + "> " * 5000 + "deep\n" + "- " * 5000 + "x\n\n## Q2\nA2\n"
    cards, problems = lint(src)
    assert [c[0] for c in cards] == ["Q", "Q2"]
    assert problems == []


# --- 2. headings in HTML comments and HTML blocks ------------------------------------------


def test_a_heading_in_a_comment_is_not_a_card() -> None:
    src = "## Live\nyes\n\n<!--\n## Draft question\ndraft answer\n-->\n"
    assert lint(src) == (
        [("Live", "yes\n\n<!--\n## Draft question\ndraft answer\n-->", "")],
        [],
    )


def test_a_heading_right_under_details_is_raw_html_and_reported() -> None:
    src = "## Live\nyes\n\n<details>\n## Hidden\nno\n</details>\n"
    assert lint(src) == (
        [("Live", "yes\n\n<details>\n## Hidden\nno\n</details>", "")],
        [f"d.md:5: {HTML_HEADING}"],
    )


def test_a_heading_after_a_blank_line_inside_details_is_a_card_as_on_github() -> None:
    src = "<details>\n\n## Shown\nyes\n\n</details>\n"
    assert lint(src) == ([("Shown", "yes\n\n</details>", "")], [])


def test_a_heading_in_pre_is_not_a_card() -> None:
    src = "## Live\nyes\n\n<pre>\n## Hidden\n\nno\n</pre>\n"
    assert lint(src) == ([("Live", "yes\n\n<pre>\n## Hidden\n\nno\n</pre>", "")], [])


def test_a_commented_out_section_is_not_the_next_cards_section() -> None:
    src = "# Kept\n\n<!--\n# Old section\n-->\n## Q\nA\n"
    assert lint(src) == ([("Q", "A", "Kept")], [])


def test_a_comment_that_never_closes_is_reported() -> None:
    src = "## Q\nA\n\n<!-- draft\n## Hidden\nB\n"
    assert lint(src) == (
        [("Q", "A\n\n<!-- draft\n## Hidden\nB", "")],
        [
            "d.md:4: warning: this HTML comment never closes, so everything after it is "
            "hidden, on GitHub too (end it with `-->`)"
        ],
    )


def test_fix_ids_never_writes_inside_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    src = "## Live\nyes\n\n<!--\n## Draft question\ndraft answer\n-->\n"
    path.write_text(src)
    result = fix_ids([path])
    assert [(s.line, s.id.startswith("live-")) for s in result.stamps] == [(1, True)]
    assert path.read_text() == src.replace(
        "## Live\n", f"## Live\n<!-- id: {result.stamps[0].id} -->\n"
    )


# --- 3. a rule or a comment right after a choice list -------------------------------------


@pytest.mark.parametrize("after", ["---", "<!-- note -->"])
def test_a_rule_or_comment_after_a_choice_list_ends_the_list(after: str) -> None:
    src = f"## Pick\n- [x] a\n- [ ] b\n{after}\nWhy: because\n"
    assert lint(src) == (
        [("Pick\n\n- a\n- b", f"- ✓ a\n- ✗ b\n\n{after}\nWhy: because", "")],
        [],
    )


# --- 4. a leading `---` that is not front matter -------------------------------------------


def test_a_leading_rule_over_cards_is_not_front_matter() -> None:
    src = "---\n## Q1\nA1\n\n## Q2\nA2\n---\n\n## Q3\nA3\n"
    assert lint(src) == ([("Q1", "A1", ""), ("Q2", "A2\n---", ""), ("Q3", "A3", "")], [])


def test_a_card_between_two_rules_is_read_and_its_empty_answer_reported() -> None:
    assert lint("---\n## Draft\n---\n## Q2\nA2\n") == (
        [("Q2", "A2", "")],
        [f"d.md:2: {EMPTY_BUT_COMMENTS}"],
    )


def test_a_leading_rule_over_a_question_with_a_colon_is_not_unclosed_front_matter() -> None:
    assert lint("---\n## Q: what is x?\nx\n") == ([("Q: what is x?", "x", "")], [])


def test_a_yaml_list_between_rules_is_read_as_markdown_with_a_warning() -> None:
    cards, problems = lint("---\n- a\n---\n## Q\nA\n")
    assert cards == [("Q", "A", "")]
    assert problems == [
        "d.md:1: warning: this `---` block is not read as front matter, because it is not "
        "`key: value` YAML, so it is a rule and the lines under it are markdown (front matter "
        "is YAML such as `deck: RNNs` between two `---` lines)"
    ]


def test_front_matter_that_never_closes_is_a_rule_with_a_warning() -> None:
    cards, problems = lint("---\ndeck: x\n\n## Q\nA\n")
    assert cards == [("Q", "A", "")]
    assert problems == [
        "d.md:1: warning: front matter never closes, so this `---` is read as a rule and its "
        "`key: value` lines as text (end the front matter with a `---` line)"
    ]


def test_prose_between_two_rules_at_the_top_is_quietly_markdown() -> None:
    assert lint("---\nSome notes on this deck.\n---\n## Q\nA\n") == ([("Q", "A", "")], [])


def test_real_front_matter_still_names_the_deck() -> None:
    deck = parse_text("---\ndeck: RNNs\n# a YAML comment\n---\n## Q\nA\n", "d.md")
    assert (deck.deck, [c.front for c in deck.cards], deck.problems) == ("RNNs", ["Q"], ())


# --- 5. a repeated question is reported once ------------------------------------------------


def test_a_repeated_question_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("## Same?\nA\n\n## Same?\nB\n")
    result = CliRunner().invoke(cli, ["lint", str(path)])
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            f"{path}:4: warning: the same question as line 1 in deck `d` (reword one so the "
            "learner can tell them apart)",
            "1 file, 2 cards (basic 2, cloze 0, choice 0, bidirectional 0, predict 0, write 0), "
            "0 errors, 1 warning",
        ],
    )


def test_a_question_repeated_across_two_files_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndeck: D\n---\n## Same?\nA\n")
    (tmp_path / "b.md").write_text("---\ndeck: D\n---\n## Same?\nB\n")
    result = CliRunner().invoke(cli, ["lint", str(tmp_path)])
    assert result.stdout.splitlines()[:-1] == [
        f"{tmp_path / 'b.md'}:4: warning: the same question as {tmp_path / 'a.md'}:4 in deck "
        "`D` (reword one so the learner can tell them apart)"
    ]


# --- 6. smaller ----------------------------------------------------------------------------


def test_a_cloze_in_a_section_heading_is_an_error() -> None:
    assert lint("# The {{c1::forget}} gate\n## Q\nA\n") == (
        [("Q", "A", "The {{c1::forget}} gate")],
        [
            "d.md:1: error: a cloze blank in a section heading (`# `), which holds no card "
            "(make it a `## ` card heading, or write `\\{{c1::` for a literal `{{c1::`)"
        ],
    )


def test_why_inside_a_fence_does_not_cut_a_cloze_front() -> None:
    src = "## Q\n{{c1::x}} = 1\n```python\nWhy: not this\ny = 2\n```\nmore\n\nWhy: this\n"
    body = "= 1\n```python\nWhy: not this\ny = 2\n```\nmore"
    assert lint(src) == ([(f"Q\n\n[...] {body}", f"Q\n\nx {body}\n\nWhy: this", "")], [])


def test_why_inside_a_fence_does_not_cut_a_predict_front() -> None:
    src = "## Q\nRead this:\n```python\nWhy: 1\n```\n```python expect\n1\n```\nWhy: because\n"
    assert lint(src) == ([("Q\n\nRead this:\n```python\nWhy: 1\n```", "Why: because", "")], [])


@pytest.mark.parametrize("body", ["<!-- just a note -->", "<!--\nTODO\n-->\n\n---"])
def test_an_answer_of_only_comments_or_rules_is_empty(body: str) -> None:
    assert lint(f"## Q\n{body}\n\n## R\nB\n") == (
        [("R", "B", "")],
        [f"d.md:1: {EMPTY_BUT_COMMENTS}"],
    )


def test_unclosed_fence_recovery_skips_a_python_comment() -> None:
    cards, problems = lint("## Q1\n```python\n# a comment\nx = 1\n## Q2\nA2\n")
    assert cards == [("Q2", "A2", "")]
    assert problems == [
        "d.md:2: error: unterminated fence: this ``` never closes (add a closing ``` line "
        "after the code)"
    ]


def test_unclosed_fence_recovery_keeps_a_section_heading_over_the_next_card() -> None:
    cards, _ = lint("## Q1\n```python\nx = 1\n\n# Part two\n\n## Q2\nA2\n")
    assert cards == [("Q2", "A2", "Part two")]


def test_a_blank_left_open_before_a_later_blank_never_closes() -> None:
    assert lint("## Q\n{{c1::x and later {{c2::y}}\n") == (
        [],
        ["d.md:2: error: cloze `{{c1::` never closes (end it with `}}`)"],
    )


def test_toml_front_matter_is_reported() -> None:
    assert lint('+++\ntitle = "x"\n+++\n## Q\nA\n') == (
        [("Q", "A", "")],
        [
            "d.md:1: warning: TOML front matter (`+++`) is not read: it shows as text (write "
            "it as YAML between two `---` lines, e.g. `deck: RNNs`)"
        ],
    )


def test_front_matter_after_a_blank_first_line_is_reported() -> None:
    deck = parse_text("\n---\ndeck: D\n---\n## Q\nA\n", "d.md")
    assert deck.deck == "d"
    assert [c.front for c in deck.cards] == ["Q"]
    assert [p.format() for p in deck.problems] == [
        "d.md:2: warning: front matter must start on the first line: after a blank line this "
        "`---` block is read as text (remove the blank lines above it)"
    ]


def test_a_byte_order_mark_in_the_middle_of_the_file_is_reported() -> None:
    src = "## Q\nA\n\ufeff## R\nB\n".encode()
    assert lint(src) == (
        [("Q", "A\n\ufeff## R\nB", "")],
        [
            "d.md:3: warning: an invisible byte-order mark (U+FEFF) inside the file: a heading "
            "after it is plain text (delete it; it is often left by joining files)"
        ],
    )


def test_a_date_as_deck_name_is_text() -> None:
    deck = parse_text("---\ndeck: 2024-01-01\nsource: 2023-05-06\n---\n## Q\nA\n", "d.md")
    assert (deck.deck, deck.cards[0].source, deck.problems) == ("2024-01-01", "2023-05-06", ())


# --- the two inputs that were quadratic (their speed is measured in parse_bench.py) ----------


def test_many_unclosed_fences_are_each_reported_from_one_tokenizing_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from markdown_it import MarkdownIt

    calls: list[int] = []
    real_parse = MarkdownIt.parse

    def counted(self: MarkdownIt, src: str, env: Any = None) -> Any:
        calls.append(len(src))
        return real_parse(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", counted)
    src = "".join(f"## Q{i}\n```python\n# step {i}\nx = {i}\n\n" for i in range(2000))
    deck = parse_text(src + "## Last\nkept\n", "d.md")
    assert len(calls) == 1  # once: the rest of the file is not parsed again per fence
    assert [c.front for c in deck.cards] == ["Last"]
    assert [(p.line, p.code) for p in deck.problems] == [
        (5 * i + 2, "unterminated-fence") for i in range(2000)
    ]


def test_many_identical_questions_get_consecutive_keys_and_one_warning_each() -> None:
    src = "".join(f"## Same?\nAnswer {i}.\n\n" for i in range(2000))
    decks = combine([parse_text(src, "d.md")])
    first = decks.cards[0].key
    assert [c.key for c in decks.cards] == [first] + [f"{first}~{n}" for n in range(2, 2001)]
    assert [p.line for p in decks.problems] == [3 * i + 1 for i in range(1, 2000)]
    assert {p.message for p in decks.problems} == {
        "the same question as line 1 in deck `d` (reword one so the learner can tell them apart)"
    }


def test_keys_stay_unique_when_a_second_file_repeats_the_questions() -> None:
    a = parse_text("---\ndeck: D\n---\n## Same?\n1\n\n## Same?\n2\n", "a.md")
    b = parse_text("---\ndeck: D\n---\n## Same?\n3\n", "b.md")
    decks = combine([a, b])
    first = decks.cards[0].key
    assert [c.key for c in decks.cards] == [first, f"{first}~2", f"{first}~3"]
    assert [p.format() for p in decks.problems] == [
        "a.md:7: warning: the same question as line 4 in deck `D` (reword one so the learner "
        "can tell them apart)",
        "b.md:4: warning: the same question as a.md:4 in deck `D` (reword one so the learner "
        "can tell them apart)",
    ]


# --- other tools' cards: detected and named, with the command that converts them -----------

FOREIGN = Path(__file__).resolve().parent.parent / "fixtures" / "decks" / "foreign"


def test_other_formats_are_named_with_their_converter() -> None:
    result = CliRunner().invoke(cli, ["lint", str(FOREIGN)])
    hint = "studyrnn reads a `## question` heading with the answer under it"
    assert (result.exit_code, result.stdout.splitlines()) == (
        1,
        [
            f"{FOREIGN / 'anki-cloze.md'}:3: error: a cloze blank outside any card (put it under "
            "a `## question` heading, or write `\\{{c1::` for a literal `{{c1::`)",
            f"{FOREIGN / 'anki-cloze.md'}:3: warning: no cards in this file, but it looks like "
            f"Anki cards (`{{{{c1::...}}}}` cloze lines outside any card): {hint} (put each "
            "under a `## question` heading: studyrnn reads the same cloze syntax)",
            f"{FOREIGN / 'hashcards.md'}:5: warning: no cards in this file, but it looks like "
            f"hashcards cards (`Q:` and `A:` lines): {hint} (convert them with `studyrnn import "
            f"hashcards {FOREIGN / 'hashcards.md'} --out DIR`)",
            f"{FOREIGN / 'mixed-in.md'}:10: warning: this looks like hashcards cards (`Q:` and "
            "`A:` lines) inside the answer of the card on line 7, where they are text, not cards "
            f"(convert them with `studyrnn import hashcards {FOREIGN / 'mixed-in.md'} --out DIR`)",
            f"{FOREIGN / 'obsidian.md'}:9: warning: no cards in this file, but it looks like "
            f"Obsidian Spaced Repetition cards (`question::answer` lines): {hint} (convert them "
            f"with `studyrnn import obsidian {FOREIGN / 'obsidian.md'} --out DIR`)",
            "4 files, 2 cards (basic 2, cloze 0, choice 0, bidirectional 0, predict 0, write 0), "
            "1 error, 4 warnings",
        ],
    )


@pytest.mark.parametrize(
    ("src", "line", "sign"),
    [
        (
            "Reversed:::both ways\n",
            1,
            "Obsidian Spaced Repetition cards (`question:::answer` lines)",
        ),
        ("Question\n??\nAnswer\n", 2, "Obsidian Spaced Repetition cards (a `??` line)"),
        ("An ==LSTM== gate\n", 1, "Obsidian Spaced Repetition cards (`==highlighted==` clozes)"),
        (
            "text\n<!--SR:!2024-01-01,3,250-->\n",
            2,
            "Obsidian Spaced Repetition cards (`<!--SR:...-->` scheduling comments)",
        ),
        ("C: The [forget gate] erases.\n", 1, "hashcards cards (`C:` cloze lines)"),
    ],
)
def test_each_sign_of_another_format(src: str, line: int, sign: str) -> None:
    _, problems = lint(src)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"d.md:{line}: warning: no cards in this file, but it looks like {sign}: "
    )


@pytest.mark.parametrize(
    "body",
    [
        "Use `std::vector` or std::vector here.",
        "Slices: x[::2] and a[1::3].",
        "```cpp\nQ: x\nA: y\nfoo::bar\n```",
        "Is it?\n\n?\n\nyes",  # `?` alone between blank lines is no separator
        "A ==highlight== in an answer is fine.",
    ],
)
def test_code_and_prose_are_not_taken_for_other_formats(body: str) -> None:
    assert lint(f"## Q\n{body}\n")[1] == []


def test_other_tools_comments_under_a_heading_are_ordinary_comments() -> None:
    src = "## Q\n<!--SR:!2024-01-01,3,250-->\nA\n\n## R\n<!-- TODO: reword -->\nB\n"
    cards, problems = lint(src)
    assert cards == [
        ("Q", "<!--SR:!2024-01-01,3,250-->\nA", ""),
        ("R", "<!-- TODO: reword -->\nB", ""),
    ]
    assert problems == []


def test_a_metadata_key_close_to_a_known_one_is_still_an_error() -> None:
    assert lint("## Q\n<!-- Tags: a -->\nA\n")[1] == [
        "d.md:2: error: unknown metadata `Tags` (did you mean `tags`? known: id, tags, source; "
        "write `<!-- Tags -->` without a colon for an ordinary comment)"
    ]
