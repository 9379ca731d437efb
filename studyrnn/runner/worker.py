"""The warm worker: ``python -m studyrnn.runner.worker``, spawned by the app's Checker.

It isolates itself (user+network namespace) while it still has one thread, imports torch once
and never runs a torch op (GNU OpenMP is not fork-safe after a parallel region). For each job
it forks a supervisor (``jobs.handle``), which forks the sandboxed children and judges; so
several jobs run at once and a slow one never blocks the others.

Protocol: the app writes pickled ``Job`` frames to our stdin; we write one hello dict, then one
pickled ``Reply`` per job, to our stdout. Our own fds 0 and 1 are moved out of the way at start
so that nothing printed by a library can corrupt the stream.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studyrnn.runner import isolation
from studyrnn.runner.protocol import (
    FrameBuffer,
    Job,
    Reply,
    read_frame,
    write_bytes,
    write_frame,
)
from studyrnn.runner.verdict import Verdict

SUPERVISOR_GRACE = 15.0  # seconds a supervisor may take beyond its job's own limits


@dataclass
class Running:
    job: Job
    pid: int
    deadline: float
    buffer: bytearray = field(default_factory=bytearray)


def _take_stdio() -> tuple[int, int]:
    """Move the protocol pipes to fresh fds; point 0 at /dev/null and 1 at stderr."""
    proto_in, proto_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return proto_in, proto_out


def _supervise(job_r: int, reply_w: int, torch: Any, drop_uid: int | None) -> None:
    """In a forked supervisor: prepare a spare sandboxed child, wait for a job, run it, send
    its reply, tear the children down, exit. Never returns."""
    code = 0
    job: Job | None = None
    try:
        isolation.prctl(isolation.PR_SET_CHILD_SUBREAPER, 1)
        isolation.prctl(isolation.PR_SET_PDEATHSIG, signal.SIGKILL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from studyrnn.runner import sandbox
        from studyrnn.runner.jobs import handle, run_role

        spare = sandbox.prefork(run_role, drop_uid)
        job = read_frame(job_r)
        os.close(job_r)
        if not isinstance(job, Job):
            sandbox.discard(spare)
            os._exit(0)
        cleanups: list[Callable[[], None]] = []
        reply = handle(job, torch, drop_uid, cleanups, spare)
        write_frame(reply_w, reply)
        os.close(reply_w)  # the worker forwards the reply now; the tear-down is ours
        for cleanup in cleanups:
            cleanup()
    except BaseException as exc:  # the checker failed, not the learner
        if job is not None:
            with contextlib.suppress(BaseException):
                write_frame(reply_w, _internal(job, f"the checker failed: {exc!r}"))
        code = 1
    os._exit(code)


@dataclass
class _Idle:
    """A supervisor forked ahead of time, waiting for its job."""

    pid: int
    job_w: int
    reply_r: int


def main() -> None:
    proto_in, proto_out = _take_stdio()
    started = time.monotonic()
    isolation_desc, drop_uid = isolation.isolate_network()
    isolation.prctl(isolation.PR_SET_DUMPABLE, 0)
    isolation.prctl(isolation.PR_SET_CHILD_SUBREAPER, 1)
    warnings.filterwarnings("ignore")
    import torch

    # Load what every check uses now, once, so that forked children find it in memory.
    import torch._dynamo  # torch.optim imports it lazily, in every child: seconds each time
    import torch._weights_only_unpickler
    import torch.nn.functional
    import torch.optim
    import torch.serialization
    import torch.testing
    import torch.utils.serialization

    from studyrnn.runner import jobs, snippets, values  # noqa: F401

    # oneDNN's RNN and convolution paths JIT-compile kernels on first use, in every fresh
    # child (60 ms for a small LSTM); the native kernels give the same results without that.
    # Setting a flag is not a torch op: the worker still never runs one.
    setattr(torch.backends.mkldnn, "enabled", False)  # noqa: B010

    # Everything imported so far is shared with every child; freezing it keeps the children's
    # garbage collector from touching (and so copying) those pages.
    import gc

    gc.collect()
    gc.freeze()
    from studyrnn.runner import sandbox

    cuda = bool(torch.cuda.is_available())  # NVML-based (see worker_env): CUDA stays uninit
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    # The folder is made just before the hello that names it: the app removes it after a
    # kill only if it read its name, so nothing slow may sit between the two.
    sandbox.ROOT = tempfile.mkdtemp(prefix="studyrnn-worker-")
    os.chmod(sandbox.ROOT, 0o711)  # children that run as nobody must reach their folders
    write_frame(
        proto_out,
        {
            "ready": True,
            "pid": os.getpid(),
            "isolation": isolation_desc,
            "drop_uid": drop_uid,
            "torch": str(torch.__version__),
            "cuda": cuda,
            "mps": mps,
            "startup_ms": (time.monotonic() - started) * 1000,
            "python": sys.version.split()[0],
            "root": sandbox.ROOT,
        },
    )
    serve(proto_in, proto_out, torch, drop_uid)


def _internal(job: Job, message: str) -> Reply:
    return Reply(id=job.id, verdict=Verdict.INTERNAL.value, message=message)


def serve(proto_in: int, proto_out: int, torch: Any, drop_uid: int | None) -> None:
    """The loop: hand each job to an idle supervisor (forked ahead of time) and fork the next
    one, forward each reply the moment it is whole, reap supervisors once they have torn their
    children down, and kill any that hang."""
    running: dict[int, Running] = {}  # reply pipe fd -> the job waiting for its reply
    tearing: dict[int, float] = {}  # supervisor pid -> deadline for its tear-down
    inbox = FrameBuffer()

    def fork_idle() -> _Idle:
        job_r, job_w = os.pipe()
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the supervisor
            for fd in (proto_in, proto_out, job_w, reply_r, *running):
                os.close(fd)
            _supervise(job_r, reply_w, torch, drop_uid)
        os.close(job_r)
        os.close(reply_w)
        return _Idle(pid, job_w, reply_r)

    idle: _Idle | None = fork_idle()
    while True:
        now = time.monotonic()
        deadlines = [r.deadline for r in running.values()]
        if tearing:
            deadlines.append(now + 0.2)  # poll for the end of tear-downs
        timeout = max(0.0, min(deadlines, default=now + 60) - now)
        ready, _, _ = select.select([proto_in, *running], [], [], timeout)
        if proto_in in ready:
            data = os.read(proto_in, 1 << 20)
            if not data:  # the app is gone: no process may outlive it
                pids = [*(r.pid for r in running.values()), *tearing]
                if idle is not None:
                    pids.append(idle.pid)
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                for pid in pids:
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, 0)
                _reap_strays(set())
                from studyrnn.runner import sandbox

                if sandbox.ROOT:
                    shutil.rmtree(sandbox.ROOT, ignore_errors=True)
                os._exit(0)
            for raw in inbox.feed(data):
                job: Job = pickle.loads(raw)
                if idle is None:
                    idle = fork_idle()
                with contextlib.suppress(OSError):  # if it died, its reply pipe says so
                    write_frame(idle.job_w, job)
                os.close(idle.job_w)
                limit = job.timeout * (3 if job.kind == "write" else 1) + SUPERVISOR_GRACE
                running[idle.reply_r] = Running(job, idle.pid, time.monotonic() + limit)
                idle = None
            if idle is None:
                idle = fork_idle()  # ready for the next job, while this one runs
        for fd in [fd for fd in ready if fd in running]:
            r = running[fd]
            data = os.read(fd, 1 << 20)
            r.buffer += data
            frames = FrameBuffer().feed(bytes(r.buffer))
            if data and not frames:
                continue
            if frames:
                write_bytes(proto_out, frames[0])
            else:
                write_frame(proto_out, _internal(r.job, "the checker's supervisor died"))
            os.close(fd)
            del running[fd]
            tearing[r.pid] = time.monotonic() + SUPERVISOR_GRACE
        now = time.monotonic()
        for fd, r in list(running.items()):
            if now >= r.deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(r.pid, signal.SIGKILL)
                os.waitpid(r.pid, 0)
                os.close(fd)
                del running[fd]
                write_frame(proto_out, _internal(r.job, "the checker's supervisor hung"))
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
    from studyrnn.runner.sandbox import children

    for kid in children():
        if kid not in known:
            with contextlib.suppress(ProcessLookupError):
                os.kill(kid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(kid, 0)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
