"""How today's queue is ordered, given the candidate cards: learning cards that are due come
first, then due reviews with new cards spread evenly among them (as Anki does), each list
already cut to what today's limits leave. Pure functions; the store supplies the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    new_left: int
    reviews_left: int


def limits(new_per_day: int, reviews_per_day: int, new_done: int, reviews_done: int) -> Limits:
    """What is left of today's limits after the answers already given today."""
    return Limits(max(0, new_per_day - new_done), max(0, reviews_per_day - reviews_done))


def interleave(reviews: Sequence[T], news: Sequence[T]) -> list[T]:
    """Spread ``news`` evenly through ``reviews``: new card k (from 0) comes after the first
    ``(k + 1) * R // (N + 1)`` reviews, so 10 reviews and 2 new cards give a new card after
    every third review. With no reviews the new cards come in order."""
    out: list[T] = []
    taken = 0
    count = len(news)
    for k, new in enumerate(news):
        until = (k + 1) * len(reviews) // (count + 1)
        out.extend(reviews[taken:until])
        taken = max(taken, until)
        out.append(new)
    out.extend(reviews[taken:])
    return out


def ordered(learning: Sequence[T], reviews: Sequence[T], news: Sequence[T]) -> list[T]:
    return [*learning, *interleave(reviews, news)]
