"""``python -m studyrnn``: the same as the ``studyrnn`` command, for a checkout run without
installing it (``PYTHONPATH=. python -m studyrnn``)."""

from studyrnn.cli import main

if __name__ == "__main__":
    main()
