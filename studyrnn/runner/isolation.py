"""The budgets and environment of the sandbox, and the app's own small protection.

rlimits and the scrubbed environment are applied in every sandboxed child (``sandbox``); the
worker's environment and ``hide_app_environment`` are the app side. Namespaces, the read-only
root, Landlock and seccomp live in ``namespaces``, ``rootfs``, ``confine``, ``landlock`` and
``seccomp``.
"""

from __future__ import annotations

import contextlib
import os
import resource

from studyrnn.runner import linux

OUTPUT_CAP = 64 * 1024  # bytes of stdout+stderr kept from one check
MAX_PROCESSES = 32  # tasks (processes and threads) one check may have
MAX_OPEN_FILES = 256
MAX_FILE_SIZE = 16 * 1024 * 1024


def hide_app_environment() -> bool:
    """Make this (the app's) process undumpable, so /proc/PID/environ is unreadable to others.

    With namespaces a snippet cannot see the app's process at all. In the degraded mode a
    snippet may run as the app's own user, and the kernel lets a process read the environment
    of any dumpable process of its own user: an API key in the learner's shell would be one
    ``open()`` away. An undumpable process's /proc files belong to root. The cost is that a
    debugger of the same user cannot attach to the app without privileges.
    """
    if os.geteuid() == 0:
        return False
    return linux.prctl(linux.PR_SET_DUMPABLE, 0)


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
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "VIRTUAL_ENV")
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
