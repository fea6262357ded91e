"""Stored state is bounded: over thousands of requests the emulator's heap stays flat, because
the store evicts by count (and by age, when retention is set)."""

from __future__ import annotations

import asyncio
import gc
import json
import sys

from asgi_driver import Raw, call

from emulator.gateway.app import create_app
from emulator.gateway.process import EmulatorState
from emulator.state.store import ResponseStore

KEY = "memory-test-key"
HEADERS = ((b"api-key", KEY.encode()), (b"content-type", b"application/json"))


def _blocks() -> int:
    """Live pymalloc blocks: a cheap heap measure (tracemalloc would slow every request 7x)."""
    gc.collect()
    return sys.getallocatedblocks()


def _drive(app: object, count: int, first: int = 0) -> None:
    async def run() -> None:
        previous = None
        for i in range(first, first + count):
            body = {"model": "gpt-4o", "input": f"request {i}: tell me a joke", "max_output_tokens": 16}
            if previous is not None and i % 3:
                body["previous_response_id"] = previous  # conversations: parents stay referenced
            reply = await call(app, Raw("POST", "/openai/v1/responses", b"", HEADERS, json.dumps(body).encode()))
            if reply.status == 200:
                previous = json.loads(reply.body)["id"] if i % 10 else None
            else:
                previous = None
            assert reply.status in (200, 400), reply.body[:200]

    asyncio.run(run())


#: Requests measured after the warm-up, and the growth allowed per request. An unbounded store
#: keeps ~87 blocks per response (measured); the bounded one grows ~0.4 blocks per request
#: (caches, interned strings). The allowance is the one the test always had (20,000 blocks over
#: 9,000 requests), so a leak is caught at the same size per request with a fifth of the requests.
MEASURED = 2_000
BLOCKS_PER_REQUEST = 20_000 / 9_000


def test_memory_stays_flat_over_thousands_of_requests() -> None:
    state = EmulatorState.create(api_key=KEY, max_responses=200)
    app = create_app(state)
    _drive(app, 500)  # fill the store (200) twice over, warm every cache
    before = _blocks()
    _drive(app, MEASURED, first=500)
    after = _blocks()
    assert len(state.stores["aoai-swc"]) == 200
    # An unbounded store would keep ~2,000 more responses: ~170,000 blocks.
    allowed = int(MEASURED * BLOCKS_PER_REQUEST)
    assert after - before < allowed, f"heap grew by {after - before} blocks over {MEASURED:,} requests (allowed {allowed:,})"


def test_the_heap_measure_sees_an_unbounded_store() -> None:
    """The control: with eviction off, the same drive is far over the allowance."""
    state = EmulatorState.create(api_key=KEY, max_responses=10**9)
    app = create_app(state)
    _drive(app, 100)
    before = _blocks()
    _drive(app, 300, first=100)
    assert _blocks() - before > 300 * BLOCKS_PER_REQUEST * 5


def test_retention_drops_expired_responses() -> None:
    now = [0.0]
    store = ResponseStore(max_responses=1_000, retention_seconds=60, clock=lambda: now[0])
    state = EmulatorState.create(api_key=KEY, max_responses=1_000, retention_seconds=60)
    app = create_app(state)
    _drive(app, 30)
    records = list(state.stores["aoai-swc"]._records.values())
    for i, record in enumerate(records[:20]):
        now[0] = float(i)
        store.put(record)
    assert len(store) == 20
    now[0] = 70.0  # the first 11 (stored at t=0..10) are older than 60 s
    assert store.get(records[0].id) is None
    assert len(store) == 9 and store.get(records[19].id) is not None


def test_count_eviction_drops_the_oldest() -> None:
    state = EmulatorState.create(api_key=KEY, max_responses=5)
    _drive(create_app(state), 12)
    assert len(state.stores["aoai-swc"]) == 5


def test_a_conversation_past_the_context_window_is_refused() -> None:
    state = EmulatorState.create(api_key=KEY)
    state.context_tokens = 200
    app = create_app(state)

    async def run() -> dict:
        previous, turns = None, 0
        while True:
            body = {"model": "gpt-4o", "input": "tell me a long joke " * 5, "max_output_tokens": 32}
            if previous:
                body["previous_response_id"] = previous
            reply = await call(app, Raw("POST", "/openai/v1/responses", b"", HEADERS, json.dumps(body).encode()))
            if reply.status != 200:
                return {"turns": turns, "status": reply.status, **json.loads(reply.body)}
            previous, turns = json.loads(reply.body)["id"], turns + 1
            assert turns < 100

    refused = asyncio.run(run())
    assert refused["status"] == 400 and refused["turns"] >= 2
    assert refused["error"]["code"] == "context_length_exceeded" and refused["error"]["param"] == "input"


def test_limits_are_configurable_from_the_command_line() -> None:
    from emulator.__main__ import build_parser
    from emulator.server import Emulator

    args = build_parser().parse_args(["--max-responses", "7", "--retention-seconds", "30", "--max-body-bytes", "1000"])
    emulator = Emulator(api_key=KEY, max_responses=args.max_responses, retention_seconds=args.retention_seconds,
                        max_body_bytes=args.max_body_bytes)
    store = emulator.state.stores["aoai-swc"]
    assert (store.max_responses, store.retention_seconds, emulator.state.max_body_bytes) == (7, 30.0, 1000)
    big = json.dumps({"model": "gpt-4o", "input": "x" * 2000}).encode()
    reply = asyncio.run(call(emulator.app, Raw("POST", "/openai/v1/responses", b"", HEADERS, big)))
    assert reply.status == 413 and json.loads(reply.body)["error"]["code"] == "RequestEntityTooLarge"
