"""Live cost: tokens a live run spends per target, and which features spend them.

    python benchmarks/live_cost.py [--targets targets/emulator.toml] [--report FILE] [--top 8]

Runs `conformance run --report-dir <tmp>` (live, against the embedded emulator by default)
and sums, per target, the token usage of the compat.json rows (`usage.input_tokens`,
`usage.output_tokens`, `usage.requests`). The emulator's token counts mirror the requests'
sizes (input from the prompt, output up to `max_output_tokens`), so this measures what the
suite's prompts and limits would cost on a real resource. Goal: <= 20,000 tokens per target;
for each target over it, and for the costliest target anyway, it lists the features that
cost most. `--report FILE` reads an existing compat.json instead of running.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 20_000


def run(targets: str | None, report_dir: Path, extra: list[str]) -> float:
    cmd = [sys.executable, "-m", "conformance.cli", "run", "--report-dir", str(report_dir)]
    if targets:
        cmd += ["--targets", targets]
    if extra:
        cmd += ["--", *extra]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", default=None, help="targets file (default: targets/emulator.toml)")
    parser.add_argument("--report", default=None, help="read this compat.json instead of running the suite")
    parser.add_argument("--top", type=int, default=8, help="features listed per costly target")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.report:
            path, seconds = Path(args.report), None
        else:
            path = Path(tmp) / "compat.json"
            seconds = run(args.targets, Path(tmp), args.pytest_args)
        report = json.loads(path.read_text())

    per_target: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_feature: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in report["rows"]:
        usage = row.get("usage") or {}
        tokens = int(usage.get("input_tokens", 0)) + int(usage.get("output_tokens", 0))
        for key in ("input_tokens", "output_tokens", "requests"):
            per_target[row["target"]][key] += int(usage.get(key, 0))
        per_target[row["target"]]["features"] += 1
        per_feature[row["target"]][row["feature"]] += tokens

    if seconds is not None:
        print(f"live run: {len(report['rows'])} rows in {seconds:.1f} s")
    width = max((len(t) for t in per_target), default=10)
    print(f"{'target':{width}} {'features':>8} {'requests':>8} {'input':>8} {'output':>8} {'total':>8}  goal <= {GOAL:,}")
    ordered = sorted(per_target.items(), key=lambda kv: -(kv[1]["input_tokens"] + kv[1]["output_tokens"]))
    for target, u in ordered:
        total = u["input_tokens"] + u["output_tokens"]
        print(f"{target:{width}} {u['features']:>8} {u['requests']:>8} {u['input_tokens']:>8,} {u['output_tokens']:>8,} "
              f"{total:>8,}  {'ok' if total <= GOAL else 'OVER'}")
    over = [t for t, u in ordered if u["input_tokens"] + u["output_tokens"] > GOAL]
    for target in over or [t for t, _ in ordered[:1]]:
        print(f"\ncostliest features on {target}:")
        for feature, tokens in sorted(per_feature[target].items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"  {tokens:>7,}  {feature}")
    worst = max((u["input_tokens"] + u["output_tokens"] for u in per_target.values()), default=0)
    print(f"\ngoal <= {GOAL:,} tokens per target: {'met' if not over else 'missed'} (max {worst:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
