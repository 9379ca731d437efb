"""Pre-suggest a mark for a card from what the learner's free recall covered.

The idea: the *key terms* of a card are the content words of its answer that the question does
not already give away (a cloze front shows all but the blank, so its key terms are the blank's
words). When enough of them appear in the recall text, the learner probably recalled the card,
and the check screen suggests ✓ and says why ("mentions forget gate, c_t"). Otherwise it
suggests nothing: a missing word is weak evidence that something was *wrong*, so only the
learner marks 🟡 or 🔴. The learner always decides, and to decide needs to see the evidence:
each suggestion quotes the sentence of the recall text that matched best ("I think GRU has an
output gate too" mentions GRU, and is wrong). One contradiction is caught without reading
sense: a card whose answer is a plain "No." gets no ✓ from a sentence that says no "no".

Pure functions over strings; no store, no UI. Matching is on lightly stemmed lowercase tokens,
so "gates" finds "gate" and "Forget-Gate" finds "forget gate".
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from studyrnn.recall.marks import Mark

# Common English words plus words every card uses ("what", "does", "value"): never key terms.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can cannot could did do does doing done down during each
    either else etc even ever every few for from further get gets got had has have having he
    her here hers herself him himself his how however i if in into is it its itself just
    least less like made make makes many may me might more most much must my myself need
    needs no nor not now of off often on once one only or other our ours ourselves out over
    own per rather same she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too under until up
    upon us use used uses using very via was way we were what when where whether which while
    who whom whose why will with within without would yes yet you your yours yourself
    yourselves
    see sees seen saw want wants go goes going went gone back take takes taken put puts come
    comes came say says said thing things something anything everything really actually still
    well lot lots kind sort bit
    let lets answer card called example give gives given means mean returns return value values
    true false none
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# A token: a run of letters/digits, optionally joined by underscores (``c_t``, ``zero_grad``,
# ``h_n``). Unicode-aware so ``ŷ`` and Greek letters are words too.
_TOKEN = re.compile(r"[^\W_]+(?:_[^\W_]+)*")
# ``c_{t-1}`` is written ``c_t`` in prose: keep the subscript's first run only.
_SUBSCRIPT = re.compile(r"_\{([^\W_]+)[^}]*\}")
# The explanation line under an answer: useful to read, not what the learner must recall.
_WHY = re.compile(r"^\s*why:", re.IGNORECASE | re.MULTILINE)
# Code-card fences and HTML comments are not prose to recall.
_FENCE = re.compile(r"^```.*?^```\s*$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

MAX_REASON_TERMS = 5
MAX_QUOTE = 120  # characters of the matched sentence shown; a long one is cut with "…"

# Where the recall text's sentences end: a full stop, ! or ? before a space, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# A plain "No" answer, and the words by which a sentence says no.
_NO_ANSWER = re.compile(r"^\s*no\b", re.IGNORECASE)
_NEGATION = frozenset(
    [
        "no",
        "not",
        "never",
        "neither",
        "nor",
        "none",
        "without",
        "cannot",
        "isn't",
        "doesn't",
        "don't",
        "aren't",
        "hasn't",
        "haven't",
        "won't",
        "can't",
    ]
)


def stem(word: str) -> str:
    """A deliberately light stemmer: plural endings only. Both sides are stemmed the same way,
    so consistency matters more than linguistic accuracy."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("oes"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lowercase, stemmed word tokens of ``text`` in order (stopwords kept, for phrases)."""
    text = _SUBSCRIPT.sub(r"_\1", text.lower())
    return [t if t in STOPWORDS else stem(t) for t in _TOKEN.findall(text)]


def is_content(token: str) -> bool:
    """A token worth matching: not a stopword, and not a lone letter or digit (``c_t`` is)."""
    if token in STOPWORDS:
        return False
    return len(token) > 1 or "_" in token


def answer_text(back: str) -> str:
    """The part of a card's back the learner must recall: without the ``Why:`` explanation,
    code fences and metadata comments."""
    back = _COMMENT.sub(" ", back)
    back = _FENCE.sub(" ", back)
    match = _WHY.search(back)
    if match is not None and back[: match.start()].strip():
        back = back[: match.start()]
    return back


def key_terms(front: str, back: str, common: frozenset[str] = frozenset()) -> list[str]:
    """The content words of the answer that the front does not contain, in answer order,
    each once; ``common`` words (see :func:`common_terms`) are left out too."""
    given = {t for t in tokenize(front) if is_content(t)}
    terms: list[str] = []
    for token in tokenize(answer_text(back)):
        if is_content(token) and token not in given and token not in common and token not in terms:
            terms.append(token)
    return terms


COMMON_SHARE = 0.10  # a term in more than this share of the answers says little on its own
COMMON_MIN_CARDS = 20  # below this many cards, shares are noise: nothing is common


def common_terms(cards: Sequence[tuple[str, str]]) -> frozenset[str]:
    """Words so frequent in the answers of the cards being checked that mentioning them is no
    evidence for any one card: in an RNN deck, "step", "state" and "output" are everywhere."""
    if len(cards) < COMMON_MIN_CARDS:
        return frozenset()
    counts = Counter(t for front, back in cards for t in set(key_terms(front, back)))
    return frozenset(t for t, n in counts.items() if n / len(cards) > COMMON_SHARE)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The pre-suggested mark (``None``: no suggestion) and the reason shown with it.
    ``found`` and ``missing`` are key terms; a reason joins found neighbours into phrases."""

    mark: Mark | None
    reason: str
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    quote: str = ""  # the recall sentence that mentions most of ``found``


def sentences(text: str) -> list[str]:
    """The recall text's sentences, stripped, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def says_no(sentence: str) -> bool:
    words = re.findall(r"[\w']+", sentence.casefold().replace("’", "'"))
    return any(word in _NEGATION for word in words) or "n't" in sentence


def enough(found: int, total: int) -> bool:
    """Half of the key terms, rounded up, and at least two of them when there are two."""
    if total == 0:
        return False
    return found >= max(math.ceil(total / 2), min(2, total))


class RecallIndex:
    """The recall text tokenized once, so every card of a session is checked against it fast."""

    def __init__(self, text: str) -> None:
        tokens = tokenize(text)
        self.words: set[str] = set(tokens)
        self.pairs: set[tuple[str, str]] = set(itertools.pairwise(tokens))
        self.sentences = [(line, set(tokenize(line))) for line in sentences(text)]

    def quote(self, found: Sequence[str]) -> str:
        """The first sentence that mentions the most of ``found``, cut to ``MAX_QUOTE``."""
        best, best_count = "", 0
        for line, words in self.sentences:
            count = sum(1 for term in found if term in words)
            if count > best_count:
                best, best_count = line, count
        return best if len(best) <= MAX_QUOTE else best[: MAX_QUOTE - 1] + "…"

    def suggest(self, front: str, back: str, common: frozenset[str] = frozenset()) -> Suggestion:
        terms = key_terms(front, back, common)
        if not terms:
            return Suggestion(None, "no key terms in the answer to look for")
        found = tuple(t for t in terms if t in self.words)
        missing = tuple(t for t in terms if t not in self.words)
        shown = self.phrases(tokenize(answer_text(back)), set(found))
        quote = self.quote(found)
        if enough(len(found), len(terms)):
            if _NO_ANSWER.match(answer_text(back)) and not says_no(quote):
                reason = (
                    f"mentions {_listing(shown)}, but the answer is no and this does not say no"
                )
                return Suggestion(None, reason, found, missing, quote)
            return Suggestion(Mark.RECALLED, f"mentions {_listing(shown)}", found, missing, quote)
        if found:
            reason = f"mentions only {_listing(shown)} ({len(found)} of {len(terms)} key terms)"
        else:
            reason = f"mentions none of the key terms ({_listing(missing)})"
        return Suggestion(None, reason, found, missing, quote)

    def phrases(self, answer: Sequence[str], found: set[str]) -> list[str]:
        """Found terms for a reason, in answer order: neighbours in the answer that the recall
        also writes side by side are joined ("forget gate", not "forget, gate")."""
        out: list[str] = []
        done: set[str] = set()
        i = 0
        while i < len(answer):
            word = answer[i]
            if word not in found or word in done:
                i += 1
                continue
            phrase = [word]
            while (
                i + 1 < len(answer)
                and answer[i + 1] in found
                and answer[i + 1] not in done
                and (phrase[-1], answer[i + 1]) in self.pairs
            ):
                i += 1
                phrase.append(answer[i])
            done.update(phrase)
            out.append(" ".join(phrase))
            i += 1
        return out


def _listing(terms: Sequence[str]) -> str:
    shown = list(terms[:MAX_REASON_TERMS])
    more = len(terms) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def suggest(recall_text: str, front: str, back: str) -> Suggestion:
    """One-off form of :meth:`RecallIndex.suggest`."""
    return RecallIndex(recall_text).suggest(front, back)


def suggest_all(recall_text: str, cards: Sequence[tuple[str, str]]) -> list[Suggestion]:
    """Suggestions for the (front, back) pairs of a check step against one recall text, with
    the words common to many of these answers left out of every card's key terms."""
    index = RecallIndex(recall_text)
    common = common_terms(cards)
    return [index.suggest(front, back, common) for front, back in cards]
