"""Landlock: the degraded mode's fence, for kernels that refuse namespaces but have Landlock.

A sandboxed child restricts itself to reading what Python and torch need and writing only its
own check folder, cannot signal or ptrace any process outside itself, and cannot reach an
abstract unix socket. Landlock needs no privilege and stacks under seccomp. Signal scoping
arrived with Landlock ABI 6 (Linux 6.12); on an older ABI the processes protection is not
held, and ``usable`` says so, so that the worker treats the machine as unconfined.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

from studyrnn.runner import linux

CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
MIN_ABI = 6  # signal and abstract-socket scoping

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
FILE_RIGHTS_BY_ABI = {1: EXECUTE | WRITE_FILE | READ_FILE, 3: 1 << 14, 5: 1 << 15}
ALL_FS_BY_ABI = {1: (1 << 13) - 1, 2: 1 << 13, 3: 1 << 14, 5: 1 << 15}
NET_ALL = (1 << 0) | (1 << 1)  # bind and connect TCP, ABI 4
SCOPE_ALL = (1 << 0) | (1 << 1)  # abstract unix sockets and signals, ABI 6

READ_ONLY_TOPS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/sys/devices/system/cpu")
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full")


def abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none."""
    try:
        return linux.raw_syscall(
            "landlock_create_ruleset",
            None,
            ctypes.c_size_t(0),
            ctypes.c_uint32(CREATE_RULESET_VERSION),
        )
    except OSError:
        return 0


def usable() -> bool:
    return abi() >= MIN_ABI


def _sum_to(table: dict[int, int], version: int) -> int:
    return sum(bits for v, bits in table.items() if v <= version)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _read_only_paths() -> list[str]:
    paths = [*READ_ONLY_TOPS, *ETC_FILES, sys.prefix, sys.base_prefix, sys.exec_prefix]
    paths.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # studyrnn
    return [p for p in dict.fromkeys(paths) if os.path.exists(p)]


def restrict(writable: str) -> None:
    """Restrict this process (and its future children) for good; raises OSError if the kernel
    refuses. Needs no_new_privs, which ``confine`` sets first."""
    version = abi()
    if version < MIN_ABI:
        raise OSError(38, f"Landlock ABI {version} has no signal scoping")
    fs_all = _sum_to(ALL_FS_BY_ABI, version)
    file_rights = _sum_to(FILE_RIGHTS_BY_ABI, version)
    attr = _RulesetAttr(fs_all, NET_ALL, SCOPE_ALL)
    fd = linux.raw_syscall(
        "landlock_create_ruleset",
        ctypes.byref(attr),
        ctypes.c_size_t(ctypes.sizeof(attr)),
        ctypes.c_uint32(0),
    )
    try:
        readable = EXECUTE | READ_FILE | READ_DIR
        rules = [(p, readable) for p in _read_only_paths()]
        rules += [(d, READ_FILE | WRITE_FILE) for d in DEVICES if os.path.exists(d)]
        rules.append((writable, fs_all))
        rules.append((f"/proc/{os.getpid()}", READ_FILE | READ_DIR))  # its own /proc/self
        for path, access in rules:
            with contextlib.suppress(OSError):
                target = os.open(path, os.O_PATH | os.O_CLOEXEC)
                try:
                    allowed = access if os.path.isdir(path) else access & file_rights
                    rule = _PathBeneath(allowed, target)
                    linux.raw_syscall(
                        "landlock_add_rule",
                        ctypes.c_int(fd),
                        ctypes.c_int(RULE_PATH_BENEATH),
                        ctypes.byref(rule),
                        ctypes.c_uint32(0),
                    )
                finally:
                    os.close(target)
        linux.raw_syscall("landlock_restrict_self", ctypes.c_int(fd), ctypes.c_uint32(0))
    finally:
        os.close(fd)
