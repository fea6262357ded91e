"""The suite's power: run it live against every mutant of the emulator and count the kills.

    python benchmarks/mutants.py [NAME ...] [--jobs 2] [--timeout 120] [--docs docs/mutations.md] [--json out.json]
    python benchmarks/mutants.py --render out.json --docs docs/mutations.md   # re-render a saved run

For each mutant (emulator/mutations: a named, realistic service bug) it starts
``python -m emulator --mutation NAME``, attaches the suite to it (``CONFORMANCE_EMULATOR``),
runs ``pytest suites --live`` on the mutant's own features over a two-target file
(benchmarks/mutants.toml) with ``--report-dir``, and classifies the mutant from compat.json
against one unmutated baseline run of the same features:

- ``KILLED``: at least one cell ``failed`` (the only outcome that counts as caught);
- ``HIDDEN``: no cell failed, but some turned ``unsupported``/``inconclusive``/``skipped``
  (the suite saw something and explained it away);
- ``SURVIVED``: every cell kept its baseline verdict;
- ``TIMEOUT`` / ``ERROR``: the run hung past ``--timeout`` or did not produce a report.

Each result also says how often the bug *fired* (the emulator's own count, from
``/emulator/info``): a survivor that never fired was not exercised by any test at all.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator.mutations import MUTANTS  # noqa: E402  (after the path fix, for `python benchmarks/mutants.py`)

TARGETS = Path(__file__).with_name("mutants.toml")
CAUGHT = "KILLED"
NOT_FAILED = frozenset({"unsupported", "inconclusive", "skipped"})
START_TIMEOUT = 30.0
#: How the emulator and the suite runs are started: subprocess.Popen, or anything with its
#: signature (tests/conformance/test_mutants.py passes its fork server's, which is faster).
spawn: Callable[..., Any] = subprocess.Popen


@dataclass
class Outcome:
    name: str
    outcome: str
    fired: int | None = None
    evidence: list[str] = field(default_factory=list)
    """The failed cells (KILLED) or the changed ones (HIDDEN), as ``feature @ target: verdict``."""
    seconds: float = 0.0


def cells(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["feature"], row["target"]): row for row in report.get("rows", [])}


def _why(row: dict[str, Any]) -> str:
    evidence = row.get("evidence") or {}
    detail = evidence.get("message") or evidence.get("reason") or evidence.get("code") or ""
    return f"{row['feature']} @ {row['target']}: {row['verdict']}" + (f" ({str(detail)[:160]})" if detail else "")


def failures(output: str) -> list[str]:
    """pytest's one-line summaries of the failed tests (``FAILED suites/...::test[...] - why``)."""
    return [line[len("FAILED "):].strip()[:300] for line in output.splitlines() if line.startswith("FAILED ")]


def classify(name: str, report: dict[str, Any] | None, baseline: dict[str, Any]) -> Outcome:
    """KILLED / HIDDEN / SURVIVED / ERROR for one mutant's report against the baseline's."""
    if report is None:
        return Outcome(name, "ERROR", evidence=["no compat.json was written"])
    rows = cells(report)
    failed = [_why(r) for r in rows.values() if r["verdict"] == "failed"]
    if failed:
        return Outcome(name, CAUGHT, evidence=failed)
    before = cells(baseline)
    changed = [_why(r) for key, r in rows.items()
               if r["verdict"] in NOT_FAILED and before.get(key, {}).get("verdict") != r["verdict"]]
    return Outcome(name, "HIDDEN" if changed else "SURVIVED", evidence=changed)


class Emulator:
    """``python -m emulator`` on free loopback ports, optionally with a mutation."""

    def __init__(self, mutation: str | None, workdir: Path) -> None:
        ready = workdir / "ready.json"
        command = [sys.executable, "-m", "emulator", "--port", "0", "--api-key", secrets.token_hex(16),
                   "--ready-file", str(ready)]
        if mutation is not None:
            command += ["--mutation", mutation]
        env = {k: v for k, v in os.environ.items() if k not in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER")}
        self.log = open(workdir / "emulator.log", "wb")
        self.process = spawn(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start; see {workdir / 'emulator.log'}")
            time.sleep(0.02)
        self.info = json.loads(ready.read_text())
        self.url = next(iter(self.info["resources"].values()))["url"]

    def fired(self) -> int | None:
        try:
            with urllib.request.urlopen(f"{self.url}/emulator/info", timeout=5) as reply:
                return json.loads(reply.read()).get("mutation", {}).get("fired")
        except OSError:
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run_suite(emulator_url: str, features: Iterable[str], report_dir: Path, timeout: float,
              targets: Path = TARGETS) -> tuple[dict[str, Any] | None, bool, str]:
    """(compat.json or None, timed out, output tail) of one live run on ``features``."""
    command = [sys.executable, "-m", "pytest", "suites", "--live", "--targets", str(targets),
               "--report-dir", str(report_dir), "-q", "-p", "no:cacheprovider",
               "--maxfail=1", "-rf", "-o", "addopts="]
    for feature in sorted(set(features)):
        command += ["--feature", feature]
    report_dir.mkdir(parents=True, exist_ok=True)
    # The run's own journal of created objects: they live in a throwaway emulator.
    env = {**os.environ, "CONFORMANCE_EMULATOR": emulator_url, "CONFORMANCE_JOURNAL": str(report_dir / "journal.jsonl")}
    env["COLUMNS"] = "400"  # so pytest keeps the reason on its FAILED summary lines
    env.pop("CONFORMANCE_EMULATOR_ARGS", None)
    env.pop("CONFORMANCE_TARGETS", None)
    process = spawn(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the run's own process group, nothing else
        output, _ = process.communicate()
        timed_out = True
    report = report_dir / "compat.json"
    data = json.loads(report.read_text()) if report.exists() else None
    return data, timed_out, output.decode(errors="replace")[-3000:]


def run_one(name: str | None, features: Sequence[str], baseline: dict[str, Any] | None, timeout: float) -> Outcome:
    """Start the emulator (mutated by ``name``), run the suite on ``features``, classify."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"mutant-{name or 'baseline'}-") as tmp:
        workdir = Path(tmp)
        emulator = Emulator(name, workdir)
        try:
            report, timed_out, tail = run_suite(emulator.url, features, workdir / "report", timeout)
            fired = emulator.fired() if name is not None else None
        finally:
            emulator.stop()
    if name is None:
        outcome = Outcome("(baseline)", "ERROR" if report is None else "BASELINE", evidence=[tail] if report is None else [])
        outcome.baseline = report  # type: ignore[attr-defined]
    elif timed_out:
        outcome = Outcome(name, "TIMEOUT", evidence=[f"no verdict within {timeout:.0f} s (the run hung)"])
    else:
        outcome = classify(name, report, baseline or {})
        if outcome.outcome == "ERROR":
            outcome.evidence.append(tail)
        elif outcome.outcome == CAUGHT:
            outcome.evidence += failures(tail)
    outcome.fired = fired
    outcome.seconds = round(time.monotonic() - started, 1)
    return outcome


def baseline_run(features: Iterable[str], timeout: float) -> dict[str, Any]:
    """The unmutated verdicts of ``features``; refuses to go on if any cell already failed."""
    result = run_one(None, sorted(set(features)), None, timeout)
    report = getattr(result, "baseline", None)
    if report is None:
        raise SystemExit("the baseline run wrote no report:\n" + "\n".join(result.evidence))
    broken = [_why(r) for r in cells(report).values() if r["verdict"] == "failed"]
    if broken:
        raise SystemExit("the unmutated emulator already fails cells, so kills would mean nothing:\n  " + "\n  ".join(broken))
    return report


def run_all(names: Sequence[str], *, jobs: int = 2, timeout: float = 120.0, progress: bool = True) -> list[Outcome]:
    unknown = [n for n in names if n not in MUTANTS]
    if unknown:
        raise SystemExit(f"unknown mutants: {', '.join(unknown)} (python -m emulator --list-mutations)")
    baseline = baseline_run((f for n in names for f in MUTANTS[n].features), timeout)

    def one(name: str) -> Outcome:
        result = run_one(name, MUTANTS[name].features, baseline, timeout)
        if progress:
            print(f"{result.outcome:<9} {name} (fired {result.fired}, {result.seconds} s)", flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, names))


# --- the document ---------------------------------------------------------------------------


def kill_ratio(results: Sequence[Outcome]) -> tuple[int, int]:
    return sum(r.outcome == CAUGHT for r in results), len(results)


def suite_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(results: Sequence[Outcome], *, elapsed: float, jobs: int, commit: str = "unknown") -> str:
    """docs/mutations.md: what the mutants are and how many the suite kills."""
    killed, total = kill_ratio(results)
    by_name = {r.name: r for r in results}
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    lines = [
        "# Mutation self-test: how much the suite catches",
        "",
        "<!-- generated by `python benchmarks/mutants.py --docs docs/mutations.md`; do not edit by hand -->",
        "",
        "Each mutant is a realistic bug of a Responses API service, served by the emulator with",
        "`python -m emulator --mutation NAME` (emulator/mutations/; `--list-mutations` prints them).",
        "`benchmarks/mutants.py` runs the suite live against each one, on the features the mutant",
        "declares, over the two targets of `benchmarks/mutants.toml` (v1 key on gpt-4o, v1 Entra on",
        "o4-mini), and reads the report. A mutant is **KILLED** when at least one cell is `failed`;",
        "**HIDDEN** when cells only turned `unsupported`/`inconclusive`/`skipped` (the suite saw",
        "something and explained it away); **SURVIVED** when every verdict held; **TIMEOUT** when the",
        "run hung. *Fired* is how many times the bug actually changed an exchange (0: no test",
        "reached it).",
        "",
        f"**Kill ratio: {killed}/{total} ({100 * killed / max(total, 1):.0f}%)** — "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f"; {elapsed:.0f} s with {jobs} parallel runs.",
        "",
        f"Measured at suite commit `{commit}`. `tests/conformance/test_mutants.py` lists each survivor",
        "with the check it needs (issue 11 items 2, 3 and 6; a strict xfail, so a check that starts",
        "killing it shows and the entry must go). Every mutant is a real bug:",
        "a killed one shows it by the failed cell, and every other one has a witness in",
        "`tests/emulator/test_emulator_mutations.py`, an exchange the mutant answers differently.",
        "Left out on purpose: bugs no black-box client can provoke within a run, such as accepting",
        "an *expired* but validly signed Entra token (the suite cannot obtain one).",
        "",
        "| mutant | family | bug | features run | outcome | fired | evidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, cls in MUTANTS.items():
        r = by_name.get(name)
        if r is None:
            continue
        evidence = "; ".join(e.replace("|", "\\|").replace("\n", " ") for e in r.evidence[:2])[:300]
        lines.append(f"| `{name}` | {cls.family} | {cls.description} | {', '.join(cls.features)} | "
                     f"**{r.outcome}** | {r.fired if r.fired is not None else '?'} | {evidence} |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run in parallel (default 2)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run before it counts as hung")
    parser.add_argument("--docs", default=None, help="write the Markdown report here (e.g. docs/mutations.md)")
    parser.add_argument("--json", default=None, help="write the results as JSON here")
    parser.add_argument("--render", default=None, metavar="JSON",
                        help="do not run: re-render --docs from the results a run wrote with --json")
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads(Path(args.render).read_text())
        results = [Outcome(**r) for r in saved["results"]]
        elapsed, args.jobs, commit = saved["elapsed"], saved["jobs"], saved.get("commit", "unknown")
    else:
        commit = suite_commit()
        started = time.monotonic()
        results = run_all(args.names or list(MUTANTS), jobs=args.jobs, timeout=args.timeout)
        elapsed = time.monotonic() - started
    killed, total = kill_ratio(results)
    print(f"kill ratio {killed}/{total} ({100 * killed / max(total, 1):.0f}%) in {elapsed:.0f} s")
    if args.json:
        saved = {"commit": commit, "elapsed": round(elapsed), "jobs": args.jobs, "results": [asdict(r) for r in results]}
        Path(args.json).write_text(json.dumps(saved, indent=2) + "\n")
    if args.docs:
        Path(args.docs).write_text(render(results, elapsed=elapsed, jobs=args.jobs, commit=commit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
