"""The emulator under load: responses per second and latency at 1, 10 and 100 clients.

    python benchmarks/emulator_load.py [--concurrency 1 10 100] [--requests 2000] [--seconds 10]

Starts `python -m emulator --port 0 --ready-file F --api-key K` in a subprocess, then, from
this process (one asyncio event loop, httpx2 `AsyncClient`, keep-alive connections, one per
client), sends `POST /openai/v1/responses` to the first resource:

- non-streamed: a small `responses.create` (`store: false`, `max_output_tokens` 16);
- streamed: the same with `stream: true`, the SSE body read to the end.

For each mode and concurrency it sends at most `--requests` requests or runs for at most
`--seconds` seconds (whichever comes first; it always stops by itself), and prints requests
per second, p50 and p99 latency and the error count. The load generator runs on the same
machine and shares its cores with the emulator (one process each), so on a 2-core machine
the figures are a lower bound of what the emulator alone could do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-key"


def start_emulator(tmp: str) -> tuple[subprocess.Popen, str]:
    ready = Path(tmp) / "ready.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--ready-file", str(ready), "--api-key", KEY],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("emulator did not start")
        time.sleep(0.05)
    info = json.loads(ready.read_text())
    url = next(iter(info["resources"].values()))["url"]
    return proc, url


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def load(url: str, stream: bool, concurrency: int, total: int, seconds: float, deployment: str) -> dict:
    import httpx2

    body = {"model": deployment, "input": "Say hello to the benchmark in one short sentence.",
            "max_output_tokens": 16, "store": False}
    if stream:
        body["stream"] = True
    payload = json.dumps(body).encode()
    headers = {"api-key": KEY, "content-type": "application/json"}
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal sent, errors
            while sent < total and time.perf_counter() < deadline:
                sent += 1
                t0 = time.perf_counter()
                try:
                    if stream:
                        async with client.stream("POST", "/openai/v1/responses", content=payload, headers=headers) as r:
                            async for _ in r.aiter_bytes():
                                pass
                            ok = r.status_code == 200
                    else:
                        r = await client.post("/openai/v1/responses", content=payload, headers=headers)
                        ok = r.status_code == 200
                except Exception:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {"mode": "stream" if stream else "json", "clients": concurrency, "done": len(latencies),
            "errors": errors, "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": percentile(latencies, 0.50) * 1000 if latencies else float("nan"),
            "p99": percentile(latencies, 0.99) * 1000 if latencies else float("nan")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 100], help="concurrent clients (default 1 10 100)")
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per measurement")
    parser.add_argument("--seconds", type=float, default=10.0, help="at most this long per measurement")
    parser.add_argument("--warmup", type=int, default=50, help="requests sent before measuring")
    parser.add_argument("--deployment", default="gpt-4o")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_emulator(tmp)
        try:
            asyncio.run(load(url, False, 1, args.warmup, 30, args.deployment))
            asyncio.run(load(url, True, 1, args.warmup, 30, args.deployment))
            rows = [asyncio.run(load(url, stream, c, args.requests, args.seconds, args.deployment))
                    for stream in (False, True) for c in args.concurrency]
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"emulator on {url} (load generator in the same machine: {os.cpu_count()} cores shared)")
    print(f"{'mode':7} {'clients':>7} {'done':>6} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for r in rows:
        print(f"{r['mode']:7} {r['clients']:>7} {r['done']:>6} {r['errors']:>6} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f}")
    best = max((r["rps"] for r in rows if r["mode"] == "json"), default=0.0)
    print(f"goal: >= 500 non-streamed responses/s: {'met' if best >= 500 else 'missed'} (best {best:.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
