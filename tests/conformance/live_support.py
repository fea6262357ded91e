"""Helpers for tests that run the suite for real: an emulator process and pytest subprocesses.

Subprocesses, because what is under test is what a user sees: files written, exit codes,
the first lines of output, and no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import forkserver

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def emulator_process(workdir: Path, *args: str, program: tuple[str, ...] = ("-m", "emulator")) -> Iterator[dict[str, Any]]:
    """`python -m emulator --port 0 ... --ready-file F` (or another ``program`` taking the
    emulator's options); yields its info document."""
    ready = workdir / "ready.json"
    log = open(workdir / "emulator.log", "wb")
    env = {k: v for k, v in os.environ.items() if k not in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER")}
    env["PYTHONPATH"] = str(ROOT)
    proc = forkserver.Popen([sys.executable, *program, "--port", "0", "--ready-file", str(ready), *args],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((workdir / "emulator.log").read_text())
            time.sleep(0.02)
        time.sleep(0.05)
        yield json.loads(ready.read_text())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def first_url(info: dict[str, Any]) -> str:
    return str(next(iter(info["resources"].values()))["url"]).rstrip("/")


#: Where subprocesses journal what live runs create, unless a test names its own journal:
#: never the user's `.conformance/journal.jsonl`, which `conformance cleanup` acts on
#: (tests/conftest.py points $CONFORMANCE_JOURNAL at a temp file for the whole session).
TEST_JOURNAL = Path(os.environ.get("CONFORMANCE_JOURNAL") or Path(tempfile.mkdtemp(prefix="conformance-tests-")) / "journal.jsonl")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a pytest subprocess: this worktree first, no inherited targets,
    and a throw-away journal."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONFORMANCE_", "IDENTITY_", "AZURE_", "PYTEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["CONFORMANCE_JOURNAL"] = str(TEST_JOURNAL)
    env["CONFORMANCE_TEST_JOURNAL_CHOSEN"] = "1"  # tests/conftest.py: keep this journal in the subprocess
    env.update(extra)
    return env


def run_pytest(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return forkserver.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
