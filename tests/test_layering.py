"""The layers import downwards only: textual and rich only in the UI, torch never in the UI
process nor in the language server. Checked twice: by importing in a fresh interpreter (what
really gets loaded) and by reading the source (so a module nobody imports in the first check
is covered too)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "studyrnn"
CORE = [
    "studyrnn.decks",
    "studyrnn.store",
    "studyrnn.schedule",
    "studyrnn.runner",
    "studyrnn.recall",
    "studyrnn.engine",
    "studyrnn.lsp",
    "studyrnn.values",
]
# The lower layers never import the layers above them.
LOWER = ("store", "schedule", "decks", "runner")
UPPER = ("studyrnn.engine", "studyrnn.recall", "studyrnn.ui")
# Alembic's env.py runs a migration when imported; it is not a module to import by hand.
SKIP_PREFIXES = ("studyrnn.store.migrations",)


def _loaded_after(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter and report which modules it loaded."""
    probe = code + (
        "\nimport json, sys\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich', 'torch')), 'imported': imported}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_core_layers_never_load_textual_or_rich() -> None:
    code = (
        "import importlib, pkgutil\n"
        f"core = {CORE!r}\n"
        f"skip = {SKIP_PREFIXES!r}\n"
        "imported = []\n"
        "for name in core:\n"
        "    module = importlib.import_module(name)\n"
        "    imported.append(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        if info.name.startswith(skip):\n"
        "            continue\n"
        "        importlib.import_module(info.name)\n"
        "        imported.append(info.name)\n"
    )
    result = _loaded_after(code)
    assert "studyrnn.decks.parser" in result["imported"]  # type: ignore[operator]
    leaked = [m for m in result["modules"] if not m.startswith("torch")]  # type: ignore[attr-defined]
    assert leaked == []


def test_the_ui_never_loads_torch() -> None:
    names = ["studyrnn.cli", "studyrnn.ui", "studyrnn.ui.app", "studyrnn.lsp.server"]
    code = (
        "import importlib\n"
        f"imported = {names!r}\n"
        "for name in imported:\n"
        "    importlib.import_module(name)\n"
    )
    result = _loaded_after(code)
    assert [m for m in result["modules"] if m.startswith("torch")] == []  # type: ignore[attr-defined]


def _module_level_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of imports run when the module is imported (for ``from m import n``
    both ``m`` and ``m.n``, since ``n`` may be a module): those at
    module level, including inside module-level ``if``/``try``, but not under
    ``if TYPE_CHECKING:`` and not inside functions or classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.extend((node.lineno, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((node.lineno, node.module))
                # ``from studyrnn import engine`` imports the package named by the alias.
                found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
            elif isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(tree.body)
    return found


def _sources(exclude: str) -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if exclude not in p.relative_to(PACKAGE).parts and "migrations" not in p.parts
    )


def test_static_scan_textual_and_rich_only_in_ui() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for p in _sources("ui")
        for line, name in _module_level_imports(p)
        if _top(name) in ("textual", "rich")
    ]
    assert offenders == []


def test_static_scan_torch_only_in_runner() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE.parent)}:{line}: imports torch"
        for p in _sources("runner")
        for line, name in _module_level_imports(p)
        if _top(name) == "torch"
    ]
    assert offenders == []


def _top(module: str) -> str:
    return module.split(".")[0]


def _all_imports(path: Path) -> list[tuple[int, str]]:
    """Every import in the module, lazy ones inside functions included: a lower layer must not
    reach up even at call time."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
    return found


def _reaches_up(module: str) -> bool:
    return any(module == upper or module.startswith(upper + ".") for upper in UPPER)


def test_static_scan_lower_layers_never_import_the_engine_recall_or_ui() -> None:
    sources = [
        p
        for layer in LOWER
        for p in sorted((PACKAGE / layer).rglob("*.py"))
        if "migrations" not in p.parts
    ]
    assert len(sources) > 40  # the four layers were found
    offenders = [
        f"{p.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for p in sources
        for line, name in _all_imports(p)
        if _reaches_up(name)
    ]
    assert offenders == []


def test_the_upward_scan_sees_what_it_should(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text(
        "from studyrnn import engine\n"
        "from studyrnn.values import Rating\n"
        "def lazy():\n    import studyrnn.ui.app\n"
    )
    found = [name for _line, name in _all_imports(sample) if _reaches_up(name)]
    assert found == ["studyrnn.engine", "studyrnn.ui.app"]


def test_static_scan_sees_what_it_should(tmp_path: Path) -> None:
    """The scanner itself: a module-level import is found, a lazy one is not."""
    sample = tmp_path / "m.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import textual.app\n"
        "try:\n    from rich import print\nexcept ImportError:\n    pass\n"
        "if TYPE_CHECKING:\n    import torch\n"
        "def lazy():\n    import torch\n"
    )
    assert _module_level_imports(sample) == [
        (1, "typing"),
        (1, "typing.TYPE_CHECKING"),
        (2, "textual.app"),
        (4, "rich"),
        (4, "rich.print"),
    ]
