"""Confining one sandboxed child, right after it is forked, before it sees any work.

With namespaces (the normal case) the child is already PID 1 of a PID namespace of its own
(its supervisor unshared it just before the fork, see ``sandbox.prefork``). Here it takes a
mount and IPC namespace of its own and mounts a fresh, size-limited ``/tmp`` and
``/dev/shm`` and its own ``/proc``: whatever it writes, and any System V or POSIX shared memory,
vanishes with the namespace when the check ends, and it sees no process but its own. Then it
gives up every capability (as root, by becoming ``nobody``), sets no_new_privs, and installs
the seccomp filter.

Without namespaces (the degraded mode, where cards run only if the learner opted in or
Landlock holds) the child works in a fresh folder of the host's /tmp that its supervisor
deletes afterwards, and Landlock, where the kernel has it, limits what it may touch.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

from studyrnn.runner import landlock, linux, seccomp

TMP_MB = 64  # a check's /tmp: files count against memory, so it is small
SHM_MB = 16


@dataclass(frozen=True, slots=True)
class Mode:
    """How the worker confines its children; decided once, at worker start."""

    namespaces: bool
    drop_uid: int | None  # nobody, when the app runs as root
    landlock: bool = False  # the degraded mode's file and signal fence
    scratch: str = "/tmp"  # with namespaces: the folder a fresh tmpfs is mounted on


def _private_mounts(scratch: str) -> None:
    linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWIPC)
    linux.mount(None, "/", None, linux.MS_REC | linux.MS_PRIVATE)
    quiet = linux.MS_NOSUID | linux.MS_NODEV
    linux.mount("check-tmp", scratch, "tmpfs", quiet, f"size={TMP_MB}m,mode=1777")
    linux.mount("check-shm", "/dev/shm", "tmpfs", quiet, f"size={SHM_MB}m,mode=1777")
    with contextlib.suppress(OSError):  # see rootfs: a container may refuse a fresh /proc
        linux.mount("proc", "/proc", "proc", quiet | linux.MS_NOEXEC)


def _drop_privileges(drop_uid: int | None) -> None:
    for cap in range(linux.CAP_LAST_CAP + 1):  # bounding set first: it needs CAP_SETPCAP
        if not linux.prctl(linux.PR_CAPBSET_DROP, cap):
            break
    if drop_uid is not None:
        os.setgroups([])
        os.setgid(drop_uid)
        os.setuid(drop_uid)  # from root to nobody: the kernel clears every capability
    with contextlib.suppress(OSError):
        linux.drop_capabilities()
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)


def confine(mode: Mode, home: str | None) -> str:
    """Confine this (freshly forked) child; return the folder it should work in."""
    if mode.namespaces:
        _private_mounts(mode.scratch)
        home = mode.scratch
    assert home is not None
    if mode.drop_uid is not None and not mode.namespaces:
        os.chown(home, mode.drop_uid, mode.drop_uid)
    _drop_privileges(mode.drop_uid)
    if mode.landlock:
        landlock.restrict(writable=home)
    if linux.syscall_number("seccomp") is not None:  # x86_64; elsewhere doctor shows it
        seccomp.confine_child()
    return home
