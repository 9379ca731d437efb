"""Settings are validated and kept; the facade stays light to import; a bad review CSV is a
clear error naming its line."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from studyrnn.engine.study import Study
from studyrnn.errors import UsageError
from studyrnn.values import Settings


def test_settings_round_trip_and_retention_is_validated(study: Study) -> None:
    assert study.settings() == Settings()
    chosen = dataclasses.replace(
        Settings(),
        desired_retention=0.85,
        new_per_day=5,
        learning_steps=(timedelta(minutes=2), timedelta(hours=1)),
        day_cutoff_hour=6,
        theme="nord",
    )
    study.save_settings(chosen)
    assert study.settings() == chosen
    for bad in (0.69, 0.995):
        with pytest.raises(UsageError, match="desired retention") as caught:
            study.save_settings(dataclasses.replace(Settings(), desired_retention=bad))
        assert "0.70 to 0.99" in caught.value.hint
    study.save_settings(dataclasses.replace(Settings(), desired_retention=0.70))
    study.save_settings(dataclasses.replace(Settings(), desired_retention=0.99))
    assert study.settings().desired_retention == 0.99


def test_the_facade_imports_neither_torch_nor_textual_nor_alembic(sqlite_url: str) -> None:
    Study(sqlite_url, []).close()  # the store exists and is up to date
    code = (
        "import sys; from studyrnn.engine.study import Study; "
        f"Study({sqlite_url!r}, []).close(); "
        "print(sorted(m for m in ('torch', 'textual', 'alembic', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_bad_review_csv_names_its_line(study: Study, tmp_path: Path) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "1,3,2024-03-29T20:32:32+00:00,100\n"
        "2,7,2024-03-29T20:33:32+00:00,100\n"
    )
    with pytest.raises(UsageError, match=r"log\.csv:3: cannot read this review"):
        study.import_reviews(csv)
    assert study.search("Imported") == []  # nothing half-imported
    csv.write_text("id,rating\n1,3\n")
    with pytest.raises(UsageError, match="lacks the column"):
        study.import_reviews(csv)
