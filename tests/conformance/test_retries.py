"""The SDK, configured from the targets file, retries what the emulator throttles or delays.

The suite does not re-implement retries: openai's client retries 429/5xx/timeouts honouring
``retry-after-ms`` (learn.microsoft.com/azure/foundry/openai/how-to/quota). These tests pin that the settings reach it and that
what remains after the retries is ``inconclusive``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from conformance.client.factory import Connection, build_client
from conformance.model.targets import Target
from conformance.outcome.verdicts import Verdict, from_exception
from emulator.state.profile import FaultSpec
from emulator.server import Emulator

KEY = "retry-key"


def _target() -> Target:
    return Target(resource="aoai-swc", provider="azure", endpoint="emulator://aoai-swc", region="swedencentral",
                  api="v1", api_version_query=None, auth="key", deployment="gpt-4o", model="gpt-4o",
                  model_version=None, capabilities=frozenset(), image_deployment=None, key_env="X",
                  entra_scope="s")


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = Emulator(api_key=KEY)
    with emu:
        yield emu


def _client(emu: Emulator, spec: FaultSpec, max_retries: int, timeout: float) -> openai.OpenAI:
    from emulator.gateway.faults import Injector

    emu.state.faults = Injector(spec)
    url = emu.info["resources"]["aoai-swc"]["url"]
    return build_client(_target(), Connection(endpoint=url, api_key=KEY, max_retries=max_retries, timeout=timeout))  # type: ignore[return-value]


class _Sleeps:
    """The SDK's ``time`` module with ``sleep`` recorded instead of slept: the back-off is read,
    not timed (a wall-clock bound fails on a loaded machine)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.calls.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> _Sleeps:
    import openai._base_client as base  # where openai 1.x to 3.x sleep between retries

    recorder = _Sleeps()
    monkeypatch.setattr(base, "time", recorder)
    return recorder


def test_throttling_is_retried_after_retry_after_ms_then_inconclusive(emulator, sleeps):
    client = _client(emulator, FaultSpec(rate=1.0, weights={"429": 1}, retry_after_ms=20), max_retries=3, timeout=10)
    with pytest.raises(openai.RateLimitError) as throttled:
        client.responses.create(model="gpt-4o", input="hi")
    assert emulator.state.faults.counts["429"] == 4  # the first call and three retries
    # retry-after-ms honoured: 20 ms before each retry, not the default back-off (0.5 s and up)
    assert sleeps.calls == pytest.approx([0.02] * 3), sleeps.calls
    verdict, evidence = from_exception(throttled.value)
    assert verdict is Verdict.INCONCLUSIVE and evidence.headers["retry-after-ms"] == "20"


def test_a_slow_reply_beyond_the_timeout_is_retried_then_inconclusive(emulator):
    client = _client(emulator, FaultSpec(rate=1.0, weights={"slow": 1}, slow_ms=400), max_retries=1, timeout=0.1)
    with pytest.raises(openai.APITimeoutError) as timed_out:
        client.responses.create(model="gpt-4o", input="hi")
    assert emulator.state.faults.counts["slow"] == 2
    assert from_exception(timed_out.value)[0] is Verdict.INCONCLUSIVE


def test_a_fault_that_clears_on_retry_is_never_seen(emulator):
    client = _client(emulator, FaultSpec(rate=0.5, seed=1, weights={"503": 1}, retry_after_ms=1), max_retries=5, timeout=10)
    for _ in range(5):
        assert client.responses.create(model="gpt-4o", input="hi").status == "completed"
    assert emulator.state.faults.counts["503"] > 0


@pytest.mark.parametrize("kind", ["drop", "stream_error"])
def test_a_stream_broken_mid_way_is_inconclusive(emulator, kind):
    from conformance.outcome.stream_errors import events_of

    client = _client(emulator, FaultSpec(rate=1.0, weights={kind: 1}), max_retries=0, timeout=10)
    stream = client.responses.create(model="gpt-4o", input="Write me a poem about the sea.", stream=True)
    with pytest.raises(Exception) as broken:
        list(events_of(stream))
    assert from_exception(broken.value)[0] is Verdict.INCONCLUSIVE, repr(broken.value)
