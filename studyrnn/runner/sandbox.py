"""Run one function in a fresh, limited child forked from the warm worker, and watch it.

The child gets its own session and process group, a new temporary working directory that is
also its HOME and TMPDIR, a scrubbed environment, rlimits, no file descriptors but stdin
(/dev/null), stdout and stderr (one capped pipe) and fd 3 (its result pipe), and drops to
``nobody`` when the worker runs as root. The parent (a per-job supervisor) enforces the
wall-clock deadline and kills the whole process group, then sweeps any descendant that left
the group (it is a child subreaper, so orphans come back to it).

Result frames are ``tag + b"\\0" + payload`` and are parsed here as bytes only: nothing a child
sends is unpickled in this process.
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

from studyrnn.runner import isolation
from studyrnn.runner.protocol import FrameBuffer, read_frame, write_bytes, write_frame

RESULT_FD = 3
DONE = "done"  # the last frame: the child finished its work and is about to exit
MAX_RESULT_BYTES = 64 * 1024 * 1024


@dataclass
class Outcome:
    """What one sandboxed child left behind."""

    frames: list[tuple[str, bytes]] = field(default_factory=list)
    output: str = ""
    timed_out: bool = False
    flooded: bool = False  # more than OUTPUT_CAP bytes of output, or too large a result
    garbled: bool = False  # the result pipe carried something that is not a frame
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
CONTROL_FD = 4  # a spare child reads its work here, then closes it
ROOT: str | None = None  # the worker's folder for the children's folders (removed at exit)

Target = Callable[[object], None]


def emit_to_fd(tag: str, payload: bytes) -> None:
    """The ``emit`` of a sandboxed child: one frame on the result pipe. A copy made by the
    learner's ``os.fork()`` is not the child, and leaves quietly instead."""
    if os.getpid() != _child_pid:
        os._exit(0)
    write_bytes(RESULT_FD, tag.encode() + b"\0" + payload)


@dataclass
class Spare:
    """A sandboxed child forked ahead of time, already isolated, waiting for its work: the
    fork of a process holding torch (10 ms or more) is then off the check's critical path."""

    pid: int
    home: str
    res_r: int
    out_r: int
    ctl_w: int


def _child(
    target: Target, home: str, res_w: int, out_w: int, ctl_r: int, drop_uid: int | None
) -> None:
    """Runs in the forked child; never returns. Isolate, wait for the work, limit, run."""
    global _child_pid
    _child_pid = os.getpid()
    try:
        os.setsid()
        isolation.prctl(isolation.PR_SET_PDEATHSIG, signal.SIGKILL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.dup2(res_w, RESULT_FD)
        os.dup2(ctl_r, CONTROL_FD)
        os.closerange(CONTROL_FD + 1, 1 << 16)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(home)
        os.environ.clear()
        os.environ.update(isolation.scrubbed_env(home))
        isolation.drop_user(drop_uid, home)
        isolation.prctl(isolation.PR_SET_NO_NEW_PRIVS, 1)
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
    except BaseException:  # the target reports its own errors; this is the last resort
        with contextlib.suppress(BaseException):
            os.write(2, b"sandbox: child failed before running\n")
        os._exit(70)
    os._exit(0)


def prefork(target: Target, drop_uid: int | None) -> Spare:
    """Fork a spare child that will call ``target(payload)`` once it is given work."""
    home = tempfile.mkdtemp(prefix="check-", dir=ROOT)
    res_r, res_w = os.pipe()
    out_r, out_w = os.pipe()
    ctl_r, ctl_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(res_r)
        os.close(out_r)
        os.close(ctl_w)
        _child(target, home, res_w, out_w, ctl_r, drop_uid)
    os.close(res_w)
    os.close(out_w)
    os.close(ctl_r)
    return Spare(pid, home, res_r, out_r, ctl_w)


def discard(spare: Spare) -> None:
    """A spare that will get no work: end it and remove its folder."""
    for fd in (spare.ctl_w, spare.res_r, spare.out_r):
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(spare.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(spare.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(spare.pid, 0)
    shutil.rmtree(spare.home, ignore_errors=True)


def run(
    target: Target,
    payload: object,
    *,
    timeout: float,
    memory_mb: int,
    drop_uid: int | None,
    cleanups: list[Callable[[], None]] | None = None,
    spare: Spare | None = None,
) -> Outcome:
    """Have a sandboxed child (``spare``, else a fresh one) run ``target(payload)``, and wait
    for it at most ``timeout`` seconds.

    The outcome is known as soon as the child sends its ``done`` frame; tearing a big process
    down takes a while, so with ``cleanups`` given, killing, reaping and deleting its folder
    are left there for the caller to run after it has replied."""
    child = spare if spare is not None else prefork(target, drop_uid)
    pid = child.pid
    start = time.monotonic()
    outcome = Outcome()
    try:
        write_frame(child.ctl_w, (timeout, memory_mb, payload))
    except OSError:
        pass  # it died while waiting: the watch below sees it exit
    finally:
        os.close(child.ctl_w)
    try:
        _watch(pid, child.res_r, child.out_r, start + timeout, outcome)
    finally:
        os.close(child.res_r)
        os.close(child.out_r)
        if outcome.timed_out or outcome.flooded or outcome.garbled:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
    outcome.elapsed_ms = (time.monotonic() - start) * 1000
    finished = DONE in outcome.tags()

    def cleanup() -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # an earlier sweep reaped it
            status = 0
        if not finished:
            if os.WIFSIGNALED(status):
                outcome.signal = os.WTERMSIG(status)
            elif os.WIFEXITED(status):
                outcome.exit_code = os.WEXITSTATUS(status)
        sweep()
        shutil.rmtree(child.home, ignore_errors=True)

    if finished and cleanups is not None:
        cleanups.append(cleanup)
    else:
        cleanup()
    return outcome


class _Reader:
    """Collects a child's result frames and its capped output."""

    def __init__(self, res_r: int, out_r: int, outcome: Outcome) -> None:
        self.res_r, self.out_r, self.outcome = res_r, out_r, outcome
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
            self.outcome.flooded = self.stop = True
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


def _watch(pid: int, res_r: int, out_r: int, deadline: float, outcome: Outcome) -> None:
    """Read results and output until the child is done or exits, floods, or runs out of
    time. A grandchild may hold the pipes open, so the child's exit is watched on a pidfd."""
    pidfd = os.pidfd_open(pid)
    reader = _Reader(res_r, out_r, outcome)
    open_fds = {res_r, out_r}
    try:
        while not (reader.done or reader.stop):
            left = deadline - time.monotonic()
            if left <= 0:
                outcome.timed_out = True
                return
            ready, _, _ = select.select([*open_fds, pidfd], [], [], left)
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


def children() -> list[int]:
    kids: list[int] = []
    me = os.getpid()
    try:
        for tid in os.listdir(f"/proc/{me}/task"):
            with open(f"/proc/{me}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def sweep() -> None:
    """Kill every remaining descendant: escaped grandchildren are reparented to us (we are a
    child subreaper), so repeat until we have no children left."""
    for _ in range(200):
        kids = children()
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
