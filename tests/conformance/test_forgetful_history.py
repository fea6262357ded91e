"""The memory tests have power: against an emulator whose history keeps only the last turns,
every conversation cell of the suite is `failed` (never supported, unsupported or inconclusive).

The broken emulator is the real one with `Record.history` cut short, a realistic bug (a
service replaying a window of the chain instead of all of it); the suites run live against
it, with their cassettes written to a scratch directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import forkserver
from live_support import ROOT, clean_env, run_pytest

#: The suites' memory tests (previous_response_id chains with the fact in the first turn).
MEMORY_TESTS = (
    "suites/test_conversation.py", "suites/test_streaming.py::test_streamed_conversation_chains_on_the_created_id",
    "suites/test_chat.py",
)
FEATURES = {"responses.previous_response_id", "responses.stream.conversation", "scenario.chat"}

_FORGETFUL = """
import sys
from emulator.state import store
from emulator.__main__ import main
keep = int(sys.argv[1])
full = store.Record.history
if keep:
    store.Record.history = lambda self: full(self)[-keep:]
sys.exit(main(sys.argv[2:]))
"""


def _start(workdir: Path, keep: int) -> tuple[subprocess.Popen[bytes], str]:
    ready = workdir / "ready.json"
    proc = forkserver.Popen([sys.executable, "-c", _FORGETFUL, str(keep), "--port", "0", "--ready-file", str(ready),
                             "--api-key", "forgetful-key"], cwd=ROOT, env=clean_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the emulator did not start"
        time.sleep(0.02)
    time.sleep(0.05)
    return proc, json.loads(ready.read_text())["resources"]["aoai-swc"]["url"]


def _memory_verdicts(tmp_path: Path, keep: int) -> tuple[dict[str, str], str]:
    """Verdicts of the memory features, live against an emulator keeping ``keep`` turns (0: all)."""
    proc, url = _start(tmp_path, keep)
    try:
        run = run_pytest("--live", *MEMORY_TESTS, "-k", "v1-key-gpt-4o", "--report-dir", str(tmp_path / "report"),
                         env=clean_env(CONFORMANCE_EMULATOR=url, CONFORMANCE_CASSETTES=str(tmp_path / "cassettes")),
                         timeout=300)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    rows = json.loads((tmp_path / "report" / "compat.json").read_text())["rows"]
    return {row["feature"]: row["verdict"] for row in rows if row["feature"] in FEATURES}, run.stdout


@pytest.mark.parametrize("keep", [2, 4], ids=["last-two-turns", "last-two-responses"])
def test_a_history_of_the_last_turns_fails_every_memory_cell(tmp_path, keep):
    verdicts, output = _memory_verdicts(tmp_path, keep)
    assert verdicts == dict.fromkeys(FEATURES, "failed"), output[-3000:]
    assert "lost earlier turns" in output


def test_the_same_run_with_the_whole_history_is_supported(tmp_path):
    verdicts, output = _memory_verdicts(tmp_path, 0)
    assert verdicts == dict.fromkeys(FEATURES, "supported"), output[-3000:]
