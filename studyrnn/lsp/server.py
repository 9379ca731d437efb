"""The pygls wiring: which LSP requests the server answers, and the debounce of diagnostics.

The handlers are thin: each reads the document, calls one module of this package, and returns
its answer. Diagnostics are published on open at once, and on change after ``DEBOUNCE``
seconds without a newer change, for every open deck of the changed file's deck folder (a fix
in one file can clear a duplicate-id error in another). The server writes no file: ids and
fixes reach the deck only as edits that the editor applies.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from studyrnn import __version__
from studyrnn.decks.model import DeckFile
from studyrnn.lsp import actions, completion, hover, memory, outline
from studyrnn.lsp.check import CardChecks
from studyrnn.lsp.diagnostics import diagnostics
from studyrnn.lsp.index import DeckIndex
from studyrnn.lsp.schedule import ScheduleLookup
from studyrnn.lsp.text import lines_of, utf16_len

DEBOUNCE = 0.15  # seconds of quiet after a keystroke before the file is linted
CHECK_CARD = "studyrnn.checkCard"


class DeckServer(LanguageServer):
    def __init__(
        self, index: DeckIndex, schedule: ScheduleLookup | None, checks: CardChecks
    ) -> None:
        super().__init__("studyrnn", __version__)
        self.index = index
        self.schedule = schedule
        self.checks = checks
        # the last check of each card, by uri and 0-based heading line, until the file changes
        self.check_results: dict[str, dict[int, lsp.Diagnostic]] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._published: set[str] = set()  # uris that have diagnostics showing
        self._settled: set[str] = set()  # open uris whose parse is out of the collector's walks
        # one thread lints, so the loop keeps answering hovers and completions meanwhile
        self._linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studyrnn-lint")
        self._tasks: set[asyncio.Task[None]] = set()

    # --- documents -------------------------------------------------------------------------
    def path_of(self, uri: str) -> Path | None:
        fs_path = to_fs_path(uri)
        return Path(os.path.abspath(fs_path)) if fs_path else None

    def open_texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = self.path_of(uri)
            if path is not None:
                texts[str(path)] = doc.source
        return texts

    def deck_file(self, uri: str) -> tuple[str, DeckFile] | None:
        """The open document's text and its file as linted with its deck folder, or None when
        the document is not a deck."""
        path = self.path_of(uri)
        if path is None:
            return None
        text = self.workspace.get_text_document(uri).source
        if not self.index.is_deck(path, text):
            return None
        decks = self.index.deck_set(path, self.open_texts())
        found = next((f for f in decks.files if f.path == str(path)), None)
        return (text, found) if found is not None else None

    # --- diagnostics -----------------------------------------------------------------------
    async def publish(self, uri: str) -> None:
        """Lint ``uri`` with its deck folder, in the lint thread so that the loop keeps
        answering, and publish the diagnostics of every open deck of that folder. A result
        for a text the editor has since changed is dropped: the change publishes its own."""
        self._pending.pop(uri, None)
        path = self.path_of(uri)
        if path is None or uri not in self.workspace.text_documents:
            return
        text = self.workspace.get_text_document(uri).source
        if not self.index.is_deck(path, text):
            self.clear(uri)
            return
        texts = self.open_texts()
        loop = asyncio.get_running_loop()
        decks = await loop.run_in_executor(self._linter, self.index.deck_set, path, texts)
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile
        if self.workspace.get_text_document(uri).source != text:
            return  # changed meanwhile: that change publishes in its turn
        for deck_file in decks.files:
            if deck_file.path not in texts:
                continue
            file_uri = uri if deck_file.path == str(path) else from_fs_path(deck_file.path)
            if file_uri is None or file_uri not in self.workspace.text_documents:
                continue
            found = diagnostics(deck_file.problems, texts[deck_file.path], file_uri)
            found += self.check_results.get(file_uri, {}).values()
            if not found and file_uri not in self._published:
                continue
            self._published.add(file_uri)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=file_uri, diagnostics=found)
            )
        if uri not in self._settled:
            # what the opened file's parse keeps lives as long as the file is open: out of the
            # collector's walks (``memory``), in the lint thread, after its first diagnostics
            self._settled.add(uri)
            loop.run_in_executor(self._linter, memory.settle)

    def publish_later(self, uri: str) -> None:
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(
            DEBOUNCE, lambda: self._tasks.add(loop.create_task(self.publish(uri)))
        )

    def clear(self, uri: str) -> None:
        self._settled.discard(uri)
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if uri in self._published:
            self._published.discard(uri)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )


def build(roots: Sequence[Path], db_url: str | None, device: str = "auto") -> DeckServer:
    """A server for the decks under ``roots``; ``db_url`` is the store hover reads schedules
    from (None: no schedules); ``device`` is the checker's."""
    server = DeckServer(
        DeckIndex(roots), ScheduleLookup(db_url) if db_url else None, CardChecks(device)
    )

    @server.feature(lsp.INITIALIZED)
    def on_initialized(ls: DeckServer, params: lsp.InitializedParams) -> None:
        memory.settle()  # the modules are imported: they live as long as the server

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: DeckServer, params: lsp.DidOpenTextDocumentParams) -> None:
        await ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: DeckServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.check_results.pop(params.text_document.uri, None)  # its lines may have moved
        ls.publish_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: DeckServer, params: lsp.DidSaveTextDocumentParams) -> None:
        await ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DeckServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.check_results.pop(params.text_document.uri, None)
        ls.clear(params.text_document.uri)
        path = ls.path_of(params.text_document.uri)
        if path is not None:
            ls.index.forget(path)

    @server.feature(lsp.SHUTDOWN)
    def on_shutdown(ls: DeckServer, params: None) -> None:
        ls.checks.close()
        if ls.schedule is not None:
            ls.schedule.close()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    def lenses(ls: DeckServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
        uri = params.text_document.uri
        found = ls.deck_file(uri)
        if found is None:
            return []
        rows = sorted({c.line - 1 for c in found[1].cards if c.kind.is_code})
        return [
            lsp.CodeLens(
                lsp.Range(lsp.Position(row, 0), lsp.Position(row, 0)),
                lsp.Command(title="Check this card", command=CHECK_CARD, arguments=[uri, row]),
            )
            for row in rows
        ]

    @server.command(CHECK_CARD)
    async def check_card(ls: DeckServer, uri: str, line: int) -> dict[str, str]:
        """Check the code card whose heading is on ``line`` (0-based); the outcome is also
        published as a diagnostic on that heading."""
        found = ls.deck_file(uri)
        cards = [c for c in found[1].cards if c.line == line + 1] if found else []
        card = next((c for c in cards if c.kind.is_code and c.code is not None), None)
        if found is None or card is None:
            return {"verdict": "none", "message": "no code card has its heading on this line"}
        outcome = await asyncio.to_thread(ls.checks.run, card)
        heading = found[0].split("\n")[line].rstrip("\r")
        ls.check_results.setdefault(uri, {})[line] = lsp.Diagnostic(
            range=lsp.Range(lsp.Position(line, 0), lsp.Position(line, utf16_len(heading))),
            message=outcome.message,
            severity=lsp.DiagnosticSeverity.Error
            if outcome.failed
            else lsp.DiagnosticSeverity.Information,
            code="check",
            source="studyrnn",
        )
        await ls.publish(uri)
        return {"verdict": outcome.verdict, "message": outcome.message}

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: DeckServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        found = ls.deck_file(params.text_document.uri)
        if found is None:
            return []
        text, deck_file = found
        return outline.symbols(lines_of(text), deck_file.cards)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: DeckServer, params: lsp.HoverParams) -> lsp.Hover | None:
        found = ls.deck_file(params.text_document.uri)
        if found is None:
            return None
        text, deck_file = found
        return hover.hover(lines_of(text), deck_file, params.position, ls.schedule)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=[
                lsp.CodeActionKind.QuickFix,
                lsp.CodeActionKind.RefactorRewrite,
                lsp.CodeActionKind.Source,
            ]
        ),
    )
    def code_actions(ls: DeckServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        found = ls.deck_file(uri)
        path = ls.path_of(uri)
        if found is None or path is None:
            return []
        text, deck_file = found
        taken = {
            c.explicit_id
            for f in ls.index.deck_set(path, ls.open_texts()).files
            for c in f.cards
            if c.explicit_id
        }
        return actions.code_actions(uri, text, deck_file, params, taken)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[" ", "=", "-", "`"]),
    )
    def complete(ls: DeckServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        uri = params.text_document.uri
        path = ls.path_of(uri)
        text = ls.workspace.get_text_document(uri).source
        if path is None or not ls.index.is_deck(path, text):
            return lsp.CompletionList(is_incomplete=False, items=[])
        return completion.complete(lines_of(text), params.position)

    return server
