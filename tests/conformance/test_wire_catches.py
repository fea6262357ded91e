"""End to end: a live run against an emulator with one realistic bug gives a `failed` cell.

Each bug (tests/conformance/broken_emulator.py) is one the SDK would let through; the run
must name the broken rule as evidence, and never file the cell as unsupported or
inconclusive (which a nightly would not report as a regression).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import forkserver
import pytest

try:  # tests/conformance may become a package
    from .live_support import ROOT, clean_env, emulator_process, first_url
except ImportError:
    from live_support import ROOT, clean_env, emulator_process, first_url  # type: ignore[no-redef]

LAUNCHER = Path(__file__).with_name("broken_emulator.py")

#: bug -> (suite module, -k expression, what the failed cell's evidence says)
CASES: dict[str, tuple[str, str, str]] = {
    "sse_text_plain": ("suites/test_streaming.py", "test_stream_deltas and v1-key", "[wire.content_type]"),
    "stream_usage_null": ("suites/test_streaming.py", "test_stream_deltas and v1-key", "[stream.usage]"),
    "done_frame": ("suites/test_streaming.py", "test_stream_deltas and v1-key", "[wire.done_frame]"),
    "error_after_completed": ("suites/test_streaming.py", "test_stream_deltas and v1-key", "[stream.terminal]"),
    "timestamps_in_ms": ("suites/test_responses.py", "test_create_returns and v1-key", "[response.timestamp]"),
    "max_output_tokens_ignored": ("suites/test_responses.py", "test_create_returns and v1-key", "[request.max_output_tokens]"),
    "reasoning_tokens_zero": ("suites/test_reasoning.py", "summary_comes_back and v1-key-o4-mini", "[response.reasoning_tokens]"),
    "persistent_500_for_404": ("suites/test_errors.py", "unknown_response_id and v1-key", "persistent 500 where 404 is due"),
}


def broken_emulator(workdir: Path, bug: str) -> Any:
    """The emulator behind one bug of broken_emulator.py ("none": unbroken)."""
    return emulator_process(workdir, program=(str(LAUNCHER), bug))


def _run(workdir: Path, url: str, suite: str, select: str) -> tuple[int, str, list[dict[str, Any]]]:
    report = workdir / "report"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", f"--rootdir={ROOT}",
               "-c", str(ROOT / "pyproject.toml"), "--report-dir", str(report), "--live", *suite.split(), "-k", select]
    done = forkserver.run(command, cwd=ROOT, env=clean_env(CONFORMANCE_EMULATOR=url), capture_output=True, text=True,
                          timeout=300)
    rows = json.loads((report / "compat.json").read_text())["rows"] if (report / "compat.json").exists() else []
    return done.returncode, done.stdout + done.stderr, rows


#: Each case is an emulator and a pytest process (~5-15 s): these run always, the rest with
#: CONFORMANCE_SLOW=1 (their checks are also proven in-process by test_checks_wire.py).
ALWAYS = ("sse_text_plain", "error_after_completed", "max_output_tokens_ignored", "persistent_500_for_404")
SLOW = pytest.mark.skipif(not os.environ.get("CONFORMANCE_SLOW"), reason="slow (a live run per bug); set CONFORMANCE_SLOW=1")


@pytest.mark.parametrize("bug", [b if b in ALWAYS else pytest.param(b, marks=SLOW) for b in CASES])
def test_a_broken_service_gives_a_failed_cell(tmp_path: Path, bug: str) -> None:
    suite, select, evidence = CASES[bug]
    with broken_emulator(tmp_path, bug) as info:
        code, out, rows = _run(tmp_path, first_url(info), suite, select)

    assert rows, out[-3000:]
    verdicts = {row["verdict"] for row in rows} - {"skipped"}  # a target without the capability
    assert verdicts == {"failed"}, f"{bug}: {verdicts}\n{out[-3000:]}"
    details = " ".join(json.dumps(row["evidence"]) for row in rows)
    assert evidence in details, details
    assert code != 0


def test_the_unbroken_emulator_passes_the_same_tests(tmp_path: Path) -> None:
    """The control: with no bug wired in, the tests selected above are all supported."""
    suites = sorted({suite for suite, _, _ in CASES.values()})
    tests = " or ".join(sorted({select.split(" and ")[0] for _, select, _ in CASES.values()}))
    with broken_emulator(tmp_path, "none") as info:
        code, out, rows = _run(tmp_path, first_url(info), " ".join(suites), f"({tests}) and v1-key")
    assert len(rows) >= len(suites), out[-3000:]
    assert {row["verdict"] for row in rows} - {"skipped"} == {"supported"}, out[-3000:]
    assert code == 0, out[-3000:]
