"""`conformance cleanup` with a resource it cannot reach: one line for it, the others still cleaned."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2 as httpx
import openai
import pytest

import conformance.live.cleanup as cleanup_module
from conformance.live.journal import Journal
from conformance.model.targets import load_targets
import forkserver
from live_support import ROOT, clean_env


def _targets() -> tuple[Any, Any]:
    base = next(t for t in load_targets("targets/emulator.toml") if t.is_v1 and t.auth == "key")
    return (replace(base, resource="dead", endpoint="https://dead.openai.azure.com"),
            replace(base, resource="alive", endpoint="https://alive.openai.azure.com"))


class _Client:
    """`dead` refuses the connection on every call; `alive` answers and deletes."""

    def __init__(self, reachable: bool) -> None:
        self.reachable, self.deleted = reachable, []
        self.files = SimpleNamespace(list=self._list, delete=self.deleted.append)
        self.vector_stores = SimpleNamespace(list=self._list, delete=self.deleted.append)
        self.responses = SimpleNamespace(delete=self._delete)
        self.models = SimpleNamespace(list=self._list)  # cleanup's reachability probe

    def with_options(self, **_: Any) -> "_Client":
        return self

    def _call(self) -> None:
        if not self.reachable:
            request = httpx.Request("GET", "https://dead.openai.azure.com/openai/v1/responses")
            try:
                raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
            except httpx.ConnectError as err:
                raise openai.APIConnectionError(request=request) from err

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._call()
        return {"metadata": {"conformance": "1"}, "object": "response"}

    def _list(self) -> list[Any]:
        self._call()
        return []

    def _delete(self, object_id: str) -> None:
        self._call()
        self.deleted.append(object_id)

    def __enter__(self) -> "_Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def test_an_unreachable_resource_is_one_line_and_the_next_one_is_still_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dead, alive = _targets()
    journal = Journal(tmp_path / "j.jsonl", run="r")
    for target, ids in ((dead, ("resp_d1", "resp_d2")), (alive, ("resp_a1",))):
        for object_id in ids:
            journal.created("response", object_id, resource=target.resource, endpoint=target.endpoint, target=target.id)
    clients = {"dead": _Client(False), "alive": _Client(True)}
    monkeypatch.setattr(cleanup_module, "_client", lambda target, secrets: clients[target.resource])
    monkeypatch.setitem(cleanup_module.KINDS, "response", replace(cleanup_module.KINDS["response"], is_ours=lambda c, i: bool(c.get(i))))
    out = io.StringIO()
    outcome = cleanup_module.cleanup([dead, alive], journal, out=out)
    lines = out.getvalue().splitlines()
    assert clients["alive"].deleted == ["resp_a1"], lines
    failed = [line for line in lines if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED dead ("), lines  # (its host is masked)
    assert failed[0].endswith("): cannot reach it (ConnectError: [Errno -2] Name or service not known); "
                              "its objects stay journaled for a later cleanup"), lines
    assert lines[-1] == "conformance cleanup: 1 deleted, 0 already gone, 0 left alone, 1 failed", lines
    # what could not be reached stays journaled, what was deleted does not
    assert sorted(e.id for e in Journal(tmp_path / "j.jsonl").alive()) == ["resp_d1", "resp_d2"]
    assert len(outcome.failed) == 1


def test_the_command_against_a_closed_port_prints_no_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    targets = tmp_path / "t.toml"
    targets.write_text(f'[[resources]]\nname = "r"\nendpoint = "http://127.0.0.1:{port}"\nregion = "x"\n'
                       '[[resources.deployments]]\nname = "d"\nmodel = "m"\n'
                       '[[matrix]]\nresource = "r"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["d"]\n')
    run = forkserver.run([sys.executable, "-m", "conformance.cli", "cleanup", "--targets", str(targets)], cwd=ROOT,
                         env=clean_env(AZURE_OPENAI_API_KEY="k" * 32, CONFORMANCE_JOURNAL=str(tmp_path / "j.jsonl")),
                         capture_output=True, text=True, timeout=120)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Traceback" not in out and len(out.splitlines()) == 2, out
    assert out.splitlines()[0].startswith(f"FAILED r (http://127.0.0.1:{port}): cannot reach it (ConnectError"), out
