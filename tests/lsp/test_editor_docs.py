"""The editor setups of docs/editors.md that cannot be run here are held to what their editors
document: Helix's ``languages.toml`` keys and the VS Code extension's settings schema. The Emacs
setup is the one ``test_emacs.py`` runs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")

# Helix's documented keys of a [language-server.NAME] table (docs.helix-editor.com/languages)
HELIX_SERVER_KEYS = {
    "command",
    "args",
    "config",
    "timeout",
    "environment",
    "required-root-patterns",
}
# the settings of "Generic LSP Client" (llllvvuu.llllvvuu-glspc 0.1.12), from its package.json
GLSPC_SETTINGS = {
    "glspc.serverCommand": str,
    "glspc.serverCommandArguments": list,
    "glspc.languageId": str,
    "glspc.environmentVariables": dict,
    "glspc.initializationOptions": dict,
}


def block(language: str) -> str:
    found = re.findall(rf"^```{language}\n(.*?)^```$", DOC, re.S | re.M)
    assert len(found) == 1, language
    return str(found[0])


def test_the_helix_setup_uses_helix_s_keys() -> None:
    config = tomllib.loads(block("toml"))
    assert set(config) == {"language-server", "language"}
    assert config["language-server"] == {"studyrnn": {"command": "studyrnn", "args": ["lsp"]}}
    assert set(config["language-server"]["studyrnn"]) <= HELIX_SERVER_KEYS
    [markdown] = config["language"]
    assert markdown["name"] == "markdown" and "studyrnn" in markdown["language-servers"]


def test_the_vs_code_setup_uses_the_extension_s_settings() -> None:
    settings = json.loads(block("json"))
    assert settings == {
        "glspc.serverCommand": "studyrnn",
        "glspc.serverCommandArguments": ["lsp"],
        "glspc.languageId": "markdown",
    }
    assert all(isinstance(value, GLSPC_SETTINGS[key]) for key, value in settings.items())


def test_the_emacs_setup_is_the_one_the_emacs_test_runs() -> None:
    tested = (REPO / "tests" / "lsp" / "emacs" / "init.el").read_text(encoding="utf-8")
    code = "".join(line + "\n" for line in tested.splitlines() if not line.startswith(";;"))
    assert block("elisp") == code
