"""The autosave survives ``kill -9``: a subprocess types into the recall editor and is killed
with SIGKILL once its autosave has stored the text; the text is in the store after the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyrnn.recall.journal import Target
from studyrnn.recall.marks import Stage
from studyrnn.recall.service import RecallJournal
from studyrnn.ui.screens.recall_write import AUTOSAVE_S

CHILD = Path(__file__).parent / "autosave_child.py"
TYPED = "LSTM: h_t is short-term, c_t long-term. GRU merges them."


@pytest.mark.slow
def test_text_survives_a_killed_process(journal: RecallJournal, db_url: str) -> None:
    session = journal.start("Chapter 13", (Target("RNNs"),))
    journal.autosave(session.id, "Before. ", 0)
    env = {**os.environ, "TZ": "UTC", "STUDYRNN_LOG_DIR": str(Path(db_url[10:]).parent)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), db_url, TYPED],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "TYPED\n", child.stderr.read() if child.stderr else ""
        # Wait for the autosave itself (not a guess at how long it takes): poll the store
        # until the typed text is there, well within a few autosave intervals.
        deadline = time.monotonic() + AUTOSAVE_S * 3 + 20
        while journal.get(session.id).text != "Before. " + TYPED:
            assert time.monotonic() < deadline, "the autosave never stored the typed text"
            assert child.poll() is None, "the app ended before it was killed"
            time.sleep(0.1)  # polling a condition in another process: nothing to await
        assert child.poll() is None, "the app must still be running when it is killed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    got = journal.get(session.id)
    assert got.text == "Before. " + TYPED
    assert got.stage is Stage.RECALL  # still open: offered for resumption
    assert journal.latest_open() == got
