"""Offline replay against its floor.

    python benchmarks/replay.py [--repeat 3] [pytest args...]

Byte-code caching matters: with PYTHONDONTWRITEBYTECODE=1 every run re-compiles the project
and re-rewrites the test modules' asserts (about 3 s here); the figures are for the default.

1. Runs the offline suite (`pytest suites`) and reads each case's wall time (setup + call +
   teardown) from a JUnit XML report.
2. The floor of each case: the same cassette replayed by bare vcrpy (default matchers, no
   scrubber, no plugin) around the same SDK calls (one plain `openai.OpenAI` client issuing
   each recorded request, JSON parsed into the SDK's `Response` model where it is one, SSE
   streams parsed into the SDK's typed stream events as `stream=True` does).
3. Prints the suite's wall time, the median and worst-ten cost/floor ratios, and the goal
   (<= 1.5x per case, whole offline suite < 20 s on 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_suite(extra: list[str]) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", "suites", "-q", "-p", "no:randomly", f"--junitxml={junit}",
             "-o", "junit_duration_report=total", *extra],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        cases = {}
        for case in ET.parse(junit).getroot().iter("testcase"):
            module = case.get("classname", "").split(".")[-1]
            cases[f"{module}/{case.get('name')}"] = float(case.get("time", 0))
    return wall, cases


def _cassette(case: str) -> Path | None:
    """The cassette of a JUnit case: test ids spell the target's `@` as `.` (so `-k` takes
    them, conformance/model/targets.py), cassette names keep the target id; regions have no dot."""
    path = ROOT / "cassettes" / f"{case}.yaml"
    if path.exists():
        return path
    head, bracket, inner = case.partition("[")
    if bracket and inner.endswith("]"):
        target, dot, region = inner[:-1].rpartition(".")
        if dot:
            path = ROOT / "cassettes" / f"{head}[{target}@{region}].yaml"
            return path if path.exists() else None
    return None


def _floor_one(cassette: Path) -> float:
    import openai
    import vcr

    from conformance import recording
    from conformance.recording import serializer
    from conformance.client.factory import shared_ssl_context

    recorder = vcr.VCR(record_mode="none", serializer="conformance", match_on=("method", "path", "query"))
    recorder.register_serializer("conformance", serializer)
    data = serializer.deserialize(cassette.read_text())
    started = time.perf_counter()
    with recorder.use_cassette(str(cassette), allow_playback_repeats=True):
        # The floor gets the suite's one optimisation that is not suite machinery: a shared
        # TLS context (the SDK would load the CA bundle per client otherwise).
        http = openai.DefaultHttpxClient(verify=shared_ssl_context())
        client = openai.OpenAI(api_key="floor", base_url=f"{recording.PLACEHOLDER_BASE}/openai/", max_retries=0, http_client=http)
        for interaction in data["interactions"]:
            request = interaction["request"]
            body = request.get("body")
            json_body: Any = None
            if isinstance(body, (bytes, str)) and body:
                import json

                try:
                    json_body = json.loads(body)
                except ValueError:
                    json_body = None
            ctype = str(interaction["response"]["headers"].get("content-type", [""]))
            is_stream = "event-stream" in ctype
            is_response = '"object":"response"' in str(interaction["response"]["body"].get("string", ""))[:200]
            cast_to: Any = openai.types.responses.Response if is_response else object
            try:
                options = openai._models.FinalRequestOptions.construct(
                    method=request["method"].lower(), url=request["uri"], json_data=json_body)
                if is_stream:
                    # As the suite's streams do: SSE parsed into the SDK's typed events.
                    for _ in client.request(openai.types.responses.Response, options, stream=True,
                                            stream_cls=openai.Stream[openai.types.responses.ResponseStreamEvent]):
                        pass
                else:
                    client.request(cast_to, options)
            except openai.APIStatusError:
                pass
        client.close()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="floor repetitions per case (the minimum is kept)")
    args, extra = parser.parse_known_args()
    wall, cases = run_suite(extra)
    ratios: list[tuple[float, str, float, float]] = []
    first = next((ROOT / "cassettes").glob("*/*.yaml"), None)
    if first is not None:
        _floor_one(first)  # warm-up: imports and first-use costs are not the floor
    for name, cost in cases.items():
        cassette = _cassette(name)
        if cassette is None:
            continue
        floor = min(_floor_one(cassette) for _ in range(args.repeat))
        ratios.append((cost / floor if floor else float("inf"), name, cost, floor))
    ratios.sort(reverse=True)
    print(f"offline suite: {len(cases)} cases in {wall:.2f} s wall (goal < 20 s)")
    if ratios:
        print(f"cost/floor per case: median {statistics.median(r[0] for r in ratios):.2f}x (goal <= 1.5x)")
        print(f"suite cost per case: median {statistics.median(r[2] for r in ratios) * 1000:.1f} ms; "
              f"floor median {statistics.median(r[3] for r in ratios) * 1000:.1f} ms")
        print("worst ten:")
        for ratio, name, cost, floor in ratios[:10]:
            print(f"  {ratio:6.2f}x  {cost * 1000:7.1f} ms vs {floor * 1000:6.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
