"""Record reference scheduling sequences from Anki's own Rust backend into tests/reference/.

studyrnn's scheduler must agree with Anki's FSRS answer for answer (issue 15). This script
answers scripted cards at controlled clock times in Anki's backend and writes what Anki
stored after every answer (state, stability, difficulty, interval, due) to
``tests/reference/<name>.json``. The tests replay those files; this script is never run by
CI, because ``anki`` is not a dependency of studyrnn and the clock needs libfaketime.

How to run it (by hand, on Debian/Ubuntu, from the repository root)::

    python3 -m venv /tmp/anki-venv
    /tmp/anki-venv/bin/pip install anki fsrs-rs-python
    apt-get install -y faketime
    /tmp/anki-venv/bin/python scripts/record_anki_reference.py            # all sequences
    /tmp/anki-venv/bin/python scripts/record_anki_reference.py --only daily_2000_good
    /tmp/anki-venv/bin/python scripts/record_anki_reference.py --check-fuzz

How it controls Anki:

* **Clock.** Each sequence runs in a child process with libfaketime preloaded
  (``LD_PRELOAD=libfaketime.so.1``), reading its fake time from a file
  (``FAKETIME_TIMESTAMP_FILE``, ``FAKETIME_FMT=%s``, ``FAKETIME_NO_CACHE=1``). The child
  writes the Unix second of each answer into that file before it asks Anki for the card's
  states and answers, so Python's and Rust's clocks read exactly that second, frozen.
* **Time zone.** The child runs with ``TZ`` set to the sequence's zone. Anki's backend reads
  the local offset from the process (chrono's ``Local``) on every day computation and
  updates the collection's configured offset to match, so days follow the zone, DST included.
* **Fuzz off.** ``ANKI_TEST_MODE=1`` makes rslib's ``get_fuzz_seed_for_id_and_reps`` return
  no seed, so no fuzz is applied (rslib/src/scheduler/answering/mod.rs). ``--check-fuzz``
  proves it: it answers several cards identically with and without the variable and prints
  their intervals, which must be equal without fuzz and differ with it.
  Test mode has one side effect: between 02:00 and 04:00 local time the backend's clock is
  shifted back two hours (rslib/src/timestamp.rs). Such an answer still falls in the same
  study day and its review interval is a day count, so only second-level learning dues
  would be wrong; the recorder refuses any answer in that window that leaves the card in
  (re)learning, so every recorded figure is exact. Fuzzed sequences run without test mode.
* **Settings.** FSRS on, Anki's default FSRS-6 parameters (the preset's parameter list is
  left empty, so the backend uses its built-in defaults), desired retention 0.9, learning
  steps 1m 10m, relearning step 10m, maximum interval 36500 days, next day starts at 04:00.

The collection is reopened before every answer that is not minutes after the previous one
(the learner opening Anki for a session): rslib caches the next cutoff, computed with the
UTC offset in force when it was computed, until it passes, which would keep a pre-DST
cutoff in a process left open across the change.

Every answer goes straight to the backend's ``answer_card`` with the states the backend
offered at that second (as the reviewer does), whether or not the card is due, so early,
same-day and overdue reviews are all possible.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "tests" / "reference"
LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

DAY_STARTS_AT_HOUR = 4
DESIRED_RETENTION = 0.9
LEARNING_STEPS_MINUTES = [1, 10]
RELEARNING_STEPS_MINUTES = [10]
MAXIMUM_INTERVAL_DAYS = 36500
STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}

# An answer is either at a fixed local time or relative to the card's due day:
# ("at", "2026-03-02 09:00") or ("due", days_after_due, "HH:MM") or ("after", minutes).
Step = tuple[Any, ...]


@dataclass(frozen=True)
class Scripted:
    name: str
    description: str
    steps: list[tuple[Step, int]]
    timezone: str = "UTC"
    fuzz: bool = False
    cards: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def at(local: str, rating: int) -> tuple[Step, int]:
    return (("at", local), rating)


def due(rating: int, clock: str = "09:00", days_late: int = 0) -> tuple[Step, int]:
    """Answer on the card's due study day (plus ``days_late``) at local ``clock``."""
    return (("due", days_late, clock), rating)


def after(minutes: float, rating: int) -> tuple[Step, int]:
    return (("after", minutes), rating)


def at_next_calendar_day(clock: str, rating: int) -> tuple[Step, int]:
    """Answer on the calendar day after the previous answer, at local ``clock``."""
    return (("next_calendar_day", clock), rating)


AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

SEQUENCES: list[Scripted] = [
    Scripted(
        "new_again",
        "New card, first answer Again; through both learning steps, then two on-time reviews.",
        [at("2026-03-02 09:00", AGAIN), after(1, GOOD), after(10, GOOD), due(GOOD), due(GOOD)],
    ),
    Scripted(
        "new_hard",
        "New card, first answer Hard (5.5 min step); graduates, then two on-time reviews.",
        [at("2026-03-02 09:00", HARD), after(6, GOOD), after(10, GOOD), due(GOOD), due(GOOD)],
    ),
    Scripted(
        "new_good",
        "New card, Good then Good after 10 min graduates; three on-time Good reviews.",
        [at("2026-03-02 09:00", GOOD), after(10, GOOD), due(GOOD), due(GOOD), due(GOOD)],
    ),
    Scripted(
        "new_easy",
        "New card, first answer Easy graduates at once; three on-time reviews (Good, Hard, Easy).",
        [at("2026-03-02 09:00", EASY), due(GOOD), due(HARD), due(EASY)],
    ),
    Scripted(
        "learning_steps",
        "Learning steps with every button: Again, Hard, Good, Again (back to step 1), Good, "
        "Good graduates; then an on-time review.",
        [
            at("2026-03-02 09:00", AGAIN),
            after(1, HARD),
            after(6, GOOD),
            after(10, AGAIN),
            after(1, GOOD),
            after(10, GOOD),
            due(GOOD),
        ],
    ),
    Scripted(
        "lapse_relearning",
        "A review card lapses (Again), fails its 10 min relearning step once, graduates from "
        "relearning with Good, then two on-time reviews.",
        [
            at("2026-03-02 09:00", GOOD),
            after(10, GOOD),
            due(GOOD),
            due(AGAIN),
            after(10, AGAIN),
            after(10, GOOD),
            due(GOOD),
            due(GOOD),
        ],
    ),
    Scripted(
        "same_day_rereviews",
        "A review card answered on its due day, then again three times the same study day "
        "(Good, Easy, Hard: FSRS-6's same-day formula), then on its next due day.",
        [
            at("2026-03-02 09:00", GOOD),
            after(10, GOOD),
            due(GOOD, "09:00"),
            after(180, GOOD),
            after(180, EASY),
            after(180, HARD),
            due(GOOD),
        ],
    ),
    Scripted(
        "overdue_review",
        "A review card answered 20 days after it fell due, then 10 days late, then on time.",
        [
            at("2026-03-02 09:00", GOOD),
            after(10, GOOD),
            due(GOOD, days_late=20),
            due(HARD, days_late=10),
            due(GOOD),
        ],
    ),
    Scripted(
        "early_review",
        "A review card answered Good 5 days into an 11-day interval, then Hard 2 days early, "
        "then on time: elapsed days below the scheduled interval.",
        [
            at("2026-03-02 09:00", GOOD),
            after(10, GOOD),
            due(GOOD),
            due(GOOD, days_late=-6),
            due(HARD, days_late=-2),
            due(GOOD),
        ],
    ),
    Scripted(
        "learning_overnight",
        "A card left in its 10-minute learning step at 23:55 and answered Good the next "
        "morning (the next study day), then Again on its due day (a lapse) and the relearning "
        "step left until the evening.",
        [
            at("2026-03-02 23:55", GOOD),
            at("2026-03-03 09:00", GOOD),
            due(AGAIN),
            after(600, GOOD),
            due(GOOD),
        ],
    ),
    Scripted(
        "cutoff_before_after",
        "Answers two minutes either side of the 04:00 cutoff: 03:59 belongs to the previous "
        "study day, 04:01 to the next, so 2 minutes can be a day and 23h58m can be none.",
        [
            at("2026-03-02 10:00", GOOD),
            after(10, GOOD),
            due(GOOD, "03:59"),
            after(2, GOOD),
            at_next_calendar_day("03:59", GOOD),
            after(2, GOOD),
        ],
    ),
    Scripted(
        "evening_to_morning",
        "Graduated at 22:10, answered Good at 09:00 the next morning (one study day later, "
        "under 11 hours), then on time.",
        [at("2026-03-02 22:00", GOOD), after(10, GOOD), at("2026-03-03 09:00", GOOD), due(GOOD)],
    ),
    Scripted(
        "hard_next_day",
        "A card with a 1-day interval (first answer Hard, graduated the same evening) answered "
        "Hard the next morning, then on time.",
        [
            at("2026-03-02 20:00", HARD),
            after(6, GOOD),
            after(10, GOOD),
            at("2026-03-03 09:00", HARD),
            due(GOOD),
        ],
    ),
    Scripted(
        "daily_2000_good",
        "The learner who studies at 20:00 every day and always presses Good: learned at "
        "20:00 and 20:10, then every review at 20:00 on its due day.",
        [
            at("2026-03-02 20:00", GOOD),
            after(10, GOOD),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
        ],
    ),
    Scripted(
        "dst_fall_los_angeles",
        "America/Los_Angeles; clocks go back on Sun 2026-11-01 02:00 PDT -> 01:00 PST. A "
        "1-day card learned Sat 20:00 PDT is answered Sun 04:30 PST (9.5 h later, the next "
        "study day), lapses at 20:00, relearns, then is answered at 20:00 on each due day.",
        [
            at("2026-10-31 20:00", HARD),
            after(6, GOOD),
            after(10, GOOD),
            at("2026-11-01 04:30", GOOD),
            at("2026-11-01 20:00", AGAIN),
            after(10, GOOD),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
        ],
        timezone="America/Los_Angeles",
    ),
    Scripted(
        "dst_spring_los_angeles",
        "America/Los_Angeles; clocks go forward on Sun 2026-03-08 02:00 PST -> 03:00 PDT. A "
        "1-day card learned Sat 20:00 PST is answered Sun 04:30 PDT (7.5 h later, the next "
        "study day), lapses at 20:00, relearns, then is answered at 20:00 on each due day.",
        [
            at("2026-03-07 20:00", HARD),
            after(6, GOOD),
            after(10, GOOD),
            at("2026-03-08 04:30", GOOD),
            at("2026-03-08 20:00", AGAIN),
            after(10, GOOD),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
        ],
        timezone="America/Los_Angeles",
    ),
    Scripted(
        "dst_fall_elapsed_quirk",
        "America/Los_Angeles across the fall-back. Anki counts elapsed days as whole 24 h "
        "periods from the last review to the next day's 04:00, so a review in the hour after "
        "04:00 on Sat 2026-10-31 followed by one on Sun 2026-11-01 (a 25 h day between) counts "
        "2 days where study days count 1. The answer is marked in anki_elapsed_quirks.",
        [
            at("2026-10-30 20:00", HARD),
            after(6, GOOD),
            after(10, GOOD),
            at("2026-10-31 04:30", GOOD),
            at("2026-11-01 20:00", GOOD),
            due(GOOD, "20:00"),
        ],
        timezone="America/Los_Angeles",
    ),
    Scripted(
        "dst_spring_elapsed_quirk",
        "America/Los_Angeles across the spring-forward. A review at 03:30 on Sat 2026-03-07 "
        "(still study day Mar 6) followed by one on Sun 2026-03-08 evening (a 23 h day "
        "between) counts 1 day in Anki where study days count 2. The answer is marked in "
        "anki_elapsed_quirks.",
        [
            at("2026-03-05 20:00", HARD),
            after(6, GOOD),
            after(10, GOOD),
            at("2026-03-07 03:30", GOOD),
            at("2026-03-08 20:00", GOOD),
            due(GOOD, "20:00"),
        ],
        timezone="America/Los_Angeles",
    ),
    Scripted(
        "daily_2000_good_fuzzed",
        "The 20:00-daily Good learner with fuzz ON (Anki's own seed: card id + reps). Each "
        "review answer carries fuzz_range, the interval range Anki's fuzz rule allows.",
        [
            at("2026-03-02 20:00", GOOD),
            after(10, GOOD),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
            due(GOOD, "20:00"),
        ],
        fuzz=True,
    ),
    Scripted(
        "review_buttons_fuzzed",
        "Fuzz ON: a review card answered on time with Hard, Easy, Good, Hard, Good, Easy, so "
        "every passing button is fuzzed. Each review answer carries fuzz_range.",
        [
            at("2026-03-02 09:00", GOOD),
            after(10, GOOD),
            due(HARD),
            due(EASY),
            due(GOOD),
            due(HARD),
            due(GOOD),
            due(EASY),
        ],
        fuzz=True,
    ),
]


# ----------------------------------------------------------------------------------------
# The child: runs one sequence inside Anki with the fake clock.


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection

    zone = ZoneInfo(spec["timezone"])
    clock_file = os.environ["FAKETIME_TIMESTAMP_FILE"]
    test_mode = "ANKI_TEST_MODE" in os.environ

    def set_clock(moment: datetime) -> None:
        Path(clock_file).write_text(f"{int(moment.timestamp())}\n")

    def local(text: str) -> datetime:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)

    def day_start(study_day_offset: int, col: Any) -> datetime:
        """Local start (04:00) of the study day ``today + study_day_offset``."""
        next_day = datetime.fromtimestamp(col.sched.day_cutoff, zone)
        date = next_day.date() + timedelta(days=study_day_offset - 1)
        return datetime(date.year, date.month, date.day, DAY_STARTS_AT_HOUR, tzinfo=zone)

    first = local(spec["steps"][0][0][1])
    set_clock(first - timedelta(minutes=5))
    directory = tempfile.mkdtemp(prefix="anki-ref-")
    path = os.path.join(directory, "collection.anki2")
    col = Collection(path)
    col.set_config("rollover", DAY_STARTS_AT_HOUR)
    col.set_config("fsrs", True)
    deck_id = col.decks.id("Reference")
    conf = col.decks.config_dict_for_deck_id(deck_id)
    conf["new"]["delays"] = [float(m) for m in LEARNING_STEPS_MINUTES]
    conf["lapse"]["delays"] = [float(m) for m in RELEARNING_STEPS_MINUTES]
    conf["rev"]["maxIvl"] = MAXIMUM_INTERVAL_DAYS
    conf["desiredRetention"] = DESIRED_RETENTION
    conf["fsrsParams6"] = []
    col.decks.update_config(conf)
    model = col.models.by_name("Basic")
    card_ids: list[int] = []
    for index in range(spec["cards"]):
        note = col.new_note(model)
        note["Front"] = f"{spec['name']} {index}"
        note["Back"] = "back"
        col.add_note(note, deck_id)
        card_ids.append(note.cards()[0].id)

    cards_out: list[list[dict[str, Any]]] = []
    for card_id in card_ids:
        answers: list[dict[str, Any]] = []
        previous: datetime | None = None
        for (kind, *args), rating in spec["steps"]:
            if kind == "at":
                moment = local(args[0])
            elif kind == "after":
                assert previous is not None
                moment = previous + timedelta(minutes=args[0])
            elif kind == "next_calendar_day":
                assert previous is not None
                date = previous.astimezone(zone).date() + timedelta(days=1)
                hour, minute = map(int, args[0].split(":"))
                moment = datetime(date.year, date.month, date.day, hour, minute, tzinfo=zone)
            else:  # "due": the card's due study day, plus days_late, at a local clock time
                days_late, clock = args
                set_clock(previous)  # type: ignore[arg-type]
                card = col.get_card(card_id)
                offset = card.due - col.sched.today + days_late
                start = day_start(offset, col)
                hour, minute = map(int, clock.split(":"))
                moment = start.replace(hour=hour, minute=minute)
                if hour < DAY_STARTS_AT_HOUR:  # before the cutoff: the calendar day after
                    moment += timedelta(days=1)
                moment = moment.replace(tzinfo=zone)
            set_clock(moment)
            if kind != "after":
                # The learner opens Anki for this session. A fresh backend computes today's
                # cutoff with the offset in force now; one left open across a DST change
                # would keep yesterday's (rslib caches it until it passes).
                col.close()
                col = Collection(path)
            answers.append(_answer(col, card_id, rating, moment, zone, test_mode, day_start))
            previous = moment
        cards_out.append(answers)
    col.close()
    return {"cards": cards_out, "card_ids": card_ids}


def _answer(
    col: Any,
    card_id: int,
    rating: int,
    moment: datetime,
    zone: ZoneInfo,
    test_mode: bool,
    day_start: Any,
) -> dict[str, Any]:
    card = col.get_card(card_id)
    before_state = STATE_NAMES[card.type]
    before_memory = card.memory_state
    before_ivl = card.ivl
    last_review = card.last_review_time
    anki_elapsed = None if last_review is None else (col.sched.day_cutoff - last_review) // 86_400
    states = col._backend.get_scheduling_states(card_id)
    labels = list(col.sched.describe_next_states(states))
    preview = {
        RATING_NAMES[r]: _describe_state(getattr(states, RATING_NAMES[r])) for r in (1, 2, 3, 4)
    }
    card.start_timer()
    # CardAnswer.Rating counts from 0 (AGAIN = 0); our ratings are FSRS's 1-4.
    answer = col.sched.build_answer(card=card, states=states, rating=rating - 1)  # type: ignore[arg-type]
    col.sched.answer_card(answer)
    card = col.get_card(card_id)
    state = STATE_NAMES[card.type]
    if test_mode and 2 <= moment.hour < DAY_STARTS_AT_HOUR and state != "review":
        raise SystemExit(
            f"answer at {moment} leaves the card in {state}: ANKI_TEST_MODE shifts the clock "
            "between 02:00 and 04:00, so its due would be wrong; move the answer"
        )
    if card.queue == 1:  # intraday (re)learning: due is a Unix second
        due_at = datetime.fromtimestamp(card.due, zone)
    else:  # review or interday learning: due is a day number
        due_at = day_start(card.due - col.sched.today, col)
    memory = card.memory_state
    fuzz_range = None
    if state == "review" and before_state != "relearning" and rating > 1:
        fuzz_range = fuzz_range_for(
            before_state, before_memory, before_ivl, anki_elapsed or 0, rating
        )
        if not test_mode:
            lower, upper = fuzz_range
            assert lower <= card.ivl <= upper, (moment, card.ivl, fuzz_range)
    return {
        "at": moment.isoformat(),
        "rating": rating,
        "after": {
            "state": state,
            "stability": memory.stability,
            "difficulty": memory.difficulty,
            "interval_days": card.ivl if state == "review" else None,
            "due": due_at.isoformat(),
            **({"fuzz_range": list(fuzz_range)} if fuzz_range and not test_mode else {}),
        },
        "anki": {
            "elapsed_days": anki_elapsed,
            "ivl": card.ivl,
            "buttons": labels,
            "preview": preview,
        },
    }


# Anki's fuzz rule, ported from rslib/src/scheduler/states/fuzz.rs and review.rs/learning.rs
# (26.09), to give each fuzzed interval the range it may fall in. Anki draws one factor
# f in [0, 1) per card and review; the range is the smallest and largest interval over f.
FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))
FUZZ_FACTORS = [i / 4000 for i in range(4000)]


def _round(value: float) -> int:
    """Rust's f32::round: halves away from zero (intervals are positive)."""
    return math.floor(value + 0.5)


def _fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = 0.0
    if interval >= 2.5:
        delta = 1.0 + sum(
            factor * max(0.0, min(interval, end) - start) for start, end, factor in FUZZ_RANGES
        )
    lower = min(max(_round(interval - delta), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _with_fuzz(f: float, interval: float, minimum: int) -> int:
    minimum = min(max(minimum, 1), MAXIMUM_INTERVAL_DAYS)
    lower, upper = _fuzz_bounds(interval, minimum, MAXIMUM_INTERVAL_DAYS)
    return math.floor(lower + f * (1 + upper - lower))


def _minimum_review_fuzz_interval(interval: float, previous: int) -> int:
    _, upper = _fuzz_bounds(interval, 1, MAXIMUM_INTERVAL_DAYS)
    if _round(interval) > previous:
        return previous + 1
    return previous if previous <= upper else 0


def fuzz_range_for(
    before_state: str, memory: Any, previous_ivl: int, elapsed: int, rating: int
) -> tuple[int, int]:
    """The interval range Anki's fuzz allows for this answer, over every fuzz factor."""
    import fsrs_rs_python

    fsrs = fsrs_rs_python.FSRS(fsrs_rs_python.DEFAULT_PARAMETERS)
    state = (
        None if memory is None else fsrs_rs_python.MemoryState(memory.stability, memory.difficulty)
    )
    nxt = fsrs.next_states(state, DESIRED_RETENTION, elapsed)
    hard_f, good_f, easy_f = nxt.hard.interval, nxt.good.interval, nxt.easy.interval
    outcomes = []
    for f in FUZZ_FACTORS:
        if before_state == "review":
            hard = _with_fuzz(
                f, hard_f, max(_minimum_review_fuzz_interval(hard_f, previous_ivl), 1)
            )
            good = _with_fuzz(
                f, good_f, max(_minimum_review_fuzz_interval(good_f, previous_ivl), hard + 1)
            )
            easy = _with_fuzz(
                f, easy_f, max(_minimum_review_fuzz_interval(easy_f, previous_ivl), good + 1)
            )
            outcomes.append({2: hard, 3: good, 4: easy}[rating])
        elif rating == 4:  # Easy from new or learning
            good = _with_fuzz(f, good_f, 1)
            outcomes.append(_with_fuzz(f, max(_round(easy_f), 1), good + 1))
        else:  # Hard or Good graduating from learning
            chosen = hard_f if rating == 2 else good_f
            outcomes.append(_with_fuzz(f, max(_round(chosen), 1), 1))
    return min(outcomes), max(outcomes)


def _describe_state(state: Any) -> dict[str, Any]:
    """What one answer button would do: seconds for (re)learning steps, days for reviews."""
    normal = state.normal if state.HasField("normal") else state.filtered.rescheduling.original
    kind = normal.WhichOneof("kind")
    inner = getattr(normal, kind)
    if kind == "review":
        return {"kind": "review", "days": inner.scheduled_days}
    if kind == "relearning":
        return {"kind": "relearning", "seconds": inner.learning.scheduled_secs}
    return {"kind": kind, "seconds": inner.scheduled_secs}


# ----------------------------------------------------------------------------------------
# The parent: one child per sequence, then the JSON files.


def _run_child(seq: Scripted, fuzz: bool) -> dict[str, Any]:
    spec = {
        "name": seq.name,
        "timezone": seq.timezone,
        "steps": [[list(step), rating] for step, rating in seq.steps],
        "cards": seq.cards,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".faketime", delete=False) as clock:
        clock.write("0\n")
    env = dict(os.environ)
    env.update(
        TZ=seq.timezone,
        LD_PRELOAD=LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE=clock.name,
        FAKETIME_FMT="%s",
        FAKETIME_NO_CACHE="1",
    )
    env.pop("ANKI_TEST_MODE", None)
    if not fuzz:
        env["ANKI_TEST_MODE"] = "1"
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    os.unlink(clock.name)
    if result.returncode != 0:
        raise SystemExit(f"{seq.name}: child failed\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _anki_version() -> str:
    from anki.buildinfo import buildhash, version

    return f"{version} ({buildhash})"


def _default_parameters() -> list[float]:
    import fsrs_rs_python

    return [float(p) for p in fsrs_rs_python.DEFAULT_PARAMETERS]


def record(seq: Scripted) -> dict[str, Any]:
    recorded = _run_child(seq, seq.fuzz)
    cards = recorded["cards"]
    if not seq.fuzz:
        for other in cards[1:]:
            assert other == cards[0], f"{seq.name}: cards differ with fuzz off"
    document: dict[str, Any] = {
        "name": seq.name,
        "description": seq.description,
        "timezone": seq.timezone,
        "day_starts_at_hour": DAY_STARTS_AT_HOUR,
        "desired_retention": DESIRED_RETENTION,
        "parameters": _default_parameters(),
        "learning_steps_minutes": LEARNING_STEPS_MINUTES,
        "relearning_steps_minutes": RELEARNING_STEPS_MINUTES,
        "maximum_interval_days": MAXIMUM_INTERVAL_DAYS,
        "fuzz": seq.fuzz,
        "recorded_with": f"anki {_anki_version()}",
        **seq.extra,
        "anki_elapsed_quirks": _elapsed_quirks(cards[0]),
        "answers": cards[0],
    }
    return document


def _study_day(moment: str) -> Any:
    """The study day an answer falls in: its local date after taking off the cutoff hour."""
    return (datetime.fromisoformat(moment) - timedelta(hours=DAY_STARTS_AT_HOUR)).date()


def _elapsed_quirks(answers: list[dict[str, Any]]) -> list[int]:
    """Indices of answers where Anki's elapsed days differ from the study-day count.

    Anki computes elapsed days as whole 24 h periods from the last review to the next
    cutoff, which disagrees with counting study days only when a 23 h or 25 h day (DST)
    lies between and the last review was within an hour of the cutoff.
    """
    quirks = []
    for index in range(1, len(answers)):
        study = (_study_day(answers[index]["at"]) - _study_day(answers[index - 1]["at"])).days
        if answers[index]["anki"]["elapsed_days"] != study:
            quirks.append(index)
    return quirks


def check_fuzz() -> None:
    """Print the intervals of five identically answered cards, without and with fuzz."""
    seq = next(s for s in SEQUENCES if s.name == "daily_2000_good")
    seq = Scripted(seq.name, seq.description, seq.steps, cards=5)
    for fuzz in (False, True):
        cards = _run_child(seq, fuzz)["cards"]
        print(f"fuzz {'on ' if fuzz else 'off'}:")
        for answers in cards:
            print("   ", [a["after"]["interval_days"] for a in answers])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", help="record only this sequence")
    parser.add_argument("--check-fuzz", action="store_true", help="show fuzz is really off")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(json.loads(sys.stdin.read()))))
        return
    if args.check_fuzz:
        check_fuzz()
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for seq in SEQUENCES:
        if args.only and seq.name not in args.only:
            continue
        document = record(seq)
        path = OUT_DIR / f"{seq.name}.json"
        path.write_text(json.dumps(document, indent=1) + "\n")
        summary = [
            (a["after"]["state"][0], round(a["after"]["stability"], 2), a["after"]["interval_days"])
            for a in document["answers"]
        ]
        print(f"{seq.name}: {summary}")


if __name__ == "__main__":
    main()
