"""How fast ``studyrnn lsp`` answers a keystroke with diagnostics on a 2,000-card deck.

Starts the real server over stdio with pygls's client, opens a generated deck of every kind
(``parse_bench.generate``, about 2,000 cards), then types: each keystroke is a change that
adds a character to a card's answer; after every ``--every`` keystrokes the client waits for
the diagnostics. It prints, over the waits, the median and p95 of the time from the last
keystroke to the diagnostics arriving, less the 150 ms debounce (target: 200 ms), and, in
process, the time of the first lint (the whole file, on open) and of a re-lint after a
one-character change (note by note: only the changed note is parsed again).

    python benchmarks/lsp_bench.py [--cards 2000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from parse_bench import generate
from pygls.lsp.client import LanguageClient

from studyrnn.lsp.diagnostics import diagnostics
from studyrnn.lsp.index import DeckIndex
from studyrnn.lsp.server import DEBOUNCE

REPO = Path(__file__).resolve().parent.parent


async def typing_latency(path: Path, text: str, rounds: int) -> list[float]:
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
    # an error on the first line keeps a diagnostic published after every change
    text = "## \n" + text
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await asyncio.wait_for(arrived.get(), 60)
    lines = text.split("\n")
    row = len(lines) // 2
    latencies: list[float] = []
    version = 1
    for _ in range(rounds):
        for _ in range(3):  # three quick keystrokes, then the pause the debounce waits for
            version += 1
            column = len(lines[row])
            lines[row] += "x"
            at = lsp.Position(row, column)
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    [lsp.TextDocumentContentChangePartial(lsp.Range(at, at), "x")],
                )
            )
            sent = time.perf_counter()
            await asyncio.sleep(0.03)
        got = await asyncio.wait_for(arrived.get(), 60)
        latencies.append(got - sent - DEBOUNCE)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def lint_in_process(path: Path, text: str) -> tuple[float, float]:
    """Seconds of the first lint (whole file) and of a re-lint after a keystroke."""
    index = DeckIndex([path.parent])
    start = time.perf_counter()
    decks = index.deck_set(path, {str(path): text})
    diagnostics(decks.files[0].problems, text, path.as_uri())
    first = time.perf_counter() - start
    index.warm(path)
    lines = text.split("\n")
    lines[len(lines) // 2] += "x"
    changed = "\n".join(lines)
    start = time.perf_counter()
    decks = index.deck_set(path, {str(path): changed})
    diagnostics(decks.files[0].problems, changed, path.as_uri())
    return first, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    text = generate(options.cards)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.md"
        path.write_text(text, encoding="utf-8")
        first, again = lint_in_process(path, text)
        latencies = asyncio.run(typing_latency(path, text, options.rounds))
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"deck: {options.cards} cards, {len(text) / 1024:.0f} KiB")
    print(f"in process: first lint {first * 1000:.0f} ms, after a keystroke {again * 1000:.0f} ms")
    print(
        f"keystroke to diagnostics, less the {DEBOUNCE * 1000:.0f} ms debounce, over "
        f"{len(ms)} pauses: median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms "
        "(target 200 ms)"
    )


if __name__ == "__main__":
    main()
