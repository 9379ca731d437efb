"""Text a snippet can put on the screen, made safe to print: no terminal control sequences.

A verdict message, the captured output and the reprs of values all come from code studyrnn
does not trust. Printed raw, an ESC sequence moves the cursor or rewrites earlier lines, and an
OSC 52 sequence writes the terminal's clipboard. ``printable`` shows every C0 control character
except newline and tab, DEL, and every C1 control character as a visible escape (``\\x1b``),
so the text still says what was there and nothing reaches the terminal as a command.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(text: str) -> str:
    """``text`` with control characters escaped; a CRLF line end stays a line end."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub(_escape, text)
