"""Run a command where the kernel refuses namespaces (and, with ``--landlock``, Landlock too).

    python tests/security/refuse.py [--landlock] -- COMMAND...

A seccomp filter makes unshare, setns and clone with any CLONE_NEW* flag fail with EPERM, as
on a kernel with user namespaces turned off or in a container that forbids them; the filter
is inherited by the command and everything it starts. .ci/run uses it to prove the degraded
modes: Landlock plus seccomp where Landlock is there, and skipped code cards where it is not.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from studyrnn.runner import seccomp


def main(argv: list[str]) -> None:
    landlock = "--landlock" in argv[: argv.index("--")]
    command = argv[argv.index("--") + 1 :]
    seccomp.refuse_namespaces(landlock_too=landlock)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
