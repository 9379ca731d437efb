"""studyrnn: spaced repetition in the terminal for learning deep learning with PyTorch.

The package is layered; imports only flow downwards:

    cli, ui            the faces (ui is the only place textual and rich are imported)
    study, recall      the engine facade the faces call
    schedule, store    FSRS scheduling and the SQLAlchemy store
    runner             the sandboxed torch worker (torch is imported only in its worker process)
    decks              markdown decks -> cards
"""

__version__ = "0.1.0"
