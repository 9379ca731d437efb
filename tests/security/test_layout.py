"""The sandbox's root: what is bound, and where the writable folder goes."""

from __future__ import annotations

import sys
from pathlib import Path

from studyrnn.runner import rootfs

PACKAGE = str(Path(rootfs.__file__).resolve().parents[1])


def test_the_scratch_folder_never_hides_a_bound_folder() -> None:
    assert rootfs.scratch_for(["/usr", "/home/me/venv"]) == "/tmp"
    assert rootfs.scratch_for(["/usr", "/tmp/ci/main/.venv", "/tmp/ci/main/studyrnn"]) == (
        "/scratch"
    )
    assert rootfs.scratch_for(["/usr", "/tmpfiles/venv"]) == "/tmp"


def test_the_layout_binds_the_interpreter_and_the_package_and_nothing_of_home() -> None:
    layout = rootfs.plan(PACKAGE)

    def bound(path: str) -> bool:
        return any(path == b or path.startswith(b + "/") for b in layout.binds)

    for needed in (sys.prefix, sys.base_prefix, PACKAGE):
        assert bound(str(Path(needed).resolve())), needed
    assert not bound(str(Path.home()))
    assert not bound("/root")
    assert layout.scratch == rootfs.scratch_for(list(layout.binds))
