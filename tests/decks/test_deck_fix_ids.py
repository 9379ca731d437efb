"""``lint --fix-ids``: ids stamped after every H2 lacking one, every other byte kept."""

from __future__ import annotations

import re
from pathlib import Path

from studyrnn.decks.fix_ids import fix_ids
from studyrnn.decks.parser import load

DECK = (
    "---\ndeck: RNNs\n---\n"
    "Intro.\n\n"
    "## What is a tensor?  \n"
    "A multi-dimensional array.\t\n\n"
    "## Has one\n<!-- id: keep-me -->\nA\n\n"
    "## The {{c1::forget}} gate <-> f_t\n"
    "<!-- tags: lstm -->\nBody\n\n"
    "```markdown\n## inside a fence\n```\n"
    "## Last <-> with no newline"
)


def test_stamps_ids_and_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "rnn.md"
    path.write_bytes(DECK.encode())
    result = fix_ids([path])
    ids = [s.id for s in result.stamps]
    assert [s.line for s in result.stamps] == [6, 13, 20]
    assert ids[0].startswith("what-is-a-tensor-")
    assert ids[1].startswith("the-forget-gate-")
    assert ids[2].startswith("last-")
    assert all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{4}", i) for i in ids)
    # the last H2 had no line break: one is added before the id line
    expected = (
        DECK.replace("tensor?  \n", f"tensor?  \n<!-- id: {ids[0]} -->\n").replace(
            "<-> f_t\n", f"<-> f_t\n<!-- id: {ids[1]} -->\n"
        )
        + f"\n<!-- id: {ids[2]} -->"
    )
    assert path.read_bytes() == expected.encode()
    assert result.skipped == ()
    # the cards keep their kinds and now carry the ids
    decks = load([path])
    assert [(p.line, p.code) for p in decks.problems] == [(20, "heading-in-fence")]
    assert [c.explicit_id for c in decks.cards] == [
        ids[0],
        "keep-me",
        ids[1],
        ids[1],
        ids[2],
        ids[2],
    ]


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rnn.md"
    path.write_bytes(DECK.encode())
    fix_ids([path])
    once = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    again = fix_ids([path])
    assert again.stamps == ()
    assert path.read_bytes() == once
    assert path.stat().st_mtime_ns == mtime  # not even rewritten


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "win.md"
    original = b"\xef\xbb\xbf## First\r\nA\r\n\r\n## Second\r\nB\r\n"
    path.write_bytes(original)
    ids = [s.id for s in fix_ids([path]).stamps]
    assert path.read_bytes() == (
        b"\xef\xbb\xbf## First\r\n<!-- id: " + ids[0].encode() + b" -->\r\nA\r\n\r\n"
        b"## Second\r\n<!-- id: " + ids[1].encode() + b" -->\r\nB\r\n"
    )


def test_ids_are_unique_across_files_and_against_existing_ids(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("## Same question\nA\n")
    (tmp_path / "b.md").write_text("## Same question\nB\n")
    first = fix_ids([tmp_path]).stamps
    assert len({s.id for s in first}) == 2
    assert not [p for p in load([tmp_path]).problems if p.code == "duplicate-id"]


def test_not_utf8_file_is_skipped_untouched(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"## Q\n\xff\n")
    result = fix_ids([path])
    assert result.stamps == ()
    assert result.skipped == ((str(path), "not UTF-8 (byte 5 (0xff))"),)
    assert path.read_bytes() == b"## Q\n\xff\n"


def test_file_mode_is_kept_and_no_temp_file_is_left(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("## Q\nA\n")
    path.chmod(0o640)
    fix_ids([path])
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.md"]
