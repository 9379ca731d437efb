"""One job, start to verdict, inside a per-job supervisor forked from the warm worker.

The supervisor never runs a learner's code. It forks sandboxed children (``sandbox.run``) for
the card's code and the learner's code, reads what they emitted as bytes, and only after its
last fork does it load those values (with the allow-list unpickler) and compare them: the
judge is this process, which the learner's code never ran in. Torch ops happen here only after
every fork, so OpenMP's fork-unsafety never bites.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any, cast

from studyrnn.runner import compare, snippets, values
from studyrnn.runner.protocol import Job, Reply, Snippet
from studyrnn.runner.sandbox import Outcome, Spare, discard, emit_to_fd, run
from studyrnn.runner.verdict import Verdict

CRASH_SIGNALS: dict[int, str] = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGABRT: "an abort",
    signal.SIGILL: "an illegal instruction",
    signal.SIGFPE: "a floating-point exception",
}


def _reply(job: Job, verdict: Verdict, message: str, **kw: Any) -> Reply:
    return Reply(id=job.id, verdict=verdict.value, message=message, **kw)


def _split(outcome: Outcome) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """Frames the card sent before the learner's code started, and the learner's first one.
    Anything after the learner's first result is ignored: it can only be forged."""
    card: list[tuple[str, bytes]] = []
    for i, (tag, payload) in enumerate(outcome.frames):
        if tag == "learner":
            rest = [f for f in outcome.frames[i + 1 :] if f[0] in ("got", "learner-error")]
            return card, rest[:1]
        card.append((tag, payload))
    return card, []


def _card_problem(job: Job, outcome: Outcome, card: list[tuple[str, bytes]]) -> Reply:
    """An internal verdict when the card's own code failed before the learner's code ran."""
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
    if outcome.signal is not None:
        return f"signal {signal.Signals(outcome.signal).name}"
    return f"exit code {outcome.exit_code}"


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
    if outcome.flooded:
        return _reply(
            job, Verdict.RESOURCE, "your code printed more than 64 KB and was stopped", output=out
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
        return _reply(job, verdict, text, output=out)
    sig = outcome.signal
    if sig == signal.SIGXCPU:
        return _reply(
            job, Verdict.TIMEOUT, "your code used up its CPU time and was stopped", output=out
        )
    if sig in (signal.SIGKILL, signal.SIGXFSZ):
        return _reply(
            job,
            Verdict.RESOURCE,
            "your code was stopped for using too much memory or disk",
            output=out,
        )
    if sig is not None and sig in CRASH_SIGNALS:
        return _reply(
            job,
            Verdict.ERROR,
            f"your code crashed the process with {CRASH_SIGNALS[sig]}",
            output=out,
        )
    return _reply(
        job,
        Verdict.ERROR,
        f"your code ended the process ({_ending(outcome)}) before giving an answer",
        output=out,
    )


def _predict_frames(job: Job, outcome: Outcome) -> tuple[Reply | None, dict[str, bytes]]:
    """The card's values from its sandboxed run; a predict answer was parsed in the app and
    arrives as ``job.answer_value``: no learner code runs for a predict card."""
    frames = dict(outcome.frames)
    needed = {"expected", *(f"wrong:{i}" for i in range(len(job.wrongs)))}
    if "card-error" in frames or not needed <= frames.keys():
        return _card_problem(job, outcome, list(outcome.frames)), frames
    if job.kind == "predict":
        frames["got"] = job.answer_value
    return None, frames


def judge(job: Job, frames: dict[str, bytes], output: str = "") -> Reply:
    """Compare the learner's value with the expected one. Runs where no learner code ran.

    Whatever goes wrong here is a verdict, never a crash: a value that cannot be read or
    compared is ``internal`` when it is the card's and ``error`` when it is the learner's."""
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
    except Exception as exc:
        return _reply(
            job,
            Verdict.ERROR,
            f"your answer is not a value the checker can compare ({type(exc).__name__})",
            output=output,
        )
    typed = job.answer_kind == "predict"
    try:
        shown_want, shown_got = values.show(want, torch), values.show(got, torch)
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
        for i, (label, _snippet) in enumerate(job.wrongs):
            try:
                wrong = values.decode(frames[f"wrong:{i}"], torch)
                same = compare.difference(
                    got, wrong, torch, rtol=job.rtol, atol=job.atol, typed=True
                )
            except Exception:
                continue  # a wrong answer that cannot be compared names no mistake
            if same is None:
                mistake = label
                break
    elif job.check is not None:
        mistake = _diagnose(job, got, want, torch)
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


def _diagnose(job: Job, got: Any, want: Any, torch: Any) -> str:
    """The check fence's ``diagnose(got, want)``, when it has one; "" when none applies."""
    assert job.check is not None
    ns = snippets.base_namespace(torch, job.device, job.params)
    try:
        exec(compile(job.check.code, "<check>", "exec"), ns)
        fn = ns.get("diagnose")
        found = fn(got, want) if callable(fn) else None
    except Exception:
        return ""
    return found if isinstance(found, str) else ""


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
    """What a sandboxed child runs: ``payload`` is ``(role, job)`` from our supervisor."""
    import torch

    role, job = cast(tuple[str, Job], payload)
    if role == "card":
        snippets.predict(job, torch, emit_to_fd)
    else:
        snippets.write(job, torch, emit_to_fd, learner=role == "learner")


def handle(
    job: Job,
    torch: Any,
    drop_uid: int | None,
    cleanups: list[Callable[[], None]] | None = None,
    spare: Spare | None = None,
) -> Reply:
    """Run ``job`` to a reply. ``torch`` is the worker's already imported module; ``spare``
    is a child forked ahead of time for the first sandboxed run. Tearing the children down is
    appended to ``cleanups``, to be run once the reply is sent."""
    spares = [spare] if spare is not None else []

    def sandboxed(role: str) -> Outcome:
        return run(
            run_role,
            (role, job),
            timeout=job.timeout,
            memory_mb=job.memory_mb,
            drop_uid=drop_uid,
            cleanups=cleanups,
            spare=spares.pop() if spares else None,
        )

    try:
        return _handle(job, sandboxed)
    finally:
        for unused in spares:
            discard(unused)


def _handle(job: Job, sandboxed: Callable[[str], Outcome]) -> Reply:
    if job.kind == "judge":
        return judge(job, job.frames)
    if job.kind == "judge-verify":
        return _verify(job, job.frames)
    if job.kind == "judge-expected":
        shown = job.frames.get("expected-show", b"").decode("utf-8", "replace")
        return _reply(job, Verdict.PASS, "expect evaluates", expected=shown)
    if job.kind in ("predict", "expected", "verify"):
        outcome = sandboxed("card")
        problem, frames = _predict_frames(job, outcome)
        if problem is not None:
            return problem
        if job.kind == "expected":
            shown = frames.get("expected-show", b"").decode("utf-8", "replace")
            return _reply(job, Verdict.PASS, "expect evaluates", expected=shown)
        if job.kind == "verify":
            return _verify(job, frames)
        return judge(job, frames, outcome.output)
    if job.kind == "write":
        ref = sandboxed("solution")
        ref_frames = dict(ref.frames)
        if "expected" not in ref_frames:
            return _card_problem(job, ref, ref.frames)
        mine_outcome = sandboxed("learner")
        card, mine = _split(mine_outcome)
        if any(tag == "card-error" for tag, _ in card) or "learner" not in mine_outcome.tags():
            return _card_problem(job, mine_outcome, card)
        failure = _learner_failure(job, mine_outcome, mine)
        if failure is not None:
            return failure
        return judge(
            job, {"expected": ref_frames["expected"], "got": mine[0][1]}, mine_outcome.output
        )
    return _reply(job, Verdict.INTERNAL, f"unknown job kind {job.kind!r}")
