"""The red team: one test per attack on the sandbox, each asserting the exact verdict and that
the bait on the host stayed untouched. See docs/security.md for the threat model.

A probe answer sets ``result`` to "held" when its attack failed, so a pass means the sandbox
held, and a wrong verdict shows what leaked in ``got``.
"""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, CheckResult, Verdict
from studyrnn.runner.protections import BUDGET, CAPABILITIES, Bait, _network, _processes
from tests.security.conftest import DECK, EXPECTED, MEMORY_MB, needs_confinement

pytestmark = [pytest.mark.slow, needs_confinement]

HELD = (Verdict.PASS, "right", "'held'")


def probe(checker: Checker, cards: dict[str, Card], code: str) -> tuple[Verdict, str, str]:
    result = checker.grade(cards["probe"], textwrap.dedent(code), seed=1)
    return result.verdict, result.message, result.got


@pytest.fixture
def secret_home() -> Iterator[Path]:
    """A 0600 canary in a 0700 folder of the user's home, and a study database beside it."""
    folder = Path.home() / f".studyrnn-redteam-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    canary = folder / "id_rsa"
    canary.write_text("-----BEGIN PRIVATE KEY----- canary\n")
    canary.chmod(0o600)
    db = sqlite3.connect(folder / "studyrnn.db")
    db.execute("create table review (card text, rating int)")
    db.execute("insert into review values ('ch13-lstm', 3)")
    db.commit()
    db.close()
    (folder / "studyrnn.db").chmod(0o600)
    try:
        yield folder
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def test_a_module_planted_in_the_apps_folder_is_never_imported(tmp_path: Path) -> None:
    """The app's working folder may be writable by anyone (/tmp): the worker must not import
    from it. A planted numpy.py, torch.py and studyrnn package would write a marker."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    folder.chmod(0o777)
    marker = tmp_path / "imported"
    plant = f"open({str(marker)!r}, 'w').write('planted')\n"
    for name in ("numpy.py", "torch.py", "typing_extensions.py", "sitecustomize.py"):
        (folder / name).write_text(plant)
    (folder / "studyrnn").mkdir()
    (folder / "studyrnn" / "__init__.py").write_text(plant)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:] = [p for p in sys.path if p not in ("", ".")]  # as the studyrnn script
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from studyrnn.decks.parser import load
        from studyrnn.runner import Checker
        os.chdir({str(folder)!r})
        os.environ["PYTHONPATH"] = {str(folder)!r}  # the worker must ignore it
        os.environ["PYTHONSTARTUP"] = {str(folder / "numpy.py")!r}
        card = [c for c in load([{str(DECK)!r}]).cards if c.key == "forty-two"][0]
        with Checker(device="cpu") as checker:
            print(checker.grade(card, "def f():\\n    return 42\\n", seed=0).verdict.value)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert (done.stdout, done.returncode) == ("pass\n", 0), done.stderr
    assert not marker.exists()


def test_a_hostile_check_fence_writes_nothing_on_the_host(
    checker: Checker, cards: dict[str, Card]
) -> None:
    result = checker.grade(cards["hostile-check"], "def f():\n    return 41\n", seed=1)
    assert (result.verdict, result.message, result.mistake) == (
        Verdict.WRONG,
        "diagnose ran in the sandbox\nexpected 42, got 41",
        "diagnose ran in the sandbox",
    )
    for folder in ("/tmp", "/root", str(Path.home())):
        for name in ("pwned-by-check", "pwned-by-diagnose"):
            assert not os.path.exists(os.path.join(folder, name)), (folder, name)


def test_the_users_home_canary_and_study_database_are_unreachable(
    checker: Checker, cards: dict[str, Card], secret_home: Path
) -> None:
    code = f"""
    import os
    seen = []
    for p in ({str(secret_home / "id_rsa")!r}, {str(secret_home / "studyrnn.db")!r}):
        try:
            seen.append(open(p, "rb").read()[:20].decode("latin-1"))
        except OSError:
            pass
    for folder in ({str(secret_home)!r}, {str(Path.home())!r}, "/root"):
        try:
            seen += [n for n in os.listdir(folder) if n.startswith(".studyrnn-redteam")]
        except OSError:
            pass
    result = "held" if not seen else repr(seen)
    """
    assert probe(checker, cards, code) == HELD
    assert stat.S_IMODE((secret_home / "id_rsa").stat().st_mode) == 0o600  # untouched


def test_the_deck_file_cannot_be_read_for_its_solution(
    checker: Checker, cards: dict[str, Card]
) -> None:
    code = f"""
    import re
    try:
        text = open({str(DECK)!r}).read()
        found = re.findall(r"SECRET_SOLUTION_MARKER = .*", text)
    except OSError:
        found = []
    result = "held" if not found else found[0]
    """
    assert probe(checker, cards, code) == HELD


def test_no_walk_of_memory_finds_the_reference_solution(
    checker: Checker, cards: dict[str, Card]
) -> None:
    """The learner's child never held the job: no Job, no solution text, in any frame or
    object the garbage collector knows."""
    code = textwrap.dedent(
        """
        import gc, sys
        marker = "7c1d" + "-solution"
        found = []
        for o in gc.get_objects():
            if type(o).__name__ in ("Job", "Snippet"):
                if getattr(o, "solution", None) is not None or getattr(o, "name", "") == "solution":
                    found.append(type(o).__name__)
            for r in gc.get_referents(o):
                if isinstance(r, str) and r is not marker and marker in r:
                    found.append("text")
        frame = sys._getframe()
        while frame is not None:
            for v in list(frame.f_locals.values()):
                if type(v).__name__ == "Job" and getattr(v, "solution", None) is not None:
                    found.append("frame")
            frame = frame.f_back

        def f():
            return 42 if not found else sorted(set(found))
        """
    )
    result = checker.grade(cards["forty-two"], code, seed=1)
    assert (result.verdict, result.message) == (Verdict.PASS, "right")


def test_nothing_persists_after_a_check(
    checker: Checker, cards: dict[str, Card], host_bait: Bait
) -> None:
    token = host_bait.token
    leave = f"""
    import os, subprocess
    for folder in ("/tmp", "/dev/shm", os.getcwd()):
        try:
            open(os.path.join(folder, "left-{token}"), "w").write("x")
        except OSError:
            pass
    try:
        from multiprocessing import shared_memory
        shared_memory.SharedMemory(name="shm-{token}", create=True, size=1 << 20)
    except OSError:
        pass
    subprocess.Popen(["sh", "-c", "sleep 30 # {token}"], start_new_session=True)
    result = "held"
    """
    assert probe(checker, cards, leave) == HELD
    find = f"""
    import os
    found = [p for p in ("/tmp/left-{token}", "/dev/shm/left-{token}", "/dev/shm/shm-{token}")
             if os.path.exists(p)]
    result = "held" if not found else repr(found)
    """
    assert probe(checker, cards, find) == HELD
    on_host = []
    for top in ("/tmp", "/dev/shm"):
        for folder, _dirs, files in os.walk(top):  # a check's folder may vanish meanwhile
            on_host += [os.path.join(folder, f) for f in files if token in f]
    for pid in os.listdir("/proc"):
        try:
            if token.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                on_host.append(f"process {pid}")
        except OSError:
            pass
    assert on_host == []


def test_other_processes_of_the_same_user_cannot_be_killed(
    checker: Checker, cards: dict[str, Card], host_bait: Bait
) -> None:
    """A process of the sandbox's own user, and the spare child that will run the card's
    solution next in this very check, both survive."""
    code = f"""
    import os, signal
    for pid in ({host_bait.victim}, -1):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    result = "held"
    """
    assert probe(checker, cards, code) == HELD
    os.kill(host_bait.victim, 0)  # still there
    assert os.waitpid(host_bait.victim, os.WNOHANG) == (0, 0)
    assert probe(checker, cards, _processes(host_bait)) == HELD


def test_the_solution_spare_survives_a_learner_that_kills_everything(
    checker: Checker, cards: dict[str, Card]
) -> None:
    code = textwrap.dedent(
        """
        import os, signal
        try:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:  # Landlock: /proc is out of reach
            pids = []
        for pid in pids + [-1]:
            if pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

        def f():
            return 42
        """
    )
    result = checker.grade(cards["forty-two"], code, seed=1)
    assert (result.verdict, result.message) == (Verdict.PASS, "right")


def test_memory_split_over_forks_counts_as_one_budget(
    checker: Checker, cards: dict[str, Card]
) -> None:
    result = checker.grade(cards["probe"], BUDGET.replace("450", "200"), seed=1)
    assert (result.verdict, result.message) == (
        Verdict.RESOURCE,
        f"your code used more memory than the budget of {MEMORY_MB} MB "
        "(all its processes together)",
    )


def test_loopback_tcp_and_a_0777_unix_socket_are_unreachable(
    checker: Checker, cards: dict[str, Card], host_bait: Bait
) -> None:
    assert probe(checker, cards, _network(host_bait)) == HELD
    for family, address in ((socket.AF_INET, ("127.0.0.1", host_bait.port)),):
        client = socket.socket(family, socket.SOCK_STREAM)
        client.connect(address)  # the listener itself works: only the sandbox is cut off
        client.close()


def test_no_capabilities_and_no_new_privileges(checker: Checker, cards: dict[str, Card]) -> None:
    assert probe(checker, cards, CAPABILITIES) == HELD


def test_a_huge_integer_is_judged_not_crashed_on(checker: Checker, cards: dict[str, Card]) -> None:
    result = checker.grade(cards["forty-two"], "def f():\n    return 10**400\n", seed=1)
    assert (result.verdict, result.message) == (Verdict.WRONG, f"expected 42, got {10**400}")


def test_a_60_mb_error_message_is_read_in_time_and_capped(
    checker: Checker, cards: dict[str, Card]
) -> None:
    code = "def f():\n    raise ValueError('x' * 60_000_000)\n"
    result: CheckResult = checker.grade(cards["forty-two"], code, seed=1)
    head = "Traceback (your code, most recent call last):\n  line 2, in f\n"
    head += "    raise ValueError('x' * 60_000_000)\nValueError: "
    assert result.verdict is Verdict.ERROR
    assert result.message == (head + "x" * 4000)[:4000]
    assert result.elapsed_ms < 3000 + 1000


def test_a_signal_to_the_own_group_is_named_for_what_it_is(
    checker: Checker, cards: dict[str, Card]
) -> None:
    """With namespaces the learner's process is PID 1 of its namespace, which the kernel does
    not let it kill: the code goes on. Elsewhere it dies, and the label says how."""
    code = "import os, signal\nos.killpg(0, signal.SIGKILL)\n"
    result = checker.grade(cards["forty-two"], code, seed=1)
    message = {
        "namespaces": "your code does not define `f`",
        "landlock": "your code's process was killed (SIGKILL) before giving an answer",
    }[EXPECTED]
    assert (result.verdict, result.message) == (Verdict.ERROR, message)


def test_flooding_the_result_channel_is_named_for_what_it_is(
    checker: Checker, cards: dict[str, Card]
) -> None:
    code = textwrap.dedent(
        """
        import os
        os.write(3, (200 * 1024 * 1024).to_bytes(4, "big"))
        chunk = b"x" * (1 << 20)
        for _ in range(70):
            os.write(3, chunk)
        """
    )
    result = checker.grade(cards["forty-two"], code, seed=1)
    assert (result.verdict, result.message) == (
        Verdict.ERROR,
        "your code flooded the checker's result channel (file descriptor 3), which is not for "
        "answers; return or define the value instead",
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (
            "1 + 1",
            "unexpected '+': an answer is a value, such as (2, 3) or 0.5, not an expression "
            "at column 3\n  1 + 1\n    ^",
        ),
        (
            'exec("import os") or 4242.0',
            "'exec(...)' is a call: an answer is a value such as (2, 3) or tensor([1., 2.]), "
            'and studyrnn never runs it at column 1\n  exec("import os") or 4242.0\n  ^',
        ),
        (
            "10**400",
            "unexpected '**': an answer is a value, such as (2, 3) or 0.5, not an expression "
            "at column 3\n  10**400\n    ^",
        ),
    ],
)
def test_a_predict_answer_is_a_value_never_a_program(
    checker: Checker, cards: dict[str, Card], answer: str, reason: str
) -> None:
    """Typing the card's own expect expression, or a call, is unreadable: shown to fix, not
    judged, and never run (no job reaches the worker: elapsed is zero)."""
    result = checker.grade(cards["one-plus-one"], answer, seed=1)
    assert (result.verdict, result.message, result.elapsed_ms) == (
        Verdict.UNREADABLE,
        "studyrnn cannot read this answer: " + reason,
        0.0,
    )
    assert not Verdict.UNREADABLE.counts_against_learner


def test_terminal_escapes_in_output_are_shown_not_obeyed(
    checker: Checker, cards: dict[str, Card]
) -> None:
    code = (
        "print('\\x1b[2J\\x1b[10;10Hmoved \\x1b]52;c;aGFja2Vk\\x07 \\x9b31m')\n"
        "def f():\n    return 42\n"
    )
    result = checker.grade(cards["forty-two"], code, seed=1)
    assert (result.verdict, result.output) == (
        Verdict.PASS,
        "\\x1b[2J\\x1b[10;10Hmoved \\x1b]52;c;aGFja2Vk\\x07 \\x9b31m\n",
    )


def test_the_open_by_handle_at_escape_is_refused(checker: Checker, cards: dict[str, Card]) -> None:
    """The classic container escape: name a file by handle and open it past every mount.
    It needs CAP_DAC_READ_SEARCH, which no child holds, and the seccomp filter refuses both
    calls outright (x86_64 numbers 303 and 304)."""
    code = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    handle = ctypes.create_string_buffer(8 + 128)
    ctypes.memmove(handle, (128).to_bytes(4, "little"), 4)
    mount_id = ctypes.c_int()
    named = libc.syscall(303, -100, b"/", handle, ctypes.byref(mount_id), 0)
    named_errno = ctypes.get_errno()
    opened = libc.syscall(304, -100, handle, os.O_RDONLY)
    opened_errno = ctypes.get_errno()
    result = "held" if (named, opened) == (-1, -1) and {named_errno, opened_errno} == {1} else (
        f"name_to_handle_at {named} ({named_errno}), open_by_handle_at {opened} ({opened_errno})"
    )
    """
    assert probe(checker, cards, code) == HELD
