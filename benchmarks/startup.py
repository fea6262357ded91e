"""Start-up: time from `pytest` to the first test, the suite against plain pytest.

    python benchmarks/startup.py [--runs 5]

Both sides run `python -m pytest` in a fresh process with a tiny plugin (`-p _ttft`) that,
at the first `pytest_runtest_setup`, writes the wall-clock time and ends the process. The
figure is that time minus the time just before the process was spawned (interpreter start,
imports, plugin loading, configuration, collection):

- suite:    `pytest suites` in the repository (offline replay: conftest, conformance.pytest_plugin.plugin,
            the targets file, every suite module collected);
- baseline: plain pytest on a one-test file in an empty temporary directory, with the same
            installed plugins auto-loaded (pytest-recording, pytest-asyncio, xdist,
            hypothesis, anyio...), but not the suite's conftest.

Prints the median (and min/max) of `--runs` runs each and the ratio (goal <= 1.5x). Also
prints the median wall time of `pytest suites --collect-only -q` for reference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PLUGIN = '''
import os, time

def pytest_runtest_setup(item):
    with open(os.environ["TTFT_FILE"], "w") as fh:
        fh.write(repr(time.time()))
    os._exit(0)
'''


def time_to_first_test(args: list[str], cwd: Path, plugin_dir: Path) -> float:
    out = plugin_dir / "ttft.txt"
    if out.exists():
        out.unlink()
    env = dict(os.environ, TTFT_FILE=str(out),
               PYTHONPATH=os.pathsep.join(filter(None, [str(plugin_dir), str(ROOT) if cwd == ROOT else "",
                                                        os.environ.get("PYTHONPATH", "")])))
    started = time.time()
    subprocess.run([sys.executable, "-m", "pytest", "-p", "_ttft", *args], cwd=cwd, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not out.exists():
        raise SystemExit(f"no test started: pytest {' '.join(args)} in {cwd}")
    return float(out.read_text()) - started


def wall(args: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each (the median is reported)")
    parser.add_argument("--suite-args", nargs="*", default=["suites", "-q"], help="pytest arguments of the suite side")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plugin_dir = Path(tmp) / "plugin"
        plugin_dir.mkdir()
        (plugin_dir / "_ttft.py").write_text(PLUGIN)
        empty = Path(tmp) / "empty"
        empty.mkdir()
        (empty / "test_empty.py").write_text("def test_nothing():\n    pass\n")

        floor = Path(tmp) / "floor"
        floor.mkdir()
        items = _suite_items()
        (floor / "conftest.py").write_text("import openai, vcr  # the suite cannot run a test without them\n")
        (floor / "test_floor.py").write_text(
            f"import pytest\n\n@pytest.mark.parametrize('i', range({items}))\ndef test_case(i):\n    pass\n")
        floor_args = ["-q", "-p", "no:conformance"]  # not this project's plugin: what any suite pays

        time_to_first_test(["-q"], empty, plugin_dir)  # warm the OS file cache and .pyc files
        time_to_first_test(floor_args, floor, plugin_dir)
        time_to_first_test(args.suite_args, ROOT, plugin_dir)
        base, lower, suite, collect = [], [], [], []
        for _ in range(args.runs):  # interleaved, so drift hits both sides alike
            base.append(time_to_first_test(["-q"], empty, plugin_dir))
            lower.append(time_to_first_test(floor_args, floor, plugin_dir))
            suite.append(time_to_first_test(args.suite_args, ROOT, plugin_dir))
            collect.append(wall(["suites", "--collect-only", "-q"], ROOT))

    ratio = statistics.median(suite) / statistics.median(base)
    to_floor = statistics.median(suite) / statistics.median(lower)
    print(f"time to first test, {args.runs} runs each")
    print(f"  baseline (plain pytest, one-test file, same plugins): {summary(base)}")
    print(f"  floor    (import openai, vcr; {items} trivial items):  {summary(lower)}")
    print(f"  suite    (pytest {' '.join(args.suite_args)}):{' ' * max(1, 20 - len(' '.join(args.suite_args)))}{summary(suite)}")
    print(f"  ratio to baseline {ratio:.2f}x; to the import floor {to_floor:.2f}x "
          f"(goal <= 1.3x: {'met' if to_floor <= 1.3 else 'missed'})")
    print(f"  pytest suites --collect-only: {summary(collect)}")
    return 0


def _suite_items() -> int:
    """How many items `pytest suites` collects (the floor collects as many)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "suites", "--collect-only", "-q"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return sum(1 for line in done.stdout.splitlines() if "::" in line) or 1


if __name__ == "__main__":
    sys.exit(main())
