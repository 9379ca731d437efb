"""The operating-system side of the sandbox: namespaces, rlimits, the environment, the user.

Called by the worker before it imports torch (namespaces need a process without threads) and
by every sandboxed child right after it is forked. Linux only where it matters; elsewhere each
step reports that it is not in force instead of pretending.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
NOBODY = 65534

OUTPUT_CAP = 64 * 1024  # bytes of stdout+stderr kept from one check
MAX_PROCESSES = 64  # tasks (processes and threads) one check may have
MAX_OPEN_FILES = 256
MAX_FILE_SIZE = 16 * 1024 * 1024


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def prctl(option: int, arg: int) -> bool:
    libc = _libc()
    if libc is None:
        return False
    return int(libc.prctl(option, arg, 0, 0, 0)) == 0


def hide_app_environment() -> bool:
    """Make this (the app's) process undumpable, so /proc/PID/environ is unreadable to others.

    A sandboxed snippet runs as ``nobody`` when the app is root, and then cannot read the app's
    environment anyway. When the app runs as an ordinary user, the snippet runs as that same
    user, and the kernel lets a process read the environment of any dumpable process of its
    own user: an API key in the learner's shell would be one ``open()`` away. An undumpable
    process's /proc files belong to root. The cost is that a debugger of the same user cannot
    attach to the app without privileges.
    """
    if os.geteuid() == 0:
        return False
    return prctl(PR_SET_DUMPABLE, 0)


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def isolate_network() -> tuple[str, int | None]:
    """Move this process into a new user and network namespace.

    Returns (description of the isolation in force, uid the children should drop to or None).
    Must run before any thread exists. A new network namespace has only a loopback interface,
    and it is down, so every connection fails, 127.0.0.1 included.

    When we are root, a helper forked before the unshare (it stays in the parent namespace,
    where it may write any map) maps both root and ``nobody`` into the new namespace, so the
    children can drop to ``nobody``: root is exempt from RLIMIT_NPROC, nobody is not.
    """
    libc = _libc()
    if libc is None:
        return ("network not isolated (not Linux)", None)
    uid, gid = os.geteuid(), os.getegid()
    helper = -1
    go_r, go_w = -1, -1
    if uid == 0:
        go_r, go_w = os.pipe()
        helper = os.fork()
        if helper == 0:  # pragma: no cover - runs in the forked helper
            os.close(go_w)
            code = 1
            try:
                if os.read(go_r, 1) == b"y":
                    target = os.getppid()
                    _write(f"/proc/{target}/uid_map", f"0 0 1\n{NOBODY} {NOBODY} 1\n")
                    _write(f"/proc/{target}/gid_map", f"0 0 1\n{NOBODY} {NOBODY} 1\n")
                    code = 0
            finally:
                os._exit(code)
        os.close(go_r)
    ok = int(libc.unshare(CLONE_NEWUSER | CLONE_NEWNET)) == 0
    err = ctypes.get_errno()
    if helper > 0:
        os.write(go_w, b"y" if ok else b"n")
        os.close(go_w)
        _, status = os.waitpid(helper, 0)
        if ok and os.waitstatus_to_exitcode(status) != 0:
            return ("network isolated, but the user map failed", None)
    if not ok:
        drop = NOBODY if uid == 0 else None
        return (f"network not isolated (unshare: {os.strerror(err)}; no seccomp fallback)", drop)
    if helper > 0:
        return ("user+network namespace (no network, loopback down)", NOBODY)
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
        _write("/proc/self/gid_map", f"{gid} {gid} 1\n")
    except OSError as exc:
        return (f"network isolated, but the user map failed ({exc})", None)
    return ("user+network namespace (no network, loopback down)", None)


def virtual_size() -> int:
    """This process's current virtual memory size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def apply_limits(timeout: float, memory_mb: int) -> None:
    """rlimits for one sandboxed child. Memory is a budget on top of what the warm worker
    already maps (torch reserves a lot of address space), hence VmSize + budget."""
    cpu = int(timeout) + 2
    limits = [
        (resource.RLIMIT_NOFILE, MAX_OPEN_FILES),
        (resource.RLIMIT_NPROC, MAX_PROCESSES),
        (resource.RLIMIT_FSIZE, MAX_FILE_SIZE),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in limits:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    base = virtual_size()
    if base:
        budget = base + memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    elif hasattr(resource, "RLIMIT_DATA"):
        with contextlib.suppress(ValueError, OSError):
            budget = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_DATA, (budget, budget))


def scrubbed_env(home: str) -> dict[str, str]:
    """The whole environment a snippet sees: nothing inherited, so no secret can leak."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "TMP": home,
        "TEMP": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def worker_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the app gives its worker: only what Python needs to start."""
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        PYTHONNOUSERSITE="1",
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        # Ask torch to probe CUDA through NVML, which does not initialise CUDA, so forked
        # children of the worker stay able to fork.
        PYTORCH_NVML_BASED_CUDA_CHECK="1",
        TORCH_CPP_LOG_LEVEL="ERROR",
    )
    if extra:
        env.update(extra)
    return env


PR_SET_KEEPCAPS = 8
CAP_DAC_READ_SEARCH = 2
_CAP_VERSION_3 = 0x20080522


def _keep_only_read_search() -> bool:
    """capset: effective = permitted = {CAP_DAC_READ_SEARCH}, nothing inheritable."""
    libc = _libc()
    if libc is None:
        return False
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    bit = 1 << CAP_DAC_READ_SEARCH
    data = (ctypes.c_uint32 * 6)(bit, bit, 0, 0, 0, 0)  # two {effective, permitted, inheritable}
    return int(libc.capset(header, data)) == 0


def drop_user(uid: int | None, home: str) -> None:
    """Become ``uid`` (nobody) when the worker decided to: root is exempt from RLIMIT_NPROC,
    so only a non-root child can be stopped from fork-bombing. The temp dir is handed over
    first. The child keeps one capability, reading and searching any file: Python itself may
    live under a root-only folder (``/root/.pyenv``) and a snippet may import more of it.
    Nothing of root's to write, no signals to root's processes, no ``/proc/PID/environ`` of
    the app (that needs ptrace rights over it)."""
    if uid is None:
        return
    os.chown(home, uid, uid)
    prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    _keep_only_read_search()
