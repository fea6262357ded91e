"""Is the package usable installed, outside the clone? `pip install .` into a fresh venv, then
from an unrelated directory: `conformance run`, `pytest --pyargs suites` (replay) and
`pytest --live --targets /abs/x.toml --pyargs suites` with the targets file outside the clone.

    python benchmarks/fresh_install.py            # keeps nothing; exit 1 on the first failure
    python benchmarks/fresh_install.py --keep DIR # the venv and the run directory in DIR

Slow (a full dependency install), so it is a script and not a test: CI or a release runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A quick slice: one suite module's features on one target of the default matrix.
FEATURES = ("--feature", "responses.create")
ONE_TARGET = "-k", "v1-key-gpt-4o"


def _step(what: str, argv: list[str], cwd: Path, env: dict[str, str], *, runs_tests: bool = False) -> None:
    print(f"== {what}: {' '.join(argv)}", flush=True)
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    tail = (done.stdout + done.stderr)[-2500:]
    if done.returncode != 0:
        sys.exit(f"FAILED ({done.returncode}): {what}\n{tail}")
    summary = [line for line in done.stdout.splitlines() if " passed" in line or "report:" in line]
    if runs_tests and not any(" passed" in line for line in summary):
        sys.exit(f"FAILED: {what} ran no test\n{tail}")
    print("\n".join(summary) or "ok")


def check(work: Path) -> None:
    venv, elsewhere = work / "venv", work / "elsewhere"
    elsewhere.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFORMANCE_", "PYTEST_", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    bin_ = venv / "bin"
    _step("fresh venv", [sys.executable, "-m", "venv", str(venv)], work, env)
    _step("pip install . (not editable)", [str(bin_ / "pip"), "install", "-q", str(ROOT)], work, env)
    # Copied out of the clone: the run must not find the repository through it.
    targets = elsewhere / "emulator-targets.toml"
    shutil.copy(ROOT / "targets" / "emulator.toml", targets)
    _step("pytest --pyargs suites (replay)", [str(bin_ / "pytest"), "--pyargs", "suites", "-q", "-p", "no:cacheprovider",
                                              *ONE_TARGET], elsewhere, env, runs_tests=True)
    _step("pytest --live --targets /abs/x.toml", [str(bin_ / "pytest"), "--pyargs", "suites.test_responses", "--live",
                                                   "--targets", str(targets), "-q", "-p", "no:cacheprovider", *ONE_TARGET],
          elsewhere, env, runs_tests=True)
    _step("conformance run", [str(bin_ / "conformance"), "run", *FEATURES, "--report-dir", str(elsewhere / "reports")],
          elsewhere, env, runs_tests=True)
    if not (elsewhere / "reports" / "compat.json").is_file():
        sys.exit("FAILED: conformance run wrote no reports/compat.json")
    print("ok: installed outside the clone, the suites replay and run live")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this directory and leave it behind")
    args = parser.parse_args()
    if args.keep:
        check(args.keep.resolve())
        return
    with tempfile.TemporaryDirectory(prefix="conformance-install-") as work:
        check(Path(work))


if __name__ == "__main__":
    main()
