"""Keep the collector's full passes off the keystroke path.

The parse of a 2,000-card deck is tens of thousands of objects that live as long as the file
is open. Each full collection of CPython's collector walks all of them (30 to 70 ms, several
times that on a busy machine), and one lands in the middle of a lint every few keystrokes:
that was the slow tail of the diagnostics. Objects moved out of the collector's view with
``gc.freeze`` are not walked again, and are still freed by reference counting when a later
parse drops them (parsed cards hold no cycles). The server settles once its modules are
imported and once each opened file is prepared for quick re-parses, after a full collection
so that no garbage is frozen; what a cycle created before that keeps alive is not collected,
a few objects for each file opened.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect now, then leave everything alive out of later collections."""
    gc.collect()
    gc.freeze()
