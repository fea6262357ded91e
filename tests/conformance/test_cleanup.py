"""Live runs leave nothing behind: a killed run's leftovers are removed by `conformance cleanup`,
an interrupted run sweeps its own, and objects the suite did not create are never touched."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import forkserver
from live_support import ROOT, clean_env, emulator_process, first_url

from conformance.live.journal import Journal
from conformance.live.tagging import METADATA_KEY, SUITE_TAG, tag_body

CRASH_SUITE = "tests/conformance/crashing/crash_suite.py"


def _client(info: dict[str, Any], index: int = 0) -> httpx.Client:
    url = str(list(info["resources"].values())[index]["url"]).rstrip("/")
    return httpx.Client(base_url=f"{url}/openai/v1", headers={"api-key": info["api_key"]}, timeout=10)


def _create(client: httpx.Client, **metadata: str) -> str:
    reply = client.post("/responses", json={"model": "gpt-4o", "input": "mine", "metadata": metadata or None})
    reply.raise_for_status()
    return str(reply.json()["id"])


def _start_run(env: dict[str, str], journal: Path, wanted: int) -> subprocess.Popen[str]:
    """A live pytest run of the crashing suite, returned once `wanted` objects are journaled."""
    proc = forkserver.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", CRASH_SUITE, "--live", "-q",
                             "-k", "v1-key-gpt-4o"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while len(Journal(journal).alive()) < wanted:
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "the run created nothing"
        time.sleep(0.05)
    return proc


@pytest.fixture
def emulator(tmp_path: Path) -> Any:
    with emulator_process(tmp_path) as info:
        yield info


def test_cleanup_after_a_killed_run_removes_only_the_suites_objects(emulator: dict[str, Any], tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    with _client(emulator) as swc, _client(emulator, 1) as eus:
        untagged = [_create(swc), _create(eus, owner="me")]
        tagged_not_journaled = _create(swc, **{METADATA_KEY: SUITE_TAG})
        # An id in the journal that is not the suite's (a stale or edited journal): left alone.
        Journal(journal, run="other").created("response", untagged[0], resource="aoai-swc",
                                              endpoint="emulator://aoai-swc", target="v1-key-gpt-4o@swedencentral")
        env = clean_env(CONFORMANCE_EMULATOR=first_url(emulator), CONFORMANCE_JOURNAL=str(journal))
        proc = _start_run(env, journal, wanted=3)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        leftovers = [e.id for e in Journal(journal).alive() if e.id != untagged[0]]
        assert len(leftovers) == 2
        for rid in leftovers:
            assert swc.get(f"/responses/{rid}").status_code == 200  # the kill left them there

        done = forkserver.run([sys.executable, "-m", "conformance.cli", "cleanup", "--targets", "targets/emulator.toml"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "2 deleted" in done.stdout and "1 left alone" in done.stdout, done.stdout

        for rid in leftovers:
            assert swc.get(f"/responses/{rid}").status_code == 404, rid
        assert swc.get(f"/responses/{untagged[0]}").status_code == 200
        assert eus.get(f"/responses/{untagged[1]}").status_code == 200
        assert swc.get(f"/responses/{tagged_not_journaled}").status_code == 200
        assert Journal(journal).alive() == []


def test_an_interrupted_run_sweeps_what_it_created(emulator: dict[str, Any], tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    env = clean_env(CONFORMANCE_EMULATOR=first_url(emulator), CONFORMANCE_JOURNAL=str(journal))
    proc = _start_run(env, journal, wanted=2)
    ids = [e.id for e in Journal(journal).alive()]
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    output = proc.communicate(timeout=60)[0]
    assert "KeyboardInterrupt" in output or "Interrupted" in output, output
    assert Journal(journal).alive() == []
    with _client(emulator) as swc:
        for rid in ids:
            assert swc.get(f"/responses/{rid}").status_code == 404


def test_the_tag_goes_only_on_well_formed_creates() -> None:
    tagged = tag_body("POST", "/openai/v1/responses", b'{"model":"m","input":"x","metadata":{"a":"b"}}')
    assert tagged is not None and json.loads(tagged)["metadata"] == {"a": "b", METADATA_KEY: SUITE_TAG}
    assert tag_body("POST", "/openai/v1/responses", b'{"model":"m","metadata":"not an object"}') is None
    full = json.dumps({"model": "m", "metadata": {str(i): "v" for i in range(16)}}).encode()
    assert tag_body("POST", "/openai/v1/responses", full) is None
    assert tag_body("GET", "/openai/v1/responses", b"") is None
    store = tag_body("POST", "/openai/v1/vector_stores", b'{"name":"docs"}')
    assert store is not None and json.loads(store)["name"] == "conformance-docs"
