"""Byte code for the test subprocesses (pytest sessions, emulators), cached outside the repo.

Many tests here run the suite as a user would, in a fresh `python -m pytest` or
`python -m emulator`. Where PYTHONDONTWRITEBYTECODE is set (as in some sandboxes and CI
images), each of those re-compiled the project and re-rewrote the asserts of every suite
module it collected: about a third of a small session's CPU (measured: 3.6 s -> 2.5 s for
one suite module). Their children get a byte-code cache under the temp directory instead, so
the work tree stays as clean as the setting meant it to be. A PYTHONPYCACHEPREFIX of the
user's own is kept; nothing changes where byte code is written normally.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _cache_child_byte_code() -> None:
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / f"conformance-pycache-{uid}"))


_cache_child_byte_code()
