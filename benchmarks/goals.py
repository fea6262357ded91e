"""Issue 15's speed goals, measured in one run side by side.

    python benchmarks/goals.py [--skip-make-test]

Runs, one after the other on an otherwise idle machine: `benchmarks/replay.py` (each
offline case against a bare-vcrpy replay of its cassette), `benchmarks/startup.py` (time to
the first test against the import floor), `benchmarks/scale.py --sizes 1 4 --feature '*'`
(a live run against the embedded emulator, per target) and `make test` (the whole test
command, wall and CPU). Prints one table: goal, measured, met or not. Nothing here is a test:
timings belong in docs/benchmarks.md, not in assertions.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], timeout: float = 900) -> str:
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    return done.stdout + done.stderr


def _number(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-make-test", action="store_true", help="leave out the (minute-long) make test")
    args = parser.parse_args()
    python = sys.executable
    rows: list[tuple[str, str, float | None, bool | None]] = []

    replay = _run([python, "benchmarks/replay.py"])
    median = _number(r"cost/floor per case: median ([\d.]+)x", replay)
    worst = _number(r"worst ten:\s*\n\s*([\d.]+)x", replay)
    rows.append(("offline case cost / vcrpy floor, median", "<= 1.3x", median, median is not None and median <= 1.3))
    rows.append(("offline case cost / vcrpy floor, worst", "<= 3x", worst, worst is not None and worst <= 3))
    wall = _number(r"offline suite: \d+ cases in ([\d.]+) s", replay)
    rows.append(("offline suite wall (s)", "-", wall, None))

    startup = _run([python, "benchmarks/startup.py", "--runs", "5"])
    floor = _number(r"to the import floor ([\d.]+)x", startup)
    rows.append(("start-up / import floor", "<= 1.3x", floor, floor is not None and floor <= 1.3))

    scale = _run([python, "benchmarks/scale.py", "--sizes", "1", "4", "--feature", "*"])
    marginal = _number(r"serial marginal cost: ([\d.]+) s per extra target", scale)
    rows.append(("live run vs the emulator, s per target", "< 3 s", marginal, marginal is not None and marginal < 3))

    if not args.skip_make_test:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        out = _run(["make", "test"], timeout=1800)
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        ok = " passed" in out and " failed" not in out.splitlines()[-1] if out.strip() else False
        rows.append((f"make test wall (s), {os.cpu_count()} cores{'' if ok else ' (NOT GREEN)'}", "< 60 s", took, took < 60 and ok))
        rows.append(("make test CPU, user+sys (s)", "-", cpu, None))

    print(f"{'measure':48} {'goal':>8} {'measured':>9}  met")
    for name, goal, value, met in rows:
        shown = "n/a" if value is None else f"{value:.2f}"
        verdict = "" if met is None else ("yes" if met else "NO")
        print(f"{name:48} {goal:>8} {shown:>9}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
