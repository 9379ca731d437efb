"""The comparison rules of the check contract (docs/deck-format.md, "How answers are compared").

Runs only in the judge, a process that never ran the learner's code, on values decoded with
the allow-list unpickler. ``difference`` returns None when the two values are equal, else the
first difference as a short message. Nothing is broadcast.
"""

from __future__ import annotations

import math
from typing import Any

from studyrnn.runner.values import ExceptionName, Opaque, show

NUMBER_RTOL = 1e-6
NUMBER_ATOL = 1e-9


def _kind(value: Any, torch: Any) -> str:
    if isinstance(value, Opaque):
        return value.type
    if isinstance(value, ExceptionName):
        return "an exception"
    if value is None:
        return "None"
    if isinstance(value, torch.Tensor):
        return "a tensor"
    if isinstance(value, torch.Size):
        return "a torch.Size"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int):
        return "an int"
    if isinstance(value, float):
        return "a float"
    return f"a {type(value).__name__}"


def _is_sequence(value: Any, torch: Any) -> bool:
    return isinstance(value, tuple | list | torch.Size)


def difference(
    got: Any,
    want: Any,
    torch: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    typed: bool = False,
) -> str | None:
    """None when ``got`` equals ``want`` under the contract's rules, else the first difference.

    ``typed`` is for a predict card's typed answer: a learner who types ``[0., 1.]`` for a
    tensor has stated its values, not a Python list, so plain literals where a tensor is
    expected are read as a tensor of the expected dtype (see ``_literal_as_tensor``). Values a
    learner's *code* returns are never converted: there the type is part of the answer.
    """
    return _diff(got, want, torch, rtol, atol, "", typed)


def _at(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _literal_as_tensor(got: Any, want: Any, torch: Any) -> Any:
    """A typed literal (number, bool, nested list or tuple) as a tensor to compare with ``want``.

    It takes the expected dtype only when that loses nothing: ``[2.5]`` for an int64 tensor,
    or ``True`` for a float one, keeps its own dtype, so the verdict says the dtype differs
    instead of rounding a wrong answer into a right one. Returns ``got`` unchanged when it is
    no literal a tensor can be made of.
    """
    if not isinstance(got, int | float | bool | list | tuple) or isinstance(got, torch.Size):
        return got
    try:
        natural = torch.tensor(got)
    except (TypeError, ValueError, RuntimeError, OverflowError):
        return got
    return _as_expected_dtype(natural, want, torch)


def _as_expected_dtype(natural: Any, want: Any, torch: Any) -> Any:
    if (natural.dtype == torch.bool) != (want.dtype == torch.bool):
        return natural
    converted = natural.to(want.dtype)
    if not torch.equal(converted.to(natural.dtype), natural):
        return natural
    converted._studyrnn_device = device_of(want)  # a literal is wherever the answer is
    return converted


def _typed_tensor(got: Any, want: Any, torch: Any) -> Any:
    """A ``tensor(...)`` the learner typed: what it does not say is taken from ``want``. No
    ``dtype=`` means the literal rule above (torch prints no dtype for its defaults); no
    ``device=`` means the expected tensor's device (torch prints none for the CPU)."""
    typed = got._studyrnn_typed
    device = typed["device"] or device_of(want)
    if not typed["dtype"]:
        got = _as_expected_dtype(got, want, torch)
    got._studyrnn_device = device
    return got


def _diff(
    got: Any,
    want: Any,
    torch: Any,
    rtol: float | None,
    atol: float | None,
    path: str,
    typed: bool = False,
) -> str | None:
    if typed and isinstance(want, torch.Tensor) and not isinstance(got, torch.Tensor):
        got = _literal_as_tensor(got, want, torch)
    elif isinstance(want, torch.Tensor) and hasattr(got, "_studyrnn_typed"):
        got = _typed_tensor(got, want, torch)
    if isinstance(want, torch.Tensor) or isinstance(got, torch.Tensor):
        if not (isinstance(want, torch.Tensor) and isinstance(got, torch.Tensor)):
            named = show(want, torch) if isinstance(want, ExceptionName) else _kind(want, torch)
            return _at(path, f"expected {named}, got {_kind(got, torch)}")
        return _tensor_diff(got, want, torch, rtol, atol, path)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return _at(path, f"expected a dict, got {_kind(got, torch)}")
        if list(got) != list(want):
            return _at(path, f"keys differ: expected {list(want)}, got {list(got)}")
        for key in want:
            where = f"{path}.{key}" if path else key
            found = _diff(got[key], want[key], torch, rtol, atol, where, typed)
            if found:
                return found
        return None
    if _is_sequence(want, torch):
        if not _is_sequence(got, torch):
            return _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")
        if len(got) != len(want):
            return _at(
                path,
                f"expected {show(want, torch)}, got {show(got, torch)} "
                f"({len(want)} items, not {len(got)})",
            )
        flat = not any(isinstance(w, tuple | list | dict | torch.Tensor) for w in want)
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            found = _diff(g, w, torch, rtol, atol, f"{path}[{i}]", typed)
            if found and flat:  # a shape: show it whole, "expected (2, 3), got (3, 2)"
                return _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")
            if found:
                return found
        return None
    if isinstance(want, bool) or isinstance(got, bool):
        if type(want) is not type(got) or want != got:
            return _at(
                path,
                f"expected {show(want, torch)}, got {show(got, torch)}"
                + (
                    ""
                    if type(want) is type(got)
                    else f" ({_kind(got, torch)}, not {_kind(want, torch)})"
                ),
            )
        return None
    if isinstance(want, int | float) and isinstance(got, int | float):
        r = NUMBER_RTOL if rtol is None else rtol
        a = NUMBER_ATOL if atol is None else atol
        if type(got) is int and type(want) is int:  # exact, and no float overflow
            return (
                None
                if got == want
                else _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")
            )
        try:
            if math.isnan(want) and math.isnan(got):
                return None
            if math.isclose(got, want, rel_tol=r, abs_tol=a):
                return None
        except OverflowError:  # an int too large for a float cannot be close to one
            pass
        return _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")
    if isinstance(want, Opaque) or isinstance(got, Opaque):
        same = want == got
        return None if same else _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")
    if type(want) is not type(got):
        return _at(
            path,
            f"expected {show(want, torch)}, got {show(got, torch)} "
            f"({_kind(got, torch)}, not {_kind(want, torch)})",
        )
    try:
        equal = bool(want == got)
    except Exception:
        equal = False
    return None if equal else _at(path, f"expected {show(want, torch)}, got {show(got, torch)}")


def device_of(tensor: Any) -> str:
    """Where the tensor lived in the sandbox (values reach the judge on the CPU)."""
    return str(getattr(tensor, "_studyrnn_device", tensor.device))


def _default_tolerances(want: Any, torch: Any) -> tuple[float, float]:
    """assert_close's defaults for the dtype, for the tolerance a card did not give."""
    table = {
        torch.float16: (1e-3, 1e-5),
        torch.bfloat16: (1.6e-2, 1e-5),
        torch.float32: (1.3e-6, 1e-5),
        torch.float64: (1e-7, 1e-7),
        torch.complex64: (1.3e-6, 1e-5),
        torch.complex128: (1e-7, 1e-7),
    }
    return table.get(want.dtype, (0.0, 0.0))


def _tensor_diff(
    got: Any, want: Any, torch: Any, rtol: float | None, atol: float | None, path: str
) -> str | None:
    if tuple(got.shape) != tuple(want.shape):
        return _at(path, f"shape differs: expected {tuple(want.shape)}, got {tuple(got.shape)}")
    if got.dtype != want.dtype:
        return _at(path, f"dtype differs: expected {want.dtype}, got {got.dtype}")
    got_device, want_device = device_of(got), device_of(want)
    if got_device != want_device:
        return _at(path, f"device differs: expected {want_device}, got {got_device}")
    try:
        if rtol is not None or atol is not None:
            default_rtol, default_atol = _default_tolerances(want, torch)
            torch.testing.assert_close(
                got,
                want,
                rtol=default_rtol if rtol is None else rtol,
                atol=default_atol if atol is None else atol,
                equal_nan=True,
            )
        else:
            torch.testing.assert_close(got, want, equal_nan=True)
    except AssertionError as exc:
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
        detail = "; ".join(lines[1:3]) if len(lines) > 1 else (lines[0] if lines else "")
        return _at(path, f"values differ ({detail})" if detail else "values differ")
    return None
