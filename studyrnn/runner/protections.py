"""What protects the learner on this machine, tested rather than assumed.

Each protection is proved the way an attacker would probe it: a write card whose "answer" tries
the attack from inside the real sandbox, through the real checker, against bait the app sets
up on the host (a readable canary file, a listening socket, a process of the sandbox's own
user). The card passes only when the attack failed. ``studyrnn doctor`` prints the results;
``tests/security`` asserts them. App side: no torch here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from studyrnn.decks.model import Card
from studyrnn.decks.parser import parse_text
from studyrnn.runner.checker import Checker
from studyrnn.runner.verdict import CheckResult, Verdict

PROBE_DECK = """## A protection probe: set `result` to "held" when the attack failed
```python check
def observe(ns, gen):
    return ns["result"]
```
```python solution
result = "held"
```
"""
NOBODY = 65534


@dataclass(frozen=True, slots=True)
class Finding:
    """One protection, and whether the probe found it held."""

    name: str
    held: bool
    detail: str


def probe_card() -> Card:
    (card,) = parse_text(PROBE_DECK, "<protections>").cards
    return card


@dataclass
class Bait:
    """What the app puts on the host for the probes to reach for."""

    canary: Path  # a world-readable file in a world-readable folder
    port: int  # a TCP listener on loopback
    unix: Path  # a 0777 unix socket
    victim: int  # pid of a process running as the sandbox's own user
    token: str  # marks what a probe leaves behind


@contextlib.contextmanager
def bait() -> Iterator[Bait]:
    folder = Path(tempfile.mkdtemp(prefix="studyrnn-bait-"))
    folder.chmod(0o755)
    canary = folder / "canary.txt"
    canary.write_text("studyrnn canary\n")
    canary.chmod(0o644)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(5)
    tcp.setblocking(False)
    unix_path = folder / "bait.sock"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(unix_path))
    unix_path.chmod(0o777)
    unix.listen(5)
    unix.setblocking(False)
    as_nobody = os.geteuid() == 0
    victim = subprocess.Popen(
        ["sleep", "600"],
        user=NOBODY if as_nobody else None,
        group=NOBODY if as_nobody else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield Bait(canary, tcp.getsockname()[1], unix_path, victim.pid, secrets.token_hex(8))
    finally:
        victim.kill()
        victim.wait()
        tcp.close()
        unix.close()
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def _private_paths(b: Bait) -> list[str]:
    """Host paths no snippet may see: the canary, and a few entries of the user's home and of
    /root that are not on the way to the interpreter or to studyrnn's own package (the sandbox
    recreates those folders to bind them read-only)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    needed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, package)}
    paths = [str(b.canary)]
    for folder in dict.fromkeys((os.path.expanduser("~"), "/root")):
        with contextlib.suppress(OSError):
            for name in sorted(os.listdir(folder))[:20]:
                path = os.path.join(folder, name)
                if not any(n == path or n.startswith(path + "/") for n in needed):
                    paths.append(path)
    return paths[:12]


def _files(b: Bait) -> str:
    return f"""
import os
seen = []
for p in {_private_paths(b)!r}:
    try:
        os.listdir(p) if os.path.isdir(p) else open(p, "rb").read(1)
        seen.append(p)
    except OSError:
        pass
result = "held" if not seen else "can read " + ", ".join(seen)
"""


def _network(b: Bait) -> str:
    return f"""
import socket
reached = []
targets = ((socket.AF_INET, ("127.0.0.1", {b.port})), (socket.AF_UNIX, {str(b.unix)!r}))
for family, address in targets:
    try:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(1)
        s.connect(address)
        reached.append(str(address))
    except OSError:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    reached.append("DNS")
except OSError:
    pass
result = "held" if not reached else "reached " + ", ".join(reached)
"""


def _processes(b: Bait) -> str:
    return f"""
import os
seen = []
try:
    os.kill({b.victim}, 0)
    seen.append("signalled the app's process {b.victim}")
except OSError:
    pass
me = os.getpid()
try:
    others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me)]
except OSError:
    others = []
try:
    others = [p for p in others if open(f"/proc/{{p}}/cmdline", "rb").read()]
except OSError:
    pass
if others:
    seen.append("sees processes " + " ".join(others[:5]))
result = "held" if not seen else "; ".join(seen)
"""


CAPABILITIES = """
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
# The bounding set needs CAP_SETPCAP to shrink; with no_new_privs it cannot grant anything.
caps = {k: int(status[k].strip(), 16) for k in ("CapEff", "CapPrm", "CapInh", "CapAmb")}
held = not any(caps.values()) and status["NoNewPrivs"].strip() == "1"
result = "held" if held else f"capabilities {caps}, no_new_privs {status['NoNewPrivs'].strip()}"
"""


def _leave(b: Bait) -> str:
    return f"""
import os, subprocess
for folder in ("/tmp", "/dev/shm", os.getcwd()):
    try:
        open(os.path.join(folder, "left-{b.token}"), "w").write("x")
    except OSError:
        pass
subprocess.Popen(["sh", "-c", "sleep 60 # {b.token}"], start_new_session=True)
result = "held"
"""


def _find_left(b: Bait) -> str:
    return f"""
import os
found = [f for f in ("/tmp", "/dev/shm") if os.path.exists(os.path.join(f, "left-{b.token}"))]
result = "held" if not found else "found what the last check left in " + ", ".join(found)
"""


BUDGET = """
import os, time
pids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = bytearray(450 * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(5)
        os._exit(0)
    pids.append(pid)
time.sleep(4)
result = "three processes held 1350 MB together"
"""


def _host_leftovers(b: Bait) -> list[str]:
    """What a probe left on the host: files named with the token, processes running it."""
    found = []
    for top in (tempfile.gettempdir(), "/dev/shm"):
        for folder, _dirs, files in os.walk(top):  # a check's folder may vanish meanwhile
            found += [os.path.join(folder, f) for f in files if b.token in f]
    for pid in os.listdir("/proc"):
        with contextlib.suppress(OSError):
            if b.token.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(f"process {pid}")
    return found


def _held(result: CheckResult) -> tuple[bool, str]:
    if result.verdict is Verdict.PASS:
        return True, "held"
    if result.verdict is Verdict.WRONG:
        return False, result.got.strip("'\"") or result.message
    return False, f"{result.verdict.value}: {result.message}"


def check_all(checker: Checker) -> list[Finding]:
    """Run every probe through ``checker``; one Finding per protection."""
    card = probe_card()
    findings: list[Finding] = []
    with bait() as b:
        for name, code in (
            ("files", _files(b)),
            ("network", _network(b)),
            ("processes", _processes(b)),
            ("capabilities", CAPABILITIES),
        ):
            held, detail = _held(checker.grade(card, code, seed=0))
            findings.append(Finding(name, held, detail))
        left = checker.grade(card, _leave(b), seed=0)
        time.sleep(0.2)
        held, detail = _held(checker.grade(card, _find_left(b), seed=0))
        leftovers = _host_leftovers(b)
        if left.verdict is not Verdict.PASS:
            held, detail = False, f"the probe did not run ({left.verdict.value}: {left.message})"
        elif leftovers:
            held, detail = False, "left on the host: " + ", ".join(leftovers)
        findings.append(Finding("persistence", held, detail))
        budget = checker.grade(card, BUDGET, seed=0)
        over = budget.verdict is Verdict.RESOURCE and "all its processes" in budget.message
        detail = "held" if over else f"{budget.verdict.value}: {budget.message}"
        findings.append(Finding("budgets", over, detail))
    return findings
