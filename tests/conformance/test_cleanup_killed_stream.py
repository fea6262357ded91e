"""A run killed mid-flow (SIGKILL: no teardown, no sweep) leaves nothing once `conformance
cleanup` ran: what it created was journaled the moment its id was on the wire, including a
stream's response known only from its first event.

The emulator runs in this process, so every tagged object left on it can be counted.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import forkserver
from live_support import ROOT, clean_env, first_url
from test_cleanup_faults import tagged_leftovers

from conformance.live.journal import Journal
from emulator.server import Emulator

CRASH_SUITE = "tests/conformance/crashing/stream_crash_suite.py"


def test_a_run_killed_mid_stream_leaves_nothing_after_cleanup(tmp_path: Path) -> None:
    journal, marker = tmp_path / "journal.jsonl", tmp_path / "marker"
    emulator = Emulator()
    emulator.start()
    try:
        env = clean_env(CONFORMANCE_EMULATOR=first_url(emulator.info), CONFORMANCE_JOURNAL=str(journal),
                        CRASH_MARKER=str(marker))
        proc = forkserver.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", CRASH_SUITE, "--live", "-q",
                                 "-k", "v1-key-gpt-4o"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "the run never reached its stream"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()

        left = tagged_leftovers(emulator)
        assert len(left) == 3, left  # the kill left a file, a vector store and the streamed response
        assert marker.read_text() in {e.id for e in Journal(journal).alive()}

        done = forkserver.run([sys.executable, "-m", "conformance.cli", "cleanup", "--targets", "targets/emulator.toml"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert tagged_leftovers(emulator) == [], done.stdout
        assert Journal(journal).alive() == []
    finally:
        emulator.join()
