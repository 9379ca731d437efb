"""Putting the warm worker into its own namespaces, before it imports torch.

The worker process unshares a user, mount, network, IPC, UTS and PID namespace, then forks:
the child is PID 1 of the new PID namespace and goes on as the worker, inside the read-only
root of ``rootfs``; the parent only waits for it and passes its exit status on, so the app
still sees one process. When PID 1 ends, the kernel kills everything left in its namespace:
no check's process can outlive the worker.

User mapping: when the app runs as root, root and ``nobody`` are both mapped, so sandboxed
children can drop to ``nobody`` (root is exempt from the process limit; nobody is not). When it
runs as an ordinary user, that user alone is mapped, and the children drop every capability
instead. Either way the worker holds capabilities only over its own namespaces.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from studyrnn.runner import linux, rootfs

NOBODY = 65534
WORKER_FLAGS = (
    linux.CLONE_NEWUSER
    | linux.CLONE_NEWNS
    | linux.CLONE_NEWNET
    | linux.CLONE_NEWIPC
    | linux.CLONE_NEWUTS
    | linux.CLONE_NEWPID
)
WORKER_TMP_MB = 16


@dataclass(frozen=True, slots=True)
class Entered:
    """What the worker got: whether it is inside its namespaces, and if not, why."""

    ok: bool
    reason: str = ""  # why not, in the kernel's words
    drop_uid: int | None = None  # the uid sandboxed children switch to, if any
    scratch: str = "/tmp"  # the children's writable folder (see ``rootfs.Layout``)


def _map_as_root() -> int:
    """Fork a helper that stays in the parent namespaces, where it may write any map; it waits
    for a byte telling it the unshare happened. Returns the write end of that pipe."""
    go_r, go_w = os.pipe()
    target = os.getpid()
    if os.fork() == 0:  # pragma: no cover - the helper
        os.close(go_w)
        code = 1
        try:
            if os.read(go_r, 1) == b"y":
                ids = f"0 0 1\n{NOBODY} {NOBODY} 1\n"
                linux.write_file(f"/proc/{target}/uid_map", ids)
                linux.write_file(f"/proc/{target}/gid_map", ids)
                code = 0
        finally:
            os._exit(code)
    os.close(go_r)
    return go_w


def enter(package_dir: str) -> Entered:
    """Unshare, map the user, fork into the new PID namespace and enter the read-only root.

    Returns in the new PID 1 (the parent never returns: it exits with PID 1's status). Must be
    called while the process has one thread. On any refusal nothing has changed for the
    caller, which then runs in the degraded mode (``Entered.ok`` False).
    """
    uid, gid = os.geteuid(), os.getegid()
    layout = rootfs.plan(package_dir)
    go_w = _map_as_root() if uid == 0 else -1
    try:
        linux.unshare(WORKER_FLAGS)
    except OSError as exc:
        if go_w >= 0:
            os.write(go_w, b"n")
            os.close(go_w)
            os.wait()
        return Entered(False, f"the kernel refused namespaces ({exc.strerror})")
    if go_w >= 0:
        os.write(go_w, b"y")
        os.close(go_w)
        _, status = os.wait()
        if os.waitstatus_to_exitcode(status) != 0:
            return Entered(False, "the user namespace could not be mapped")
        drop_uid: int | None = NOBODY
    else:
        try:
            linux.write_file("/proc/self/setgroups", "deny")
            linux.write_file("/proc/self/uid_map", f"{uid} {uid} 1\n")
            linux.write_file("/proc/self/gid_map", f"{gid} {gid} 1\n")
        except OSError as exc:
            return Entered(False, f"the user namespace could not be mapped ({exc.strerror})")
        drop_uid = None
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid:
        _wait_as_parent(pid, ready_r, ready_w)
    os.close(ready_r)
    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        rootfs.enter(layout, uid=uid, gid=gid, tmp_mb=WORKER_TMP_MB)
        linux.sethostname("studyrnn-sandbox")
    except OSError as exc:
        os.write(ready_w, f"n{exc}".encode())
        os._exit(3)
    os.write(ready_w, b"y")
    os.close(ready_w)
    return Entered(True, drop_uid=drop_uid, scratch=layout.scratch)


def _wait_as_parent(pid: int, ready_r: int, ready_w: int) -> None:
    """The outer process: wait for PID 1, exit as it exits. Never returns. A failure to build
    the root is not the app's problem to debug: it is written to stderr, which the app may
    show, and the worker exits 3."""
    os.close(ready_w)
    message = os.read(ready_r, 4096)
    os.close(ready_r)
    if message.startswith(b"n"):
        os.write(2, b"sandbox: could not build the read-only root: " + message[1:] + b"\n")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
        os._exit(max(0, os.waitstatus_to_exitcode(status)))
