"""One job, start to verdict, inside a per-job supervisor forked from the warm worker.

The supervisor is the judge, and it runs no deck code and no learner code. The card's code
runs in one sandboxed child (its values: ``expected``, the named wrong answers, the solution's
observations), the learner's code in another that gets only the setup, the check and the answer
(``Job.for_learner``), and a check's ``diagnose`` in a third, given the two values as data.
The supervisor reads what they emitted as bytes, loads them with the allow-list unpickler and
compares them; any failure there is a verdict, never a crash. Torch ops happen here only after
every fork, so OpenMP's fork-unsafety never bites.
"""

from __future__ import annotations

import functools
import signal
from collections.abc import Callable
from typing import Any, cast

from studyrnn.runner import compare, snippets, values
from studyrnn.runner.isolation import MAX_FILE_SIZE, MAX_PROCESSES
from studyrnn.runner.protocol import Job, Reply, Snippet
from studyrnn.runner.sandbox import Outcome, Spare, discard, emit_to_fd, prefork, run
from studyrnn.runner.verdict import Verdict

CRASH_SIGNALS: dict[int, str] = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGABRT: "an abort",
    signal.SIGILL: "an illegal instruction",
    signal.SIGFPE: "a floating-point exception",
}
MAX_MESSAGE = 4000  # characters of a learner's error message kept in a verdict


def _reply(job: Job, verdict: Verdict, message: str, **kw: Any) -> Reply:
    return Reply(id=job.id, verdict=verdict.value, message=message, **kw)


def _split(outcome: Outcome) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """Frames sent before the learner's code started, and the learner's first result.
    Anything after the learner's first result is ignored: it can only be forged."""
    card: list[tuple[str, bytes]] = []
    for i, (tag, payload) in enumerate(outcome.frames):
        if tag == "learner":
            rest = [f for f in outcome.frames[i + 1 :] if f[0] in ("got", "learner-error")]
            return card, rest[:1]
        card.append((tag, payload))
    return card, []


def _card_problem(job: Job, outcome: Outcome, card: list[tuple[str, bytes]]) -> Reply:
    """An internal verdict when the card's own code failed."""
    for tag, payload in card:
        if tag == "card-error":
            return _reply(
                job, Verdict.INTERNAL, payload.decode("utf-8", "replace"), output=outcome.output
            )
    if outcome.timed_out:
        return _reply(
            job,
            Verdict.INTERNAL,
            f"the card's own code ran past the {job.timeout:g} s limit ({job.where})",
        )
    return _reply(
        job,
        Verdict.INTERNAL,
        f"the card's own code did not finish ({_ending(outcome)}; {job.where})",
        output=outcome.output,
    )


def _ending(outcome: Outcome) -> str:
    if outcome.over_budget:
        return f"over its {outcome.over_budget} budget"
    if outcome.signal is not None:
        return f"signal {signal.Signals(outcome.signal).name}"
    return f"exit code {outcome.exit_code}"


def _signal_failure(job: Job, sig: int) -> tuple[Verdict, str]:
    """What a child's death by ``sig`` says about the learner's code, by its real cause."""
    if sig == signal.SIGXCPU:
        return Verdict.TIMEOUT, "your code used up its CPU time and was stopped"
    if sig == signal.SIGXFSZ:
        limit = MAX_FILE_SIZE // (1024 * 1024)
        return Verdict.RESOURCE, f"your code wrote a file larger than the limit of {limit} MB"
    if sig == signal.SIGKILL:
        # Every SIGKILL of ours is recorded on the outcome before it is sent, so this one came
        # from the learner's own code (os.killpg, os.kill(0, 9)) or the kernel's OOM killer.
        return Verdict.ERROR, "your code's process was killed (SIGKILL) before giving an answer"
    if sig in CRASH_SIGNALS:
        return Verdict.ERROR, f"your code crashed the process with {CRASH_SIGNALS[sig]}"
    return Verdict.ERROR, f"your code's process was ended by {signal.Signals(sig).name}"


def _learner_failure(job: Job, outcome: Outcome, mine: list[tuple[str, bytes]]) -> Reply | None:
    """The verdict when the learner's part produced no value; None when it did."""
    out = outcome.output
    if outcome.timed_out:
        return _reply(
            job,
            Verdict.TIMEOUT,
            f"your code ran past the {job.timeout:g} s limit and was stopped",
            output=out,
        )
    if outcome.over_budget == "memory":
        return _reply(
            job,
            Verdict.RESOURCE,
            f"your code used more memory than the budget of {job.memory_mb} MB "
            "(all its processes together)",
            output=out,
        )
    if outcome.over_budget == "processes":
        return _reply(
            job,
            Verdict.RESOURCE,
            f"your code started more than {MAX_PROCESSES} processes and was stopped",
            output=out,
        )
    if outcome.flooded:
        return _reply(
            job, Verdict.RESOURCE, "your code printed more than 64 KB and was stopped", output=out
        )
    if outcome.result_flood:
        return _reply(
            job,
            Verdict.ERROR,
            "your code flooded the checker's result channel (file descriptor 3), which is "
            "not for answers; return or define the value instead",
            output=out,
        )
    if outcome.garbled:
        return _reply(
            job,
            Verdict.ERROR,
            "your code broke the checker's channel (did it replace a builtin, or write to a "
            "file descriptor it did not open?)",
            output=out,
        )
    if mine and mine[0][0] == "got":
        return None
    if mine:  # learner-error
        kind, _, text = mine[0][1].decode("utf-8", "replace").partition("\n")
        verdict = Verdict.RESOURCE if kind == "resource" else Verdict.ERROR
        return _reply(job, verdict, text[:MAX_MESSAGE], output=out)
    if outcome.signal is not None:
        verdict, message = _signal_failure(job, outcome.signal)
        return _reply(job, verdict, message, output=out)
    return _reply(
        job,
        Verdict.ERROR,
        f"your code ended the process ({_ending(outcome)}) before giving an answer",
        output=out,
    )


def judge(job: Job, frames: dict[str, bytes], output: str = "", diagnose: Any = None) -> Reply:
    """Compare the learner's value with the expected one. Runs where no code of the card or
    the learner ran; whatever goes wrong here becomes a verdict."""
    import torch

    try:
        want = values.decode(frames["expected"], torch)
    except Exception as exc:
        return _reply(
            job,
            Verdict.INTERNAL,
            f"the card's expected value cannot be read ({type(exc).__name__}; {job.where})",
            output=output,
        )
    try:
        got = values.decode(frames["got"], torch)
        shown_want, shown_got = values.show(want, torch), values.show(got, torch)
        typed = job.answer_kind == "predict"
        diff = compare.difference(got, want, torch, rtol=job.rtol, atol=job.atol, typed=typed)
    except Exception as exc:
        return _reply(
            job,
            Verdict.ERROR,
            f"your answer cannot be compared with the expected value ({type(exc).__name__})",
            output=output,
        )
    if diff is None:
        return _reply(job, Verdict.PASS, "right", expected=shown_want, got=shown_got, output=output)
    mistake = ""
    if job.answer_kind == "predict":
        mistake = _named_wrong(job, frames, got, torch)
    elif diagnose is not None:
        mistake = diagnose(frames["got"], frames["expected"])
    lines = [mistake] if mistake else []
    lines.append(diff)
    return _reply(
        job,
        Verdict.WRONG,
        "\n".join(lines),
        expected=shown_want,
        got=shown_got,
        mistake=mistake,
        output=output,
    )


def _named_wrong(job: Job, frames: dict[str, bytes], got: Any, torch: Any) -> str:
    for i, (label, _snippet) in enumerate(job.wrongs):
        try:
            wrong = values.decode(frames[f"wrong:{i}"], torch)
            same = compare.difference(got, wrong, torch, rtol=job.rtol, atol=job.atol, typed=True)
        except Exception:
            continue
        if same is None:
            return label
    return ""


def _verify(job: Job, frames: dict[str, bytes]) -> Reply:
    """Every named wrong answer must differ from the right one. A value that cannot be read
    or compared is the card's problem: ``internal``."""
    import torch

    shown = frames.get("expected-show", b"").decode("utf-8", "replace")
    try:
        want = values.decode(frames["expected"], torch)
    except Exception as exc:
        return _reply(
            job,
            Verdict.INTERNAL,
            f"the card's expected value cannot be read ({type(exc).__name__}; {job.where})",
        )
    for i, (label, snippet) in enumerate(job.wrongs):
        where = _fence_where(job, snippet)
        try:
            wrong = values.decode(frames[f"wrong:{i}"], torch)
            same = compare.difference(wrong, want, torch, rtol=job.rtol, atol=job.atol)
        except Exception as exc:
            return _reply(
                job,
                Verdict.INTERNAL,
                f'the wrong answer "{label}" ({where}) cannot be compared with the right '
                f"answer ({type(exc).__name__})",
                expected=shown,
            )
        if same is None:
            return _reply(
                job,
                Verdict.WRONG,
                f'the wrong answer "{label}" ({where}) equals the right answer {shown}',
                expected=shown,
            )
    return _reply(
        job,
        Verdict.PASS,
        "expect evaluates" + _differ(len(job.wrongs)),
        expected=shown,
    )


def _differ(n: int) -> str:
    if n == 0:
        return ""
    return " and its wrong answer differs" if n == 1 else f" and its {n} wrong answers differ"


def _fence_where(job: Job, snippet: Snippet) -> str:
    path = job.where.rsplit(":", 1)[0] if job.where else ""
    return f"{path}:{snippet.line}" if path and snippet.line else job.where


def run_role(payload: object) -> None:
    """What a sandboxed child runs: ``payload`` is ``(role, job, *data)`` from our supervisor."""
    import torch

    role, job, *data = cast(tuple[Any, ...], payload)
    if role == "card":
        snippets.predict(job, torch, emit_to_fd)
    elif role == "diagnose":
        snippets.diagnose(job, torch, emit_to_fd, data[0], data[1])
    else:
        snippets.write(job, torch, emit_to_fd, learner=role == "learner")


class _Children:
    """The supervisor's sandboxed children for one job: the spares forked before the job was
    read first (for any code that must not see the job), then fresh ones for the card's code."""

    def __init__(self, job: Job, spares: list[Spare], cleanups: list[Callable[[], None]]):
        self.job, self.spares, self.cleanups = job, spares, cleanups

    def run(self, role: str, job: Job, *data: bytes) -> Outcome:
        spare = self.spares.pop() if self.spares else prefork(run_role)
        return run(
            spare,
            (role, job, *data),
            timeout=self.job.timeout,
            memory_mb=self.job.memory_mb,
            cleanups=self.cleanups,
        )

    def close(self) -> None:
        """Unused spares are ended after the reply: tearing down a torch process takes
        milliseconds the learner should not wait for."""
        for unused in self.spares:
            self.cleanups.append(functools.partial(discard, unused))
        self.spares = []


def handle(job: Job, torch: Any, spares: list[Spare], cleanups: list[Callable[[], None]]) -> Reply:
    """Run ``job`` to a reply. ``spares`` were forked before the job was read. Tearing the
    children down is appended to ``cleanups``, to be run once the reply is sent."""
    children = _Children(job, spares, cleanups)
    try:
        return _handle(job, children)
    finally:
        children.close()


def _handle(job: Job, children: _Children) -> Reply:
    if job.kind in ("predict", "expected", "verify"):
        outcome = children.run("card", job.for_card())
        card, _ = _split(outcome)
        frames = dict(card)
        needed = {"expected", *(f"wrong:{i}" for i in range(len(job.wrongs)))}
        if "card-error" in frames or not needed <= frames.keys():
            return _card_problem(job, outcome, card)
        if job.kind == "expected":
            shown = frames.get("expected-show", b"").decode("utf-8", "replace")
            return _reply(job, Verdict.PASS, "expect evaluates", expected=shown)
        if job.kind == "verify":
            return _verify(job, frames)
        if not job.answer_value:
            return _reply(job, Verdict.INTERNAL, "the predict job carries no answer")
        return judge(job, {**frames, "got": job.answer_value}, outcome.output)
    if job.kind == "write":
        return _write(job, children)
    return _reply(job, Verdict.INTERNAL, f"unknown job kind {job.kind!r}")


def _write(job: Job, children: _Children) -> Reply:
    mine_outcome = children.run("learner", job.for_learner())
    ref = children.run("solution", job.for_card())
    ref_frames = dict(ref.frames)
    if "expected" not in ref_frames:
        return _card_problem(job, ref, ref.frames)
    card, mine = _split(mine_outcome)
    if any(tag == "card-error" for tag, _ in card) or "learner" not in mine_outcome.tags():
        return _card_problem(job, mine_outcome, card)
    failure = _learner_failure(job, mine_outcome, mine)
    if failure is not None:
        return failure

    def diagnose(got: bytes, want: bytes) -> str:
        if job.check is None:
            return ""
        found = children.run("diagnose", job.for_card(), got, want)
        text = found.get("diagnosis")
        return text.decode("utf-8", "replace")[:MAX_MESSAGE] if text else ""

    frames = {"expected": ref_frames["expected"], "got": mine[0][1]}
    return judge(job, frames, mine_outcome.output, diagnose)
