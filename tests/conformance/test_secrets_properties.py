"""Property: generated credentials, put everywhere a request or response can carry them and
recorded through the real path (vcrpy + conformance serializer, loopback server), never
reach the cassette text.

The scrubber is told only the loopback base URL, as a live run tells it the endpoint; every
secret must be caught by its shape or by where it sits. A second property tells it an opaque
key, as a run does with the key it sends.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets as pysecrets
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2 as httpx
import pytest
import vcr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from secret_strategies import Secrets, secrets_sets

from conformance.recording import Scrubber, find_secret_shaped, register, vcr_config

SCALE = int(os.environ.get("CONFORMANCE_FUZZ_SCALE", "1"))
TLS = ssl.create_default_context()  # one for all clients: building one costs ~0.1 s


class _Echo(BaseHTTPRequestHandler):
    """Echoes the whole request back: as JSON, in an error message, in headers, gzipped or not."""

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        text = raw.decode("utf-8", "replace")
        echo = {
            "object": "echo",
            "request_line": f"{self.command} {self.path}",
            "headers": dict(self.headers.items()),
            "body": text,
            "json": json.loads(text) if self.headers.get("content-type", "").startswith("application/json") else None,
        }
        status = 200
        if "fail" in self.path:
            status = 401
            echo = {"error": {"code": "401", "message": f"Access denied for {self.headers.get('api-key')} "
                              f"at https://{self.headers.get('x-resource')}/openai; sent {self.path} with {self.headers.get('authorization')}"}}
        data = json.dumps(echo).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        if "gzip" in self.path:
            data = gzip.compress(data)
            self.send_header("content-encoding", "gzip")
        self.send_header("content-length", str(len(data)))
        for name in ("x-request-id", "apim-request-id", "x-ms-region", "x-ratelimit-key"):
            self.send_header(name, self.headers.get("x-echo", ""))
        self.send_header("set-cookie", f"session={self.headers.get('api-key')}")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _reply


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _exchange(client: httpx.Client, s: Secrets, suffix: str) -> None:
    """Every carrier: headers, query strings, JSON bodies, MCP tool headers, multipart, echoes."""
    blob = f"https://zzstore.blob.core.windows.net/c/f.jsonl?{s.sas}"
    headers = {
        "api-key": s.hex_key,
        "authorization": f"Bearer {s.jwt}",
        "x-api-key": s.long_key,
        "x-resource": s.host,
        "x-echo": f"{s.long_key} {s.hex_key} Bearer {s.jwt}",
        "x-ms-client-request-id": s.subscription,
    }
    query = {
        "api-version": "preview",
        "api-key": s.hex_key,
        "after": s.long_key,
        "filter": f"host eq {s.host}",
        "url": blob,
        "include[]": f"https://{s.host}/subscriptions/{s.subscription}",
    }
    body = {
        "model": "gpt-4o",
        "input": f"key {s.hex_key} / {s.long_key} / token {s.jwt} / {blob} / https://{s.host}/openai",
        "metadata": {"arm": f"/subscriptions/{s.subscription}/resourceGroups/rg", "subscriptionId": s.subscription,
                     "encoded": quote(f"https://{s.host}/x?{s.sas}", safe="")},
        "tools": [
            {"type": "mcp", "server_label": "m", "server_url": f"https://{s.host}/mcp?{s.sas}",
             "headers": {"Authorization": f"Bearer {s.jwt}", "X-Api-Key": s.long_key, "X-Key": s.hex_key}},
            {"type": "function", "name": "f", "parameters": {"api_key": s.hex_key}},
        ],
        "api_key": s.long_key,
    }
    client.post(f"/openai/v1/responses{suffix}", params=query, headers=headers, json=body)
    client.get(f"/openai/v1/responses/resp_1/fail{suffix}", params=query, headers=headers)
    files = {"file": (f"{s.host}.jsonl", json.dumps(body).encode() + b"\n" + s.jwt.encode(), "application/jsonl")}
    client.post(f"/openai/v1/files{suffix}", headers=headers, params=query,
                data={"purpose": "assistants", "note": f"{s.hex_key} {s.long_key} sig={s.sas_sig}"}, files=files)


def _record(base_url: str, scrubber: Scrubber, path: Path, s: Secrets, suffix: str) -> str:
    path.unlink(missing_ok=True)
    recorder = register(vcr.VCR())
    with recorder.use_cassette(str(path), **vcr_config(scrubber)):
        with httpx.Client(base_url=base_url, timeout=10, verify=TLS) as client:
            _exchange(client, s, suffix)
    return path.read_text(encoding="utf-8")


def _assert_no_leak(text: str, forbidden: dict[str, str]) -> None:
    lowered = text.lower()
    for what, value in forbidden.items():
        at = lowered.find(value.lower())
        assert at < 0, f"{what} {value!r} survived in the cassette: ...{text[max(0, at - 400):at + 100]}..."
    assert find_secret_shaped(text) == []


@settings(max_examples=12 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=secrets_sets, suffix=st.sampled_from(["", "/gzip"]))
def test_no_generated_secret_survives_recording(base_url: str, tmp_path: Path, s: Secrets, suffix: str) -> None:
    scrubber = Scrubber(base_urls=[base_url])
    text = _record(base_url, scrubber, tmp_path / "c.yaml", s, suffix)
    _assert_no_leak(text, {**s.forbidden(), "loopback": base_url.split("//")[1]})
    assert text.count("interactions") == 1 and text.count("request:") == 3


@settings(max_examples=5 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=secrets_sets, opaque=st.text(alphabet="abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_", min_size=16, max_size=40))
def test_a_told_opaque_key_never_survives(base_url: str, tmp_path: Path, s: Secrets, opaque: str) -> None:
    opaque = "ok" + opaque + pysecrets.token_hex(2)
    told = Secrets(opaque, s.long_key, s.jwt, s.sas_sig, s.subscription, s.host)
    scrubber = Scrubber(api_keys=[opaque], base_urls=[base_url])
    text = _record(base_url, scrubber, tmp_path / "c.yaml", told, "")
    _assert_no_leak(text, {**told.forbidden(), "opaque key": opaque})
