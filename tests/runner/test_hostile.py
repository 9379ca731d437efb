"""Bad and hostile answers: each gets the right verdict, never a hang, and the worker answers
the next check correctly afterwards."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, CheckResult, Verdict
from tests.runner.conftest import SECRET_VALUE

pytestmark = pytest.mark.slow

TIMEOUT = 2.0  # the fixture cards say timeout=2


def judged(checker: Checker, card: Card, answer: str) -> CheckResult:
    """Grade ``answer``, assert it came back in time, then prove the worker still works."""
    start = time.monotonic()
    result = checker.grade(card, answer, seed=5)
    took = time.monotonic() - start
    # Never hung: a verdict within the limit plus the tear-down of up to 32 forked torch
    # processes, which on a busy 2-core machine takes seconds (speed is benchmarked, not here).
    assert took < TIMEOUT + 8.0, f"{took:.2f} s for {answer!r}"
    good = "def f():\n    return 42\n" if card.key == "f-42" else "2"
    after = checker.grade(card, good, seed=6)
    assert after.verdict is Verdict.PASS, after.message
    return result


@pytest.fixture(scope="module")
def f42(write_cards: dict[str, Card]) -> Card:
    return write_cards["f-42"]


def test_infinite_loop(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "while True:\n    pass\n")
    assert (result.verdict, result.message) == (
        Verdict.TIMEOUT,
        "your code ran past the 2 s limit and was stopped",
    )


def test_infinite_loop_ignoring_sigterm(checker: Checker, f42: Card) -> None:
    code = "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n"
    assert judged(checker, f42, code).verdict is Verdict.TIMEOUT


def test_memory_bomb_torch_empty(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "x = torch.empty(10**12)\n")
    assert (result.verdict, result.message) == (
        Verdict.RESOURCE,
        "your code used more memory than the budget of 512 MB",
    )


def test_memory_bomb_growing_list(checker: Checker, f42: Card) -> None:
    code = "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n"
    result = judged(checker, f42, code)
    assert result.verdict is Verdict.RESOURCE


def test_fork_bomb(checker: Checker, f42: Card) -> None:
    code = "import os\nwhile True:\n    os.fork()\n"
    result = judged(checker, f42, code)
    assert result.verdict in (Verdict.RESOURCE, Verdict.TIMEOUT)


def test_output_flood(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "while True:\n    print('spam' * 100)\n")
    assert (result.verdict, result.message) == (
        Verdict.RESOURCE,
        "your code printed more than 64 KB and was stopped",
    )
    assert len(result.output) == 64 * 1024


def test_segfault_through_ctypes(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "import ctypes\nctypes.string_at(0)\n")
    assert (result.verdict, result.message) == (
        Verdict.ERROR,
        "your code crashed the process with a segmentation fault",
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "import sys\nsys.exit(0)\n",
            "your code called sys.exit(0); an answer must not end the process",
        ),
        (
            "raise SystemExit\n",
            "your code called sys.exit(None); an answer must not end the process",
        ),
        (
            "import os\nos._exit(0)\n",
            "your code ended the process (exit code 0) before giving an answer",
        ),
    ],
)
def test_exits_never_pass(checker: Checker, f42: Card, code: str, message: str) -> None:
    result = judged(checker, f42, code)
    assert (result.verdict, result.message) == (Verdict.ERROR, message)


def test_keyboard_interrupt(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "def f():\n    raise KeyboardInterrupt\n")
    assert result.verdict is Verdict.ERROR
    assert result.message == (
        "Traceback (your code, most recent call last):\n  line 2, in f\n"
        "    raise KeyboardInterrupt\nKeyboardInterrupt"
    )


def test_thread_that_never_ends(checker: Checker, f42: Card) -> None:
    code = (
        "import threading, time\n"
        "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
        "def f():\n    return 42\n"
    )
    result = judged(checker, f42, code)
    assert result.verdict is Verdict.PASS


def test_reading_stdin(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "x = input()\n")
    assert result.verdict is Verdict.ERROR
    assert result.message.endswith("EOFError: EOF when reading a line")


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def test_connecting_to_a_local_socket(checker: Checker, f42: Card, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    code = (
        "import socket\n"
        "def f():\n"
        f"    s = socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
        "    s.sendall(b'leak')\n"
        "    return 42\n"
    )
    result = judged(checker, f42, code)
    assert result.verdict is Verdict.ERROR
    assert result.message.endswith("PermissionError: [Errno 1] Operation not permitted")
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody ever connected


def test_secret_of_the_app_never_reaches_a_snippet(checker: Checker, f42: Card) -> None:
    code = (
        "import os\n"
        "def f():\n"
        "    found = [v for v in os.environ.values()]\n"
        "    for pid in os.listdir('/proc'):\n"
        "        try:\n"
        "            found.append(open(f'/proc/{pid}/environ', 'rb').read().decode())\n"
        "        except Exception:\n"
        "            pass\n"
        "    print(found)\n"
        "    return '\\n'.join(found)\n"
    )
    result = judged(checker, f42, code)
    assert result.verdict is Verdict.WRONG
    for text in (result.message, result.got, result.output):
        assert SECRET_VALUE not in text


def test_syntax_error(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "def f():\n    return 42\n  x = (\n")
    assert result.verdict is Verdict.ERROR
    assert result.message.startswith("  line 3\n")


def test_empty_answer(checker: Checker, f42: Card) -> None:
    result = judged(checker, f42, "\n  \n")
    assert (result.verdict, result.message) == (
        Verdict.ERROR,
        "the answer is empty: write the code the card asks for",
    )


def test_a_killed_worker_is_restarted(checker: Checker, f42: Card) -> None:
    import os
    import signal

    pid = checker.info()["worker_pid"]
    os.kill(pid, signal.SIGKILL)
    result = checker.grade(f42, "def f():\n    return 42\n", seed=1)
    assert result.verdict is Verdict.PASS
    assert checker.info()["worker_pid"] != pid
