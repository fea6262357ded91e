"""Preflight for the other target kinds: what a 404 or a 401 means depends on what the target is."""

from __future__ import annotations

from pathlib import Path

from conformance.client import auth
from conformance.live import preflight
from conformance.client.factory import Connection
from conformance.model.targets import load_targets

from test_preflight import MODELS, stub

KINDS = """
[[resources]]
name = "{name}"
provider = "{provider}"
endpoint = "{endpoint}"
region = "here"
key_env = "PF_KEY"
  [[resources.deployments]]
  name = "m"
  model = "m"

[[matrix]]
resource = "{name}"
api = ["v1"]
auth = ["key"]
deployment = ["m"]
"""


def _check(tmp_path: Path, provider: str, endpoint: str) -> preflight.Outcome:
    path = tmp_path / "t.toml"
    path.write_text(KINDS.format(name="r", provider=provider, endpoint=endpoint))
    targets = load_targets(path)
    return preflight.check(targets, lambda t: Connection(t.endpoint, auth.key_for(t, {"PF_KEY": "k" * 32})), timeout=2.0)


def test_a_compatible_server_without_a_models_list_is_kept_with_a_note(tmp_path: Path) -> None:
    with stub({}) as url:  # 404 everywhere, as many Responses mocks and gateways answer /models
        outcome = _check(tmp_path, "compatible", url + "/v1")
    assert [t.kind for t in outcome.usable] == ["compatible"] and not outcome.problems
    assert "serves no models list (404" in outcome.notes[0].message


def test_a_compatible_server_that_refuses_the_key_names_key_env(tmp_path: Path) -> None:
    with stub({"/v1/models": (401, {"error": {"message": "bad key"}})}) as url:
        outcome = _check(tmp_path, "compatible", url + "/v1")
    assert not outcome.usable
    assert "refused the credentials (401: bad key): check that PF_KEY holds the server's key" in outcome.problems[0].message


def test_a_project_endpoint_that_serves_nothing_shows_the_project_form(tmp_path: Path) -> None:
    with stub({}) as url:
        outcome = _check(tmp_path, "azure", url + "/api/projects/p")
    assert not outcome.usable
    assert "https://<account>.services.ai.azure.com/api/projects/<project>" in outcome.problems[0].message


def test_a_healthy_project_is_probed_below_its_path(tmp_path: Path) -> None:
    with stub({"/api/projects/p/openai/v1/models": MODELS}) as url:
        outcome = _check(tmp_path, "azure", url + "/api/projects/p")
    assert [t.kind for t in outcome.usable] == ["project"] and not outcome.problems
