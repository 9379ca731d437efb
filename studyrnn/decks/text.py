"""Turning a deck file's bytes into text the parser can trust, and small text helpers.

Decoding never raises: a file that is not UTF-8 is reported as one problem and parsed as
nothing. Line endings are normalised to ``\\n`` (CRLF and lone CR both count as one line
break, as editors count them) so that every line number the parser reports is the line a
person sees in their editor. A leading BOM is dropped; it is not a line.
"""

from __future__ import annotations

BOM = "\ufeff"


def decode(data: bytes | str) -> tuple[str | None, str]:
    """Return ``(text, "")``, or ``(None, reason)`` when the bytes are not UTF-8."""
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, f"byte {exc.start} (0x{data[exc.start]:02x})"
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # markdown-it would turn NUL into U+FFFD anyway; doing it here keeps our lines and its
    # tokens identical.
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text, ""


def line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``, counting CRLF, LF and lone CR as breaks."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def normalize_front(text: str) -> str:
    """Lowercased, whitespace collapsed: how two fronts are compared for identity."""
    return " ".join(text.split()).lower()
