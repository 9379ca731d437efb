"""The predict-answer grammar (runner/answer.py): every accepted form and its wire value, and
every rejection with its exact reason and position. Pure Python: no worker, no torch."""

from __future__ import annotations

import json

import pytest

from studyrnn.runner.answer import MAX_DEPTH, AnswerSyntaxError, parse_answer


def tree(text: str) -> object:
    return json.loads(parse_answer(text))


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("3", 3),
        ("-2.5", -2.5),
        ("+4", 4),
        ("1e-3", 0.001),
        ("0x10", 16),
        ("1_000", 1000),
        ("inf", {"f": "inf"}),
        ("-inf", {"f": "-inf"}),
        ("nan", {"f": "nan"}),
        ("2j", {"c": [0.0, 2.0]}),
        ("1+2j", {"c": [1.0, 2.0]}),
        ("-1.5-0.5j", {"c": [-1.5, -0.5]}),
        ("'abc'", "abc"),
        ('"a\\tb"', "a\tb"),
        ("None", None),
        ("True", True),
        ("False", False),
        ("(2, 32, 20)", {"t": [2, 32, 20]}),
        ("2, 32, 20", {"t": [2, 32, 20]}),
        ("(3)", 3),
        ("(3,)", {"t": [3]}),
        ("()", {"t": []}),
        ("[1, [2, (3, 4)]]", [1, [2, {"t": [3, 4]}]]),
        ("{'a': 1, 'b': [2]}", {"d": [["a", 1], ["b", [2]]]}),
        ("torch.Size([2, 3])", {"S": [2, 3]}),
        ("torch.Size([])", {"S": []}),
        ("float32", {"dt": "float32"}),
        ("torch.float32", {"dt": "float32"}),
        ("torch.float", {"dt": "float32"}),
        ("torch.half", {"dt": "float16"}),
        ("long", {"dt": "int64"}),
        ("torch.int", {"dt": "int32"}),
        ("torch.bool", {"dt": "bool"}),
        ("torch.cdouble", {"dt": "complex128"}),
        ("RuntimeError", {"x": "RuntimeError"}),
        ("StopIteration", {"x": "StopIteration"}),
        ("torch.OutOfMemoryError", {"x": "OutOfMemoryError"}),
        ("pickle.UnpicklingError", {"x": "UnpicklingError"}),
        ("UserWarning", {"x": "UserWarning"}),
        ("device(type='cpu')", {"dv": "cpu"}),
        ("device(type='cuda', index=0)", {"dv": "cuda:0"}),
        ("torch.device('cuda:1')", {"dv": "cuda:1"}),
        ("tensor(3)", {"TL": [3, None, None, None]}),
        ("tensor([0., 1.])", {"TL": [[0.0, 1.0], None, None, None]}),
        ("torch.tensor([True, False])", {"TL": [[True, False], None, None, None]}),
        (
            "tensor([nan, inf, -inf])",
            {"TL": [[{"f": "nan"}, {"f": "inf"}, {"f": "-inf"}], None, None, None]},
        ),
        ("tensor([1.+2.j])", {"TL": [[{"c": [1.0, 2.0]}], None, None, None]}),
        ("tensor([], size=(0, 3))", {"TL": [[], None, None, [0, 3]]}),
        (
            "tensor([[2., 4.],\n        [6., 8.]], dtype=torch.float64, grad_fn=<MulBackward0>)",
            {"TL": [[[2.0, 4.0], [6.0, 8.0]], "float64", None, None]},
        ),
        (
            "tensor([1.], device='cuda:0', requires_grad=True)",
            {"TL": [[1.0], None, "cuda:0", None]},
        ),
        ("tensor([1, 2], dtype=long)", {"TL": [[1, 2], "int64", None, None]}),
        ("  (2, 3)  # a shape\n", {"t": [2, 3]}),
    ],
)
def test_accepted_forms(text: str, wire: object) -> None:
    assert tree(text) == wire


def test_a_400_digit_literal_is_a_number() -> None:
    assert tree("7" * 400) == int("7" * 400)


def rejected(text: str) -> str:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer(text)
    return str(info.value)


PREFIX = "studyrnn cannot read this answer: "


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the answer is empty: type a value such as (2, 32, 20) at column 1"),
        ("(2, 32,", "expected a value after ',' at column 8"),
        ("2,,", "expected a value after ',' at column 3"),
        ("[1,,2]", "expected a value after ',', found ',' at column 4"),
        (
            "len(loader)",
            "'len(...)' is a call: an answer is a value such as (2, 3) or tensor([1., 2.]), "
            "and studyrnn never runs it at column 1",
        ),
        (
            'exec("import os") or 4242.0',
            "'exec(...)' is a call: an answer is a value such as (2, 3) or tensor([1., 2.]), "
            "and studyrnn never runs it at column 1",
        ),
        (
            "(t + 1.5).dtype",
            "unknown name 't': an answer is a value, not an expression (a string needs quotes: "
            "'t') at column 2",
        ),
        (
            "10**400",
            "unexpected '**': an answer is a value, such as (2, 3) or 0.5, not an expression "
            "at column 3",
        ),
        (
            "torch.Size([2, 3]).numel()",
            "unexpected '.': an answer is a value, such as (2, 3) or 0.5, not an expression "
            "at column 19",
        ),
        (
            "(h_n.shape[1], 2)",
            "'h_n.shape' is an expression: type the value it has, such as (2, 3) at column 2",
        ),
        ("1e400", "'1e400' is too large for a float (write inf) at column 1"),
        ("1" * 1001, "a number of more than 1000 digits at column 1"),
        ("2 3", "unexpected '3' after the value (separate values with ',') at column 3"),
        ("(1, 2]", "']' does not match the open bracket (expected ')') at column 6"),
        ("(1, 2))", "')' closes a bracket that was never opened at column 7"),
        ("[1, 2", "this list is never closed (expected ']') at column 6"),
        ('"abc', "a string is never closed at column 1"),
        ("b'x'", "bytes is not a value studyrnn reads: use a plain string at column 1"),
        ("f'{x}'", "an f-string is not a value studyrnn reads: use a plain string at column 1"),
        (
            "x",
            "unknown name 'x': an answer is a value, not an expression (a string needs quotes: "
            "'x') at column 1",
        ),
        (
            "float",
            "'float' is Python's own type; for a dtype write torch.float32 (or torch.float) at "
            "column 1",
        ),
        (
            "int",
            "'int' is Python's own type; for a dtype write torch.int64 (torch.int is int32) at "
            "column 1",
        ),
        (
            "lambda: 0",
            "unknown name 'lambda': an answer is a value, not an expression (a string needs "
            "quotes: 'lambda') at column 1",
        ),
        (
            "tensor([   0,    1,  ..., 998,  999])",
            "'...' stands for values torch did not print: type every value at column 22",
        ),
        ("tensor([[1, 2], [3]])", "the rows of this tensor have different lengths at column 8"),
        (
            "tensor([1, 2**70])",
            "unexpected '**': an answer is a value, such as (2, 3) or 0.5, not an expression "
            "at column 13",
        ),
        ("tensor([1, " + "9" * 30 + "])", "a number too large for any tensor dtype at column 8"),
        ("tensor(['a'])", "a tensor holds numbers or bools, in (nested) lists at column 8"),
        (
            "tensor([1.], colour=1)",
            "tensor(...) has no keyword 'colour' (torch prints dtype, device, requires_grad, "
            "grad_fn, size) at column 14",
        ),
        ("tensor([1.], dtype=torch.floaty)", "'torch.floaty' is not a dtype at column 20"),
        ("tensor([1.], device=3)", "device= takes a device such as 'cuda:0' at column 14"),
        ("torch.Size([2.5])", "torch.Size takes ints only, as in torch.Size([2, 3]) at column 1"),
        ("{1: 2}", "a dict's keys must be strings in quotes at column 2"),
        ("-", "expected a number after '-' at column 2"),
        ("-'a'", "expected a number after '-' at column 2"),
        ("(2, 3\n", "this tuple is never closed (expected ')') at column 6"),
        (
            "[1,\n 2,\n x]",
            "unknown name 'x': an answer is a value, not an expression (a string needs quotes: "
            "'x') at line 3, column 2",
        ),
        ("$", "'$' is not part of a value at column 1"),
    ],
)
def test_rejections_say_why_and_where(text: str, reason: str) -> None:
    assert rejected(text) == PREFIX + reason


def test_nesting_and_length_are_bounded() -> None:
    deep = "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)
    assert (
        rejected(deep)
        == PREFIX
        + f"the value is nested more than {MAX_DEPTH} brackets deep at column {MAX_DEPTH + 2}"
    )
    assert rejected("[" + "1," * 6000 + "]") == (
        PREFIX + "the answer is longer than 10000 characters at column 10001"
    )
    assert json.loads(parse_answer("[" * MAX_DEPTH + "]" * MAX_DEPTH))  # at the bound: fine


def test_the_marked_message_points_at_the_column() -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer("(2, 32,")
    assert info.value.marked() == (
        "studyrnn cannot read this answer: expected a value after ',' at column 8\n"
        "  (2, 32,\n"
        "         ^"
    )
    assert (info.value.line, info.value.column) == (1, 8)
