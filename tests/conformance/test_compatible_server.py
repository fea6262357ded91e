"""provider = "compatible": the same suites against a Responses server that is not ours.

llm-mock-api (PyPI; a Python port of theblixguy/llm-mock-server) serves `/v1/responses`,
JSON and SSE, on loopback. It is independent of the emulator, so this proves the suite's
client, preflight, verdicts and report work for any Responses server: the run must end with a
verdict for every feature it asked for, Azure-only features `skipped` with the reason, the
basic round trip passing, and the server's key nowhere in the report.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import forkserver

pytest.importorskip("llm_mock_api", reason="llm-mock-api is a dependency of the project: pip install -e .")

ROOT = Path(__file__).resolve().parents[2]
KEY = "compat-server-key-5a1d9c0e7b"
FEATURES = ["responses.create", "responses.stream", "responses.retrieve", "errors.*", "conversations"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    cwd = tmp_path_factory.mktemp("llm-mock")  # it reads ./config.json if there is one: none here
    proc = forkserver.Popen(
        [sys.executable, "-c", "from llm_mock_api.cli import main; main()", "start", "-H", "127.0.0.1",
         "-p", str(port), "--log-level", "none"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(urllib.request.Request(
                    f"{base}/responses", data=b'{"model":"m","input":"hi"}',
                    headers={"content-type": "application/json"}), timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llm-mock-api did not start on {base}", pytrace=False)
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _targets(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "compatible.toml"
    path.write_text(f"""
[[resources]]
name = "llm-mock"
provider = "compatible"
endpoint = "{base}"
key_env = "COMPAT_SERVER_KEY"
  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"

[[matrix]]
resource = "llm-mock"
api = ["v1"]
auth = ["key"]
deployment = ["gpt-4o"]
features = {json.dumps(FEATURES)}
""")
    return path


def test_suites_run_through_provider_compatible_and_every_feature_gets_a_verdict(server, tmp_path):
    report_dir = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_")}
    env.update(PYTHONPATH=str(ROOT), COMPAT_SERVER_KEY=KEY)
    run = forkserver.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", f"--rootdir={ROOT}",
         "-c", str(ROOT / "pyproject.toml"), "--live", "--targets", str(_targets(tmp_path, server)),
         "--report-dir", str(report_dir), "suites/test_responses.py", "suites/test_streaming.py",
         "suites/test_errors.py", "suites/test_conversations.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    out = run.stdout + run.stderr
    assert run.returncode in (0, 1), out[-3000:]  # 1: the mock breaks contracts, as it should be told
    report = json.loads((report_dir / "compat.json").read_text())

    (target,) = report["targets"]
    assert (target["id"], target["kind"], target["source"]) == ("compatible-key-gpt-4o@local", "compatible", "compatible")
    cells = {row["feature"]: row for row in report["rows"] if row["target"] == target["id"]}
    asked = {"responses.create", "responses.stream", "responses.retrieve", "errors.auth", "errors.deployment_not_found",
             "errors.api_version", "errors.response_not_found", "conversations"}
    assert set(cells) == asked, f"features without a verdict: {sorted(asked - set(cells))}"
    for feature in ("errors.auth", "errors.api_version"):
        assert cells[feature]["verdict"] == "skipped"
        assert "not applicable on compatible targets" in cells[feature]["evidence"]["detail"]
    # It has no Conversations API and keeps no responses: a verdict that says so, not a skip.
    assert cells["conversations"]["verdict"] in ("failed", "unsupported")
    assert cells["responses.retrieve"]["verdict"] in ("failed", "unsupported")
    assert "PASSED suites/test_responses.py::test_create_returns_a_completed_response_with_text[compatible-key-gpt-4o.local]" in out
    assert "PASSED suites/test_streaming.py::test_stream_deltas_add_up_to_the_completed_response[compatible-key-gpt-4o.local]" in out

    for file in report_dir.rglob("*"):
        if file.is_file():
            assert KEY not in file.read_text(errors="replace"), f"the server's key is in {file.name}"
    assert not list((ROOT / "cassettes").rglob("*compatible-key*")), "a live run without --record-mode writes no cassettes"
