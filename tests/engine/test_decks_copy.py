"""``studyrnn decks copy``: a bundled deck copied into the learner's decks folder replaces the
bundled file, and its cards keep their ids and their progress."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyrnn import config, deck_copies
from studyrnn.cli import cli
from studyrnn.decks.model import Severity
from studyrnn.engine.study import Study
from studyrnn.values import Rating

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


REPO_DECKS = Path(__file__).resolve().parents[2] / "decks"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs' data folder in the test's tmp folder, no deck folder configured, and the
    bundled decks installed in a package folder (in the source checkout, decks/ is the
    project's source and is edited in place)."""
    installed = tmp_path / "site-packages" / "studyrnn" / "bundled_decks"
    shutil.copytree(REPO_DECKS, installed)
    monkeypatch.setattr(config, "bundled_decks_dir", lambda: installed)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(config.DECKS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./decks here
    return tmp_path / "data" / "studyrnn" / "decks"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_copy_moves_a_bundled_deck_and_its_progress_to_the_learners_folder(
    data_home: Path, tmp_path: Path
) -> None:
    bundled = config.bundled_decks_dir()
    db = f"sqlite:///{tmp_path / 'study.db'}"
    study = Study(db, config.deck_paths(), clock=lambda: NOW)
    try:
        study.sync()
        item = study.next_card("Ch 13 · RNNs, LSTMs and GRUs")
        assert item is not None
        card_key, card_id = item.card.key, item.card_id
        study.answer(item.card_id, Rating.GOOD, duration_ms=1000)
    finally:
        study.close()

    code, out = run("decks", "copy", "ch13")
    assert code == 0, out
    copy = data_home / "ch13-rnns.md"
    assert out.splitlines() == [
        f"Copied ch13-rnns.md to {copy}",
        "The cards keep their ids: their progress carries over at the next sync.",
    ]
    assert copy.read_bytes() == (bundled / "ch13-rnns.md").read_bytes()
    # The copy replaces the bundled file; the other bundled decks stay.
    assert config.deck_paths() == [
        data_home,
        *[p for p in sorted(bundled.glob("*.md")) if p.name != "ch13-rnns.md"],
    ]

    study = Study(db, config.deck_paths(), clock=lambda: NOW)
    try:
        report = study.sync()
        assert [p for p in report.problems if p.severity is Severity.ERROR] == []
        assert report.added == 0  # the copy's cards are the same cards, moved
        moved = study.card_info(card_id)
        assert moved.card.key == card_key
        assert Path(moved.card.path).resolve() == copy.resolve()
        assert [r.rating for r in study.history(card_id)] == [Rating.GOOD]
    finally:
        study.close()

    code, out = run("decks", "copy", "ch13")
    assert code == 2
    assert f"error: {copy} already exists" in out


def test_copy_names_the_bundled_decks_when_the_name_matches_none(data_home: Path) -> None:
    code, out = run("decks", "copy", "ch99")
    assert code == 2
    names = ", ".join(p.stem for p in sorted(config.bundled_decks_dir().glob("*.md")))
    assert out.splitlines() == [
        "error: no bundled deck is called 'ch99'",
        f"hint: the bundled decks are {names}",
    ]
    assert not data_home.exists()


def test_in_a_source_checkout_the_decks_are_the_projects_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Run from the repository, decks/ (a pyproject.toml beside it) is edited in place; the
    same files installed in a package are not."""
    monkeypatch.setattr(config, "bundled_decks_dir", lambda: REPO_DECKS)
    assert (REPO_DECKS.parent / "pyproject.toml").is_file()
    assert not deck_copies.is_bundled(REPO_DECKS / "ch13-rnns.md")
    installed = tmp_path / "site-packages" / "studyrnn" / "bundled_decks"
    shutil.copytree(REPO_DECKS, installed)
    monkeypatch.setattr(config, "bundled_decks_dir", lambda: installed)
    assert deck_copies.is_bundled(installed / "ch13-rnns.md")
    assert not deck_copies.is_bundled(REPO_DECKS / "ch13-rnns.md")


def test_a_checkout_reads_the_learners_folder_as_an_installed_studyrnn_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deck of the learner's in the data folder's decks/ is studied with the bundled decks,
    run from a source checkout (from its root too, where ./decks is the bundled folder) as
    from an installed package."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(config.DECKS_ENV, raising=False)
    mine = tmp_path / "data" / "studyrnn" / "decks"
    mine.mkdir(parents=True)
    (mine / "gru.md").write_text("---\ndeck: GRUs\n---\n## What does a GRU lack?\nA cell state.\n")
    assert config.bundled_decks_dir().resolve() == REPO_DECKS.resolve()  # a checkout
    checkout = [mine, *sorted(REPO_DECKS.glob("*.md"))]
    monkeypatch.chdir(tmp_path)
    assert config.deck_paths() == checkout
    monkeypatch.chdir(REPO_DECKS.parent)
    assert config.deck_paths() == checkout
    db = f"sqlite:///{tmp_path / 'study.db'}"
    code, out = run("due", "--db", db)
    assert code == 0, out
    assert [line.split("  ")[0] for line in out.splitlines()] == [
        "deck", "Ch 09 · Neural nets", "Ch 10 · PyTorch fundamentals",
        "Ch 11 · Training deep nets", "Ch 13 · RNNs, LSTMs and GRUs", "GRUs", "all decks",
    ]  # fmt: skip
    installed = tmp_path / "site-packages" / "studyrnn" / "bundled_decks"
    shutil.copytree(REPO_DECKS, installed)
    monkeypatch.setattr(config, "bundled_decks_dir", lambda: installed)
    monkeypatch.chdir(tmp_path)
    assert config.deck_paths() == [mine, *sorted(installed.glob("*.md"))]


def test_new_says_whether_the_deck_is_studied_with_the_bundled_decks(
    data_home: Path, tmp_path: Path
) -> None:
    bundled = config.bundled_decks_dir()
    starter = "one example of every card kind. Next: edit it, then run `studyrnn lint"
    code, out = run("new", "decks/my-topic.md")
    assert code == 0, out
    assert out.splitlines()[0].startswith(f"wrote decks/my-topic.md: {starter}")
    assert out.splitlines()[1:] == [
        "studyrnn reads it from decks, instead of the bundled decks (a decks folder replaces "
        f"them). To study it with them: `studyrnn --decks decks --decks {bundled} review`, or "
        f"keep your decks in {data_home}, which is read with the bundled decks."
    ]
    # what it says works: both are studied
    db = f"sqlite:///{tmp_path / 'study.db'}"
    code, out = run("--decks", "decks", "--decks", str(bundled), "due", "--db", db)
    assert code == 0 and out.splitlines()[-2].startswith("My topic ")
    assert len(out.splitlines()) == 7  # the header, four bundled decks, mine, all decks
    code, out = run("new", str(data_home / "mine.md"))
    assert out.splitlines()[1:] == [
        f"studyrnn does not read {data_home} here: the decks configured here replace it and "
        f"the bundled decks. To study it with the bundled decks: `studyrnn --decks {data_home} "
        f"--decks {bundled} review`."
    ]
    shutil.rmtree("decks")
    code, out = run("new", str(data_home / "other.md"))
    assert out.splitlines()[1:] == ["studyrnn reads it with the bundled decks."]
    code, out = run("new", "elsewhere/x.md")
    assert out.splitlines()[1:] == [
        "studyrnn does not read elsewhere now. To study it with the bundled decks: "
        f"`studyrnn --decks elsewhere --decks {bundled} review`, or keep your decks in "
        f"{data_home}, which is read with them."
    ]
