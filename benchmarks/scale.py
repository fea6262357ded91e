"""Scale: wall time of a live run against the embedded emulator for 1, 4 and 16 targets.

    python benchmarks/scale.py [--sizes 1 4 16] [--feature 'responses.*'] [--workers 2]

Generates temporary targets files from targets/emulator.toml's resources: N targets on
aoai-swc/gpt-4o, taken in order from api {2025-03-01-preview, 2025-04-01-preview, v1,
v1?api-version=preview, v1?api-version=v1} x auth {key, entra} x deployment {gpt-4o,
gpt-4.1} (16 of the 20), then runs `pytest suites --live --targets FILE --feature F -q`
serially and with `-n WORKERS` (pytest-xdist; each worker starts its own emulator) and
prints the wall times and the cost per target. Bounded by `--feature` (default
`responses.*`, a fixed subset) so that the 16-target runs stay short.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APIS = ["2025-03-01-preview", "2025-04-01-preview", "v1", "v1?api-version=preview", "v1?api-version=v1"]


def targets_file(n: int, path: Path) -> None:
    source = (ROOT / "targets" / "emulator.toml").read_text()
    resources = source[: source.index("# Every feature on every api x auth pair")]
    combos = list(itertools.product(["gpt-4o", "gpt-4.1"], APIS, ["key", "entra"]))
    # Interleave so that small N still covers both auths and several apis.
    ordered = sorted(combos, key=lambda c: (c[0] != "gpt-4o", APIS.index(c[1]), c[2]))[:n]
    blocks = [f'[[matrix]]\nresource = "aoai-swc"\napi = ["{api}"]\nauth = ["{auth}"]\ndeployment = ["{dep}"]\n'
              for dep, api, auth in ordered]
    path.write_text(resources + "\n".join(blocks))


def run(targets: Path, features: list[str], workers: int) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "pytest", "suites", "--live", "--targets", str(targets), "-q", "-p", "no:randomly"]
    for feature in features:
        cmd += ["--feature", feature]
    if workers:
        cmd += ["-n", str(workers)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900)
    last = (done.stdout.strip().splitlines() or ["?"])[-1]
    return time.perf_counter() - started, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16], help="numbers of targets (at most 20)")
    parser.add_argument("--feature", action="append", default=None, help="features (globs); default responses.*")
    parser.add_argument("--workers", type=int, default=2, help="xdist workers of the parallel runs (0: serial only)")
    args = parser.parse_args()
    features = args.feature or ["responses.*"]

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"targets-{n}.toml"
            targets_file(n, path)
            for workers in ([0, args.workers] if args.workers else [0]):
                seconds, summary = run(path, features, workers)
                rows.append((n, workers, seconds, summary))
                print(f"  {n:>2} targets, {'-n ' + str(workers) if workers else 'serial':>6}: {seconds:6.1f} s  {summary}", flush=True)
    print(f"\nfeatures {' '.join(features)}, live against the embedded emulator")
    print(f"{'targets':>7} {'mode':>6} {'wall s':>7} {'s/target':>8}")
    for n, workers, seconds, _ in rows:
        print(f"{n:>7} {'-n ' + str(workers) if workers else 'serial':>6} {seconds:>7.1f} {seconds / n:>8.2f}")
    serial = [(n, s) for n, w, s, _ in rows if not w]
    if len(serial) >= 2:
        (n0, s0), (n1, s1) = serial[0], serial[-1]
        print(f"serial marginal cost: {(s1 - s0) / (n1 - n0):.2f} s per extra target (fixed cost ~{s0 - (s1 - s0) / (n1 - n0) * n0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
