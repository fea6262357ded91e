"""Fixtures for the emulator's own tests: an in-process app per test (fast, isolated)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emu_support import API_KEY, SWC, AppClient

from emulator.gateway.app import create_app
from emulator.gateway.process import EmulatorState


@pytest.fixture
def state() -> EmulatorState:
    st = EmulatorState.create(api_key=API_KEY, seed=7, identity_header="id-secret")
    st.bind_ports({5001: "aoai-swc", 5002: "aoai-eus2"})
    return st


@pytest.fixture
def client(state: EmulatorState) -> Iterator[AppClient]:
    """A client on resource aoai-swc (port 5001), authenticated with the API key."""
    c = AppClient(create_app(state), SWC, {"api-key": API_KEY})
    yield c
    c.close()


@pytest.fixture
def anon(state: EmulatorState) -> Iterator[AppClient]:
    """A client on aoai-swc sending no credentials."""
    c = AppClient(create_app(state), SWC)
    yield c
    c.close()
