"""What runs inside a sandboxed child (or the device worker): card code and the learner's code.

Each function builds a fresh namespace, runs the card's snippets (and, for a write card, the
learner's code) in it, and hands results to ``emit(tag, payload)`` as soon as they exist. The
card's own values (``expected``, ``wrong:N``, the solution's observations) are emitted *before*
the learner's code runs, and the tag ``learner`` marks the point after which only the
learner's value may follow: whatever the learner's code does later cannot change what was
already sent. A predict answer is never run: the app parsed it (``answer.parse_answer``) and
the judge compares it, so ``predict`` runs the card's code only.

Payloads are ``values.encode`` bytes or UTF-8 text. Tags:
``expected``, ``expected-show``, ``wrong:N``, ``card-error`` (text), ``learner`` (empty),
``got`` (value), ``learner-error`` (text: "error\\n..." or "resource\\n...").
"""

from __future__ import annotations

import errno
import linecache
import math
import random
import traceback
from collections.abc import Callable
from typing import Any

from studyrnn.runner import values
from studyrnn.runner.protocol import Job, Snippet

Emit = Callable[[str, bytes], None]
ANSWER = "<answer>"


class MissingName(Exception):
    """The check asked the learner's namespace for a name the learner did not define."""


class Answers(dict[str, Any]):
    """The learner's namespace as ``observe`` sees it: a missing name is the learner's error."""

    def __missing__(self, key: str) -> Any:
        raise MissingName(key)


def base_namespace(torch: Any, device: str, params: dict[str, Any]) -> dict[str, Any]:
    ns: dict[str, Any] = {
        "__name__": "__snippet__",
        "__builtins__": __builtins__,
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
        "math": math,
        "device": device,
        "tensor": torch.tensor,  # as torch prints it, for card code and write answers alike
    }
    ns.update(params)
    return ns


def seed_everything(torch: Any, seed: int, device: str = "cpu") -> Any:
    """Fixed seeds and one thread for the snippet; returns the generator ``observe`` builds
    inputs from. One thread: checks are tiny, and several run at once under ``--jobs``."""
    torch.set_num_threads(1)
    random.seed(seed)
    # torch.manual_seed would also queue a lazy CUDA seeding, which records a traceback
    # (10 ms) on a machine without CUDA; seed the device that is really there.
    if device == "cpu":
        torch.default_generator.manual_seed(seed)
    else:
        torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def _compile(snippet: Snippet, mode: str) -> Any:
    name = f"<{snippet.name}>"
    linecache.cache[name] = (len(snippet.code), None, snippet.code.splitlines(True), name)
    return compile(snippet.code, name, mode)


def card_failure(job: Job, snippet: Snippet, exc: BaseException) -> str:
    """A card's own code failed: say which fence and which deck line."""
    line = snippet.line
    tb = traceback.extract_tb(exc.__traceback__)
    inner = [f for f in tb if f.filename == f"<{snippet.name}>"]
    if isinstance(exc, SyntaxError) and exc.lineno:
        line += exc.lineno
    elif inner and inner[-1].lineno:
        line += inner[-1].lineno
    where = f"{job.where.rsplit(':', 1)[0]}:{line}" if job.where and snippet.line else job.where
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
    return f"the card's {snippet.name} code failed at {where}: {text}"


def learner_traceback(exc: BaseException) -> str:
    """A short traceback with only the learner's own frames and line numbers."""
    if isinstance(exc, SyntaxError):
        lines = traceback.format_exception_only(type(exc), exc)
        return "".join(lines).rstrip().replace(f'File "{ANSWER}", ', "")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == ANSWER]
    out: list[str] = []
    if frames:
        out.append("Traceback (your code, most recent call last):")
        for f in frames[-5:]:
            where = f"  line {f.lineno}" + (f", in {f.name}" if f.name != "<module>" else "")
            out.append(where)
            if f.line:
                out.append(f"    {f.line.strip()}")
    out.append("".join(traceback.format_exception_only(type(exc), exc)).strip())
    return "\n".join(out)


def classify(exc: BaseException, memory_mb: int) -> str:
    """'resource\\n...' for exhausted limits, else 'error\\n<traceback>'."""
    text = str(exc)
    if isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError)
        and ("can't allocate memory" in text or "out of memory" in text.lower())
    ):
        return f"resource\nyour code used more memory than the budget of {memory_mb} MB"
    if isinstance(exc, OSError):
        if exc.errno == errno.EAGAIN and isinstance(exc, BlockingIOError):
            return "resource\nyour code started too many processes or threads"
        if exc.errno == errno.EFBIG:
            return "resource\nyour code wrote a file larger than the limit"
        if exc.errno in (errno.EMFILE, errno.ENFILE):
            return "resource\nyour code opened too many files"
    if isinstance(exc, SystemExit):
        return f"error\nyour code called sys.exit({exc.code!r}); an answer must not end the process"
    if isinstance(exc, MissingName):
        return f"error\nyour code does not define `{exc.args[0]}`"
    return "error\n" + learner_traceback(exc)


def _run_card(job: Job, ns: dict[str, Any], emit: Emit) -> bool:
    """params are already in ns; run setup. False (with card-error emitted) on failure."""
    if job.setup is None:
        return True
    try:
        exec(_compile(job.setup, "exec"), ns)
    except BaseException as exc:
        emit("card-error", card_failure(job, job.setup, exc).encode())
        return False
    return True


def _eval_card(job: Job, snippet: Snippet, ns: dict[str, Any], emit: Emit) -> tuple[bool, Any]:
    try:
        return True, eval(_compile(snippet, "eval"), ns)
    except BaseException as exc:
        emit("card-error", card_failure(job, snippet, exc).encode())
        return False, None


# Exceptions that mean the card's own code is broken (a typo, a missing import), never the
# behaviour a card asks about: under ``raises`` they are still the card's bug.
CARD_BUGS = (NameError, ImportError)


def _raised(job: Job, snippet: Snippet, ns: dict[str, Any], emit: Emit) -> tuple[bool, Any]:
    """``expect raises``: the expression must raise; its value is the exception's class.
    One that does not raise, does not compile, or fails with a NameError or ImportError is
    the card's bug, said as such."""
    try:
        code = _compile(snippet, "eval")
    except BaseException as exc:
        emit("card-error", card_failure(job, snippet, exc).encode())
        return False, None
    try:
        value = eval(code, ns)
    except CARD_BUGS as exc:
        emit("card-error", card_failure(job, snippet, exc).encode())
        return False, None
    except Exception as exc:
        return True, type(exc)
    except BaseException as exc:  # SystemExit, KeyboardInterrupt: never an expected answer
        emit("card-error", card_failure(job, snippet, exc).encode())
        return False, None
    where = f"{job.where.rsplit(':', 1)[0]}:{snippet.line}" if snippet.line else job.where
    shown = values.safe_repr(value)
    message = f"the card's expect is marked `raises` but gave {shown} at {where}"
    emit("card-error", message.encode())
    return False, None


def predict(job: Job, torch: Any, emit: Emit) -> None:
    """The card's values: ``expect`` (or the exception it raises) and every ``wrong``."""
    seed_everything(torch, job.seed, job.device)
    ns = base_namespace(torch, job.device, job.params)
    if not _run_card(job, ns, emit) or job.expect is None:
        return
    if job.expect_raises:
        ok, want = _raised(job, job.expect, ns, emit)
    else:
        ok, want = _eval_card(job, job.expect, ns, emit)
    if not ok:
        return
    emit("expected", values.encode(want, torch))
    emit("expected-show", values.show(want, torch).encode())
    for i, (_label, snippet) in enumerate(job.wrongs):
        ok, wrong = _eval_card(job, snippet, ns, emit)
        if not ok:
            return
        emit(f"wrong:{i}", values.encode(wrong, torch))


def diagnose(job: Job, torch: Any, emit: Emit, got: bytes, want: bytes) -> None:
    """The check fence's ``diagnose(got, want)``, run in a sandboxed child of its own: it is
    deck code, so the judge never runs it. Emits ``diagnosis`` (text), or nothing."""
    if job.check is None:
        return
    seed_everything(torch, job.seed, job.device)
    ns = base_namespace(torch, job.device, job.params)
    try:
        exec(_compile(job.check, "exec"), ns)
        fn = ns.get("diagnose")
        found = fn(values.decode(got, torch), values.decode(want, torch)) if callable(fn) else None
    except Exception:
        return
    if isinstance(found, str) and found:
        emit("diagnosis", found.encode())


def write(job: Job, torch: Any, emit: Emit, *, learner: bool) -> None:
    """Run the solution (learner=False) or the learner's code, then ``observe`` on it."""
    gen = seed_everything(torch, job.seed, job.device)
    ns = base_namespace(torch, job.device, job.params)
    if not _run_card(job, ns, emit) or job.check is None:
        return
    check_ns = base_namespace(torch, job.device, job.params)
    try:
        exec(_compile(job.check, "exec"), check_ns)
        observe = check_ns["observe"]
    except BaseException as exc:
        emit("card-error", card_failure(job, job.check, exc).encode())
        return
    if not learner:
        if job.solution is None:
            return
        try:
            exec(_compile(job.solution, "exec"), ns)
            obs = observe(Answers(ns), gen)
            emit("expected", values.encode(obs, torch))
        except BaseException as exc:
            emit("card-error", card_failure(job, job.solution, exc).encode())
        return
    emit("learner", b"")
    source = job.answer or ""
    if not source.strip():
        emit("learner-error", b"error\nthe answer is empty: write the code the card asks for")
        return
    try:
        linecache.cache[ANSWER] = (len(source), None, source.splitlines(True), ANSWER)
        exec(compile(source, ANSWER, "exec"), ns)
        obs = observe(Answers(ns), gen)
        payload = values.encode(obs, torch)
    except BaseException as exc:
        emit("learner-error", classify(exc, job.memory_mb).encode())
        return
    emit("got", payload)
