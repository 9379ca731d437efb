"""The device worker: ``python -m studyrnn.runner.device_worker cuda|mps``.

CUDA cannot be used in a child forked after the parent initialised it, so CUDA and MPS checks
do not fork: this spawned process owns the device and runs each check in fresh namespaces in
itself. The values that decide a verdict still leave it for the CPU worker's judge: the card's
own values (expected, named wrong answers, the solution's observations) are sent in a first
reply *before* the learner's code runs, the learner's value in a second one, and every reply
carries the job's nonce. The app kills and restarts this worker after a timeout, a crash, or
a check that left a thread behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
import time
import warnings
from typing import Any

from studyrnn.runner.protocol import Job, Reply, read_frame, write_frame
from studyrnn.runner.verdict import Verdict
from studyrnn.runner.worker import _take_stdio

OUTPUT_CAP = 64 * 1024


class _CappedText(io.StringIO):
    def write(self, s: str) -> int:
        if self.tell() < OUTPUT_CAP:
            super().write(s[: OUTPUT_CAP - self.tell()])
        return len(s)


def run_job(job: Job, torch: Any, send: Any) -> None:
    """Run one job's snippets here; send the card's reply, then the final one."""
    from studyrnn.runner import snippets

    frames: list[tuple[str, bytes]] = []
    card_sent = False

    def send_card() -> None:
        nonlocal card_sent
        card_sent = True
        send(
            Reply(
                job.id,
                Verdict.PASS.value,
                "card",
                frames=dict(frames),
                stage="card",
                nonce=job.nonce,
            )
        )

    def emit(tag: str, payload: bytes) -> None:
        if card_sent and tag not in ("got", "learner-error"):
            return
        frames.append((tag, payload))
        if tag == "learner":
            send_card()

    out = _CappedText()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        if job.kind == "write":
            snippets.write(job, torch, emit, learner=False)
            if "expected" in dict(frames):
                snippets.write(job, torch, emit, learner=True)
        else:
            snippets.predict(job, torch, emit)  # the card's values; a typed answer is never run
    tags = dict(frames)
    elapsed = (time.monotonic() - start) * 1000
    if "card-error" in tags:
        reply = Reply(job.id, Verdict.INTERNAL.value, tags["card-error"].decode(), elapsed)
    elif job.kind in ("expected", "verify"):
        reply = Reply(job.id, Verdict.PASS.value, "card", elapsed, frames=tags)
    elif "got" in tags:
        reply = Reply(job.id, Verdict.PASS.value, "ran", elapsed, frames={"got": tags["got"]})
    elif "learner-error" in tags:
        kind, _, text = tags["learner-error"].decode("utf-8", "replace").partition("\n")
        verdict = Verdict.RESOURCE if kind == "resource" else Verdict.ERROR
        reply = Reply(job.id, verdict.value, text, elapsed)
    else:
        reply = Reply(job.id, Verdict.INTERNAL.value, "the card produced no value", elapsed)
    send(
        Reply(
            reply.id,
            reply.verdict,
            reply.message,
            reply.elapsed_ms,
            output=out.getvalue(),
            frames=reply.frames,
            stage="final",
            nonce=job.nonce,
        )
    )


def main() -> None:
    device = sys.argv[1] if len(sys.argv) > 1 else "cuda"
    proto_in, proto_out = _take_stdio()
    started = time.monotonic()
    warnings.filterwarnings("ignore")
    import torch

    setattr(torch.backends.mkldnn, "enabled", False)  # noqa: B010
    if device == "cpu":  # only for testing this worker's protocol without a GPU
        available = True
    elif device == "cuda":
        available = bool(torch.cuda.is_available())
    else:
        available = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if available and device != "cpu":
        torch.zeros(1, device=device)  # initialise the device once, here, not in a check
    write_frame(
        proto_out,
        {
            "ready": True,
            "pid": os.getpid(),
            "device": device,
            "available": available,
            "torch": str(torch.__version__),
            "startup_ms": (time.monotonic() - started) * 1000,
        },
    )
    baseline = threading.active_count()
    while True:
        job = read_frame(proto_in)
        if not isinstance(job, Job):
            os._exit(0)
        run_job(job, torch, lambda reply: write_frame(proto_out, reply))
        if threading.active_count() > baseline:
            os._exit(0)  # the learner's code left a thread running: start afresh


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
