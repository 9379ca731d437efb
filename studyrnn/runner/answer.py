"""A predict answer is a value, not a program: the small grammar that reads it, in the app.

``parse_answer(text)`` reads what the learner typed and returns it in the tagged-JSON wire
format of ``values.encode``, so the judge decodes it with ``values.decode``. Nothing typed is
ever evaluated: the text is split into tokens by the standard library's ``tokenize`` (which
knows Python's strings and numbers) and read by the recursive descent below, which accepts
only these forms:

- numbers: ``3``, ``-2.5``, ``1e-3``, ``2j``, ``1+2j``, ``nan``, ``inf``, ``-inf``;
- strings in quotes, ``None``, ``True``, ``False``;
- tuples ``(1, 2)`` (also bare at the top: ``2, 32, 20``), lists ``[1, 2]``, dicts
  ``{'a': 1}`` with string keys, nested;
- ``torch.Size([2, 3])``; ``tensor(...)`` or ``torch.tensor(...)`` as torch prints it, with
  the keywords ``dtype=``, ``device=``, ``requires_grad=``, ``grad_fn=<...>`` and ``size=``;
- devices as torch prints them, ``device(type='cuda', index=0)``, or ``torch.device('cpu')``;
- dtypes with or without ``torch.``: ``float32``, ``torch.float32``, ``torch.float``,
  ``torch.half``, ``long`` (aliases become the canonical dtype);
- exception names: ``RuntimeError``, ``torch.OutOfMemoryError``, ``pickle.UnpicklingError``
  (a name of a built-in exception, or one ending in Error, Exception or Warning).

Anything else raises ``AnswerSyntaxError`` with the reason and the 1-based position. This
module imports neither torch nor anything that runs code.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import math
import re
import tokenize
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 10_000  # characters of one answer
MAX_DEPTH = 32  # brackets inside brackets
MAX_DIGITS = 1000  # characters of one number: 10**400 is not a literal, a 400-digit one is

# torch's dtypes by their canonical name (str(dtype) without "torch."), and its aliases.
CANONICAL_DTYPES = frozenset(
    [
        "bfloat16",
        "bool",
        "complex32",
        "complex64",
        "complex128",
        "float16",
        "float32",
        "float64",
        "float8_e4m3fn",
        "float8_e4m3fnuz",
        "float8_e5m2",
        "float8_e5m2fnuz",
        "float8_e8m0fnu",
        "float4_e2m1fn_x2",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "qint8",
        "quint8",
        "qint32",
        "quint4x2",
        "quint2x4",
        "bits8",
        "bits16",
        "bits1x8",
        "bits2x4",
        "bits4x2",
    ]
)
DTYPE_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "chalf": "complex32",
    "short": "int16",
    "int": "int32",
    "long": "int64",
}
# Bare, these are Python's own types: a learner who types them may mean either.
AMBIGUOUS = {
    "float": "torch.float32 (or torch.float)",
    "int": "torch.int64 (torch.int is int32)",
    "bool": "torch.bool",
    "complex": "torch.complex64",
}
BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
TENSOR_KEYWORDS = ("dtype", "device", "requires_grad", "grad_fn", "size")
_DEVICE = re.compile(r"[a-z][a-z_]*(:[0-9]{1,4})?\Z")
OPERATORS = "+-*/%@&|^<>=!~.:"
_SKIP = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}


class AnswerSyntaxError(ValueError):
    """The answer is not in the grammar. ``line`` and ``column`` are 1-based."""

    def __init__(self, reason: str, line: int, column: int, text: str = "") -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.text = text
        multi = "\n" in text.strip()
        where = f"line {line}, column {column}" if multi else f"column {column}"
        super().__init__(f"studyrnn cannot read this answer: {reason} at {where}")

    def marked(self) -> str:
        """The message, then the answer's line with a caret under the position."""
        if not self.text.strip():
            return str(self)
        lines = self.text.splitlines() or [""]
        shown = lines[min(self.line, len(lines)) - 1]
        if len(shown) > 76:  # keep the caret on a terminal's line
            start = max(0, self.column - 40)
            shown, column = shown[start : start + 76], self.column - start
        else:
            column = self.column
        return f"{self}\n  {shown}\n  {' ' * (column - 1)}^"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: int
    text: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, slots=True)
class _Num:
    """A number as read, kept apart from JSON so complex parts can be joined."""

    value: int | float | complex


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    reader = io.StringIO(text).readline
    try:
        for tok in tokenize.generate_tokens(reader):
            if tok.type in _SKIP:
                continue
            if tok.type == tokenize.ERRORTOKEN and not tok.string.strip():
                continue
            line, col = tok.start
            if tok.type == tokenize.ERRORTOKEN:
                raise AnswerSyntaxError(_stray(tok.string), line, col + 1, text)
            out.append(_Token(tok.type, tok.string, line, col + 1))
    except tokenize.TokenError as exc:
        line, col = exc.args[1] if len(exc.args) > 1 else (1, 0)
        if "string" in str(exc.args[0]):
            raise AnswerSyntaxError("a string is never closed", line, col + 1, text) from None
        # The end came inside a bracket: the parser says which and where.
        last = out[-1] if out else _Token(tokenize.ENDMARKER, "", 1, 1)
        out.append(_Token(tokenize.ENDMARKER, "", last.line, last.column + len(last.text)))
    except IndentationError as exc:
        raise AnswerSyntaxError(
            "the lines of this answer are indented unevenly", exc.lineno or 1, 1, text
        ) from None
    return out


def _stray(char: str) -> str:
    if char in "'\"":
        return "a string is never closed"
    return f"{char!r} is not part of a value"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    # --- tokens ----------------------------------------------------------------------------
    def peek(self) -> _Token:
        return self.toks[self.i]

    def take(self) -> _Token:
        tok = self.toks[self.i]
        if tok.kind != tokenize.ENDMARKER:
            self.i += 1
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok.kind == tokenize.OP and tok.text == text

    def fail(self, reason: str, tok: _Token | None = None) -> AnswerSyntaxError:
        tok = tok or self.peek()
        return AnswerSyntaxError(reason, tok.line, tok.column, self.text)

    def expect(self, text: str, after: str) -> _Token:
        if not self.at(text):
            raise self.fail(f"expected '{text}' {after}, found {self.describe(self.peek())}")
        return self.take()

    @staticmethod
    def describe(tok: _Token) -> str:
        if tok.kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
            return "the end"
        return f"'{tok.text}'"

    # --- the grammar -----------------------------------------------------------------------
    def answer(self) -> Any:
        if self.peek().kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
            raise self.fail("the answer is empty: type a value such as (2, 32, 20)")
        first = self.value(0)
        if self.at(","):  # 2, 32, 20 is the tuple (2, 32, 20), as in Python
            items = [first]
            while self.at(","):
                comma = self.take()
                if self.finished():
                    break
                if not self.starts_value():
                    raise self.fail("expected a value after ','", self.after(comma))
                items.append(self.value(0))
            first = {"t": items}
        if not self.finished():
            raise self.fail(self.unexpected())
        return first

    def finished(self) -> bool:
        while self.peek().kind == tokenize.NEWLINE:
            self.take()
        return self.peek().kind == tokenize.ENDMARKER

    def after(self, tok: _Token) -> _Token:
        """Where a missing thing after ``tok`` is reported: the next token, or just after."""
        nxt = self.peek()
        if nxt.kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
            return _Token(nxt.kind, "", tok.line, tok.column + len(tok.text))
        return nxt

    def unexpected(self) -> str:
        tok = self.peek()
        if tok.kind == tokenize.OP and tok.text[0] in OPERATORS:
            return _not_an_expression(tok.text)
        if tok.kind == tokenize.OP and tok.text in ")]}":
            return f"'{tok.text}' closes a bracket that was never opened"
        return f"unexpected {self.describe(tok)} after the value (separate values with ',')"

    def starts_value(self) -> bool:
        tok = self.peek()
        if tok.kind in (tokenize.NUMBER, tokenize.STRING, tokenize.NAME):
            return True
        return tok.kind == tokenize.OP and tok.text in ("(", "[", "{", "-", "+")

    def value(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"the value is nested more than {MAX_DEPTH} brackets deep")
        tok = self.peek()
        if tok.kind == tokenize.NUMBER or (tok.kind == tokenize.OP and tok.text in "-+"):
            return _wire(self.number())
        if tok.kind == tokenize.STRING:
            return self.string()
        if tok.kind == tokenize.OP and tok.text in ("(", "["):
            return self.sequence(depth)
        if tok.kind == tokenize.OP and tok.text == "{":
            return self.mapping(depth)
        if tok.kind == tokenize.NAME:
            return self.named(depth)
        if tok.kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
            raise self.fail("expected a value, found the end")
        if tok.kind == tokenize.OP and tok.text == "...":
            raise self.fail(_not_an_expression("..."))
        raise self.fail(f"expected a value, found {self.describe(tok)}")

    def number(self) -> _Num:
        sign_tok = self.peek()
        sign = 1
        while self.at("-") or self.at("+"):
            if self.take().text == "-":
                sign = -sign
        tok = self.peek()
        if tok.kind == tokenize.NAME and tok.text in ("inf", "nan"):
            self.take()
            return _Num(sign * math.inf if tok.text == "inf" else math.nan)
        if tok.kind != tokenize.NUMBER:
            raise self.fail(f"expected a number after '{sign_tok.text}'", self.after(sign_tok))
        real = self.literal(self.take())
        if isinstance(real, complex) or not (self.at("+") or self.at("-")):
            return _Num(sign * real)
        # 1+2j, 1.-0.5j: a complex number as Python and torch write it.
        nxt = self.toks[self.i + 1]
        if nxt.kind != tokenize.NUMBER or not nxt.text.lower().endswith("j"):
            return _Num(sign * real)
        op = self.take().text
        imag = self.literal(self.take())
        return _Num(sign * real + (imag if op == "+" else -imag))

    def literal(self, tok: _Token) -> int | float | complex:
        if len(tok.text) > MAX_DIGITS:
            raise self.fail(f"a number of more than {MAX_DIGITS} digits", tok)
        try:
            number = ast.literal_eval(tok.text)
        except (ValueError, SyntaxError) as exc:
            raise self.fail(f"'{tok.text}' is not a number ({exc})", tok) from None
        if not isinstance(number, int | float | complex):
            raise self.fail(f"'{tok.text}' is not a number", tok)
        if isinstance(number, float) and math.isinf(number):
            raise self.fail(f"'{tok.text}' is too large for a float (write inf)", tok)
        return number

    def string(self) -> str:
        tok = self.take()
        prefix = tok.text[: len(tok.text) - len(tok.text.lstrip("rRuUbBfF"))].lower()
        if "b" in prefix or "f" in prefix:
            kind = "bytes" if "b" in prefix else "an f-string"
            raise self.fail(f"{kind} is not a value studyrnn reads: use a plain string", tok)
        text = ast.literal_eval(tok.text)
        if self.peek().kind == tokenize.STRING:
            raise self.fail("two strings in a row: join them into one, or separate with ','")
        assert isinstance(text, str)
        return text

    def items(self, close: str, depth: int, what: str) -> tuple[list[Any], bool]:
        """Values up to ``close``; also whether a comma was seen (``(1,)`` is a tuple)."""
        items: list[Any] = []
        comma = False
        while not self.at(close):
            if not self.starts_value():
                if self.peek().kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
                    raise self.fail(f"this {what} is never closed (expected '{close}')")
                raise self.fail(self._no_value(comma and bool(items)))
            items.append(self.value(depth + 1))
            if self.at(","):
                comma_tok = self.take()
                comma = True
                if not (self.at(close) or self.starts_value()):
                    if self.peek().kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
                        raise self.fail("expected a value after ','", self.after(comma_tok))
                    raise self.fail(self._no_value(True))
            elif not self.at(close):
                if self.peek().kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
                    raise self.fail(f"this {what} is never closed (expected '{close}')")
                raise self.fail(self._between(close))
        self.take()
        return items, comma

    def _no_value(self, after_comma: bool) -> str:
        tok = self.peek()
        if tok.kind == tokenize.OP and tok.text == "...":
            return _not_an_expression("...")
        after = " after ','" if after_comma else ""
        return f"expected a value{after}, found {self.describe(tok)}"

    def _between(self, close: str) -> str:
        tok = self.peek()
        if tok.kind == tokenize.OP and tok.text in ")]}" and tok.text != close:
            return f"'{tok.text}' does not match the open bracket (expected '{close}')"
        if tok.kind == tokenize.OP and tok.text[0] in OPERATORS:
            return _not_an_expression(tok.text)
        return f"expected ',' or '{close}', found {self.describe(tok)}"

    def sequence(self, depth: int) -> Any:
        open_ = self.take().text
        close = ")" if open_ == "(" else "]"
        items, comma = self.items(close, depth, "tuple" if open_ == "(" else "list")
        if open_ == "[":
            return items
        if len(items) == 1 and not comma:
            return items[0]  # (3) is 3, as in Python
        return {"t": items}

    def mapping(self, depth: int) -> Any:
        self.take()
        pairs: list[list[Any]] = []
        while not self.at("}"):
            key_tok = self.peek()
            if key_tok.kind != tokenize.STRING:
                if key_tok.kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
                    raise self.fail("this dict is never closed (expected '}')")
                raise self.fail("a dict's keys must be strings in quotes")
            key = self.string()
            self.expect(":", "after a dict key")
            if not self.starts_value():
                raise self.fail(f"expected a value after ':', found {self.describe(self.peek())}")
            pairs.append([key, self.value(depth + 1)])
            if self.at(","):
                self.take()
            elif not self.at("}"):
                if self.peek().kind in (tokenize.ENDMARKER, tokenize.NEWLINE):
                    raise self.fail("this dict is never closed (expected '}')")
                raise self.fail(self._between("}"))
        self.take()
        return {"d": pairs}

    def dotted(self) -> tuple[str, _Token]:
        first = self.take()
        parts = [first.text]
        while self.at("."):
            dot = self.take()
            if self.peek().kind != tokenize.NAME:
                raise self.fail("expected a name after '.'", self.after(dot))
            parts.append(self.take().text)
        return ".".join(parts), first

    def named(self, depth: int) -> Any:
        tok = self.peek()
        if tok.text in ("inf", "nan"):
            return _wire(self.number())
        name, first = self.dotted()
        if self.at("("):
            return self.call(name, first, depth)
        if name == "None":
            return None
        if name in ("True", "False"):
            return name == "True"
        dtype = dtype_name(name)
        if dtype is not None:
            return {"dt": dtype}
        if _is_exception_name(name):
            return {"x": name.rsplit(".", 1)[-1]}
        if name in AMBIGUOUS:
            raise self.fail(
                f"'{name}' is Python's own type; for a dtype write {AMBIGUOUS[name]}", first
            )
        if "." in name:
            raise self.fail(
                f"'{name}' is an expression: type the value it has, such as (2, 3)", first
            )
        raise self.fail(
            f"unknown name '{name}': an answer is a value, not an expression "
            f"(a string needs quotes: '{name}')",
            first,
        )

    def call(self, name: str, first: _Token, depth: int) -> Any:
        if name in ("tensor", "torch.tensor"):
            return self.tensor(depth)
        if name in ("torch.Size", "Size"):
            self.take()
            if not (self.at("[") or self.at("(")):
                raise self.fail("torch.Size takes a list of ints, as in torch.Size([2, 3])")
            dims = self.value(depth + 1)
            self.expect(")", "to close torch.Size(...)")
            dims = dims["t"] if isinstance(dims, dict) else dims
            if not isinstance(dims, list) or not all(
                isinstance(d, int) and not isinstance(d, bool) for d in dims
            ):
                raise self.fail("torch.Size takes ints only, as in torch.Size([2, 3])", first)
            return {"S": dims}
        if name in ("device", "torch.device"):
            return self.device(first)
        raise self.fail(
            f"'{name}(...)' is a call: an answer is a value such as (2, 3) or "
            "tensor([1., 2.]), and studyrnn never runs it",
            first,
        )

    def keywords(self, allowed: tuple[str, ...], what: str) -> dict[str, tuple[_Token, Any]]:
        """``name=value`` pairs up to ')', after a ',' that was already taken."""
        found: dict[str, tuple[_Token, Any]] = {}
        while not self.at(")"):
            tok = self.peek()
            if tok.kind != tokenize.NAME:
                raise self.fail(f"expected a keyword such as {allowed[0]}= in {what}")
            if tok.text not in allowed:
                raise self.fail(
                    f"{what} has no keyword '{tok.text}' (torch prints {', '.join(allowed)})"
                )
            self.take()
            self.expect("=", f"after '{tok.text}'")
            if tok.text == "grad_fn":
                found[tok.text] = (tok, self.grad_fn())
            elif tok.text == "dtype":
                name_tok = self.peek()
                if name_tok.kind != tokenize.NAME:
                    raise self.fail("expected a dtype such as torch.float64")
                name, _ = self.dotted()
                dtype = dtype_name(name)
                if dtype is None:
                    raise self.fail(f"'{name}' is not a dtype", name_tok)
                found[tok.text] = (tok, dtype)
            else:
                found[tok.text] = (tok, self.value(MAX_DEPTH - 2))
            if not self.at(")"):
                self.expect(",", f"between the keywords of {what}")
        self.take()
        return found

    def grad_fn(self) -> str:
        # grad_fn=<MulBackward0> is how torch prints it; the name is not compared.
        self.expect("<", "in grad_fn=<...>")
        if self.peek().kind != tokenize.NAME:
            raise self.fail("expected a name in grad_fn=<...>")
        name, _ = self.dotted()
        self.expect(">", "to close grad_fn=<...>")
        return name

    def tensor(self, depth: int) -> Any:
        self.take()
        if self.at(")"):
            raise self.fail("tensor(...) needs its values, as in tensor([1., 2.])")
        data_tok = self.peek()
        if not self.starts_value():
            raise self.fail(f"expected the tensor's values, found {self.describe(data_tok)}")
        data = self.value(depth + 1)
        shape = _rectangular(data)
        if isinstance(shape, str):
            raise self.fail(shape, data_tok)
        kw: dict[str, tuple[_Token, Any]] = {}
        if self.at(","):
            self.take()
            kw = self.keywords(TENSOR_KEYWORDS, "tensor(...)")
        else:
            self.expect(")", "to close tensor(...)")
        size = kw.get("size")
        size_value: list[int] | None = None
        if size is not None:
            dims = size[1]["t"] if isinstance(size[1], dict) and "t" in size[1] else size[1]
            if not isinstance(dims, list) or not all(
                isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**31 for d in dims
            ):
                raise self.fail("size= takes a tuple of ints, as in size=(0, 3)", size[0])
            if shape != [0]:
                raise self.fail(
                    "size= goes with an empty tensor, as in tensor([], size=(0, 3))", size[0]
                )
            if 0 not in dims:
                raise self.fail("size= of an empty tensor must contain a 0", size[0])
            size_value = dims
        device = kw.get("device")
        device_name: str | None = None
        if device is not None:
            device_name = _device_string(device[1])
            if device_name is None:
                raise self.fail("device= takes a device such as 'cuda:0'", device[0])
        grad = kw.get("requires_grad")
        if grad is not None and not isinstance(grad[1], bool):
            raise self.fail("requires_grad= takes True or False", grad[0])
        dtype = kw["dtype"][1] if "dtype" in kw else None
        return {"TL": [data, dtype, device_name, size_value]}

    def device(self, first: _Token) -> Any:
        self.take()
        args: list[Any] = []
        keywords: dict[str, Any] = {}
        while not self.at(")"):
            tok = self.peek()
            if tok.kind == tokenize.NAME and self.toks[self.i + 1].text == "=":
                self.take()
                self.take()
                keywords[tok.text] = self.value(MAX_DEPTH - 2)
            else:
                args.append(self.value(MAX_DEPTH - 2))
            if not self.at(")"):
                self.expect(",", "between the arguments of device(...)")
        self.take()
        kind = keywords.pop("type", args[0] if args else None)
        index = keywords.pop("index", args[1] if len(args) > 1 else None)
        if keywords or len(args) > 2 or not isinstance(kind, str):
            raise self.fail(
                "write a device as torch prints it: device(type='cuda', index=0)", first
            )
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool) or ":" in kind:
                raise self.fail(
                    "a device's index is an int, as in device(type='cuda', index=0)", first
                )
            kind = f"{kind}:{index}"
        name = _device_string(kind)
        if name is None:
            raise self.fail(f"'{kind}' is not a device such as 'cpu' or 'cuda:0'", first)
        return {"dv": name}


def _not_an_expression(op: str) -> str:
    if op == "...":
        return "'...' stands for values torch did not print: type every value"
    return f"unexpected '{op}': an answer is a value, such as (2, 3) or 0.5, not an expression"


def _wire(num: _Num) -> Any:
    """A number in ``values.encode``'s form."""
    value = num.value
    if isinstance(value, complex):
        return {"c": [_wire(_Num(value.real)), _wire(_Num(value.imag))]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"f": repr(value)}
    return value


def _rectangular(data: Any) -> list[int] | str:
    """The shape of a tensor's values, or why they do not make a tensor."""
    if isinstance(data, dict) and "t" in data:
        data = data["t"]
    if isinstance(data, list):
        shapes = [_rectangular(item) for item in data]
        for shape in shapes:
            if isinstance(shape, str):
                return shape
        if any(shape != shapes[0] for shape in shapes):
            return "the rows of this tensor have different lengths"
        return [len(data), *(shapes[0] if shapes else [])]
    if isinstance(data, int) and not isinstance(data, bool) and not -(2**63) <= data < 2**64:
        return "a number too large for any tensor dtype"
    if isinstance(data, bool | int | float):
        return []
    if isinstance(data, dict) and len(data) == 1 and next(iter(data)) in ("f", "c"):
        return []
    return "a tensor holds numbers or bools, in (nested) lists"


def _device_string(value: Any) -> str | None:
    if isinstance(value, dict) and "dv" in value:
        value = value["dv"]
    if isinstance(value, str) and _DEVICE.match(value):
        return value
    return None


def dtype_name(name: str) -> str | None:
    """The canonical dtype for ``torch.float``, ``float32``, ``long``...; None if it is none."""
    bare = name.removeprefix("torch.")
    if "." in bare:
        return None
    if bare in CANONICAL_DTYPES and (bare != "bool" or name != bare):
        return bare
    if bare in DTYPE_ALIASES and (name != bare or bare not in AMBIGUOUS):
        return DTYPE_ALIASES[bare]
    return None


def _is_exception_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    if not last.isidentifier() or not last[:1].isupper():
        return False
    if "." not in name and last in BUILTIN_EXCEPTIONS:
        return True
    return last.endswith(("Error", "Exception", "Warning"))


def parse_tree(text: str) -> Any:
    """The answer as ``values.encode``'s JSON tree; raises ``AnswerSyntaxError``."""
    if len(text) > MAX_LENGTH:
        raise AnswerSyntaxError(
            f"the answer is longer than {MAX_LENGTH} characters", 1, MAX_LENGTH + 1, text[:200]
        )
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        return _Parser(stripped).answer()
    except AnswerSyntaxError as exc:
        # Columns count from what the learner typed, leading blanks included.
        before = text[:lead]
        line = exc.line + before.count("\n")
        column = exc.column + (len(before) - before.rfind("\n") - 1 if exc.line == 1 else 0)
        raise AnswerSyntaxError(exc.reason, line, column, text) from None
    except RecursionError:
        raise AnswerSyntaxError(
            f"the value is nested more than {MAX_DEPTH} brackets deep", 1, 1, text
        ) from None


def parse_answer(text: str) -> bytes:
    """The typed answer in the wire format of ``values.encode``; raises ``AnswerSyntaxError``."""
    return json.dumps(parse_tree(text)).encode()
