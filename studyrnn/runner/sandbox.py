"""Run one function in a fresh, confined child forked from the warm worker, and watch it.

Each child is forked *before* its supervisor reads the job (see ``worker._supervise``), so its
memory never held the job: the reference solution, ``expect`` and the named wrong answers
cannot be found in it by walking frames or the garbage collector. With namespaces it is PID 1
of a PID namespace of its own, with its own mounts, ``/tmp``, ``/dev/shm`` and ``/proc``
(``confine``). Its only file descriptors are stdin (/dev/null), stdout and stderr (one capped
pipe), fd 3 (its result pipe) and, until it has read its work, fd 4.

The supervisor enforces the wall-clock deadline, the output cap and the tree's memory and
process budget (``tree``), then kills the child, which takes its whole PID namespace with it.
Result frames are ``tag + b"\\0" + payload`` and are parsed here as bytes only, linearly, and
capped: nothing a child sends is unpickled in this process.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from studyrnn.runner import confine, isolation, linux, tree
from studyrnn.runner.protocol import FrameBuffer, read_frame, write_bytes, write_frame

RESULT_FD = 3
CONTROL_FD = 4  # a spare child reads its work here, then closes it
DONE = "done"  # the last frame: the child finished its work and is about to exit
MAX_RESULT_BYTES = 64 * 1024 * 1024

MODE = confine.Mode(namespaces=False, drop_uid=None)  # set once by the worker at start
_PID_NS_FD = -1  # the supervisor's own PID namespace, to unshare a fresh one per child

Target = Callable[[object], None]


@dataclass
class Outcome:
    """What one sandboxed child left behind."""

    frames: list[tuple[str, bytes]] = field(default_factory=list)
    output: str = ""
    timed_out: bool = False
    flooded: bool = False  # more than OUTPUT_CAP bytes of output
    result_flood: bool = False  # more than MAX_RESULT_BYTES written to the result pipe
    garbled: bool = False  # the result pipe carried something that is not a frame
    over_budget: str | None = None  # "memory" or "processes": the tree was killed for it
    signal: int | None = None  # the signal that ended the child, if any
    exit_code: int | None = None
    elapsed_ms: float = 0.0

    def tags(self) -> list[str]:
        return [t for t, _ in self.frames]

    def get(self, tag: str) -> bytes | None:
        for t, payload in self.frames:
            if t == tag:
                return payload
        return None


_child_pid = 0  # the sandboxed child's own pid, set right after the fork


def emit_to_fd(tag: str, payload: bytes) -> None:
    """The ``emit`` of a sandboxed child: one frame on the result pipe. A copy made by the
    learner's ``os.fork()`` is not the child, and leaves quietly instead."""
    if os.getpid() != _child_pid:
        os._exit(0)
    write_bytes(RESULT_FD, tag.encode() + b"\0" + payload)


@dataclass
class Spare:
    """A sandboxed child forked and confined ahead of time, waiting for its work."""

    pid: int
    home: str | None  # the host folder it works in (degraded mode only)
    res_r: int
    out_r: int
    ctl_w: int


def _child(
    target: Target, home: str | None, res_w: int, out_w: int, ctl_r: int
) -> None:  # pragma: no cover - runs in the forked child
    """Isolate, wait for the work, limit, run; never returns."""
    global _child_pid
    _child_pid = os.getpid()
    try:
        os.setsid()
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.dup2(res_w, RESULT_FD)
        os.dup2(ctl_r, CONTROL_FD)
        os.closerange(CONTROL_FD + 1, 1 << 16)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        workdir = confine.confine(MODE, home)
        os.chdir(workdir)
        os.environ.clear()
        os.environ.update(isolation.scrubbed_env(workdir))
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
        work = read_frame(CONTROL_FD)  # from our supervisor, which never ran learner code
        os.close(CONTROL_FD)
        if work is None:
            os._exit(0)
        timeout, memory_mb, payload = work
        isolation.apply_limits(timeout, memory_mb)
        target(payload)
        emit_to_fd(DONE, b"")
    except BaseException as exc:  # the target reports its own errors; this is the last resort
        with contextlib.suppress(BaseException):
            os.write(2, f"sandbox: child failed before running ({exc!r})\n".encode())
        os._exit(70)
    os._exit(0)


def _new_pid_namespace() -> None:
    """Make this supervisor's next child PID 1 of a fresh PID namespace. unshare(CLONE_NEWPID)
    works once per namespace the process is in, so first step back into our own."""
    global _PID_NS_FD
    if _PID_NS_FD < 0:
        _PID_NS_FD = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
    if int(linux.libc().setns(_PID_NS_FD, linux.CLONE_NEWPID)) != 0:
        raise OSError("setns back to our own PID namespace failed")
    linux.unshare(linux.CLONE_NEWPID)


def prefork(target: Target) -> Spare:
    """Fork a confined spare child that will call ``target(payload)`` once it is given work."""
    home = None if MODE.namespaces else tempfile.mkdtemp(prefix="studyrnn-check-")
    if MODE.namespaces:
        _new_pid_namespace()
    res_r, res_w = os.pipe()
    out_r, out_w = os.pipe()
    ctl_r, ctl_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(res_r)
        os.close(out_r)
        os.close(ctl_w)
        _child(target, home, res_w, out_w, ctl_r)
    os.close(res_w)
    os.close(out_w)
    os.close(ctl_r)
    return Spare(pid, home, res_r, out_r, ctl_w)


def _end(spare: Spare) -> int:
    """Kill the child (its PID namespace goes with it), reap it, remove its folder; return
    its wait status."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(spare.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(spare.pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(spare.pid, 0)
    except ChildProcessError:  # an earlier sweep reaped it
        status = 0
    if spare.home:
        shutil.rmtree(spare.home, ignore_errors=True)
    return status


def discard(spare: Spare) -> None:
    """A spare that will get no work: end it and remove its folder."""
    for fd in (spare.ctl_w, spare.res_r, spare.out_r):
        with contextlib.suppress(OSError):
            os.close(fd)
    _end(spare)


def run(
    spare: Spare,
    payload: object,
    *,
    timeout: float,
    memory_mb: int,
    cleanups: list[Callable[[], None]] | None = None,
) -> Outcome:
    """Give ``spare`` its work and wait for it at most ``timeout`` seconds.

    The outcome is known as soon as the child sends its ``done`` frame; tearing a big process
    down takes a while, so with ``cleanups`` given, killing, reaping and deleting its folder
    are left there for the caller to run after it has replied."""
    start = time.monotonic()
    outcome = Outcome()
    try:
        write_frame(spare.ctl_w, (timeout, memory_mb, payload))
    except OSError:
        pass  # it died while waiting: the watch below sees it exit
    finally:
        os.close(spare.ctl_w)
    budget = tree.TreeBudget(spare.pid, memory_mb * 1024, isolation.MAX_PROCESSES)
    budget.start()
    try:
        _watch(spare, start + timeout, outcome, budget)
    finally:
        os.close(spare.res_r)
        os.close(spare.out_r)
        if outcome.timed_out or outcome.flooded or outcome.garbled or outcome.over_budget:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(spare.pid, signal.SIGKILL)
    outcome.elapsed_ms = (time.monotonic() - start) * 1000
    finished = DONE in outcome.tags()

    def cleanup() -> None:
        status = _end(spare)
        if not finished:
            if os.WIFSIGNALED(status):
                outcome.signal = os.WTERMSIG(status)
            elif os.WIFEXITED(status):
                outcome.exit_code = os.WEXITSTATUS(status)

    if finished and cleanups is not None:
        cleanups.append(cleanup)
    else:
        cleanup()
    return outcome


class _Reader:
    """Collects a child's result frames and its capped output, each byte read once."""

    def __init__(self, spare: Spare, outcome: Outcome) -> None:
        self.res_r, self.out_r, self.outcome = spare.res_r, spare.out_r, outcome
        self.frames = FrameBuffer()
        self.output = bytearray()
        self.received = 0
        self.done = False  # the child sent its last frame
        self.stop = False  # flood or garbage: stop reading, kill the child

    def consume(self, fd: int, data: bytes) -> None:
        if fd == self.out_r:
            self.output += data
            if len(self.output) > isolation.OUTPUT_CAP:
                self.outcome.flooded = self.stop = True
                del self.output[isolation.OUTPUT_CAP :]
            return
        self.received += len(data)
        if self.received > MAX_RESULT_BYTES:
            self.outcome.result_flood = self.outcome.garbled = self.stop = True
            return
        for raw in self.frames.feed(data):
            tag, _, payload = raw.partition(b"\0")
            self.outcome.frames.append((tag.decode("ascii", "replace"), payload))
            self.done = self.done or tag == DONE.encode()
        if self.frames.broken:
            self.outcome.garbled = self.stop = True

    def drain(self, fds: set[int]) -> None:
        """Read whatever is already there, without waiting."""
        for fd in list(fds):
            os.set_blocking(fd, False)
            while not self.stop:
                try:
                    data = os.read(fd, 1 << 16)
                except BlockingIOError:
                    break
                if not data:
                    fds.discard(fd)
                    break
                self.consume(fd, data)


def _watch(spare: Spare, deadline: float, outcome: Outcome, budget: tree.TreeBudget) -> None:
    """Read results and output until the child is done or exits, floods, goes over its
    budget, or runs out of time. A grandchild may hold the pipes open, so the child's exit is
    watched on a pidfd."""
    pidfd = os.pidfd_open(spare.pid)
    reader = _Reader(spare, outcome)
    open_fds = {spare.res_r, spare.out_r}
    next_poll = time.monotonic() + tree.POLL_S
    try:
        while not (reader.done or reader.stop):
            now = time.monotonic()
            if now >= deadline:
                outcome.timed_out = True
                return
            if now >= next_poll:
                outcome.over_budget = budget.over()
                if outcome.over_budget:
                    return
                next_poll = now + tree.POLL_S
            wait = max(0.0, min(deadline, next_poll) - now)
            ready, _, _ = select.select([*open_fds, pidfd], [], [], wait)
            if pidfd in ready:
                break
            for fd in ready:
                data = os.read(fd, 1 << 16)
                if not data:
                    open_fds.discard(fd)
                else:
                    reader.consume(fd, data)
        reader.drain(open_fds)
    finally:
        os.close(pidfd)
        outcome.output = reader.output.decode("utf-8", "replace")


def sweep() -> None:
    """Kill every remaining descendant: escaped grandchildren are reparented to us (we are a
    child subreaper), so repeat until we have no children left."""
    me = os.getpid()
    for _ in range(200):
        kids = tree.children(me)
        if not kids:
            return
        for kid in kids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(kid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(kid, signal.SIGKILL)
        for kid in kids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(kid, 0)
