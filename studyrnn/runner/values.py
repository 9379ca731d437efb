"""Values crossing from a sandboxed child to the judge, and how they are shown.

``encode`` runs in the sandbox, after the learner's code ran, so it trusts nothing about the
value: it walks it with exact type checks and writes a tagged JSON tree, plus the tensors,
if any, with ``torch.save``. ``decode`` runs in the judge: JSON cannot run code, and tensors
are read with ``torch.load(weights_only=True)``, an allow-list unpickler. So a crafted value
can neither take the judge over nor pose as a different type (an ``int`` subclass with a
lying ``__eq__`` arrives as a plain int). Anything else arrives as an ``Opaque`` holding its
type name and repr. Torch is passed in, never imported here: this module is worker-only.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from typing import Any

MAX_REPR = 2000
MAX_DEPTH = 50
MAX_TREE = 16 * 1024 * 1024  # bytes of JSON the judge reads; tensors travel apart from it


@dataclass(frozen=True, slots=True)
class Opaque:
    """A value of a type the checker does not compare structurally: equal by type and repr."""

    type: str
    repr: str


@dataclass(frozen=True, slots=True)
class ExceptionName:
    """An exception, by its class name: what a card that ``raises`` expects, or a learner's
    typed ``RuntimeError``. Names compare exactly (``torch.OutOfMemoryError`` arrives as
    ``OutOfMemoryError``); a subclass is not its base."""

    name: str


def safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a learner's __repr__ may raise
        text = f"<unprintable {type(value).__name__}: {type(exc).__name__}>"
    return text if len(text) <= MAX_REPR else text[:MAX_REPR] + "..."


def _float(x: float) -> Any:
    return x if math.isfinite(x) else {"f": repr(x)}


def _tree(value: Any, torch: Any, tensors: list[Any], depth: int) -> Any:
    if depth > MAX_DEPTH:
        return {"o": "nested", "r": "<nested too deeply>"}
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return _float(value)
    if isinstance(value, torch.Tensor):
        t = value.detach().as_subclass(torch.Tensor)
        if t.layout != torch.strided:
            t = t.to_dense()
        tensors.append(t.cpu().contiguous().clone())
        return {"T": [len(tensors) - 1, str(t.device)]}
    if isinstance(value, torch.Size):
        return {"S": [int(x) for x in value]}
    if isinstance(value, torch.dtype):
        return {"dt": str(value).removeprefix("torch.")}
    if isinstance(value, torch.device):
        return {"dv": str(value)}
    if isinstance(value, type) and issubclass(value, BaseException):
        return {"x": str(type.__getattribute__(value, "__name__"))}
    if isinstance(value, BaseException):
        return {"x": str(type.__getattribute__(type(value), "__name__"))}
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, complex):
        return {"c": [_float(value.real), _float(value.imag)]}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tuple):
        return {"t": [_tree(v, torch, tensors, depth + 1) for v in tuple.__iter__(value)]}
    if isinstance(value, list):
        return [_tree(v, torch, tensors, depth + 1) for v in list.__iter__(value)]
    if isinstance(value, dict):
        return {"d": [[str(k), _tree(v, torch, tensors, depth + 1)] for k, v in dict.items(value)]}
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    return {"o": kind, "r": safe_repr(value)}


def encode(value: Any, torch: Any) -> bytes:
    """JSON of the value's tree, then a NUL, then the tensors' ``torch.save`` bytes if any."""
    tensors: list[Any] = []
    tree = json.dumps(_tree(value, torch, tensors, 0)).encode()
    if not tensors:
        return tree
    buf = io.BytesIO()
    torch.save(tensors, buf)
    return tree + b"\0" + buf.getvalue()


def _untree(node: Any, torch: Any, tensors: list[Any]) -> Any:
    if isinstance(node, list):
        return [_untree(v, torch, tensors) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) != 1:
        return Opaque(str(node.get("o", "?")), str(node.get("r", "?")))
    tag, body = next(iter(node.items()))
    body = _as_any(body)
    if tag == "T":
        tensor = tensors[int(body[0])]
        if str(body[1]) != "cpu":
            tensor._studyrnn_device = str(body[1])  # compare.device_of reads it
        return tensor
    if tag == "S":
        return torch.Size([int(x) for x in body])
    if tag == "dt":
        dtype = getattr(torch, str(body), None)
        return dtype if isinstance(dtype, torch.dtype) else Opaque("torch.dtype", str(body))
    if tag == "dv":
        return torch.device(str(body))
    if tag == "x":
        return ExceptionName(str(body))
    if tag == "TL":
        return _tensor_literal(body, torch, tensors)
    if tag == "f":
        return float(body)
    if tag == "c":
        return complex(_untree(body[0], torch, tensors), _untree(body[1], torch, tensors))
    if tag == "t":
        return tuple(_untree(v, torch, tensors) for v in body)
    if tag == "d":
        return {str(k): _untree(v, torch, tensors) for k, v in body}
    return Opaque(str(node.get("o", "?")), str(node.get("r", "?")))


def _tensor_literal(body: Any, torch: Any, tensors: list[Any]) -> Any:
    """A tensor a learner typed (``answer.parse_answer``'s ``TL`` node: values, dtype or None,
    device or None, size or None). What was not typed is marked, so the comparison can take
    it from the expected tensor (``compare._literal_as_tensor``)."""
    data, dtype_name, device, size = body
    dtype = getattr(torch, str(dtype_name)) if dtype_name is not None else None
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise ValueError(f"{dtype_name} is not a dtype")
    tensor = torch.tensor(_untree(data, torch, tensors), dtype=dtype)
    if size is not None:
        tensor = tensor.reshape([int(x) for x in size])
    tensor._studyrnn_typed = {"dtype": dtype is not None, "device": device and str(device)}
    if device is not None and str(device) != "cpu":
        tensor._studyrnn_device = str(device)
    return tensor


def _as_any(value: object) -> Any:
    return value


def decode(data: bytes, torch: Any) -> Any:
    """The value ``encode`` (or ``answer.parse_answer``) wrote. Raises on anything malformed;
    the judge turns that into a verdict."""
    tree, sep, rest = data.partition(b"\0")
    if len(tree) > MAX_TREE:
        raise ValueError(f"the value is larger than {MAX_TREE // (1024 * 1024)} MB")
    tensors: list[Any] = []
    if sep:
        loaded = torch.load(io.BytesIO(rest), weights_only=True)
        if not isinstance(loaded, list) or not all(isinstance(t, torch.Tensor) for t in loaded):
            raise ValueError("tensor payload is not a list of tensors")
        tensors = loaded
    return _untree(json.loads(tree), torch, tensors)


def show(value: Any, torch: Any) -> str:
    """How a value is written in a verdict message: a Size as the tuple it equals."""
    if isinstance(value, Opaque):
        return value.repr
    if isinstance(value, ExceptionName):
        return value.name
    if isinstance(value, type) and issubclass(value, BaseException):
        return str(type.__getattribute__(value, "__name__"))
    if isinstance(value, BaseException):
        return str(type.__getattribute__(type(value), "__name__"))
    if isinstance(value, torch.Size):
        return repr(tuple(value))
    return safe_repr(value)
