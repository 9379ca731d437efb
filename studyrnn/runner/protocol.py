"""How the app, the worker and the worker's children talk: jobs, replies and their framing.

Everything here is plain Python (no torch), so the app process can import it. A frame is a
4-byte big-endian length followed by a pickle. Pickles only ever travel from a less trusted
side to a more trusted one as opaque ``bytes`` fields: values produced by a learner's code are
encoded with ``torch.save`` in the sandbox and only ever loaded by the judge with
``torch.load(weights_only=True)``, never with ``pickle.loads``.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
from dataclasses import dataclass, field, replace
from typing import Any

_HEADER = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of card code, with where it came from so errors can point into the deck."""

    code: str
    name: str  # "setup", "expect", "check", ...: used as the traceback file name "<setup>"
    line: int = 0  # 1-based line of the fence in the deck file, 0 when unknown


@dataclass(frozen=True, slots=True)
class Job:
    """One thing the worker is asked to do. ``kind`` is one of:

    - ``predict``: evaluate ``expect`` and ``wrongs`` in a sandboxed child, then judge the
      learner's ``answer_value`` (already parsed by the app: a value, never code).
    - ``write``: run ``solution`` and the learner's ``answer`` (code) in two children; judge.
    - ``expected``: evaluate ``expect`` only, for showing the answer.
    - ``verify``: evaluate ``expect`` and every ``wrongs``; each wrong must differ.

    The learner's child never receives a whole Job: see ``for_learner``.
    """

    id: int
    kind: str
    card: str = ""  # card key, for messages
    where: str = ""  # "path.md:LINE" of the card, for messages about a broken card
    params: dict[str, Any] = field(default_factory=dict)
    setup: Snippet | None = None
    expect: Snippet | None = None
    wrongs: tuple[tuple[str, Snippet], ...] = ()  # (message, expression)
    solution: Snippet | None = None
    check: Snippet | None = None
    answer: str | None = None  # a write card's code
    answer_value: bytes = b""  # a predict card's answer, as ``values`` wire bytes
    answer_kind: str = "predict"  # "predict" (a value) or "write" (code)
    expect_raises: bool = False  # predict: ``expect raises``, the value is the exception's name
    timeout: float = 5.0
    device: str = "cpu"
    rtol: float | None = None
    atol: float | None = None
    seed: int = 0
    memory_mb: int = 1024

    def for_learner(self) -> Job:
        """What the child running the learner's code gets: the setup, the check and the
        answer, and nothing that reveals the reference answer or where the deck lives."""
        return Job(
            id=0,
            kind=self.kind,
            params=self.params,
            setup=self.setup,
            check=self.check,
            answer=self.answer,
            answer_kind=self.answer_kind,
            timeout=self.timeout,
            device=self.device,
            seed=self.seed,
            memory_mb=self.memory_mb,
        )

    def for_card(self) -> Job:
        """What the child running the card's own code gets: everything but the answer."""
        return replace(self, answer=None, answer_value=b"")


@dataclass(frozen=True, slots=True)
class Reply:
    """What came of a job. ``verdict`` is a ``Verdict`` value; the app builds the CheckResult."""

    id: int
    verdict: str
    message: str
    elapsed_ms: float = 0.0
    expected: str = ""
    got: str = ""
    mistake: str = ""
    output: str = ""


def write_frame(fd: int, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    write_bytes(fd, data)


def write_bytes(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_exact(fd: int, n: int) -> bytes | None:
    """Read exactly n bytes, or None at end of file."""
    chunks: list[bytes] = []
    left = n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_bytes(fd: int) -> bytes | None:
    head = read_exact(fd, _HEADER.size)
    if head is None:
        return None
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes is too large")
    return read_exact(fd, size)


_APP_SAFE = {
    ("studyrnn.runner.protocol", "Reply"),
    ("studyrnn.runner.protocol", "Job"),
    ("studyrnn.runner.protocol", "Snippet"),
    *(("builtins", name) for name in ("dict", "list", "tuple", "set", "frozenset", "complex")),
}


class _AppUnpickler(pickle.Unpickler):
    """What the app accepts from its workers: protocol records and plain containers. Anything
    else (a torch object, above all) is refused, so the app never imports torch by accident."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _APP_SAFE:
            raise pickle.UnpicklingError(f"refused {module}.{name} from the worker")
        return super().find_class(module, name)


def read_frame(fd: int, *, strict: bool = False) -> Any:
    """A pickled frame from a trusted peer (the app or the worker); None at end of file.
    ``strict`` (the app's side) accepts protocol records and plain values only."""
    data = read_bytes(fd)
    if data is None:
        return None
    if strict:
        return _AppUnpickler(io.BytesIO(data)).load()
    return pickle.loads(data)


class FrameBuffer:
    """Splits a byte stream read without blocking into frames. A length over ``MAX_FRAME``
    marks the stream ``broken``: the frames before it are still returned, nothing after."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.broken = False

    def feed(self, data: bytes) -> list[bytes]:
        if self.broken:
            return []
        self._buf += data
        out: list[bytes] = []
        while len(self._buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buf)
            if size > MAX_FRAME:
                self.broken = True
                self._buf.clear()
                break
            if len(self._buf) < _HEADER.size + size:
                break
            out.append(bytes(self._buf[_HEADER.size : _HEADER.size + size]))
            del self._buf[: _HEADER.size + size]
        return out
