"""The app's own environment is out of a snippet's reach when both run as the same user.

As root the sandbox drops to ``nobody`` (tests/runner/test_hostile.py covers that). Here an
ordinary user is simulated: a process becomes ``nobody``, and a child of the same user tries to
read its /proc/PID/environ, with and without ``isolation.hide_app_environment``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {repo!r})
    from studyrnn.runner import isolation, linux
    os.setgid(65534)
    os.setuid(65534)
    # Changing uid makes a process undumpable; an ordinary user's app starts dumpable.
    linux.prctl(linux.PR_SET_DUMPABLE, 1)
    hidden = isolation.hide_app_environment() if {hide} else False
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            data = open(f"/proc/{{parent}}/environ", "rb").read()
        except PermissionError:
            os._exit(10)
        os._exit(11 if b"hunter2-app-secret" in data else 12)
    _, status = os.waitpid(child, 0)
    print(hidden, os.waitstatus_to_exitcode(status))
    """
)


def probe(hide: bool) -> str:
    env = dict(os.environ, STUDYRNN_APP_SECRET="hunter2-app-secret")
    code = PROBE.format(repo=str(REPO), hide=hide)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="simulating an ordinary user needs root to switch to nobody",
)
def test_same_user_snippet_cannot_read_the_app_environment() -> None:
    assert probe(hide=False) == "False 11"  # the hole: same user, dumpable, secret readable
    assert probe(hide=True) == "True 10"  # undumpable: permission denied
