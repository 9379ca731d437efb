"""The decks layer: markdown deck files -> cards and lint problems.

Entry points: ``parser.load`` / ``parse_file`` / ``parse_text`` (read decks, never raise on
bad content), ``params.draw`` / ``render`` (parametric cards), ``fix_ids.fix_ids`` (the one
writer). ``model`` holds the types every other layer sees. Nothing here imports the store, the
runner, torch or the UI.
"""
