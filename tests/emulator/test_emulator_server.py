"""The real server over HTTP: CLI, ready file, SDK clients, managed identity, signals."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from azure.identity import ManagedIdentityCredential, get_bearer_token_provider
from azure.identity.aio import ManagedIdentityCredential as AsyncManagedIdentityCredential
from azure.identity.aio import get_bearer_token_provider as async_bearer_token_provider
from openai import AsyncOpenAI, AzureOpenAI, OpenAI

from emulator import __version__

SCOPE = "https://cognitiveservices.azure.com/.default"
DATED = "2025-04-01-preview"


def _start(tmp: Path, name: str, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], Path]:
    ready = tmp / f"{name}.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--ready-file", str(ready), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return proc, ready


def _wait(proc: subprocess.Popen[str], ready: Path, timeout: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            raise RuntimeError(f"emulator exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            proc.kill()
            raise TimeoutError("emulator did not become ready")
        time.sleep(0.02)
    return json.loads(ready.read_text())  # type: ignore[no-any-return]


def _free_base_port() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            base = a.getsockname()[1]
        try:
            with socket.socket() as b, socket.socket() as c:
                b.bind(("127.0.0.1", base))
                c.bind(("127.0.0.1", base + 1))
            return base
        except OSError:
            continue
    raise RuntimeError("no two consecutive free ports")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Two emulator processes started in parallel: a default one, and one with fixed ports."""
    tmp = tmp_path_factory.mktemp("emu")
    base = _free_base_port()
    main = _start(tmp, "main", "--port", "0", "--api-key", "sekret")
    fixed = _start(tmp, "fixed", "--port", str(base), env={"EMULATOR_API_KEY": "from-env"})
    try:
        info = {"main": _wait(*main), "fixed": _wait(*fixed), "base": base, "procs": (main[0], fixed[0])}
        yield info
    finally:
        for proc in (main[0], fixed[0]):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(10)


@pytest.fixture(scope="module")
def info(servers: dict[str, Any]) -> dict[str, Any]:
    return servers["main"]  # type: ignore[no-any-return]


def _url(info: dict[str, Any], resource: str = "aoai-swc") -> str:
    return info["resources"][resource]["url"]  # type: ignore[no-any-return]


def test_ready_file_and_info_endpoint(info):
    assert set(info) == {"resources", "identity_endpoint", "identity_header", "api_key", "version", "faults"}
    assert info["api_key"] == "sekret" and info["version"] == __version__
    assert info["resources"]["aoai-swc"]["region"] == "swedencentral"
    assert info["resources"]["aoai-eus2"]["region"] == "eastus2"
    for resource in info["resources"].values():
        assert resource["url"].startswith("http://127.0.0.1:")
        assert httpx2.get(resource["url"] + "/emulator/info").json() == info
    assert info["identity_endpoint"] == _url(info) + "/msi/token"


def test_each_resource_on_its_own_port(info):
    for name, region in (("aoai-swc", "Sweden Central"), ("aoai-eus2", "East US 2")):
        r = httpx2.post(
            _url(info, name) + "/openai/v1/responses",
            json={"model": "gpt-4o", "input": "hi"},
            headers={"api-key": "sekret"},
        )
        assert r.status_code == 200
        assert r.headers["x-ms-region"] == region


def test_fixed_ports_and_env_api_key(servers):
    fixed = servers["fixed"]
    base = servers["base"]
    assert fixed["resources"]["aoai-swc"]["url"] == f"http://127.0.0.1:{base}"
    assert fixed["resources"]["aoai-eus2"]["url"] == f"http://127.0.0.1:{base + 1}"
    assert fixed["api_key"] == "from-env"


def test_sigterm_shuts_down_cleanly(servers):
    proc = servers["procs"][1]
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("emulator: resource aoai-swc (swedencentral) on http://127.0.0.1:")
    assert lines[1].startswith("emulator: resource aoai-eus2 (eastus2) on http://127.0.0.1:")
    assert "Traceback" not in err


def _exercise(client: OpenAI) -> None:
    created = client.responses.create(model="gpt-4o", input="The spare key is under the blue flowerpot.")
    assert created.status == "completed" and "flowerpot" not in created.output_text
    follow = client.responses.create(model="gpt-4o", input="Where is the spare key?", previous_response_id=created.id)
    assert "blue flowerpot" in follow.output_text
    assert follow.usage is not None and created.usage is not None
    assert follow.usage.input_tokens > created.usage.input_tokens
    fetched = client.responses.retrieve(follow.id)
    assert fetched.id == follow.id and fetched.output_text == follow.output_text
    items = client.responses.input_items.list(follow.id)
    assert [i.type for i in items.data] == ["message"]
    deleted = client.responses.delete(follow.id)
    assert deleted is None or getattr(deleted, "deleted", True)
    with pytest.raises(Exception) as excinfo:
        client.responses.retrieve(follow.id)
    assert getattr(excinfo.value, "status_code", None) == 404


def test_sdk_azure_openai_dated(info):
    client = AzureOpenAI(api_key="sekret", api_version=DATED, azure_endpoint=_url(info), max_retries=0)
    _exercise(client)
    raw = client.responses.with_raw_response.create(model="gpt-4o", input="hi")
    assert raw.headers["x-ms-deployment-name"] == "gpt-4o"
    assert raw.parse().model_extra.get("content_filters", "absent") is None


def test_sdk_openai_v1(info):
    client = OpenAI(api_key="sekret", base_url=_url(info) + "/openai/v1/", max_retries=0)
    _exercise(client)
    response = client.responses.create(model="gpt-4.1", input="hi")
    assert isinstance(response.model_extra["content_filters"], list)
    assert [m.id for m in client.models.list()] == ["gpt-4o", "gpt-4.1", "o4-mini", "gpt-5-mini", "gpt-5.6-sol", "o3-pro", "gpt-image-1"]


def test_sdk_bad_key_is_authentication_error(info):
    import openai

    client = OpenAI(api_key="wrong", base_url=_url(info) + "/openai/v1/", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.responses.create(model="gpt-4o", input="hi")
    assert excinfo.value.status_code == 401


@pytest.fixture
def identity_env(info, monkeypatch):
    for name in ("MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "AZURE_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IDENTITY_ENDPOINT", info["identity_endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", info["identity_header"])


def test_managed_identity_sync(info, identity_env):
    credential = ManagedIdentityCredential()
    token = credential.get_token(SCOPE)
    assert token.token.count(".") == 2 and token.expires_on > time.time() + 600
    provider = get_bearer_token_provider(credential, SCOPE)
    client = AzureOpenAI(
        azure_ad_token_provider=provider, api_version=DATED, azure_endpoint=_url(info), max_retries=0
    )
    assert client.responses.create(model="gpt-4o", input="Reply OK").output_text.strip()
    r = httpx2.get(_url(info, "aoai-eus2") + "/openai/v1/models", headers={"Authorization": f"Bearer {token.token}"})
    assert r.status_code == 200


async def test_managed_identity_async(info, identity_env):
    async with AsyncManagedIdentityCredential() as credential:
        token = await credential.get_token("https://ai.azure.com/.default")
        assert token.token.count(".") == 2
        provider = async_bearer_token_provider(credential, SCOPE)
        client = AsyncOpenAI(api_key=provider, base_url=_url(info) + "/openai/v1/", max_retries=0)
        response = await client.responses.create(model="o4-mini", input="Reply OK")
        assert response.output_text.strip()
        assert response.output[0].type == "reasoning"
        await client.close()
