"""The app side of the checker: ``Checker`` starts the warm worker and turns cards into jobs.

This module runs in the app process and never imports torch. It spawns the worker
(``WORKER_BOOT``) with ``python -I`` from ``/``, so neither the app's folder nor any PYTHON*
variable can put a module in front of the worker's imports, talks to it over pipes, and
restarts it transparently when it dies. Every public method is thread-safe.

Where the worker could not confine code (no namespaces and no Landlock), code cards are not
run: they come back ``skipped`` with the way to enable isolation, unless the learner opted in
with ``STUDYRNN_RUN_UNCONFINED=1`` (or the ``unconfined`` argument).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pickle
import secrets
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studyrnn.decks.model import Card, CardKind, Fence
from studyrnn.runner import card_rules, isolation
from studyrnn.runner.answer import AnswerSyntaxError, parse_answer
from studyrnn.runner.protocol import Job, Reply, Snippet, read_frame, write_frame
from studyrnn.runner.verdict import CheckResult, Verdict

DEFAULT_TIMEOUT = 5.0
STARTUP_TIMEOUT = 120.0  # importing torch on a cold, busy machine
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    replies: list[Reply] = field(default_factory=list)
    dead: bool = False


# -I: no script folder or cwd on sys.path, no PYTHON* variables, no user site. The folder
# that holds the studyrnn package is passed as an argument and put first explicitly.
WORKER_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from studyrnn.runner.worker import main; main()"
)
UNCONFINED_ENV = "STUDYRNN_RUN_UNCONFINED"
ENABLE_HINT = (
    "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 or "
    "user.max_user_namespaces > 0), or use a kernel with Landlock 6 (Linux 6.12+); "
    f"{UNCONFINED_ENV}=1 runs code cards without isolation, at your own risk"
)


class _Process:
    """One spawned worker process and the thread that reads what it sends."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        debug = os.environ.get("STUDYRNN_WORKER_DEBUG") == "1"
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", WORKER_BOOT, root],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if debug else subprocess.DEVNULL,
            env=isolation.worker_env(),
            cwd="/",
            close_fds=True,
            start_new_session=True,  # a Ctrl-C in the terminal is the app's to handle
        )
        self.hello: dict[str, Any] = {}
        self.ready = threading.Event()
        self.alive = True
        self._lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}
        self._reader = threading.Thread(target=self._read, name="checker-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        try:
            hello = read_frame(fd, strict=True)
            if isinstance(hello, dict):
                hello["startup_ms"] = (time.monotonic() - self.started) * 1000
                self.hello = hello
                self.ready.set()
                while True:
                    reply = read_frame(fd, strict=True)
                    if not isinstance(reply, Reply):
                        break
                    with self._lock:
                        pending = self._pending.get(reply.id)
                    if pending is not None:
                        pending.replies.append(reply)
                        pending.done.set()
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            pass
        finally:
            self.alive = False
            self.ready.set()
            with self._lock:
                for pending in self._pending.values():
                    pending.dead = True
                    pending.done.set()

    def call(self, job: Job, wait: float) -> _Pending:
        """Send ``job``; return its replies (``dead`` when the worker died, not ``done`` when it
        did not answer within ``wait`` seconds)."""
        pending = self.send(job)
        pending.done.wait(wait)
        self.forget(job)
        return pending

    def forget(self, job: Job) -> None:
        with self._lock:
            self._pending.pop(job.id, None)

    def send(self, job: Job) -> _Pending:
        """Send ``job`` without waiting; its replies arrive on the returned ``_Pending``."""
        pending = _Pending()
        with self._lock:
            self._pending[job.id] = pending
            if not self.alive or self.proc.stdin is None:
                pending.dead = True
                pending.done.set()
            else:
                try:
                    write_frame(self.proc.stdin.fileno(), job)
                except OSError:
                    pending.dead = True
                    pending.done.set()
        return pending

    def kill(self, grace: float = 1.0) -> None:
        """End the worker and every process it started.

        A ready worker is asked first, by closing its stdin: it kills and reaps its children,
        in milliseconds; ``grace`` only bounds one that does not
        answer. A worker still warming up (importing torch) reads nothing yet, so asking it
        would only wait out ``grace``, and it has no children to tear down: it is killed at
        once. Either way its whole process group is then killed (the children share it) and
        the worker reaped, so nothing outlives this call, and nothing here sleeps blindly.
        """
        self.alive = False
        asked = self.ready.is_set() and bool(self.hello)
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        if asked:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, 9)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)  # SIGKILL cannot be ignored: returns as soon as it is reaped
        if self._reader is not threading.current_thread():
            self._reader.join(timeout=5)
        if not self._reader.is_alive() and self.proc.stdout is not None:
            self.proc.stdout.close()


_live: weakref.WeakSet[Checker] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for checker in list(_live):
        checker.close()


def _snippet(fence: Fence | None) -> Snippet | None:
    return None if fence is None else Snippet(fence.code, fence.role.value, fence.line)


class Checker:
    """Judges code cards on a warm, sandboxed torch worker. See docs/deck-format.md."""

    def __init__(
        self, device: str = "auto", *, memory_mb: int = 1024, unconfined: bool | None = None
    ) -> None:
        if device not in DEVICES:
            raise ValueError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
        self.device_choice = device
        self.memory_mb = memory_mb
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False
        self._cpu: _Process | None = None
        if unconfined is None:
            unconfined = os.environ.get(UNCONFINED_ENV) == "1"
        self.unconfined = unconfined  # run code cards even where they cannot be confined
        self._restarts = 0
        _live.add(self)
        isolation.hide_app_environment()
        self._worker()  # start now; torch imports in the background

    # --- workers -------------------------------------------------------------------------
    def _worker(self) -> _Process:
        with self._lock:
            if self._closed:
                raise RuntimeError("the checker is closed")
            if self._cpu is None or not self._cpu.alive:
                if self._cpu is not None:
                    self._cpu.kill()
                    self._restarts += 1
                self._cpu = _Process()
            return self._cpu

    def wait_ready(self, timeout: float | None = None) -> bool:
        """True once the worker has imported torch and can take checks."""
        proc = self._worker()
        proc.ready.wait(timeout)
        return proc.alive and bool(proc.hello)

    def info(self) -> dict[str, Any]:
        """What ``studyrnn doctor`` reports."""
        ok = self.wait_ready(STARTUP_TIMEOUT)
        hello = self._cpu.hello if (ok and self._cpu) else {}
        return {
            "ready": ok,
            "mechanism": hello.get("mechanism", "unknown"),
            "confined": bool(hello.get("confined", False)),
            "unconfined_opt_in": self.unconfined,
            "reason": hello.get("reason", ""),
            "sandbox_user": "nobody" if hello.get("drop_uid") is not None else "same as the app",
            "device": self._resolve("any") if ok else "unknown",
            "cuda": hello.get("cuda", False),
            "mps": hello.get("mps", False),
            "torch": hello.get("torch", "unknown"),
            "python": hello.get("python", ""),
            "worker_startup_ms": round(float(hello.get("startup_ms", 0.0)), 1),
            "worker_pid": self._cpu.proc.pid if (ok and self._cpu) else None,
            "restarts": self._restarts,
        }

    def confined(self) -> bool:
        """True when the worker confines code (namespaces, or Landlock and seccomp)."""
        proc = self._cpu
        return proc is not None and bool(proc.hello.get("confined"))

    def close(self) -> None:
        """Stop every worker; no process outlives this."""
        with self._lock:
            self._closed = True
            procs = [p for p in (self._cpu,) if p is not None]
            self._cpu = None
        for proc in procs:
            proc.kill()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- devices -------------------------------------------------------------------------
    def _available(self, device: str) -> bool:
        if device == "cpu":
            return True
        hello = self._cpu.hello if self._cpu else {}
        return bool(hello.get(device))

    def _resolve(self, card_device: str) -> str:
        """The device a card runs on. ``any`` takes the checker's; auto prefers cuda, mps."""
        if card_device != "any":
            return card_device
        if self.device_choice != "auto":
            return self.device_choice
        for candidate in ("cuda", "mps"):
            if self._available(candidate):
                return candidate
        return "cpu"

    # --- the public checks ---------------------------------------------------------------
    def grade(
        self,
        card: Card,
        answer: str,
        *,
        seed: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> CheckResult:
        """Judge the learner's ``answer``: the typed value (predict) or the code (write).

        A predict answer is read here, in the app, with the answer grammar (``answer.py``);
        one outside it is ``unreadable`` at once, with the reason and the position, and
        nothing is run. A readable one travels as a value: it is never evaluated."""
        if card.kind is CardKind.WRITE:
            return self._check(card, "write", answer, seed, params)
        try:
            value = parse_answer(answer)
        except AnswerSyntaxError as exc:
            return CheckResult(
                Verdict.UNREADABLE, exc.marked(), 0.0, "", self._seed(seed), params=params or {}
            )
        return self._check(card, "predict", None, seed, params, value)

    def expected(
        self, card: Card, *, seed: int | None = None, params: dict[str, Any] | None = None
    ) -> CheckResult:
        """Evaluate a predict card's ``expect``; ``.expected`` is its repr."""
        return self._check(card, "expected", None, seed, params)

    def verify(self, card: Card, *, seed: int | None = None) -> list[CheckResult]:
        """What ``studyrnn check`` needs for one card (one variant): every result must pass.

        Predict: ``expect`` evaluates, every named wrong answer differs from it, and a bool
        value is not asked next to a second question. Write: the solution passes its own
        check, the starter, if any, does not, every ``wrong`` answer fails with its name in the
        diagnosis, and every ``also`` answer passes (``card_rules``).
        """
        seed = self._seed(seed)
        if card.kind is CardKind.PREDICT:
            return [card_rules.two_questions(card, self._check(card, "verify", None, seed, None))]
        code = card.code
        if code is None or code.solution is None:
            return [self._internal(card, seed, "this card has no solution to verify")]
        results = [
            self._relabel(
                self._check(card, "write", code.solution.code, seed, None), "the solution"
            )
        ]
        if code.starter is not None:
            got = self._check(card, "write", code.starter.code, seed, None)
            if got.verdict is Verdict.PASS:
                got = _replace(
                    got,
                    Verdict.WRONG,
                    f"the starter passes the check at {card.path}:{code.starter.line}; it must not",
                )
            elif got.verdict.counts_against_learner:
                got = _replace(got, Verdict.PASS, f"the starter does not pass ({got.verdict})")
            results.append(got)
        for wrong in code.wrongs:
            got = self._check(card, "write", wrong.code, seed, None)
            results.append(card_rules.wrong_answer(card, wrong, got))
        for also in code.alsos:
            got = self._check(card, "write", also.code, seed, None)
            results.append(card_rules.also_answer(card, also, got))
        return results

    # --- internals -----------------------------------------------------------------------
    @staticmethod
    def _seed(seed: int | None) -> int:
        return secrets.randbelow(2**31) if seed is None else int(seed)

    def _internal(self, card: Card, seed: int, message: str, **kw: Any) -> CheckResult:
        return CheckResult(Verdict.INTERNAL, message, 0.0, "cpu", seed, **kw)

    @staticmethod
    def _relabel(result: CheckResult, who: str) -> CheckResult:
        if result.verdict in (Verdict.PASS, Verdict.SKIPPED):
            return result
        return _replace(result, result.verdict, f"{who} does not pass: {result.message}")

    def _check(
        self,
        card: Card,
        kind: str,
        answer: str | None,
        seed: int | None,
        params: dict[str, Any] | None,
        answer_value: bytes = b"",
    ) -> CheckResult:
        seed = self._seed(seed)
        code = card.code
        if code is None:
            return self._internal(card, seed, f"{card.key} is not a code card")
        if params is None and code.params is not None:
            try:
                from studyrnn.decks.params import draw

                params = draw(code.params.code, seed)
            except Exception as exc:
                return self._internal(card, seed, f"the card's params cannot be drawn: {exc}")
        params = dict(params or {})
        if not self.wait_ready(STARTUP_TIMEOUT):
            return self._internal(card, seed, "the checker's worker did not start", params=params)
        if not (self.confined() or self.unconfined):
            reason = self._cpu.hello.get("reason", "") if self._cpu else ""
            return CheckResult(
                Verdict.SKIPPED,
                f"skipped: not isolated here ({reason}); to run code cards, {ENABLE_HINT}",
                0.0,
                "cpu",
                seed,
                params=params,
            )
        device = self._resolve(code.device)
        if not self._available(device):
            return CheckResult(
                Verdict.SKIPPED,
                f"this card needs {device}, which this machine does not have",
                0.0,
                device,
                seed,
                params=params,
            )
        job = Job(
            id=next(self._ids),
            kind=kind,
            card=card.key,
            where=f"{card.path}:{card.line}",
            params=params,
            setup=_snippet(code.setup),
            expect=_snippet(code.expect),
            # a write card's wrong fences are answers that verify() sends one by one
            wrongs=tuple((f.label, Snippet(f.code, "wrong", f.line)) for f in code.wrongs)
            if card.kind is CardKind.PREDICT
            else (),
            solution=_snippet(code.solution),
            check=_snippet(code.check),
            answer=answer,
            answer_kind="write" if card.kind is CardKind.WRITE else "predict",
            timeout=code.timeout or DEFAULT_TIMEOUT,
            device=device,
            rtol=code.rtol,
            atol=code.atol,
            seed=seed,
            memory_mb=self.memory_mb,
            answer_value=answer_value,
            expect_raises=code.expect is not None and ("raises", "") in code.expect.attrs,
        )
        start = time.perf_counter()
        reply = self._run_cpu(job)
        elapsed = (time.perf_counter() - start) * 1000
        return CheckResult(
            verdict=Verdict(reply.verdict),
            message=reply.message,
            elapsed_ms=elapsed,
            device=device,
            seed=seed,
            expected=reply.expected,
            got=reply.got,
            mistake=reply.mistake,
            output=reply.output,
            params=params,
        )

    def _run_cpu(self, job: Job) -> Reply:
        wait = job.timeout * 3 + 30
        for _attempt in range(2):  # a worker killed under us is restarted once, transparently
            proc = self._worker()
            if not proc.ready.wait(STARTUP_TIMEOUT) or not proc.alive:
                continue
            pending = proc.call(job, wait)
            if pending.replies and pending.done.is_set() and not pending.dead:
                return pending.replies[-1]
            if not pending.done.is_set():  # no answer at all: the worker is stuck
                proc.kill(grace=0)
        return Reply(job.id, Verdict.INTERNAL.value, "the checker's worker stopped answering")


def _replace(result: CheckResult, verdict: Verdict, message: str) -> CheckResult:
    return replace(result, verdict=verdict, message=message)
