"""Parametric code cards: the ```` ```python params ```` fence, drawing variants, placeholders.

A params fence holds one ``name = expression`` per line. The app draws a variant at every
review *without running torch or any code*: the expressions are read with ``ast`` and
evaluated by the small interpreter below, which knows only literals, lists and tuples,
indexing, arithmetic, comparisons, ``and``/``or``/``not``, ``x if c else y``, the parameters
defined above, and ``choice``, ``randint`` (both ends included), ``uniform``, ``min``, ``max``,
``round``, ``len``. Drawing is deterministic: the same code and seed give the same values, so
a review can be shown again exactly from its stored seed.

``{{=name}}`` in a card's text shows a drawn value (``str``); ``{{=name!r}}`` shows its Python
``repr`` (what the code shown to the learner uses, so a string keeps its quotes).
"""

from __future__ import annotations

import ast
import functools
import operator
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from studyrnn.errors import DeckError

#: Names every snippet already has; a parameter of the same name would hide them.
RESERVED = ("torch", "nn", "F", "math", "device")
FUNCTIONS = ("choice", "randint", "uniform", "min", "max", "round", "len")

PLACEHOLDER_RE = re.compile(r"\{\{=\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!r)?\s*\}\}")

_MAX_POW = 64
_MAX_LEN = 10_000

_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_CMPOPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class ParamError(DeckError):
    """A params fence that cannot be read or drawn. ``line`` is 1-based within the fence."""

    def __init__(self, message: str, line: int = 1, hint: str = "") -> None:
        super().__init__(message, hint)
        self.line = line


@dataclass(frozen=True, slots=True)
class ParamProblem:
    line: int  # 1-based line within the fence's code
    code: str  # "bad-param"
    message: str


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    expr: ast.expr
    line: int  # 1-based within the fence's code


def parse(code: str) -> tuple[list[Param], list[ParamProblem]]:
    """The parameters of a params fence, and everything wrong with it (never raises)."""
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as exc:
        line = exc.lineno or 1
        return [], [
            ParamProblem(
                line,
                "bad-param",
                f"params: {exc.msg} (each line is "
                "`name = expression`, e.g. `layers = choice([1, 2, 3])`)",
            )
        ]
    except (ValueError, MemoryError, RecursionError) as exc:
        return [], [ParamProblem(1, "bad-param", f"params cannot be read: {exc}")]
    params: list[Param] = []
    problems: list[ParamProblem] = []
    defined: set[str] = set()
    for stmt in tree.body:
        line = stmt.lineno
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            problems.append(
                ParamProblem(
                    line,
                    "bad-param",
                    "params: each line must be `name = expression` (e.g. `batch = randint(2, 64)`)",
                )
            )
            continue
        name = stmt.targets[0].id
        if name in RESERVED:
            problems.append(
                ParamProblem(
                    line,
                    "bad-param",
                    f"parameter `{name}` would hide `{name}`, which every snippet uses "
                    f"(rename it, e.g. `{name}_`; reserved: {', '.join(RESERVED)})",
                )
            )
            continue
        if name in FUNCTIONS:
            problems.append(
                ParamProblem(
                    line,
                    "bad-param",
                    f"parameter `{name}` would hide the function `{name}` (pick another name)",
                )
            )
            continue
        for message in _static_problems(stmt.value, defined):
            problems.append(ParamProblem(line, "bad-param", message))
        params.append(Param(name, stmt.value, line))
        defined.add(name)
    if not params and not problems:
        problems.append(
            ParamProblem(
                1,
                "bad-param",
                "the params fence defines nothing (add lines like `layers = choice([1, 2, 3])`)",
            )
        )
    return params, problems


def _static_problems(expr: ast.expr, defined: set[str]) -> list[str]:
    """Everything the evaluator would refuse, found without evaluating (so a branch that a
    draw happens not to take is checked too)."""
    found: list[str] = []
    _check_node(expr, defined, found)
    return found


def _check_node(node: ast.AST, defined: set[str], found: list[str]) -> None:
    """One node and its children; written out per node type because the generic
    ``ast.walk`` costs more than the rest of a deck's parse of its params."""
    if isinstance(node, ast.Constant):
        if not (isinstance(node.value, int | float | str | bool) or node.value is None):
            found.append(f"literal {node.value!r} is not allowed in params")
    elif isinstance(node, ast.Name):
        if node.id not in defined:
            found.append(
                f"`{node.id}` is not defined above (params may use only the parameters "
                "defined on earlier lines)"
            )
    elif isinstance(node, ast.Call):
        found.extend(_call_problems(node))
        for arg in node.args:
            _check_node(arg, defined, found)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            _check_node(element, defined, found)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            found.append(
                f"operator `{type(node.op).__name__}` is not allowed in params "
                "(use + - * / // % **)"
            )
        _check_node(node.left, defined, found)
        _check_node(node.right, defined, found)
    elif isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Invert):
            found.append("`~` is not allowed in params")
        _check_node(node.operand, defined, found)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check_node(value, defined, found)
    elif isinstance(node, ast.Compare):
        _check_node(node.left, defined, found)
        for comparator in node.comparators:
            _check_node(comparator, defined, found)
    elif isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _check_node(part, defined, found)
    elif isinstance(node, ast.Subscript):
        _check_node(node.value, defined, found)
        _check_node(node.slice, defined, found)
    elif isinstance(node, ast.Slice):
        for bound in (node.lower, node.upper, node.step):
            if bound is not None:
                _check_node(bound, defined, found)
    else:
        found.append(
            f"params may not use `{type(node).__name__}` expressions (allowed: literals, "
            f"lists, arithmetic, comparisons, `x if c else y`, {', '.join(FUNCTIONS)})"
        )


def _call_problems(node: ast.Call) -> list[str]:
    func = node.func
    if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
        return [f"params may not call `{ast.unparse(func)}` (allowed: {', '.join(FUNCTIONS)})"]
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        return [f"`{func.id}` takes plain positional arguments here"]
    if func.id == "choice":
        if len(node.args) != 1:
            return ["`choice` takes one list, e.g. `choice([1, 2, 3])`"]
        if isinstance(node.args[0], ast.List | ast.Tuple) and not node.args[0].elts:
            return ["`choice` of an empty list (give it at least one value)"]
    elif func.id in ("randint", "uniform") and len(node.args) != 2:
        return [f"`{func.id}` takes two numbers, e.g. `{func.id}(2, 64)`"]
    return []


def draw(code: str, seed: int) -> dict[str, object]:
    """The values of one variant: the same ``code`` and ``seed`` always give the same dict.

    Raises ParamError (with its 1-based line in the fence) for a fence lint would reject.
    """
    params, problems = _parsed(code)
    if problems:
        first = problems[0]
        raise ParamError(first.message, first.line, "run `studyrnn lint` on the deck")
    return draw_parsed(params, seed)


@functools.lru_cache(maxsize=1024)
def _parsed(code: str) -> tuple[tuple[Param, ...], tuple[ParamProblem, ...]]:
    """``parse``, remembered: the app draws the same cards' params again and again."""
    params, problems = parse(code)
    return tuple(params), tuple(problems)


def draw_parsed(params: Sequence[Param], seed: int) -> dict[str, object]:
    """``draw`` for parameters already read by ``parse`` (which found no problem)."""
    rng = random.Random(seed)
    values: dict[str, object] = {}
    for param in params:
        try:
            values[param.name] = _Evaluator(rng, values).eval(param.expr)
        except ParamError as exc:
            raise ParamError(f"`{param.name}`: {exc.message}", param.line) from None
        except (
            ArithmeticError,
            ValueError,
            TypeError,
            IndexError,
            KeyError,
            RecursionError,
            MemoryError,
        ) as exc:
            raise ParamError(f"`{param.name}` cannot be drawn: {exc}", param.line) from None
    return values


class _Evaluator:
    """Evaluates one allowed expression; anything else raises ParamError."""

    def __init__(self, rng: random.Random, values: Mapping[str, object]) -> None:
        self.rng = rng
        self.values = values

    def eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, int | float | str | bool) or node.value is None:
                return node.value
            raise ParamError(f"literal {node.value!r} is not allowed")
        if isinstance(node, ast.List):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(self.eval(e) for e in node.elts)
        if isinstance(node, ast.Name):
            if node.id in self.values:
                return self.values[node.id]
            raise ParamError(f"`{node.id}` is not defined above")
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            if isinstance(node.op, ast.USub):
                return -_number(operand)
            if isinstance(node.op, ast.UAdd):
                return +_number(operand)
            raise ParamError("`~` is not allowed")
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.BoolOp):
            result: Any = None
            for value_node in node.values:
                result = self.eval(value_node)
                if isinstance(node.op, ast.And) and not result:
                    return result
                if isinstance(node.op, ast.Or) and result:
                    return result
            return result
        if isinstance(node, ast.Compare):
            left = self.eval(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.eval(right_node)
                if not _CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.Subscript):
            target = self.eval(node.value)
            if not isinstance(target, list | tuple | str):
                raise ParamError("only lists, tuples and strings can be indexed")
            if isinstance(node.slice, ast.Slice):
                parts = [
                    None if p is None else _int(self.eval(p))
                    for p in (node.slice.lower, node.slice.upper, node.slice.step)
                ]
                return target[slice(*parts)]
            return target[_int(self.eval(node.slice))]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, [self.eval(a) for a in node.args])
        raise ParamError(f"`{type(node).__name__}` expressions are not allowed")

    def _binop(self, node: ast.BinOp) -> Any:
        left = self.eval(node.left)
        right = self.eval(node.right)
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise ParamError(f"operator `{type(node.op).__name__}` is not allowed")
        if isinstance(node.op, ast.Add) and isinstance(left, str | list | tuple):
            if type(left) is not type(right):
                raise ParamError("`+` needs two values of the same kind")
            if len(left) + len(right) > _MAX_LEN:
                raise ParamError("value too long")
            return op(left, right)
        a, b = _number(left), _number(right)
        if isinstance(node.op, ast.Pow) and abs(b) > _MAX_POW:
            raise ParamError(f"exponent {b} is too large (at most {_MAX_POW})")
        return op(a, b)

    def _call(self, name: str, args: list[Any]) -> Any:
        if name == "choice":
            if len(args) != 1 or not isinstance(args[0], list | tuple | str):
                raise ParamError("`choice` takes one list")
            if not args[0]:
                raise ParamError("`choice` of an empty list")
            return self.rng.choice(list(args[0]))
        if name == "randint":
            low, high = (_int(a) for a in _two(name, args))
            if low > high:
                raise ParamError(f"`randint({low}, {high})`: the first must not exceed the second")
            return self.rng.randint(low, high)
        if name == "uniform":
            low_f, high_f = (float(_number(a)) for a in _two(name, args))
            return self.rng.uniform(low_f, high_f)
        if name in ("min", "max"):
            if not args:
                raise ParamError(f"`{name}` needs arguments")
            items = list(args[0]) if len(args) == 1 and isinstance(args[0], list | tuple) else args
            if not items:
                raise ParamError(f"`{name}` of an empty list")
            return min(items) if name == "min" else max(items)
        if name == "round":
            if len(args) == 1:
                return round(_number(args[0]))
            if len(args) == 2:
                return round(_number(args[0]), _int(args[1]))
            raise ParamError("`round` takes a number and optional digits")
        if name == "len":
            if len(args) != 1 or not isinstance(args[0], list | tuple | str):
                raise ParamError("`len` takes one list")
            return len(args[0])
        raise ParamError(f"`{name}` is not allowed")


def _two(name: str, args: list[Any]) -> list[Any]:
    if len(args) != 2:
        raise ParamError(f"`{name}` takes two numbers")
    return args


def _number(value: Any) -> int | float:
    if isinstance(value, bool | int | float):
        return value
    raise ParamError(f"{value!r} is not a number")


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"{value!r} is not a whole number")
    return value


def placeholders(text: str) -> tuple[str, ...]:
    """The ``{{=name}}`` names used in ``text``, each once, in order of first use."""
    seen: dict[str, None] = {}
    for m in PLACEHOLDER_RE.finditer(text):
        seen.setdefault(m.group(1), None)
    return tuple(seen)


def render(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{{=name}}`` replaced by its value; unknown names stay as written."""
    if "{{=" not in text:
        return text

    def show(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            return m.group(0)
        value = values[name]
        return repr(value) if m.group(2) else str(value)

    return PLACEHOLDER_RE.sub(show, text)
