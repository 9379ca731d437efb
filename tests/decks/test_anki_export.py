"""``studyrnn export anki``: each card kind becomes the Anki note it should, ids stay the same from
one export to the next, and Anki's own backend (the ``anki`` package, a test dependency only)
imports the package with every note, field and card, and updates rather than duplicates."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from studyrnn.cli import cli
from studyrnn.decks.anki_html import ClozeExportError, cloze_html, to_html
from studyrnn.decks.anki_notes import AnkiNote, NoteType, build_notes
from studyrnn.decks.anki_writer import MODEL_IDS, deck_id, write_package
from studyrnn.decks.model import CardKind
from studyrnn.decks.parser import load

DECK = Path(__file__).resolve().parent.parent / "fixtures" / "decks" / "anki" / "export.md"
SECTION = "Anki export::Recurrent nets"
PREDICT_VALUE = "(9, 2)"  # tuple(out.shape) on variant 1: n_in = 3, batch = 9


def note(
    key: str, note_type: NoteType, kind: CardKind, fields: tuple[str, ...], **kw: object
) -> AnkiNote:
    defaults: dict[str, object] = {"deck": SECTION, "tags": ("export",), "cards": 1}
    defaults.update(kw)
    return AnkiNote(
        note_type=note_type,
        fields=fields,
        guid=genanki.guid_for(key),
        key=key,
        kind=kind,
        **defaults,  # type: ignore[arg-type]
    )


PREDICT_FRONT = (
    "<p><code>out.shape</code> of <code>nn.Linear(3, 2)</code> on a batch of 9?</p>\n"
    '<pre><code class="language-python">n_in = 3\nbatch = 9\n'
    "out = nn.Linear(n_in, 2)(torch.randn(batch, n_in))\n</code></pre>"
)
PREDICT_WHY = "<p>Why: one row per example, one column per output.</p>"


def expected_notes(predict_back: str) -> list[AnkiNote]:
    return [
        note(
            "ax-basic",
            NoteType.BASIC,
            CardKind.BASIC,
            (
                "<p>What does <code>optimizer.zero_grad()</code> set the gradients to?</p>",
                "<p><code>None</code>, by default.</p>\n"
                "<p>Why: <code>backward()</code> adds into <code>.grad</code>.</p>",
            ),
            deck="Anki export",
            tags=("export", "optim", "two_words"),
        ),
        note(
            "ax-bidi",
            NoteType.REVERSED,
            CardKind.BIDIRECTIONAL,
            (
                "<p>GRU</p>",
                "<p>a gated recurrent unit</p>",
                "<p>Why: it has an update gate and a reset gate.</p>",
            ),
            cards=2,
        ),
        note(
            "ax-cloze",
            NoteType.CLOZE,
            CardKind.CLOZE,
            (
                "<p>The LSTM cell state</p>\n"
                "<p><code>c_t = {{c1::f_t ⊙ c_&#123;t-1&#125;}} + "
                "{{c2::i_t ⊙ g_t::input gate times candidate}}</code>, with\n"
                "<strong>{{c1::x[&#58;&#58;2]}}</strong> and a literal "
                "&#123;&#123;c3:: opener.</p>",
                "<p>Why: the forget gate keeps part of the old state.</p>",
            ),
            cards=2,
        ),
        note(
            "ax-choice",
            NoteType.BASIC,
            CardKind.CHOICE,
            (
                "<p>Which of these activations saturate?</p>\n"
                "<ul>\n<li>tanh</li>\n<li>ReLU</li>\n</ul>",
                "<ul>\n<li>✓ tanh</li>\n<li>✗ ReLU</li>\n</ul>\n"
                "<p>Why: ReLU grows without bound.</p>",
            ),
        ),
        note(
            "ax-predict",
            NoteType.BASIC,
            CardKind.PREDICT,
            (PREDICT_FRONT, predict_back),
            tags=("export", "studyrnn-code"),
        ),
        note(
            "ax-write",
            NoteType.BASIC,
            CardKind.WRITE,
            (
                "<p>Define <code>double(x)</code>: twice <code>x</code></p>",
                '<pre><code class="language-python">'
                "def double(x):\n    return 2 * x\n</code></pre>\n"
                "<p>Why: multiplying by 2 doubles every element.</p>",
            ),
            tags=("export", "studyrnn-code"),
        ),
    ]


VALUE_BACK = f"<p>Expected value:</p>\n<pre><code>{PREDICT_VALUE}\n</code></pre>\n{PREDICT_WHY}"


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def package_rows(
    path: Path, tmp: Path
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The notes (guid, note type id, fields, tags) and cards (guid, deck id, ord) of an apkg,
    read straight from its SQLite collection."""
    with zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", tmp)
    db = sqlite3.connect(tmp / "collection.anki2")
    try:
        notes = db.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY guid").fetchall()
        cards = db.execute(
            "SELECT n.guid, c.did, c.ord FROM cards c JOIN notes n ON n.id = c.nid "
            "ORDER BY n.guid, c.ord"
        ).fetchall()
    finally:
        db.close()
    return notes, cards


def shown(side: str) -> str:
    """A side of a card as Anki renders it, less the note type's CSS."""
    return side.split("</style>", 1)[1]


# --- the notes ----------------------------------------------------------------------------


def test_each_kind_becomes_its_anki_note() -> None:
    result = build_notes(load([DECK]).cards, expected={"ax-predict": PREDICT_VALUE})
    assert result.problems == ()
    assert result.left_out == 0
    assert list(result.notes) == expected_notes(VALUE_BACK)
    # the guid is the note id's, whatever genanki version made it
    assert result.notes[0].guid == "M)Bl*>JOrZ"


def test_a_predict_card_without_a_value_shows_its_expect_code() -> None:
    result = build_notes(load([DECK]).cards)
    predict = next(n for n in result.notes if n.key == "ax-predict")
    assert predict.fields == (
        PREDICT_FRONT,
        "<p>The value of:</p>\n"
        '<pre><code class="language-python">tuple(out.shape)\n</code></pre>\n' + PREDICT_WHY,
    )


def test_no_code_leaves_the_code_cards_out() -> None:
    result = build_notes(load([DECK]).cards, code=False)
    assert [n.key for n in result.notes] == ["ax-basic", "ax-bidi", "ax-cloze", "ax-choice"]
    assert result.left_out == 2
    assert result.problems == ()


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        (
            "{{c1::Paris}} is in {{c2::France::a country}}.",
            "<p>{{c1::Paris}} is in {{c2::France::a country}}.</p>",
        ),
        ("`x = {{c1::a < b}}`", "<p><code>x = {{c1::a &lt; b}}</code></p>"),
        ('{{c1::{"a": 1}}} maps', "<p>{{c1::&#123;&quot;a&quot;: 1&#125;}} maps</p>"),
        (r"{{c1::a\::b}}", "<p>{{c1::a&#58;&#58;b}}</p>"),
        ("{{c1::ends:}}", "<p>{{c1::ends&#58;}}</p>"),
        ("{{c1::a::see::this}}", "<p>{{c1::a::see&#58;&#58;this}}</p>"),
        (r"{{c1::x}} and \{{c2:: literal", "<p>{{c1::x}} and &#123;&#123;c2:: literal</p>"),
        (
            "{{c1::**bold**}} <!-- a comment --> <b>",
            "<p>{{c1::<strong>bold</strong>}}  &lt;b&gt;</p>",
        ),
        (
            "```python\ny = {{c1::x[0]}}\n```",
            '<pre><code class="language-python">y = {{c1::x[0]}}\n</code></pre>',
        ),
    ],
)
def test_cloze_blanks_are_written_as_anki_reads_them(markdown: str, html: str) -> None:
    assert cloze_html(markdown) == html


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (
            "[a link]({{c1::https://x.org}})",
            "a blank is not plain text once rendered (is it in a link?)",
        ),
        ("no blank", "the text has no cloze blank"),
        ("{{c1::open", "cloze `{{c1::` never closes (end it with `}}`)"),
    ],
)
def test_cloze_text_anki_cannot_read_is_refused(markdown: str, message: str) -> None:
    with pytest.raises(ClozeExportError) as caught:
        cloze_html(markdown)
    assert str(caught.value) == message


def test_plain_fields_show_html_as_written_and_hide_comments() -> None:
    assert to_html("a <b>b</b>\n\n<!-- hidden -->\n\n| x |\n|---|\n| 1 |") == (
        "<p>a &lt;b&gt;b&lt;/b&gt;</p>\n"
        "<table>\n<thead>\n<tr>\n<th>x</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n"
        "</tr>\n</tbody>\n</table>"
    )


def test_cloze_question_and_explanation_are_split_where_the_app_splits_them(tmp_path: Path) -> None:
    deck = tmp_path / "c.md"
    deck.write_text(
        "## Heading {{c1::blank}}\nbody {{c2::two}}\n\nWhy: explained.\n\n"
        "## After why\nfirst {{c1::one}}\n\nWhy: a blank {{c2::after}} it.\n\n"
        "## In a link\n<!-- id: in-link -->\n[see]({{c1::https://x.org}})\n",
        encoding="utf-8",
    )
    result = build_notes(load([deck]).cards)
    assert [n.fields for n in result.notes] == [
        ("<p>Heading {{c1::blank}}</p>\n<p>body {{c2::two}}</p>", "<p>Why: explained.</p>"),
        ("<p>After why</p>\n<p>first {{c1::one}}</p>\n<p>Why: a blank {{c2::after}} it.</p>", ""),
    ]
    assert [p.format() for p in result.problems] == [
        f"{deck}:11: error: in-link: not exported to Anki: a blank is not plain text once "
        "rendered (is it in a link?)"
    ]


# --- the package --------------------------------------------------------------------------


def test_two_exports_keep_every_id(tmp_path: Path) -> None:
    notes = build_notes(load([DECK]).cards, expected={"ax-predict": PREDICT_VALUE}).notes
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_package(notes, first, timestamp=1_700_000_000)
    write_package(notes, second, timestamp=1_800_000_000)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    rows = package_rows(first, tmp_path / "a")
    assert rows == package_rows(second, tmp_path / "b")
    guids = {n.guid: n for n in notes}
    assert [guid for guid, *_ in rows[0]] == sorted(guids)
    assert {(g, mid) for g, mid, _, _ in rows[0]} == {
        (n.guid, MODEL_IDS[n.note_type]) for n in notes
    }
    assert {g: flds for g, _, flds, _ in rows[0]} == {
        g: "\x1f".join(n.fields) for g, n in guids.items()
    }
    assert sorted(rows[1]) == sorted(
        (n.guid, deck_id(n.deck), ord_) for n in notes for ord_ in range(n.cards)
    )
    assert deck_id(SECTION) == deck_id("Anki export::Recurrent nets") != deck_id("Anki export")
    assert list(tmp_path.glob(".*partial")) == []


def test_export_no_code_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    code, lines, err = run("export", "anki", str(DECK), "--out", str(out), "--no-code")
    assert (code, err) == (0, "")
    assert lines == [
        "anki: 4 notes, 6 cards (basic 1, bidirectional 2, choice 1, cloze 2) in 2 decks; "
        f"2 code cards left out; 0 not exported, 0 deck errors; wrote {out}"
    ]
    notes, _ = package_rows(out, tmp_path)
    assert len(notes) == 4
    assert all("studyrnn-code" not in tags for *_, tags in notes)


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("deck.zip", "error: {out} does not end in .apkg"),
        ("missing/deck.apkg", "error: no such folder: {parent}"),
    ],
)
def test_bad_out_is_a_usage_error(tmp_path: Path, out: str, message: str) -> None:
    target = tmp_path / out
    code, lines, err = run("export", "anki", str(DECK), "--out", str(target), "--no-code")
    assert code == 2
    assert lines == []
    assert err.splitlines()[0] == message.format(out=target, parent=target.parent)


# --- the round trip through Anki ----------------------------------------------------------


@pytest.mark.slow
def test_round_trip_through_ankis_own_backend(tmp_path: Path) -> None:
    collection = pytest.importorskip(
        "anki.collection", reason="Anki's backend comes with the test extra: pip install '.[test]'"
    )
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    deck = tmp_path / "decks" / "export.md"
    deck.parent.mkdir()
    shutil.copy(DECK, deck)
    out = tmp_path / "deck.apkg"
    code, lines, err = run("export", "anki", str(deck.parent), "--out", str(out), "--device", "cpu")
    assert (code, err) == (0, "")
    assert lines == [
        "anki: 6 notes, 8 cards (basic 1, bidirectional 2, choice 1, cloze 2, code 2) in 2 decks; "
        f"0 not exported, 0 deck errors; wrote {out}"
    ]
    exported = {n.guid: n for n in expected_notes(VALUE_BACK)}  # the checker's real value

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    try:

        def import_package(path: Path) -> tuple[int, int, int]:
            log = col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(path),
                    options=ImportAnkiPackageOptions(with_scheduling=False),
                )
            ).log
            return len(log.new), len(log.updated), len(log.duplicate)

        assert import_package(out) == (6, 0, 0)
        assert (col.note_count(), col.card_count()) == (6, 8)
        assert sorted(d.name for d in col.decks.all_names_and_ids()) == [
            "Anki export",
            SECTION,
            "Default",
        ]
        for nid in col.find_notes(""):
            anki_note = col.get_note(nid)
            want = exported[anki_note.guid]
            note_type = anki_note.note_type()
            assert note_type is not None
            assert (note_type["id"], tuple(anki_note.fields), anki_note.tags) == (
                MODEL_IDS[want.note_type],
                want.fields,
                list(want.tags),
            )
            cards = anki_note.cards()
            assert sorted(c.ord for c in cards) == list(range(want.cards))
            assert {col.decks.name(c.did) for c in cards} == {want.deck}

        ids = {col.get_note(nid).guid: nid for nid in col.find_notes("")}
        nid = {n.key: ids[guid] for guid, n in exported.items()}
        cloze_id = nid["ax-cloze"]
        c1, c2 = sorted(col.get_note(cloze_id).cards(), key=lambda c: c.ord)
        # Anki hides the asked blanks (two c1 here, none of them the literal {{c3::) ...
        assert c1.question().count('data-ordinal="1">[...]</span>') == 2
        assert "[input gate times candidate]</span>" in c2.question()
        # ... and shows them on the answer, where the references read as the characters
        assert shown(c1.answer()) == (
            "<p>The LSTM cell state</p>\n"
            '<p><code>c_t = <span class="cloze" data-ordinal="1">f_t ⊙ c_&#123;t-1&#125;</span> + '
            '<span class="cloze-inactive" data-ordinal="2">i_t ⊙ g_t</span></code>, with\n'
            '<strong><span class="cloze" data-ordinal="1">x[&#58;&#58;2]</span></strong> and a '
            "literal &#123;&#123;c3:: opener.</p>\n\n"
            "<div class=extra><p>Why: the forget gate keeps part of the old state.</p></div>"
        )
        forward, backward = sorted(col.get_note(nid["ax-bidi"]).cards(), key=lambda c: c.ord)
        assert (shown(forward.question()), shown(backward.question())) == (
            "<p>GRU</p>",
            "<p>a gated recurrent unit</p>",
        )
        assert shown(backward.answer()) == (
            "<p>a gated recurrent unit</p>\n\n<hr id=answer>\n\n<p>GRU</p>\n"
            "<div class=extra><p>Why: it has an update gate and a reset gate.</p></div>"
        )

        # the same export again adds nothing; a newer one updates the notes in place
        assert import_package(out) == (0, 0, 6)
        # a card reviewed in Anki keeps its schedule through the update (the schedules are
        # separate: the export carries text only)
        (reviewed,) = col.get_note(nid["ax-basic"]).cards()
        col.sched.set_due_date([reviewed.id], "5!")
        reviewed.load()
        schedule = (reviewed.type, reviewed.queue, reviewed.due, reviewed.ivl)
        assert schedule[0] == 2  # a review card
        deck.write_text(
            deck.read_text(encoding="utf-8").replace("`None`, by default.", "`None`."),
            encoding="utf-8",
        )
        newer = build_notes(load([deck]).cards, expected={"ax-predict": PREDICT_VALUE}).notes
        edited = tmp_path / "edited.apkg"
        write_package(newer, edited, timestamp=col.get_note(cloze_id).mod + 60)
        assert import_package(edited) == (0, 6, 0)  # Anki counts every newer note as updated
        assert (col.note_count(), col.card_count()) == (6, 8)
        assert {col.get_note(i).guid: tuple(col.get_note(i).fields) for i in ids.values()} == {
            n.guid: n.fields for n in newer
        }
        assert col.get_note(nid["ax-basic"])["Back"].startswith("<p><code>None</code>.</p>")
        reviewed.load()
        assert (reviewed.type, reviewed.queue, reviewed.due, reviewed.ivl) == schedule
    finally:
        col.close()


@pytest.mark.slow
def test_a_value_the_checker_cannot_compute_is_said_and_the_code_shown(tmp_path: Path) -> None:
    deck = tmp_path / "b.md"
    deck.write_text(
        "## Broken?\n<!-- id: broken -->\n```python setup\nx = 1\n```\n"
        "```python expect\nundefined_name + x\n```\nWhy: it is not defined.\n",
        encoding="utf-8",
    )
    out = tmp_path / "b.apkg"
    code, lines, err = run("export", "anki", str(deck), "--out", str(out), "--device", "cpu")
    assert (code, err) == (0, "")
    assert lines == [
        f"{deck}:1: broken: expected value not computed (internal: the card's expect code "
        f"failed at {deck}:7: NameError: name 'undefined_name' is not defined); the card shows "
        "its expect code",
        f"anki: 1 note, 1 card (code 1) in 1 deck; 0 not exported, 0 deck errors; wrote {out}",
    ]
    ((_, _, fields, _),) = package_rows(out, tmp_path)[0]
    assert fields == (
        '<p>Broken?</p>\n<pre><code class="language-python">x = 1\n</code></pre>'
        "\x1f<p>The value of:</p>\n"
        '<pre><code class="language-python">undefined_name + x\n</code></pre>\n'
        "<p>Why: it is not defined.</p>"
    )


@pytest.mark.slow
def test_the_bundled_decks_reach_anki_whole(tmp_path: Path) -> None:
    collection = pytest.importorskip(
        "anki.collection", reason="Anki's backend comes with the test extra: pip install '.[test]'"
    )
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    decks = Path(__file__).resolve().parents[2] / "decks"
    cards = [c for c in load([decks]).cards if not c.kind.is_code]
    out = tmp_path / "bundled.apkg"
    code, lines, err = run("export", "anki", str(decks), "--out", str(out), "--no-code")
    assert (code, err) == (0, "")
    assert lines[-1].endswith(f"; 0 not exported, 0 deck errors; wrote {out}")
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        log = col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=False)
            )
        ).log
        notes = {c.note_key for c in cards}
        assert (len(log.new), col.note_count(), col.card_count()) == (
            len(notes),
            len(notes),
            len(cards),
        )
        sections = {f"{c.deck}::{c.section}" if c.section else c.deck for c in cards}
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert names == sections | {c.deck for c in cards} | {"Default"}
        assert col.find_cards("tag:studyrnn-code") == []
    finally:
        col.close()
