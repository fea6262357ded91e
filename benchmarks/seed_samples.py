"""Run the seed's own sample scripts, unmodified, against the embedded emulator.

The seed (github.com/guygregory/Responses-API, its ``python/`` folder) is not part of this
repository: point ``--samples`` at a checkout of it. Each script runs as its author wrote it,
in its own folder (they open ``../assets/...``), with only the environment a user would set in
``.env`` pointing at the emulator: key, endpoints, deployment, api-version, and for Entra the
managed-identity endpoint azure-identity's ``DefaultAzureCredential`` finds on its own. Scripts
that prompt get their turns on stdin. Each answer is then checked for what a correct answer
must contain (the PDF's values, the code interpreter's solution, the conversation's memory).

The Gradio apps are started as they are and chatted with through gradio_client (a user's
turns, an image upload). What the service would fetch from the internet (Microsoft Learn's
MCP server, a Wikimedia photo) comes from loopback stand-ins (benchmarks/standins.py, the
emulator's ``--outbound``); what a script fetches itself (the weather samples call
api.open-meteo.com) comes through a loopback HTTPS proxy (benchmarks/forecast_proxy.py).

    .venv/bin/python benchmarks/seed_samples.py --samples /path/to/Responses-API \\
        [--python /path/to/venv/bin/python] [--only PATTERN] [--verbose]

``--python`` is an interpreter with the seed's ``requirements.txt`` installed (default: this one),
with ``gradio<6``: the apps pass ``Chatbot(type=...)``, which Gradio 6 removed.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from benchmarks.forecast_proxy import READING, ForecastProxy  # noqa: E402
from benchmarks.standins import QUICKSTART, StandIns  # noqa: E402
from emulator.server import Emulator  # noqa: E402

DATED = "2025-04-01-preview"
TIMEOUT = 120.0


@dataclass(frozen=True)
class Sample:
    """What one script needs and what its answer must show."""

    pattern: str
    check: Callable[[str, Path], str | None]
    """Returns why the output is wrong, or None."""
    model: str = "gpt-4o"
    resource: str = "aoai-swc"
    """Where it runs: code interpreter is served in eastus2 (the emulator's profile)."""
    stdin: str = ""
    turns: tuple[tuple[str, str | None], ...] = ()
    """For a Gradio app: what a user types (and uploads) turn by turn, through gradio_client."""
    cannot: str = ""
    """Why this script cannot run here (then it is listed, not run)."""


def _has(*words: str) -> Callable[[str, Path], str | None]:
    def check(out: str, _: Path) -> str | None:
        missing = [w for w in words if not re.search(w, out, re.IGNORECASE)]
        return f"the answer lacks {missing}" if missing else None
    return check


def _nonempty(out: str, _: Path) -> str | None:
    return None if out.strip() else "no answer printed"


def _png(name: str) -> Callable[[str, Path], str | None]:
    def check(_: str, folder: Path) -> str | None:
        path = folder / name
        if not path.exists():
            return f"{name} was not written"
        return None if path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" else f"{name} is not a PNG"
    return check


def _status_completed(out: str, _: Path) -> str | None:
    if "Final status: completed" not in out:
        return "the background response did not end completed"
    return None if "Current status:" in out else "the script never saw the response in progress"


def _chat_app(out: str, _: Path) -> str | None:
    """The chat app's three turns: a reasoning summary shown, the name remembered, the upload seen."""
    said = json.loads(out)
    if "Reasoning Summary" not in said[0]:
        return "the first answer shows no reasoning summary"
    if "Ada Lovelace" not in said[1]:
        return f"the second answer forgot the name: {said[1][-120:]!r}"
    return None if "JPEG" in said[2] else f"the third answer did not see the uploaded image: {said[2][-120:]!r}"


#: The handbook's company values (assets/employee_handbook.pdf, page 2).
VALUES = _has("Quality", "Integrity", "Innovation")
#: Two turns: the second answer must use the first (previous_response_id).
MEMORY = "My name is Ada Lovelace. Reply with OK.\nWhat is my name?\nexit\n"

SAMPLES = [
    Sample("responses-basic-*.py", _nonempty),
    Sample("responses-basic-reasoning-summary-aoai.py", _nonempty, model="o4-mini"),
    Sample("responses-basic-stateless-aoai-v1.py", _nonempty),
    Sample("responses-conversation-*.py", _has("Ada"), stdin=MEMORY),
    Sample("responses-stream-*.py", _nonempty),
    Sample("responses-structured-*.py", _has("science fair", "Friday", "Alice", "Bob")),
    Sample("responses-reasoning-*.py", _nonempty, model="o4-mini"),
    Sample("responses-filesearch-*.py", VALUES),
    Sample("responses-pdfupload-*.py", VALUES),
    Sample("responses-codeinterpreter-*.py", _has(r"x\s*=\s*1\b"), resource="aoai-eus2"),
    Sample("responses-image-aoai*.py", _has("JPEG")),
    Sample("responses-imageurl-*.py", _has("JPEG", "red")),
    Sample("responses-image-generate-*.py", _png("otter.png")),
    Sample("responses-background-*.py", _status_completed),
    Sample("responses-mcp-*.py", _has("Azure AI Search", re.escape(QUICKSTART))),
    Sample("responses-function-weather-*.py", _has(str(READING["temperature_2m"]))),
    Sample("responses-conversation-stream-gradio*.py", _chat_app, model="o4-mini", turns=(
        ("My name is Ada Lovelace. Reply with OK.", None), ("What is my name?", None),
        ("What is in this picture?", "../assets/book.jpeg"))),
    Sample("responses-mcp-mslearn-gradio-aoai-v1.py", _has(re.escape(QUICKSTART)), turns=(
        ("Provide a one-sentence summary of Azure AI Search, and a link to a Quickstart guide.", None),)),
]


def sample_for(name: str) -> Sample | None:
    """The most specific entry whose pattern matches (exact names before globs)."""
    matches = [s for s in SAMPLES if fnmatch.fnmatch(name, s.pattern)]
    apps = [s for s in matches if s.turns]  # a Gradio app is one whatever else its name says
    return min(apps or matches, key=lambda s: s.pattern.count("*"), default=None)


#: The script side's stand-ins (HTTPS_PROXY and its CA bundle), set by main().
SCRIPT_ENV: dict[str, str] = {}


def environment(emulator: Emulator, sample: Sample) -> dict[str, str]:
    """What a user's ``.env`` would say, pointed at the emulator (the seed's ``.env.sample`` names)."""
    info = emulator.info
    url = info["resources"][sample.resource]["url"]
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT")}
    return {
        **keep,
        "AZURE_OPENAI_API_KEY": info["api_key"],
        "AZURE_OPENAI_API_ENDPOINT": url + "/",
        "AZURE_OPENAI_V1_API_ENDPOINT": url + "/openai/v1/",
        "AZURE_OPENAI_API_MODEL": sample.model,
        "AZURE_OPENAI_API_VERSION": DATED,
        "AZURE_OPENAI_API_IMAGE_KEY": info["api_key"],
        "AZURE_OPENAI_V1_API_IMAGE_ENDPOINT": url + "/openai/v1/",
        # The Entra image sample builds AzureOpenAI(base_url=...) with no api_version, which the
        # SDK then reads from here; .env.sample lacks it. On the v1 path that is `preview`.
        "OPENAI_API_VERSION": "preview",
        # DefaultAzureCredential finds a managed identity (App Service protocol) by these two.
        "IDENTITY_ENDPOINT": info["identity_endpoint"],
        "IDENTITY_HEADER": info["identity_header"],
        **SCRIPT_ENV,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class Outcome:
    name: str
    verdict: str  # passed | failed | not run
    seconds: float
    detail: str
    output: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, app: subprocess.Popen[str], seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and app.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def drive_app(script: Path, sample: Sample, python: str, emulator: Emulator) -> Outcome:
    """Start a Gradio app as its author wrote it, then chat with it through gradio_client."""
    port = _free_port()
    env = {**environment(emulator, sample), "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
           "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    app = subprocess.Popen([python, script.name], cwd=script.parent, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        if not _wait_for(port, app):
            log = app.stdout.read() if app.poll() is not None and app.stdout else ""
            last = (log.strip().splitlines() or ["(no output)"])[-1]
            return Outcome(script.name, "failed", time.monotonic() - started, f"the app did not start: {last}")
        turns = [[text, str((script.parent / image).resolve()) if image else None] for text, image in sample.turns]
        done = subprocess.run([python, str(HERE / "benchmarks" / "gradio_driver.py"), f"http://127.0.0.1:{port}/",
                               json.dumps(turns)], env=env, capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
    took = time.monotonic() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        return Outcome(script.name, "failed", took, f"driving the app failed: {last}")
    wrong = sample.check(done.stdout, script.parent)
    return Outcome(script.name, "failed" if wrong else "passed", took, wrong or "", done.stdout)


def run_one(script: Path, sample: Sample, python: str, emulator: Emulator) -> Outcome:
    if sample.cannot:
        return Outcome(script.name, "not run", 0.0, sample.cannot)
    if sample.turns:
        return drive_app(script, sample, python, emulator)
    started = time.monotonic()
    try:
        done = subprocess.run([python, script.name], cwd=script.parent, env=environment(emulator, sample),
                              input=sample.stdin, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Outcome(script.name, "failed", TIMEOUT, f"no end after {TIMEOUT:.0f} s")
    took = time.monotonic() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        return Outcome(script.name, "failed", took, f"exit {done.returncode}: {last}", done.stdout)
    wrong = sample.check(done.stdout, script.parent)
    return Outcome(script.name, "failed" if wrong else "passed", took, wrong or "", done.stdout)


def markdown(outcomes: list[Outcome]) -> str:
    counts = {v: sum(o.verdict == v for o in outcomes) for v in ("passed", "failed", "not run")}
    lines = [
        "| script | result | seconds | detail |",
        "|---|---|---|---|",
        *(f"| `{o.name}` | {o.verdict} | {o.seconds:.1f} | {o.detail or '-'} |" for o in outcomes),
        "",
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['not run']} not run, of {len(outcomes)}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", required=True, type=Path, help="a checkout of guygregory/Responses-API")
    parser.add_argument("--python", default=sys.executable, help="interpreter with the seed's requirements")
    parser.add_argument("--only", default="*", help="glob of script names to run")
    parser.add_argument("--verbose", action="store_true", help="print each script's output")
    args = parser.parse_args(argv)
    folder = args.samples / "python"
    if not folder.is_dir():
        parser.error(f"{folder} is not a folder: --samples must be a checkout of guygregory/Responses-API")
    scripts = sorted(p for p in folder.glob("*.py") if fnmatch.fnmatch(p.name, args.only))
    if not scripts:
        parser.error(f"no script in {folder} matches {args.only!r}")
    logging.disable(logging.INFO)  # the MCP stand-in's per-request lines
    outcomes = []
    with ForecastProxy() as proxy, StandIns() as standins, \
            Emulator(background_ms=3000, outbound=standins.routes()) as emulator:
        SCRIPT_ENV.update(proxy.env)
        for script in scripts:
            sample = sample_for(script.name)
            if sample is None:
                outcomes.append(Outcome(script.name, "failed", 0.0, "no check is written for this script"))
                continue
            outcome = run_one(script, sample, args.python, emulator)
            outcomes.append(outcome)
            print(f"{outcome.verdict:8} {outcome.seconds:5.1f} s  {script.name}  {outcome.detail}", flush=True)
            if args.verbose and outcome.output:
                print("    " + outcome.output.strip().replace("\n", "\n    "))
    print()
    print(markdown(outcomes))
    return 1 if any(o.verdict == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
