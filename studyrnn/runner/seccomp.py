"""A seccomp filter for sandboxed children: the system calls that could reach past the sandbox
fail with EPERM, everything else is allowed.

A deny list, not an allow list: torch and Python use a wide, version-dependent set of calls,
and an allow list that misses one turns a correct answer into a crash. What is denied here is
what no check needs and what an escape does need: sockets (no network, no host unix socket),
new namespaces and mounts (the way back to capabilities), tracing and reading other processes'
memory, kernel keyrings, BPF, perf, module loading, file handles (``open_by_handle_at``, the
classic container escape), System V IPC (it outlives the process) and io_uring (it bypasses
this filter). ``clone3`` answers ENOSYS, so the C library falls back to ``clone``, whose flags
the filter can read.

The filter is built as classic BPF by hand: there are about forty instructions and the format
has not changed since Linux 3.5. x86_64 only; elsewhere ``install`` raises and the caller
reports the protection as not held.
"""

from __future__ import annotations

import ctypes
import errno
import struct

from studyrnn.runner import linux

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_SET_MODE_FILTER = 1

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

# x86_64 numbers of the calls denied with EPERM.
DENIED_X86_64 = {
    "socket": 41,
    "ptrace": 101,
    "syslog": 103,
    "personality": 135,
    "mknod": 133,
    "chroot": 161,
    "acct": 163,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "mknodat": 259,
    "unshare": 272,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_getfd": 438,
    "mount_setattr": 442,
    "shmget": 29,
    "semget": 64,
    "msgget": 68,
    "pivot_root": 155,
}
CLONE = 56
CLONE3 = 435
# What an outside tool uses to refuse namespaces (tests/security): clone with any CLONE_NEW*
# flag, unshare and setns fail as a kernel without user namespaces would make them fail.
NAMESPACE_CALLS_X86_64 = {"unshare": 272, "setns": 308}


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def build(denied: dict[str, int], *, deny_clone_flags: int) -> bytes:
    """The filter program: wrong architecture or x32 calls are refused, each ``denied`` call
    gets EPERM, clone with any of ``deny_clone_flags`` gets EPERM, clone3 gets ENOSYS."""
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    enosys = SECCOMP_RET_ERRNO | errno.ENOSYS
    numbers = sorted(set(denied.values()))
    prog: list[bytes] = [
        _insn(_LD_W_ABS, 4),  # seccomp_data.arch
        _insn(_JEQ_K, AUDIT_ARCH_X86_64, jt=1, jf=0),
        _insn(_RET_K, eperm),
        _insn(_LD_W_ABS, 0),  # seccomp_data.nr
        _insn(_JGE_K, X32_SYSCALL_BIT, jt=0, jf=1),
        _insn(_RET_K, eperm),
    ]
    for number in numbers:
        prog += [_insn(_JEQ_K, number, jt=0, jf=1), _insn(_RET_K, eperm)]
    prog += [_insn(_JEQ_K, CLONE3, jt=0, jf=1), _insn(_RET_K, enosys)]
    if deny_clone_flags:
        prog += [
            _insn(_JEQ_K, CLONE, jt=0, jf=3),
            _insn(_LD_W_ABS, 16),  # low 32 bits of args[0], the flags
            _insn(_JSET_K, deny_clone_flags, jt=0, jf=1),
            _insn(_RET_K, eperm),
        ]
    prog.append(_insn(_RET_K, SECCOMP_RET_ALLOW))
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: bytes) -> None:
    """Load ``program`` for this thread and its future children. Needs no_new_privs (set
    here) or CAP_SYS_ADMIN; raises OSError when the kernel or the architecture refuses."""
    if linux.syscall_number("seccomp") is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {linux.machine()}")
    if not linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1):
        raise OSError(errno.EPERM, "no_new_privs refused")
    buf = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buf, ctypes.c_void_p))
    linux.raw_syscall(
        "seccomp", ctypes.c_uint(SECCOMP_SET_MODE_FILTER), ctypes.c_uint(0), ctypes.byref(fprog)
    )


def confine_child() -> None:
    """The filter every sandboxed child runs under."""
    install(build(DENIED_X86_64, deny_clone_flags=linux.NAMESPACE_FLAGS))


LANDLOCK_CALLS_X86_64 = {"landlock_create_ruleset": 444, "landlock_add_rule": 445}


def refuse_namespaces(*, landlock_too: bool = False) -> None:
    """Make this process and its children unable to create namespaces (and, with
    ``landlock_too``, to use Landlock), as a kernel with them turned off would: the calls fail
    with EPERM. Used to test the sandbox's degraded modes (tests/security)."""
    denied = dict(NAMESPACE_CALLS_X86_64)
    if landlock_too:
        denied.update(LANDLOCK_CALLS_X86_64)
    install(build(denied, deny_clone_flags=linux.NAMESPACE_FLAGS))
