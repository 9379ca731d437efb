"""How fast ``studyrnn lsp`` answers a keystroke with diagnostics on a 2,000-card deck.

Starts the real server over stdio with pygls's client and opens a generated deck of every
kind (``parse_bench.generate``, about 2,000 cards). Then it types in pauses: each pause is
three quick keystrokes (30 ms apart) and a wait for the diagnostics. The keystrokes go to a
random place each time and take turns at four kinds of edit: three characters at the end of
an answer line, Enter then two characters (every line below moves), three characters on a
card's ``## `` heading (its key changes), and three backspaces in an answer. The figure is
the time from the last keystroke of a pause to the diagnostics arriving, less the 150 ms
debounce; the target is 200 ms. It prints the median, p95 and max over the pauses, with the
number of pauses and keystrokes, and the same by kind of edit.

The first pause is typed as soon as the open file's diagnostics arrive, and is printed on its
own line. The others start after a one-second wait, as one looks at a file before typing in
it.

In process, it also times the first lint (every note, on open) and a re-lint after a
one-character change (only the changed note is parsed again).

    python benchmarks/lsp_bench.py [--cards 2000] [--pauses 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from parse_bench import generate
from pygls.lsp.client import LanguageClient

from studyrnn.lsp.diagnostics import diagnostics
from studyrnn.lsp.index import DeckIndex
from studyrnn.lsp.server import DEBOUNCE

REPO = Path(__file__).resolve().parent.parent
KINDS = ("answer", "enter", "heading", "backspace")
KEYSTROKES = 3  # per pause
GAP = 0.03  # seconds between the keystrokes of a pause


@dataclass
class Editor:
    """The client's copy of the text, and the changes that one keystroke sends."""

    lines: list[str]
    rng: random.Random
    version: int = 1
    sent: int = 0
    answers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.answers = [i for i, line in enumerate(self.lines) if line.startswith("Why: ")]

    def row(self, wanted: str) -> int:
        """A random answer line, or the heading of the card above it."""
        row = self.rng.choice(self.answers)
        if wanted == "heading":
            while not self.lines[row].startswith("## "):
                row -= 1
        return row

    def keystrokes(self, kind: str) -> list[lsp.TextDocumentContentChangePartial]:
        row = self.row(kind)
        changes = []
        for stroke in range(KEYSTROKES):
            line = self.lines[row]
            end = lsp.Position(row, len(line))
            if kind == "enter" and stroke == 0:
                self.lines[row : row + 1] = [line, ""]
                self._moved(row)
                row += 1
                changes.append(lsp.TextDocumentContentChangePartial(lsp.Range(end, end), "\n"))
            elif kind == "backspace":
                self.lines[row] = line[:-1]
                start = lsp.Position(row, len(line) - 1)
                changes.append(lsp.TextDocumentContentChangePartial(lsp.Range(start, end), ""))
            else:
                self.lines[row] = line + "x"
                changes.append(lsp.TextDocumentContentChangePartial(lsp.Range(end, end), "x"))
        return changes

    def _moved(self, row: int) -> None:
        self.answers = [a + 1 if a > row else a for a in self.answers]


async def typing(
    path: Path, text: str, pauses: int, seed: int
) -> tuple[float, list[tuple[str, float]]]:
    """The latency of the first pause (right after open), and (kind, latency) of the others."""
    client = LanguageClient("lsp-bench", "1")
    arrived: asyncio.Queue[float] = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(time.perf_counter())

    args = ["-c", "from studyrnn.cli import main; main()", "--decks", str(path.parent), "lsp"]
    await client.start_io(sys.executable, *args, env={"PYTHONPATH": str(REPO)})
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    uri = path.as_uri()
    # an empty heading at the end keeps a diagnostic published after every change
    text += "\n## \n"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await asyncio.wait_for(arrived.get(), 60)
    editor = Editor(text.split("\n"), random.Random(seed))

    async def pause(kind: str) -> float:
        sent = 0.0
        for change in editor.keystrokes(kind):
            editor.version += 1
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(uri=uri, version=editor.version),
                    [change],
                )
            )
            sent = time.perf_counter()
            await asyncio.sleep(GAP)
        got = await asyncio.wait_for(arrived.get(), 60)
        return got - sent - DEBOUNCE

    first = await pause(KINDS[0])
    await asyncio.sleep(1.0)
    latencies = []
    for number in range(pauses):
        kind = KINDS[number % len(KINDS)]
        latencies.append((kind, await pause(kind)))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, latencies


def lint_in_process(path: Path, text: str) -> tuple[float, float]:
    """Seconds of the first lint (every note) and of a re-lint after a keystroke."""
    index = DeckIndex([path.parent])
    start = time.perf_counter()
    decks = index.deck_set(path, {str(path): text})
    diagnostics(decks.files[0].problems, text, path.as_uri())
    first = time.perf_counter() - start
    lines = text.split("\n")
    lines[len(lines) // 2] += "x"
    changed = "\n".join(lines)
    start = time.perf_counter()
    decks = index.deck_set(path, {str(path): changed})
    diagnostics(decks.files[0].problems, changed, path.as_uri())
    return first, time.perf_counter() - start


def figures(seconds: Sequence[float]) -> str:
    ms = sorted(x * 1000 for x in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--pauses", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    text = generate(options.cards)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.md"
        path.write_text(text, encoding="utf-8")
        first, again = lint_in_process(path, text)
        right_after_open, latencies = asyncio.run(typing(path, text, options.pauses, options.seed))
    print(f"deck: {options.cards} cards, {len(text) / 1024:.0f} KiB")
    print(f"in process: first lint {first * 1000:.0f} ms, after a keystroke {again * 1000:.0f} ms")
    every = [seconds for _, seconds in latencies]
    print(
        f"keystroke to diagnostics, less the {DEBOUNCE * 1000:.0f} ms debounce, over "
        f"{len(every)} pauses ({len(every) * KEYSTROKES} keystrokes): {figures(every)} "
        "(target 200 ms)"
    )
    for kind in KINDS:
        some = [seconds for k, seconds in latencies if k == kind]
        print(f"  {kind:9}  {len(some):3} pauses: {figures(some)}")
    print(f"first pause, right after open: {right_after_open * 1000:.0f} ms")


if __name__ == "__main__":
    main()
