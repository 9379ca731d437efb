"""``studyrnn new PATH``: write a starter deck with one example of every card kind.

It refuses to overwrite an existing file (exit 2) and creates a missing folder. The starter
lints clean, and its code cards are real PyTorch that ``studyrnn check`` passes: a learner can
copy any of them as a pattern.
"""

from __future__ import annotations

from pathlib import Path

import click

from studyrnn import config, deck_copies
from studyrnn.commands.common import global_opts, reports_errors
from studyrnn.errors import UsageError

STARTER = """\
---
deck: {deck}
tags: [starter]
description: One example of every card kind; edit or delete them.
---

Prose before the first card is notes, not cards. Each `## heading` below is a card; its kind is
decided by its body. `studyrnn help format` shows the whole format (docs/deck-format.md).

# Examples

## What does `optimizer.zero_grad()` set the gradients to, by default?
<!-- id: {slug}-basic -->
<!-- tags: optim -->
`None`: since PyTorch 2.0, `set_to_none=True` is the default.

Why: `backward()` adds into `.grad`, so stale gradients must be cleared before each step.

## The LSTM cell state update
<!-- id: {slug}-cloze -->
`c_t = {{{{c1::f_t ⊙ c_{{t-1}}}}}} + {{{{c2::i_t ⊙ g_t::input gate times candidate}}}}`

## Which of these activations saturate for large inputs?
<!-- id: {slug}-choice -->
- [x] tanh
- [x] sigmoid
- [ ] ReLU

Why: tanh and sigmoid flatten out at both ends; ReLU grows without bound for positive inputs.

## GRU <-> a recurrent cell with an update gate, a reset gate and one state vector
<!-- id: {slug}-bidirectional -->

## `h_n.shape` of this LSTM?
<!-- id: {slug}-predict -->
```python setup
lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)
out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))
```
```python expect
h_n.shape
```
```python wrong "batch_first does not apply to h_n and c_n: they are (layers, batch, hidden)"
(h_n.shape[1], h_n.shape[0], h_n.shape[2])
```
Why: `batch_first` changes only the input and `output`, never the hidden states.

## Define `standardize(x)`: subtract the mean of each column, then divide by its std
<!-- id: {slug}-write -->
```python starter
def standardize(x):
    return x
```
```python solution
def standardize(x):
    return (x - x.mean(dim=0)) / x.std(dim=0)
```
```python check
def observe(ns, gen):
    x = torch.randn(16, 3, generator=gen, dtype=torch.float64) * 5 + 2
    return ns["standardize"](x)

def diagnose(got, want):
    row_means = got.mean(dim=1)
    if got.shape == want.shape and torch.allclose(row_means, torch.zeros_like(row_means)):
        return "each row has mean 0: did you use dim=1 (rows) instead of dim=0 (columns)?"
    return None
```
Why: `dim=0` reduces over the rows, giving one mean and one std per column.

## `out.shape` of a {{{{=layers}}}}-layer GRU({{{{=inputs}}}}, {{{{=hidden}}}}), batch_first, \
on ({{{{=batch}}}}, {{{{=steps}}}}, {{{{=inputs}}}})?
<!-- id: {slug}-parametric -->
```python params
layers = choice([1, 2, 3])
inputs = choice([4, 8, 10])
hidden = choice([16, 20, 32])
batch = randint(4, 16)
steps = randint(3, 9)
```
```python setup
gru = nn.GRU(inputs, hidden, num_layers=layers, batch_first=True)
out, h_n = gru(torch.randn(batch, steps, inputs))
```
```python expect
out.shape
```
```python wrong "out has one row per time step of the last layer only: the layer count is in h_n"
(layers, batch, hidden)
```
Why: with `batch_first=True`, `out` is (batch, steps, hidden): the last layer's output at every
step.
"""


def starter_text(path: Path) -> str:
    """The starter deck for ``path``: its deck name and id prefix come from the file name."""
    stem = path.stem or "my-deck"
    deck = stem.replace("-", " ").replace("_", " ").strip().capitalize() or "My deck"
    slug = "".join(ch if ch.isalnum() else "-" for ch in stem.lower()).strip("-") or "deck"
    return STARTER.format(deck=deck, slug=slug)


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path.resolve().is_relative_to(f.resolve()) for f in folders)


def study_advice(target: Path, configured: list[Path]) -> str:
    """Whether the decks configured now read ``target``, and with the bundled decks or
    instead of them; how to study it beside them when they are left out. A learner adding a
    deck of their own usually means to keep the bundled ones."""
    bundled = config.bundled_decks_dir()
    with_bundled = any(deck_copies.in_bundled_folder(p) for p in configured)
    both = f"`studyrnn --decks {target.parent} --decks {bundled} review`"
    mine = deck_copies.user_decks_dir()
    if _under(target, configured):
        if with_bundled:
            return "studyrnn reads it with the bundled decks."
        return (
            f"studyrnn reads it from {target.parent}, instead of the bundled decks (a decks "
            f"folder replaces them). To study it with them: {both}, or keep your decks in "
            f"{mine}, which is read with the bundled decks."
        )
    if _under(target, [mine]):  # ./decks, --decks or STUDYRNN_DECKS replace it here
        return (
            f"studyrnn does not read {target.parent} here: the decks configured here replace "
            f"it and the bundled decks. To study it with the bundled decks: {both}."
        )
    return (
        f"studyrnn does not read {target.parent} now. To study it with the bundled decks: "
        f"{both}, or keep your decks in {mine}, which is read with them."
    )


@click.command()
@click.argument("path", type=click.Path())
@click.pass_context
@reports_errors
def new(ctx: click.Context, path: str) -> None:
    """Write a starter deck with one example of every card kind to PATH."""
    target = Path(path)
    if target.suffix.lower() != ".md":
        raise UsageError(
            f"{target} is not a .md file",
            "deck files end in .md, e.g. `studyrnn new decks/my-topic.md`",
        )
    if target.exists():
        raise UsageError(
            f"{target} already exists; it was not changed",
            "pick a new file name, or edit that deck directly",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder should be, or no permission
        raise UsageError(
            f"cannot create the folder {target.parent}: {exc.strerror or exc}",
            "pick a path in a folder you can write to",
        ) from None
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(starter_text(target))
    except FileExistsError:
        raise UsageError(f"{target} already exists; it was not changed") from None
    click.echo(
        f"wrote {target}: one example of every card kind. Next: edit it, then run "
        f"`studyrnn lint {target}`. `studyrnn help format` shows the deck format."
    )
    # Read after writing: a ``decks/`` folder this command just made is configured now.
    configured = config.deck_paths(global_opts(ctx).get("decks") or ())
    click.echo(study_advice(target, configured))
