"""Fuzz: every route, generated requests, never a 5xx and never a hang (bad input
gets Azure-shaped 4xx). Drives the ASGI app in-process so thousands of requests take seconds.

CONFORMANCE_FUZZ_SCALE=N multiplies the number of examples for a longer run.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from typing import Any

import random

from asgi_driver import Raw, call
from emu_support import API_KEY
from mutations import generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.gateway.app import create_app
from emulator.wire.request import KNOWN_FIELDS
from emulator.gateway.process import EmulatorState

SCALE = int(os.environ.get("CONFORMANCE_FUZZ_SCALE", "1"))
EXAMPLES = 40 * SCALE
BULK = 3000 * SCALE

# Valid prefixes and routes dominate, so most requests reach the handlers, not the 404.
ROUTES = (
    ("POST", "/responses"), ("GET", "/responses/{id}"), ("DELETE", "/responses/{id}"),
    ("GET", "/responses/{id}/input_items"), ("GET", "/models"), ("POST", "/responses/{id}/cancel"),
    ("POST", "/files"), ("GET", "/files"), ("POST", "/vector_stores"), ("GET", "/nowhere"),
)
PREFIXES = ("/openai/v1",) * 4 + ("/openai",) * 3 + ("/openai/deployments/gpt-4o", "", "/openai/v1/")
METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "BREW")
VERSIONS = ("2025-04-01-preview", "2025-03-01-preview", "2024-10-21", "v1", "preview", "latest", "", "2025-13-45",
            "2025-04-01-preview\x00", "ünï", "%ff", "2025-04-01-preview&api-version=v1")

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=10), c, max_size=3),
                           max_leaves=6)
field_names = st.sampled_from(sorted(KNOWN_FIELDS)) | st.text(max_size=12)
create_bodies = st.fixed_dictionaries(
    {"model": st.sampled_from(["gpt-4o", "o4-mini", "gpt-image-1", "nope", ""]) | json_values},
    optional={"input": st.text(max_size=40) | json_values, "stream": st.booleans() | json_values},
).flatmap(lambda base: st.dictionaries(field_names, json_values, max_size=5).map(lambda extra: {**extra, **base}))


def _encode(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


bodies = st.one_of(
    create_bodies.map(_encode),
    create_bodies.map(_encode),
    json_values.map(_encode),
    st.binary(max_size=200),  # malformed JSON, bad UTF-8
    st.sampled_from([b"", b"{", b"[" * 50_000 + b"]" * 50_000, b'{"model": "gpt-4o", "input": "\xff\xfe"}',
                     b'{"model":"gpt-4o","input":"' + b"x" * 5_000_000 + b'"}', b"\x00" * 1000, b"NaN", b'{"a":1e999}',
                     b'{"model":"gpt-4o","input":"hi","metadata":{"k":"' + b"v" * 600 + b'"}}']),
    st.builds(lambda b: b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + b + b"\r\n--xy", st.binary(max_size=80)),
)
content_types = st.sampled_from([b"application/json", b"application/json; charset=latin-1", b"text/plain",
                                 b"multipart/form-data; boundary=xyz", b"multipart/form-data", b"", b"\xff\xfe/\xff"])
auths = st.sampled_from([(b"api-key", API_KEY.encode()), (b"authorization", b"Bearer " + API_KEY.encode()),
                         (b"authorization", b"Bearer eyJ.eyJ.sig"), (b"authorization", b"Basic \xff"),
                         (b"api-key", b""), (b"api-key", b"\xc3\x28")])
ids = st.sampled_from(["resp_0", "", "..", "%00", "resp_" + "f" * 5000, "ü", "resp_%2F..%2F", "{id}"]) | st.text(max_size=20)
queries = st.lists(
    st.tuples(st.sampled_from(["api-version", "limit", "order", "after", "before", "stream", "include[]", "x"]),
              st.sampled_from(VERSIONS) | st.text(max_size=10)),
    max_size=4,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogateescape"))


@st.composite
def requests(draw: st.DrawFn) -> Raw:
    method, route = draw(st.sampled_from(ROUTES))
    if draw(st.integers(0, 4)) == 0:
        method = draw(st.sampled_from(METHODS))
    path = draw(st.sampled_from(PREFIXES)) + route.replace("{id}", draw(ids))
    headers = [(b"content-type", draw(content_types))]
    if draw(st.integers(0, 5)):
        headers.append(draw(auths))
    if draw(st.booleans()):
        headers.append((b"content-length", draw(st.sampled_from([b"0", b"5", b"-1", b"abc", b"99999999999"]))))
    query = draw(queries)
    if draw(st.integers(0, 3)) and b"api-version" not in query:
        query = (b"api-version=2025-04-01-preview&" if not path.startswith("/openai/v1") else b"") + query
    return Raw(method, path, query, tuple(headers), draw(bodies) if method not in ("GET", "HEAD") or draw(st.booleans()) else b"",
               chunks=draw(st.integers(1, 3)))


def _check_shape(raw: Raw, reply: Any) -> None:
    """Every answer is JSON (or, for a valid `stream: true` request, an SSE stream), and every
    error is an Azure/OpenAI error object with a message."""
    if raw.method == "HEAD":
        return
    if reply.status == 200 and reply.headers.get(b"content-type", b"").startswith(b"text/event-stream"):
        assert reply.body.startswith(b"event: response.created"), reply.body[:200]
        return
    assert reply.headers.get(b"content-type", b"").startswith(b"application/json"), reply.headers
    body = json.loads(reply.body)
    if reply.status >= 400:
        assert isinstance(body.get("error"), dict) and body["error"].get("message"), body


def _fresh_app() -> Any:
    state = EmulatorState.create(api_key=API_KEY, seed=3, identity_header="id-secret", max_responses=50)
    state.bind_ports({5001: "aoai-swc", 5002: "aoai-eus2"})
    return create_app(state)


APP = _fresh_app()
LOOP = asyncio.new_event_loop()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(requests(), min_size=8, max_size=16))
def test_generated_requests_never_get_a_5xx_or_hang(batch: list[Raw]) -> None:
    async def run() -> None:
        for raw in batch:
            reply = await call(APP, raw)
            assert reply.status < 500, (raw, reply.status, reply.body[:300])
            _check_shape(raw, reply)

    LOOP.run_until_complete(run())


def test_bulk_mutated_requests_never_get_a_5xx_or_hang() -> None:
    """Thousands of seeded mutations of valid requests (mutations.py), against one app whose
    store fills and evicts as it goes; ids it returned are fed back into later requests.
    It must really exercise the app, not only its 404 path: its statuses are checked too
    (here, not in a later test, so that the check holds whichever xdist worker runs it)."""
    rng = random.Random(20251125)
    known: list[str] = []
    statuses: Counter[int] = Counter()

    async def run() -> None:
        for _ in range(BULK):
            raw = generate(rng, API_KEY, known)
            reply = await call(APP, raw)
            statuses[reply.status] += 1
            assert reply.status < 500, (raw.method, raw.path, raw.query, raw.body[:200], reply.body[:300])
            _check_shape(raw, reply)
            if reply.status == 200 and raw.method == "POST" and reply.body.startswith(b"{"):
                rid = json.loads(reply.body).get("id")
                if rid:
                    known.append(rid)
                    del known[:-20]

    LOOP.run_until_complete(run())
    print(f"\nfuzz: {sum(statuses.values())} bulk requests, statuses {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) == BULK
    assert {200, 400, 401, 404, 413} <= set(statuses) and statuses[200] > BULK // 10
