"""The warm worker, spawned by the app's Checker (``checker.WORKER_BOOT``).

While it still has one thread it enters its namespaces and read-only root (``namespaces``),
or, where the kernel refuses them, notes the degraded mode. Then it imports torch once and
never runs a torch op (GNU OpenMP is not fork-safe after a parallel region).

For each job it keeps one idle supervisor, forked ahead of time. The supervisor first forks
the confined children the job may need, and only then reads the job **straight from the app's
pipe**: the worker never reads a job, so neither it nor any child forked from it ever held a
reference solution in memory. The supervisor judges and sends its reply through the worker,
which forwards it whole (concurrent supervisors cannot interleave their frames).

Protocol: the app writes pickled ``Job`` frames to our stdin; we write one hello dict, then one
pickled ``Reply`` per job, to our stdout. Our own fds 0 and 1 are moved out of the way at start
so that nothing printed by a library can corrupt the stream.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studyrnn.runner import confine, landlock, linux, namespaces, tree
from studyrnn.runner.protocol import (
    FrameBuffer,
    Job,
    Reply,
    read_bytes,
    read_frame,
    write_bytes,
    write_frame,
)
from studyrnn.runner.verdict import Verdict

SUPERVISOR_GRACE = 15.0  # seconds a supervisor may take beyond its job's own limits
SPARES = 2  # children forked before a job is read: the card's part and the learner's part
HIGH_FD = 20  # the protocol pipes live above every fd a child keeps
PRELOADED = (
    "collections",
    "copy",
    "ctypes",
    "dataclasses",
    "encodings.idna",
    "functools",
    "itertools",
    "json",
    "multiprocessing",
    "multiprocessing.shared_memory",
    "pathlib",
    "random",
    "re",
    "socket",
    "statistics",
    "subprocess",
    "tempfile",
    "threading",
)


@dataclass
class Running:
    job_id: int
    pid: int
    deadline: float
    frames: FrameBuffer = field(default_factory=FrameBuffer)


def _take_stdio() -> tuple[int, int]:
    """Move the protocol pipes to high fds; point 0 at /dev/null and 1 at stderr."""
    proto_in = fcntl.fcntl(0, fcntl.F_DUPFD_CLOEXEC, HIGH_FD)
    proto_out = fcntl.fcntl(1, fcntl.F_DUPFD_CLOEXEC, HIGH_FD)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return proto_in, proto_out


def job_limit(job: Job) -> float:
    """How long a supervisor may take for ``job`` before the worker kills it."""
    return job.timeout * (3 if job.kind == "write" else 1) + SUPERVISOR_GRACE


def _supervise(proto_in: int, taken_w: int, reply_w: int, torch: Any) -> None:
    """In a forked supervisor: fork the spare children, read one job from the app, run it,
    send its reply, tear the children down, exit. Never returns."""
    code = 0
    job: Job | None = None
    try:
        linux.prctl(linux.PR_SET_CHILD_SUBREAPER, 1)
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from studyrnn.runner import sandbox
        from studyrnn.runner.jobs import handle, run_role

        spares = [sandbox.prefork(run_role) for _ in range(SPARES)]
        raw = read_bytes(proto_in)
        os.close(proto_in)
        job = pickle.loads(raw) if raw is not None else None  # from the app, which we trust
        if not isinstance(job, Job):
            os.write(taken_w, b"eof")
            for spare in spares:
                sandbox.discard(spare)
            os._exit(0)
        write_frame(taken_w, (job.id, job_limit(job)))
        os.close(taken_w)
        cleanups: list[Callable[[], None]] = []
        reply = handle(job, torch, spares, cleanups)
        write_frame(reply_w, reply)
        os.close(reply_w)  # the worker forwards the reply now; the tear-down is ours
        for cleanup in cleanups:
            cleanup()
        sandbox.sweep()
    except BaseException as exc:  # the checker failed, not the learner
        if job is not None:
            with contextlib.suppress(BaseException):
                write_frame(reply_w, _internal(job.id, f"the checker failed: {exc!r}"))
        code = 1
    os._exit(code)


@dataclass
class _Idle:
    """A supervisor forked ahead of time, waiting for the next job on the app's pipe."""

    pid: int
    taken_r: int
    reply_r: int


def _choose_mode() -> tuple[confine.Mode, str, str]:
    """Enter namespaces if the kernel allows; else describe the degraded mode.
    Returns (mode, mechanism, why the namespaces are missing)."""
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    entered = namespaces.enter(package_dir)
    if entered.ok:
        return confine.Mode(True, entered.drop_uid, scratch=entered.scratch), "namespaces", ""
    reason = entered.reason
    drop = namespaces.NOBODY if os.geteuid() == 0 else None
    if landlock.usable():
        return confine.Mode(False, drop, landlock=True), "landlock", reason
    return confine.Mode(False, drop), "none", reason


def main() -> None:
    proto_in, proto_out = _take_stdio()
    started = time.monotonic()
    mode, mechanism, reason = _choose_mode()
    if mode.namespaces:  # torch picks its cache folder from the temporary folder at import
        os.environ["TMPDIR"] = mode.scratch
    linux.prctl(linux.PR_SET_DUMPABLE, 0)
    linux.prctl(linux.PR_SET_CHILD_SUBREAPER, 1)
    warnings.filterwarnings("ignore")
    import torch

    # Load what every check uses now, once, so that forked children find it in memory (in
    # the degraded mode as nobody they may not be able to read the install at all).
    import torch._dynamo  # torch.optim imports it lazily, in every child: seconds each time
    import torch._weights_only_unpickler
    import torch.nn.functional
    import torch.optim
    import torch.serialization
    import torch.testing
    import torch.utils.data
    import torch.utils.serialization

    from studyrnn.runner import jobs, sandbox, snippets, values  # noqa: F401

    # And the standard modules snippets reach for: in the degraded mode a child running as
    # nobody may not be able to read an interpreter installed under /root.
    for name in PRELOADED:
        importlib.import_module(name)

    sandbox.MODE = mode
    # oneDNN's RNN and convolution paths JIT-compile kernels on first use, in every fresh
    # child (60 ms for a small LSTM); the native kernels give the same results without that.
    # Setting a flag is not a torch op: the worker still never runs one.
    setattr(torch.backends.mkldnn, "enabled", False)  # noqa: B010

    # Everything imported so far is shared with every child; freezing it keeps the children's
    # garbage collector from touching (and so copying) those pages.
    import gc

    gc.collect()
    gc.freeze()
    cuda = bool(torch.cuda.is_available())  # NVML-based (see worker_env): CUDA stays uninit
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    write_frame(
        proto_out,
        {
            "ready": True,
            "mechanism": mechanism,
            "confined": mechanism != "none",
            "reason": reason,
            "drop_uid": mode.drop_uid,
            "torch": str(torch.__version__),
            "cuda": cuda,
            "mps": mps,
            "startup_ms": (time.monotonic() - started) * 1000,
            "python": sys.version.split()[0],
        },
    )
    serve(proto_in, proto_out, torch)


def _internal(job_id: int, message: str) -> Reply:
    return Reply(id=job_id, verdict=Verdict.INTERNAL.value, message=message)


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def serve(proto_in: int, proto_out: int, torch: Any) -> None:
    """The loop: keep one idle supervisor on the app's pipe, forward each reply the moment it
    is whole, reap supervisors once they have torn their children down, and kill any that
    hang."""
    running: dict[int, Running] = {}  # reply pipe fd -> the job waiting for its reply
    tearing: dict[int, float] = {}  # supervisor pid -> deadline for its tear-down

    def fork_idle() -> _Idle:
        taken_r, taken_w = os.pipe()
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the supervisor
            for fd in (proto_out, taken_r, reply_r, *running):
                os.close(fd)
            _supervise(proto_in, taken_w, reply_w, torch)
        os.close(taken_w)
        os.close(reply_w)
        return _Idle(pid, taken_r, reply_r)

    # The next idle supervisor is forked once the running job has replied, or at once when
    # another job is already waiting: forking a process that holds torch, and its spares, takes
    # CPU the running check would otherwise lose.
    idle: _Idle | None = fork_idle()
    while True:
        now = time.monotonic()
        deadlines = [r.deadline for r in running.values()]
        if tearing:
            deadlines.append(now + 0.2)  # poll for the end of tear-downs
        timeout = max(0.0, min(deadlines, default=now + 60) - now)
        watched = [idle.taken_r if idle is not None else proto_in, *running]
        ready, _, _ = select.select(watched, [], [], timeout)
        if idle is None and proto_in in ready:  # a job waits (or the app is gone)
            idle = fork_idle()
        elif idle is not None and idle.taken_r in ready:
            taken = read_frame(idle.taken_r)
            os.close(idle.taken_r)
            if not isinstance(taken, tuple):  # the app is gone: no process may outlive it
                _kill_all([*(r.pid for r in running.values()), *tearing, idle.pid])
                _reap_strays(set())
                os._exit(0)
            job_id, limit = taken
            running[idle.reply_r] = Running(job_id, idle.pid, time.monotonic() + limit)
            idle = None
        for fd in [fd for fd in ready if fd in running]:
            r = running[fd]
            data = os.read(fd, 1 << 20)
            frames = r.frames.feed(data) if data else []
            if data and not frames and not r.frames.broken:
                continue
            if frames:
                write_bytes(proto_out, frames[0])
            else:
                write_frame(proto_out, _internal(r.job_id, "the checker's supervisor died"))
            os.close(fd)
            del running[fd]
            tearing[r.pid] = time.monotonic() + SUPERVISOR_GRACE
            if idle is None:
                idle = fork_idle()
        now = time.monotonic()
        for fd, r in list(running.items()):
            if now >= r.deadline:
                _kill_all([r.pid])
                os.close(fd)
                del running[fd]
                write_frame(proto_out, _internal(r.job_id, "the checker's supervisor hung"))
                if idle is None:
                    idle = fork_idle()
        for pid, deadline in list(tearing.items()):
            if now >= deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if os.waitpid(pid, 0 if now >= deadline else os.WNOHANG)[0]:
                del tearing[pid]
        known = {*(r.pid for r in running.values()), *tearing}
        if idle is not None:
            known.add(idle.pid)
        _reap_strays(known)


def _reap_strays(known: set[int]) -> None:
    """Kill and reap orphans that were reparented to us (we are a child subreaper)."""
    for kid in tree.children(os.getpid()):
        if kid not in known:
            with contextlib.suppress(ProcessLookupError):
                os.kill(kid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(kid, 0)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
