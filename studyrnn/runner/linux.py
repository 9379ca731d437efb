"""The few Linux system calls the sandbox needs that Python's ``os`` module does not offer.

Thin ctypes wrappers, each raising ``OSError`` with the kernel's errno, so callers handle a
refusal exactly as they would a failed ``os`` call. Worker side only; nothing here imports torch.
System call numbers are given for x86_64 only: on another architecture the calls that need a
raw number report ``ENOSYS`` and the sandbox says the protection is not held.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

# unshare(2) / clone(2) flags
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWTIME = 0x00000080
NAMESPACE_FLAGS = (
    CLONE_NEWNS
    | CLONE_NEWCGROUP
    | CLONE_NEWUTS
    | CLONE_NEWIPC
    | CLONE_NEWUSER
    | CLONE_NEWPID
    | CLONE_NEWNET
    | CLONE_NEWTIME
)

# mount(2) flags
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 2

# prctl(2) options
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_KEEPCAPS = 8
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
CAP_LAST_CAP = 63  # dropping past the kernel's last capability just fails with EINVAL

SYSCALLS_X86_64 = {
    "pivot_root": 155,
    "seccomp": 317,
    "landlock_create_ruleset": 444,
    "landlock_add_rule": 445,
    "landlock_restrict_self": 446,
}


def machine() -> str:
    return platform.machine().lower()


def syscall_number(name: str) -> int | None:
    if sys.platform.startswith("linux") and machine() in ("x86_64", "amd64"):
        return SYSCALLS_X86_64[name]
    return None


_LIBC: ctypes.CDLL | None = None


def libc() -> ctypes.CDLL:
    """The C library, loaded once; raises OSError(ENOSYS) where there is none to use."""
    global _LIBC
    if _LIBC is None:
        if not sys.platform.startswith("linux"):
            raise OSError(38, "not Linux")
        _LIBC = ctypes.CDLL(None, use_errno=True)
        _LIBC.syscall.restype = ctypes.c_long
    return _LIBC


def _check(result: int) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def unshare(flags: int) -> None:
    _check(int(libc().unshare(ctypes.c_int(flags))))


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    def enc(s: str | None) -> bytes | None:
        return None if s is None else s.encode()

    _check(
        int(
            libc().mount(
                enc(source), target.encode(), enc(fstype), ctypes.c_ulong(flags), enc(data or None)
            )
        )
    )


def umount(target: str, flags: int = 0) -> None:
    _check(int(libc().umount2(target.encode(), ctypes.c_int(flags))))


def raw_syscall(name: str, *args: object) -> int:
    number = syscall_number(name)
    if number is None:
        raise OSError(38, f"{name} is not wired for {machine()}")
    return _check(int(libc().syscall(ctypes.c_long(number), *args)))


def pivot_root(new_root: str, put_old: str) -> None:
    raw_syscall("pivot_root", new_root.encode(), put_old.encode())


def sethostname(name: str) -> None:
    data = name.encode()
    _check(int(libc().sethostname(data, ctypes.c_size_t(len(data)))))


def prctl(option: int, arg: int = 0, arg3: int = 0) -> bool:
    """True when the kernel accepted the option; never raises (a missing libc is a no)."""
    try:
        c = libc()
    except OSError:
        return False
    return int(c.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(arg3), 0, 0)) == 0


_CAP_VERSION_3 = 0x20080522


def drop_capabilities() -> None:
    """Empty every capability set: effective, permitted, inheritable, ambient and bounding.

    Bounding first (it needs CAP_SETPCAP, which we still hold), then the three sets at once.
    """
    for cap in range(CAP_LAST_CAP + 1):
        if not prctl(PR_CAPBSET_DROP, cap):
            break  # EINVAL past the kernel's last capability
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)(0, 0, 0, 0, 0, 0)
    _check(int(libc().capset(header, data)))


def write_file(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
