"""``studyrnn lsp``: a language server for deck files, over stdio, on pygls.

One concept per module: ``index`` (which files are decks, and the deck set an open file lints
in), ``diagnostics`` (lint problems as LSP diagnostics), ``headings`` and ``outline`` (the
document symbols), ``hover`` (a card as studyrnn shows it), ``schedule`` (a card's schedule
from the store), ``actions`` (code actions), ``completion``, and ``server`` (the wiring).
Everything but ``server`` is plain functions over text and the decks layer, testable without a
client. Import-light: no torch and no textual here.
"""
