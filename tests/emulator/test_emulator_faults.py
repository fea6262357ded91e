"""Fault injection: seeded, after auth, with Azure's throttling headers, and broken streams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from emu_support import API_KEY, SWC, AppClient, create

from emulator.gateway.app import create_app
from emulator.gateway.faults import DroppedConnection, Injector, fault_settings
from emulator.state.profile import FaultSpec
from emulator.gateway.process import EmulatorState


def _client(**spec: object) -> AppClient:
    state = EmulatorState.create(api_key=API_KEY, fault_spec=FaultSpec.model_validate(spec))
    state.bind_ports({5001: "aoai-swc"})
    return AppClient(create_app(state), SWC, {"api-key": API_KEY})


def test_a_429_carries_retry_after_and_rate_limit_headers():
    client = _client(rate=1.0, weights={"429": 1}, retry_after_ms=1500)
    r = create(client, input="hi")
    assert r.status_code == 429
    assert r.headers["retry-after"] == "2" and r.headers["retry-after-ms"] == "1500"
    assert r.headers["x-ratelimit-remaining-requests"] == "0"
    assert "apim-request-id" in r.headers
    assert r.json()["error"]["code"] == "429"
    client.close()


@pytest.mark.parametrize("kind,status", [("500", 500), ("503", 503)])
def test_outages(kind, status):
    client = _client(rate=1.0, weights={kind: 1})
    assert create(client, input="hi").status_code == status
    client.close()


def test_faults_come_after_auth():
    client = _client(rate=1.0, weights={"429": 1})
    assert client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "hi"}, headers={"api-key": "bad"}).status_code == 401
    client.close()


def test_the_same_seed_gives_the_same_faults():
    def draws(seed: int) -> list[str | None]:
        injector = Injector(FaultSpec(rate=0.3, seed=seed))
        return [injector.draw("gpt-4o", streaming=True) for _ in range(200)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    share = sum(d is not None for d in draws(7)) / 200
    assert 0.15 < share < 0.45


def test_per_deployment_rate_and_json_replies_get_no_stream_faults():
    injector = Injector(FaultSpec(rate=0.0, deployments={"o4-mini": 1.0}))
    assert injector.draw("gpt-4o", streaming=False) is None
    kinds = {injector.draw("o4-mini", streaming=False) for _ in range(100)}
    assert kinds <= {"429", "500", "503", "slow"} and kinds


def test_cli_values_override_the_profile():
    spec = fault_settings(FaultSpec(rate=0.1, seed=1, retry_after_ms=9), 0.2, 7)
    assert (spec.rate, spec.seed, spec.retry_after_ms) == (0.2, 7, 9)


async def _frames() -> AsyncIterator[bytes]:
    for n in range(10):
        yield f'event: x\ndata: {{"type":"x","sequence_number":{n}}}\n\n'.encode()


def _collect(kind: str) -> tuple[list[bytes], BaseException | None]:
    injector = Injector(FaultSpec(rate=1.0, seed=3))

    async def run() -> tuple[list[bytes], BaseException | None]:
        got: list[bytes] = []
        try:
            async for frame in injector._broken(_frames(), kind):
                got.append(frame)
        except DroppedConnection as exc:
            return got, exc
        return got, None

    return asyncio.run(run())


def test_a_stream_error_event_follows_the_last_sequence_number():
    frames, exc = _collect("stream_error")
    assert exc is None and 2 <= len(frames) <= 5
    last = frames[-1].decode()
    assert last.startswith("event: error\n")
    assert f'"sequence_number":{len(frames) - 1}' in last
    assert '"code":"server_error"' in last or '"code":"rate_limit_exceeded"' in last


def test_a_dropped_stream_stops_without_a_terminal_frame():
    frames, exc = _collect("drop")
    assert isinstance(exc, DroppedConnection) and 1 <= len(frames) <= 4


def test_the_command_line_takes_background_and_fault_settings():
    from emulator.__main__ import build_parser

    args = build_parser().parse_args(["--background-ms", "50", "--faults", "0.2", "--fault-seed", "7"])
    assert (args.background_ms, args.faults, args.fault_seed) == (50, 0.2, 7)


def test_the_emulator_applies_command_line_faults_over_the_profile():
    from emulator.server import Emulator

    emu = Emulator(api_key="k", faults=0.2, fault_seed=7, background_ms=50)
    assert (emu.state.faults.spec.rate, emu.state.faults.spec.seed, emu.state.background_ms) == (0.2, 7, 50)
