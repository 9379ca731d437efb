"""The checker: runs code cards in a sandboxed, warm torch worker and returns verdicts.

Only ``checker`` is imported by the app (it never imports torch); the worker, the sandbox and
the judge live in the worker process. See docs/deck-format.md, "The check contract".
"""

from studyrnn.runner.checker import Checker
from studyrnn.runner.verdict import CheckResult, Verdict

__all__ = ["CheckResult", "Checker", "Verdict"]
