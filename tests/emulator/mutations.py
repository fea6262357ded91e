"""A fast, seeded request generator for bulk fuzzing: valid requests for every route, then
mutated (wrong types, unknown fields, broken JSON, bad UTF-8, huge and empty bodies, bad
multipart, wrong methods, versions and credentials).

Plain `random` rather than hypothesis: thousands of requests must cost seconds in CI;
the hypothesis property next to it shrinks failures on a smaller budget.
"""

from __future__ import annotations

import json
import random
from typing import Any

from asgi_driver import Raw

VALID_CREATE: dict[str, Any] = {
    "model": "gpt-4o", "input": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
    "instructions": "be brief", "max_output_tokens": 32, "metadata": {"k": "v"}, "store": True,
    "tools": [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}}],
    "tool_choice": "auto", "text": {"format": {"type": "text"}}, "temperature": 0.5, "include": [],
    "truncation": "auto", "previous_response_id": None,
}
ODD_VALUES: list[Any] = [None, True, 0, -1, 2**63, 1.5, 1e308, "", "x" * 5000, "\udcff", "ü\u0000", [], [[]], {}, {"": {}},
                         [None] * 50, {"type": 7}, "gpt-4o", "resp_x"]
VERSIONS = ["2025-04-01-preview"] * 4 + ["2025-03-01-preview", "2024-10-21", "v1", "preview", "", "bogus", "2025-04-01-preview%00"]
PREFIXES = ["/openai/v1", "/openai"]
ROUTES = [("POST", "/responses")] * 6 + [("GET", "/responses/{id}")] * 3 + [("GET", "/responses/{id}/input_items")] * 2 + [
          ("GET", "/responses/{id}"), ("DELETE", "/responses/{id}"),
          ("GET", "/responses/{id}/input_items"), ("GET", "/models"), ("POST", "/responses/{id}/cancel"),
          ("POST", "/files"), ("GET", "/files"), ("POST", "/vector_stores"), ("GET", "/openai/nowhere")]
DEEP = b"[" * 100_000
HUGE = b'{"model":"gpt-4o","input":"' + b"y" * 5_000_000 + b'"}'
NESTED_INPUT = b'{"model":"gpt-4o","input":' + b"[" * 900 + b"]" * 900 + b"}"
METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD"]


def _odd(rng: random.Random) -> Any:
    return rng.choice(ODD_VALUES)


def _mutate_json(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """Replace, drop or add a random node."""
    if isinstance(value, dict) and value and depth < 4:
        value = dict(value)
        key = rng.choice(list(value))
        roll = rng.random()
        if roll < 0.25:
            del value[key]
        elif roll < 0.5:
            value[key] = _odd(rng)
        elif roll < 0.6:
            value[rng.choice(["unknown_field", "Model", "input ", "__proto__"])] = _odd(rng)
        else:
            value[key] = _mutate_json(rng, value[key], depth + 1)
        return value
    if isinstance(value, list) and value and depth < 4:
        value = list(value)
        i = rng.randrange(len(value))
        value[i] = _mutate_json(rng, value[i], depth + 1) if rng.random() < 0.6 else _odd(rng)
        return value
    return _odd(rng)


def _body(rng: random.Random, known_ids: list[str]) -> tuple[bytes, bytes]:
    roll = rng.random()
    create = dict(VALID_CREATE)
    if known_ids and rng.random() < 0.3:
        create["previous_response_id"] = rng.choice(known_ids)
    if roll < 0.45:
        return b"application/json", json.dumps(create).encode()
    if roll < 0.75:
        mutated = create
        for _ in range(rng.randint(1, 4)):
            mutated = _mutate_json(rng, mutated)
        return b"application/json", json.dumps(mutated, ensure_ascii=False).encode("utf-8", "surrogatepass")
    raw = json.dumps(create).encode()
    choices: list[tuple[bytes, bytes]] = [
        (b"application/json", raw[: rng.randrange(len(raw))]),  # truncated
        (b"application/json", raw.replace(b"hi", b"\xff\xfe\xc3")),  # bad UTF-8
        (b"application/json", b""),
        (b"application/json", DEEP),
        (b"application/json", HUGE),  # over the 413 limit
        (b"application/json", NESTED_INPUT),
        (b"text/plain", raw),
        (b"multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xff\"\r\n\r\n" + raw),
        (b"multipart/form-data", b"--\r\n\r\n--"),
        (b"application/json", bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))),
        (b"application/json", b'{"model":"gpt-4o","input":"x","model":"o4-mini","stream":true}'),
    ]
    return rng.choice(choices)


def generate(rng: random.Random, api_key: str, known_ids: list[str]) -> Raw:
    method, route = rng.choice(ROUTES)
    if rng.random() < 0.1:
        method = rng.choice(METHODS)
    prefix = rng.choice(PREFIXES) if not route.startswith("/openai/") else ""
    rid = rng.choice(known_ids) if known_ids and rng.random() < 0.8 else rng.choice(["resp_0", "x" * 3000, "%ff", "ü", ".."])
    path = prefix + route.replace("{id}", rid)
    query = b""
    if prefix == "/openai" or rng.random() < 0.2:
        query = b"api-version=" + rng.choice(VERSIONS).encode()
    if "input_items" in path and rng.random() < 0.7:
        query += rng.choice([b"&limit=0", b"&limit=101", b"&limit=abc", b"&order=sideways", b"&after=zz", b"&limit=1&order=asc"])
    headers: list[tuple[bytes, bytes]] = []
    roll = rng.random()
    if roll < 0.8:
        headers.append((b"api-key", api_key.encode()))
    elif roll < 0.9:
        headers.append((b"authorization", rng.choice([b"Bearer " + api_key.encode(), b"Bearer eyJ.eyJ.x", b"Bearer", b"\xff"])))
    body = b""
    if method in ("POST", "PUT", "PATCH") or rng.random() < 0.05:
        content_type, body = _body(rng, known_ids)
        headers.append((b"content-type", content_type))
    return Raw(method, path, query, tuple(headers), body, chunks=rng.randint(1, 3))
