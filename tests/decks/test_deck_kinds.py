"""Every card kind: its fields, front and back, and its identity."""

from __future__ import annotations

from studyrnn.decks.keys import derived_note_key
from studyrnn.decks.model import CardKind, Choice, DeckFile, Role
from studyrnn.decks.parser import parse_text


def parse(src: str, path: str = "decks/test.md") -> DeckFile:
    return parse_text(src, path)


def test_basic_card_fields() -> None:
    deck = parse(
        "---\ndeck: RNNs\ntags: [ch13, rnn]\nsource: HOML ch13\n---\n\n# LSTM\n\n"
        "## What does an LSTM's forget gate decide?\n"
        "<!-- id: lstm-forget-gate -->\n"
        "<!-- tags: gates, lstm -->\n"
        "Which parts of `c_{t-1}` to erase.\n\nWhy: it is a sigmoid layer.\n"
    )
    assert deck.problems == ()
    assert deck.deck == "RNNs"
    assert deck.front_matter == (
        ("deck", "RNNs"),
        ("tags", ["ch13", "rnn"]),
        ("source", "HOML ch13"),
    )
    (card,) = deck.cards
    assert card.kind is CardKind.BASIC
    assert card.key == card.note_key == card.explicit_id == "lstm-forget-gate"
    assert card.deck == "RNNs"
    assert card.section == "LSTM"
    assert card.front == "What does an LSTM's forget gate decide?"
    assert card.back == "Which parts of `c_{t-1}` to erase.\n\nWhy: it is a sigmoid layer."
    assert card.body == card.back
    assert card.line == 9
    assert card.path == "decks/test.md"
    assert card.tags == ("ch13", "gates", "lstm", "rnn")
    assert card.source == "HOML ch13"
    assert card.code is None and card.cloze is None and card.choices == ()


def test_card_source_overrides_the_file_source() -> None:
    deck = parse("---\nsource: book\n---\n## Q\n<!-- source: the docs -->\nA\n")
    assert deck.cards[0].source == "the docs"


def test_deck_name_defaults_to_the_file_name() -> None:
    deck = parse("## Q\nA\n", path="decks/rnn-basics_2.md")
    assert deck.deck == "rnn basics 2"
    assert deck.cards[0].deck == "rnn basics 2"


def test_key_without_id_is_derived_from_deck_and_normalized_front() -> None:
    one = parse("## What  is a Tensor?\nA\n").cards[0]
    two = parse("## what is a tensor?\nAn edited answer.\n").cards[0]
    assert one.explicit_id is None
    assert one.key == one.note_key == derived_note_key("test", "what is a tensor?")
    assert one.key == two.key  # editing the answer keeps the key
    other_deck = parse("## What is a tensor?\nA\n", path="other.md").cards[0]
    assert other_deck.key != one.key


def test_cloze_siblings_share_the_note() -> None:
    deck = parse(
        "## The LSTM cell state update\n<!-- id: lstm-cell -->\n"
        "`c_t = {{c1::f_t ⊙ c_{t-1}}} + {{c2::i_t ⊙ g_t::input gate times candidate}}`\n"
    )
    assert deck.problems == ()
    c1, c2 = deck.cards
    assert (c1.kind, c1.cloze, c1.key, c1.note_key) == (
        CardKind.CLOZE,
        1,
        "lstm-cell#c1",
        "lstm-cell",
    )
    assert (c2.cloze, c2.key, c2.note_key) == (2, "lstm-cell#c2", "lstm-cell")
    assert c1.front == "The LSTM cell state update\n\n`c_t = [...] + i_t ⊙ g_t`"
    assert c2.front == (
        "The LSTM cell state update\n\n`c_t = f_t ⊙ c_{t-1} + [input gate times candidate]`"
    )
    assert c1.back == c2.back == "The LSTM cell state update\n\n`c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t`"


def test_cloze_front_stops_before_why_unless_a_blank_follows() -> None:
    deck = parse("## Step\n`step(z) = {{c1::0}}` if `z < 0`\n\nWhy: below zero it is 0.\n")
    assert deck.cards[0].front == "Step\n\n`step(z) = [...]` if `z < 0`"
    assert deck.cards[0].back == "Step\n\n`step(z) = 0` if `z < 0`\n\nWhy: below zero it is 0."
    deck = parse("## Step\n{{c1::a}}\n\nWhy: because {{c2::b}}.\n")
    assert [c.front for c in deck.cards] == [
        "Step\n\n[...]\n\nWhy: because b.",
        "Step\n\na\n\nWhy: because [...].",
    ]


def test_cloze_in_heading_and_code_fence() -> None:
    deck = parse(
        "## {{c1::Adam}} keeps two moving averages\n"
        "```python\nopt = torch.optim.{{c2::AdamW}}(params, lr={{c3::1e-3}})\n```\n"
    )
    assert deck.problems == ()
    assert [c.cloze for c in deck.cards] == [1, 2, 3]
    assert deck.cards[0].front.startswith("[...] keeps two moving averages\n\n```python\n")
    assert deck.cards[2].front.endswith("opt = torch.optim.AdamW(params, lr=[...])\n```")


def test_cloze_without_id_keys_from_its_whole_text() -> None:
    a = parse("## Equations\n{{c1::x}}\n\n## Equations\n{{c1::y}}\n")
    assert a.problems == ()
    assert a.cards[0].key != a.cards[1].key
    assert a.cards[0].key.endswith("#c1")


def test_choice_card() -> None:
    deck = parse(
        "## Which of these saturate?\n<!-- id: sat -->\nPick all.\n\n"
        "- [x] tanh\n- [X] sigmoid\n- [ ] ReLU\n\nWhy: both flatten out.\n"
    )
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.CHOICE
    assert card.choices == (Choice("tanh", True), Choice("sigmoid", True), Choice("ReLU", False))
    assert card.front == "Which of these saturate?\n\nPick all.\n\n- tanh\n- sigmoid\n- ReLU"
    assert card.back == "- ✓ tanh\n- ✓ sigmoid\n- ✗ ReLU\n\nWhy: both flatten out."


def test_bidirectional_card() -> None:
    deck = parse(
        "## GRU <-> a recurrent cell with two gates\n<!-- id: gru-def -->\nCho et al., 2014.\n"
    )
    assert deck.problems == ()
    fwd, rev = deck.cards
    assert (fwd.kind, fwd.key, fwd.note_key) == (CardKind.BIDIRECTIONAL, "gru-def:fwd", "gru-def")
    assert rev.key == "gru-def:rev"
    assert (fwd.front, fwd.back) == ("GRU", "a recurrent cell with two gates\n\nCho et al., 2014.")
    assert (rev.front, rev.back) == ("a recurrent cell with two gates", "GRU\n\nCho et al., 2014.")


def test_predict_card() -> None:
    src = (
        "## `h_n.shape` of this LSTM?\n"  # 1
        "<!-- id: hn -->\n"  # 2
        "Assume `proj_size=0`.\n"  # 3
        "```python setup timeout=10 device=any\n"  # 4
        "lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)\n"  # 5
        "out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))\n"  # 6
        "```\n"  # 7
        "```python expect rtol=1e-4 atol=0\n"  # 8
        "h_n.shape\n"  # 9
        "```\n"  # 10
        '```python wrong "batch_first does not apply to h_n"\n'  # 11
        "(h_n.shape[1], h_n.shape[0], h_n.shape[2])\n"  # 12
        "```\n"  # 13
        '```python wrong "forgot \\"layers\\""\n'  # 14
        "(32, 20)\n"  # 15
        "```\n"  # 16
        "Why: `batch_first` changes only the input and `output`.\n"  # 17
    )
    deck = parse(src)
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.PREDICT
    assert card.code is not None
    code = card.code
    assert code.setup is not None and code.setup.role is Role.SETUP
    assert code.setup.line == 4
    assert code.setup.code == (
        "lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)\n"
        "out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))"
    )
    assert code.setup.attrs == (("timeout", "10"), ("device", "any"))
    assert code.expect is not None and (code.expect.code, code.expect.line) == ("h_n.shape", 8)
    assert [(w.label, w.line) for w in code.wrongs] == [
        ("batch_first does not apply to h_n", 11),
        ('forgot "layers"', 14),
    ]
    assert (code.timeout, code.device, code.rtol, code.atol) == (10.0, "any", 1e-4, 0.0)
    assert code.solution is code.check is code.starter is code.params is None
    assert card.front == (
        "`h_n.shape` of this LSTM?\n\nAssume `proj_size=0`.\n\n```python\n"
        "lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)\n"
        "out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))\n```"
    )
    assert card.back == "Why: `batch_first` changes only the input and `output`."
    assert not card.is_parametric


def test_write_card() -> None:
    src = (
        "## Define `double(x)`\n"
        "```python starter\ndef double(x):\n    ...\n```\n"
        "```python solution\ndef double(x):\n    return 2 * x\n```\n"
        "```python check\ndef observe(ns, gen):\n    return ns['double'](torch.ones(2))\n```\n"
        "Why: multiplication broadcasts.\n"
    )
    deck = parse(src)
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.WRITE
    assert card.code is not None
    assert card.code.starter is not None and card.code.starter.line == 2
    assert card.code.solution is not None and card.code.solution.line == 6
    assert card.code.check is not None and card.code.check.line == 10
    assert (card.code.timeout, card.code.device) == (None, "cpu")
    assert card.front == "Define `double(x)`"
    assert (
        card.back
        == "```python\ndef double(x):\n    return 2 * x\n```\n\nWhy: multiplication broadcasts."
    )


def test_parametric_predict_card() -> None:
    src = (
        "## `h_n.shape` of a {{=layers}}-layer LSTM on ({{=batch}}, 5, 10)?\n"
        "```python params\nlayers = choice([1, 2, 3])\nbatch = randint(2, 64)\n```\n"
        "```python setup\nlstm = nn.LSTM(10, 20, num_layers=layers)\n"
        "out, (h_n, c_n) = lstm(torch.randn(5, batch, 10))\n```\n"
        "```python expect\nh_n.shape\n```\n"
        "Shown with {{=batch}} rows.\n"
    )
    deck = parse(src)
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.is_parametric
    assert card.placeholders == ("layers", "batch")
    assert card.code is not None and card.code.params is not None
    assert card.code.params.code == "layers = choice([1, 2, 3])\nbatch = randint(2, 64)"
    assert card.front == (
        "`h_n.shape` of a {{=layers}}-layer LSTM on ({{=batch}}, 5, 10)?\n\n"
        "Shown with {{=batch}} rows.\n\n```python\nlayers = {{=layers!r}}\nbatch = {{=batch!r}}\n"
        "lstm = nn.LSTM(10, 20, num_layers=layers)\n"
        "out, (h_n, c_n) = lstm(torch.randn(5, batch, 10))\n```"
    )


def test_plain_python_fence_and_other_languages_are_just_code() -> None:
    deck = parse("## What does this print?\n```python\nprint(1)\n```\n```text\nsetup\n```\n")
    assert deck.problems == ()
    assert deck.cards[0].kind is CardKind.BASIC
    assert "```python\nprint(1)\n```" in deck.cards[0].back


def test_escaped_cloze_opener_is_text_shown_without_backslash() -> None:
    deck = parse("## How do you write a literal cloze opener?\nAs `\\{{c1::`.\n")
    assert deck.problems == ()
    assert deck.cards[0].kind is CardKind.BASIC
    assert deck.cards[0].back == "As `{{c1::`."
    assert deck.cards[0].body == "As `\\{{c1::`."


def test_h2_inside_a_fence_does_not_split_the_card() -> None:
    deck = parse("## Q\n```markdown\n## not a card\n```\n")
    assert len(deck.cards) == 1
    assert "## not a card" in deck.cards[0].back


def test_setext_heading_is_not_a_card() -> None:
    deck = parse("## Q\nAnswer\n---\nmore\n")
    assert len(deck.cards) == 1


def test_digest_is_sha256_of_the_bytes() -> None:
    import hashlib

    data = b"## Q\r\nA\r\n"
    assert parse_text(data, "x.md").digest == hashlib.sha256(data).hexdigest()
