"""How fast the deck parser is, on three generated decks:

- ``mixed``: 10,000 cards of every kind (about 1.5 MB). Target (issue 2): at most 1.0 s.
- ``unclosed``: 2,000 cards whose ```` ```python ```` fence never closes. Target (issue 13):
  at most 1.0 s (it once re-parsed the rest of the file per card: 191 s).
- ``identical``: 2,000 notes with the same question. Target (issue 13): at most 1.0 s (each
  duplicate once counted its ``~N`` key up from 2).

Run:

    python benchmarks/parse_bench.py [--only mixed] [--cards 10000] [--repeat 3] [--profile]

Each is parsed as ``studyrnn lint`` does (``parse_text`` then the cross-file checks). It prints
the deck size, the best time of the repeats (wall clock and CPU time of this process, which
is steadier on a busy machine), and cards per second.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from studyrnn.decks.model import DeckSet
from studyrnn.decks.parser import combine, parse_text

_TEMPLATES = (
    # basic
    """## What does `zero_grad()` do to gradient {i}?
<!-- id: bench-basic-{i} -->
Sets each `.grad` to `None`, so `backward()` does not add to stale values ({j}).

Why: gradients accumulate by design, which is what makes micro-batching possible.
""",
    # cloze: three cards
    """## LSTM update {i}
`c_t = {{{{c1::f_t ⊙ c_{{t-1}}}}}} + {{{{c2::i_t ⊙ g_t::input x candidate}}}}`,
`h_t = {{{{c3::o_t ⊙ tanh(c_t)}}}}`; `x[::{j}]`, `{{"a": {j}}}` and `f"{{{{x}}}}"` stay text.
""",
    # choice
    """## Which saturate? (set {i})
- [x] tanh
- [x] sigmoid
- [ ] ReLU
- [ ] leaky ReLU {j}

Why: tanh and sigmoid flatten out at both ends; ReLU is linear for positive inputs.
""",
    # bidirectional: two cards
    """## GRU {i} <-> a cell with update and reset gates ({j})
""",
    # predict
    """## `h_n.shape`, case {i}?
<!-- id: bench-predict-{i} -->
```python setup
lstm = nn.LSTM(10, {j}, num_layers=2)
out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))
```
```python expect
h_n.shape
```
```python wrong "batch_first does not apply to h_n"
(h_n.shape[1], h_n.shape[0], {j})
```
Why: the states are (layers, batch, hidden).
""",
    # write
    """## Write `scale(x)`: `x` times {j}, case {i}
```python solution
def scale(x):
    return x * {j}
```
```python check
def observe(ns, gen):
    return ns["scale"](torch.randn({j}, 3, generator=gen))
```
""",
    # parametric predict
    """## `h_n.shape` of {{{{=layers}}}}-layer LSTM(10, {{{{=hidden}}}}), case {i}?
```python params
layers = choice([1, 2, {j}])
hidden = randint(2, {i} + 2)
```
```python setup
lstm = nn.LSTM(10, hidden, num_layers=layers)
out, (h_n, c_n) = lstm(torch.randn(3, 5, 10))
```
```python expect
h_n.shape
```
Why: `h_n` is (layers, batch, hidden) whatever the input length.
""",
)


def generate(cards: int) -> str:
    """A deck of about ``cards`` cards, every kind mixed (cloze notes hold three cards)."""
    parts = ["---\ndeck: Benchmark\ntags: [bench]\n---\n\nA generated deck.\n"]
    count = 0
    i = 0
    while count < cards:
        if i % 50 == 0:
            parts.append(f"# Section {i // 50}\n")
        template = _TEMPLATES[i % len(_TEMPLATES)]
        parts.append(template.format(i=i, j=i % 7 + 1))
        count += 3 if i % len(_TEMPLATES) == 1 else 2 if i % len(_TEMPLATES) == 3 else 1
        i += 1
    return "\n".join(parts)


def generate_unclosed(cards: int) -> str:
    """``cards`` notes, each with a ```` ```python ```` fence that never closes."""
    return "".join(f"## Unclosed {i}\n```python\n# step {i}\nx = {i}\n\n" for i in range(cards))


def generate_identical(cards: int) -> str:
    """``cards`` notes that all ask the same question."""
    return "".join(f"## What does `zero_grad()` do?\nAnswer {i}.\n\n" for i in range(cards))


def lint_once(data: bytes) -> DeckSet:
    return combine([parse_text(data, "bench.md")])


def run(name: str, data: bytes, repeat: int, target: str) -> None:
    best = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = lint_once(data)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    assert result is not None
    kinds: dict[str, int] = {}
    for card in result.cards:
        kinds[card.kind.value] = kinds.get(card.kind.value, 0) + 1
    print(
        f"[{name}] deck: {len(data) / 1e6:.2f} MB, {len(result.cards)} cards "
        f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), "
        f"{len(result.problems)} problems"
    )
    print(
        f"[{name}] parse: {best:.3f} s wall, {best_cpu:.3f} s CPU (best of {repeat}), "
        f"{len(result.cards) / best:,.0f} cards/s; target: {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("mixed", "unclosed", "identical"))
    parser.add_argument("--cards", type=int, default=10_000, help="cards of the mixed deck")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    decks = {
        "mixed": (generate(args.cards), f"<= 1.0 s for {args.cards:,} cards"),
        "unclosed": (generate_unclosed(2_000), "<= 1.0 s for 2,000 cards"),
        "identical": (generate_identical(2_000), "<= 1.0 s for 2,000 cards"),
    }
    for name, (text, target) in decks.items():
        if args.only not in (None, name):
            continue
        data = text.encode("utf-8")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            lint_once(data)
            profiler.disable()
            print(f"[{name}]")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            continue
        run(name, data, args.repeat, target)
    if args.profile or args.only not in (None, "mixed"):
        return
    # markdown-it-py's own full parse of the mixed deck, timed now: a yardstick that makes the
    # figure comparable on a busy or slow machine (the issue quotes about 0.5 s for it)
    from markdown_it import MarkdownIt

    text = decks["mixed"][0]
    yardstick = float("inf")
    for _ in range(args.repeat):
        start_cpu = time.process_time()
        MarkdownIt("commonmark").parse(text)
        yardstick = min(yardstick, time.process_time() - start_cpu)
    print(
        f"yardstick: markdown-it-py alone (commonmark, full parse of mixed) {yardstick:.3f} s CPU"
    )


if __name__ == "__main__":
    main()
