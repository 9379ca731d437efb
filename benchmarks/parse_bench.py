"""How fast the deck parser is: generates a 10,000-card deck of every kind and parses it.

Target (issue 2): at most 1.0 s for the 10k deck (about 1.5 MB) on one core. Run:

    python benchmarks/parse_bench.py [--cards 10000] [--repeat 3] [--profile]

It prints the deck size, the best parse time of the repeats (wall clock and CPU time of this
process, which is steadier on a busy machine), and cards per second.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from studyrnn.decks.parser import parse_text

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    data = generate(args.cards).encode("utf-8")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        parse_text(data, "bench.md")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    best = best_cpu = float("inf")
    result = None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = parse_text(data, "bench.md")
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    assert result is not None
    kinds: dict[str, int] = {}
    for card in result.cards:
        kinds[card.kind.value] = kinds.get(card.kind.value, 0) + 1
    print(
        f"deck: {len(data) / 1e6:.2f} MB, {len(result.cards)} cards "
        f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), "
        f"{len(result.problems)} problems"
    )
    print(
        f"parse: {best:.3f} s wall, {best_cpu:.3f} s CPU (best of {args.repeat}), "
        f"{len(result.cards) / best:,.0f} cards/s"
    )
    # markdown-it-py's own full parse of the same text, timed now: a yardstick that makes the
    # figure comparable on a busy or slow machine (the issue quotes about 0.5 s for it)
    from markdown_it import MarkdownIt

    text = data.decode("utf-8")
    yardstick = float("inf")
    for _ in range(args.repeat):
        start_cpu = time.process_time()
        MarkdownIt("commonmark").parse(text)
        yardstick = min(yardstick, time.process_time() - start_cpu)
    print(
        f"yardstick: markdown-it-py alone (commonmark, full parse) {yardstick:.3f} s CPU; "
        f"studyrnn's parse is {best_cpu / yardstick:.2f}x that"
    )
    print("target: <= 1.0 s for 10,000 cards")


if __name__ == "__main__":
    main()
