"""What ``studyrnn doctor`` says, and what a code card does, in each sandbox mode.

In the normal and Landlock runs every protection is held; where the kernel refuses both
namespaces and Landlock (``STUDYRNN_EXPECT_SANDBOX=none``), code cards are skipped with the
way to enable isolation, the opt-in runs them anyway, and doctor says why.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, Verdict
from studyrnn.runner.checker import ENABLE_HINT
from tests.security.conftest import EXPECTED

pytestmark = pytest.mark.slow

MECHANISM_LINE = {
    "namespaces": "sandbox:     namespaces (user, mount, PID, network, IPC), a read-only root, "
    "seccomp",
    "landlock": "sandbox:     Landlock and seccomp (the kernel refused namespaces)",
    "none": "sandbox:     none: code cards are not confined on this machine",
}
REASON = "             (the kernel refused namespaces (Operation not permitted))"
PROTECTIONS = ["files", "network", "processes", "capabilities", "persistence", "budgets"]


def doctor() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from studyrnn.cli import main; main()", "doctor"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_doctor_reports_every_protection_as_tested_here() -> None:
    done = doctor()
    lines = done.stdout.splitlines()
    user = "nobody" if os.geteuid() == 0 else "same as the app"
    expected = ["worker:      ok", MECHANISM_LINE[EXPECTED]]
    if EXPECTED != "namespaces":
        expected.append(REASON)
    expected.append(f"snippets as: {user}")
    if EXPECTED == "none":
        expected += ["code cards:  skipped: not isolated here", f"to enable:   {ENABLE_HINT}"]
    else:
        expected += [f"  {name + ':':<14}held" for name in PROTECTIONS]
    assert lines[: len(expected)] == expected, done.stdout + done.stderr
    assert done.returncode == (1 if EXPECTED == "none" else 0)


@pytest.mark.skipif(EXPECTED != "none", reason="only where nothing confines code")
def test_unconfined_cards_are_skipped_unless_the_learner_opts_in(
    checker: Checker, cards: dict[str, Card]
) -> None:
    result = checker.grade(cards["forty-two"], "def f():\n    return 42\n", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.SKIPPED,
        "skipped: not isolated here (the kernel refused namespaces (Operation not permitted)); "
        f"to run code cards, {ENABLE_HINT}",
    )
    assert not Verdict.SKIPPED.counts_against_learner
    with Checker(device="cpu", unconfined=True) as opted_in:
        ran = opted_in.grade(cards["forty-two"], "def f():\n    return 42\n", seed=0)
    assert (ran.verdict, ran.message) == (Verdict.PASS, "right")
