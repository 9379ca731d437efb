"""A real LSP client (pytest-lsp's) driving ``studyrnn lsp`` in a subprocess over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

REPO = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def serving(decks: Path, db: str | None = None) -> AsyncIterator[LanguageClient]:
    """The server started on ``decks`` (and the store ``db``), initialized, shut down after."""
    client = make_test_lsp_client()
    args = ["-c", "from studyrnn.cli import main; main()", "--decks", str(decks)]
    if db is not None:
        args += ["--db", db]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("STUDYRNN_DB", None)
    await client.start_io(sys.executable, *args, "lsp", env=env, cwd=str(decks))
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("neovim"),
            root_uri=decks.as_uri(),
        )
    )
    try:
        yield client
    finally:
        await client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(
                uri=uri,
                language_id="markdown",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """Send the whole new text as one change, as a client with full sync does."""
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def next_diagnostics(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    """Wait for the next diagnostics published for ``uri``."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 30
        )
        if params.uri == uri:
            return list(params.diagnostics)


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """``text`` with the edits applied as an editor does (positions in the original text;
    the fixtures are ASCII, so UTF-16 columns are string indexes)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: lsp.Position) -> int:
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def actions_at(
    client: LanguageClient, uri: str, line: int, diagnostics: list[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)),
            lsp.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


def edits_of(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return [e for e in action.edit.changes[uri] if isinstance(e, lsp.TextEdit)]
