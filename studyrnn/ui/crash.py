"""What a learner sees when something breaks: a short message, and the full story in a file.

A traceback wall helps nobody at review time. The app writes the traceback to a log file and
shows one readable paragraph that names the file. Reviews are committed as they are answered,
so a crash loses none of them.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

LOG_ENV = "STUDYRNN_LOG_DIR"


def log_dir() -> Path:
    """Where crash logs go: ``STUDYRNN_LOG_DIR``, else ``<user data>/logs``."""
    env = os.environ.get(LOG_ENV, "").strip()
    if env:
        return Path(env)
    from studyrnn import config

    return config.data_dir() / "logs"


def write_log(error: BaseException, context: str = "") -> Path:
    """Write the full traceback to a new log file and return its path."""
    text = "".join(traceback.format_exception(error))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    header = f"studyrnn error while {context or 'running the app'} at {stamp}\n\n"
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"studyrnn-{stamp}-{os.getpid()}.log"
            path.write_text(header + text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(no writable log folder)")


def describe(error: BaseException) -> tuple[str, str]:
    """A learner-facing message and hint for an error: a StudyrnnError speaks for itself;
    anything else is a bug, named by its type and first line."""
    from studyrnn.errors import StudyrnnError

    if isinstance(error, StudyrnnError):
        return error.message, error.hint
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    return (f"{name}: {first}" if first else name), ""
