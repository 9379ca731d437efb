"""Check this card from the editor: a code lens on each code card, and the command, which runs
the card's check in the sandbox (the real warm worker) and publishes the outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp

from tests.lsp.client import open_doc, serving

WEAK = """# Code

## Write `double(x)`
<!-- id: double -->
```python starter
def double(x):
    return x
```
```python solution
def double(x):
    return x + x
```
```python check
def observe(ns, gen):
    return ns["double"](0)
```
"""


@pytest.mark.slow
async def test_checking_cards_from_the_editor(decks: Path) -> None:
    weak = decks / "weak.md"
    weak.write_text(WEAK, encoding="utf-8")
    async with serving(decks) as client:
        rnn = open_doc(client, decks / "rnn.md")
        lenses = await client.text_document_code_lens_async(
            lsp.CodeLensParams(lsp.TextDocumentIdentifier(rnn))
        )
        passed = await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams("studyrnn.checkCard", [rnn, 18])
        )
        shown = list(client.diagnostics[rnn])  # published before the command answered
        uri = open_doc(client, weak)
        failed = await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams("studyrnn.checkCard", [uri, 2])
        )
        flagged = list(client.diagnostics[uri])
        nothing = await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams("studyrnn.checkCard", [rnn, 9])
        )
    assert [
        (lens.range.start.line, lens.command.title if lens.command else "") for lens in lenses or []
    ] == [(18, "Check this card")]
    assert passed["verdict"] == "pass"
    assert passed["message"].startswith("check: pass on 3 variants (")
    assert [(d.range.start.line, d.severity, d.code, d.message) for d in shown] == [
        (18, lsp.DiagnosticSeverity.Information, "check", passed["message"])
    ]
    assert failed == {
        "verdict": "wrong",
        "message": f"check: wrong: the starter passes the check at {weak}:5; it must not",
    }
    assert [(d.range.start.line, d.severity, d.message) for d in flagged] == [
        (2, lsp.DiagnosticSeverity.Error, failed["message"])
    ]
    assert nothing == {"verdict": "none", "message": "no code card has its heading on this line"}
