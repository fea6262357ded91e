"""Live runs leave nothing behind, even when a test fails half-way.

Runs a tiny suite (in a subprocess, live against an emulator this test starts) whose test
creates a vector store, uploads a file into it and stores a response, then fails on purpose.
Afterwards the emulator lists no file, no vector store, and the response is gone. The test
registers nothing by hand: its clients register what they create from the wire.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import forkserver

from conformance.live.embedded import EmulatorHandle, start

ROOT = Path(__file__).resolve().parents[2]

SUITE = '''
import pytest

from conformance.model.sdk import vector_stores

@pytest.mark.feature("tools.file_search")
def test_fails_half_way(client, target, created, documents):
    stores = vector_stores(client)
    store = stores.create(name="left-behind?")  # registered from the wire, as everything below
    # uploaded through the batch helper: the test never registers the file itself
    stores.file_batches.upload_and_poll(vector_store_id=store.id, files=[documents["handbook"].upload()])
    response = client.responses.create(model=target.deployment, input="Say OK.")
    print("RESPONSE_ID=" + response.id)
    assert False, "failing on purpose, after creating things"
'''

TARGETS = '''
[[resources]]
name = "aoai-swc"
endpoint = "emulator://aoai-swc"
region = "swedencentral"
  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"
  capabilities = ["file_search"]
[[matrix]]
resource = "aoai-swc"
api = ["v1", "2025-04-01-preview"]
auth = ["key"]
deployment = ["gpt-4o"]
'''


@pytest.fixture(scope="module")
def emulator() -> EmulatorHandle:
    handle = start()
    yield handle
    handle.stop()


def _get(emulator: EmulatorHandle, path: str) -> tuple[int, dict]:
    request = urllib.request.Request(emulator.url("aoai-swc") + path, headers={"api-key": emulator.api_key})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_failing_live_test_leaves_no_file_vector_store_or_response(tmp_path, emulator):
    # No conftest.py and a targets file outside the checkout: the installed plugin (its pytest11
    # entry point) knows --live and --targets wherever pytest runs.
    (tmp_path / "test_leftovers.py").write_text(textwrap.dedent(SUITE))
    (tmp_path / "targets.toml").write_text(TARGETS)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONFORMANCE_EMULATOR": emulator.url("aoai-swc")}
    run = forkserver.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "--live",
         "--targets", str(tmp_path / "targets.toml"), str(tmp_path / "test_leftovers.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert "2 failed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    response_ids = sorted({m for m in re.findall(r"RESPONSE_ID=(resp_\w+)", run.stdout)})
    assert len(response_ids) == 2

    assert _get(emulator, "/openai/v1/files")[1]["data"] == []
    assert _get(emulator, "/openai/v1/vector_stores")[1]["data"] == []
    for response_id in response_ids:
        assert _get(emulator, f"/openai/v1/responses/{response_id}")[0] == 404
