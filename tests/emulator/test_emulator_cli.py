"""In-process checks of the CLI's failure paths and of running the server in a thread."""

from __future__ import annotations

import socket

import httpx2

from emulator.__main__ import main
from emulator.server import Emulator, url_host


def test_bad_profile_exits_2(tmp_path, capsys):
    assert main(["--profile", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read profile" in capsys.readouterr().err


def test_port_in_use_exits_1(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port), "--api-key", "k"]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_emulator_in_a_thread(tmp_path):
    ready = tmp_path / "ready.json"
    with Emulator(api_key="k", ready_file=ready) as emu:
        assert ready.exists()
        url = emu.info["resources"]["aoai-eus2"]["url"]
        r = httpx2.post(url + "/openai/v1/responses", json={"model": "gpt-4o", "input": "Reply OK"}, headers={"api-key": "k"})
        assert r.status_code == 200 and r.headers["x-ms-region"] == "East US 2"
        assert emu.state.stores["aoai-eus2"].get(r.json()["id"]) is not None
        assert emu.state.stores["aoai-swc"].get(r.json()["id"]) is None


def test_url_host():
    assert url_host("0.0.0.0") == "127.0.0.1"
    assert url_host("::") == "[::1]"
    assert url_host("::1") == "[::1]"
    assert url_host("127.0.0.1") == "127.0.0.1"
