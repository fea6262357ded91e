"""Target kinds: Foundry projects, api.openai.com and any compatible Responses server.

Each kind's targets-file rules give a clear error naming the key and the fix; each kind
builds the client a user of it would write; Azure-only features are skipped elsewhere.
"""

from pathlib import Path

import openai
import pytest

from conformance.model import features
from conformance.client.auth import NO_KEY, CredentialError, key_for
from conformance.client.factory import Connection, build_client
from conformance.model.targets import OPENAI_BASE_URL, PROJECT_SCOPE, TargetsError, load_targets

PROJECT = """
[[resources]]
name = "proj"
endpoint = "https://acct.services.ai.azure.com/api/projects/halcyon"
region = "swedencentral"
  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"

[[matrix]]
resource = "proj"
api = {api}
auth = ["key", "entra"]
deployment = ["gpt-4o"]
"""

OTHERS = """
[[resources]]
name = "oai"
provider = "openai"
  [[resources.deployments]]
  name = "gpt-4.1-mini"
  model = "gpt-4.1-mini"

[[resources]]
name = "vllm"
provider = "compatible"
endpoint = "http://127.0.0.1:8000/v1"
  [[resources.deployments]]
  name = "qwen"
  model = "Qwen/Qwen3-8B"

[[matrix]]
resource = "oai"
api = ["v1"]
auth = ["key"]
deployment = ["gpt-4.1-mini"]

[[matrix]]
resource = "vllm"
api = {api}
auth = {auth}
deployment = ["qwen"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


def test_a_foundry_project_is_a_v1_target_with_its_own_kind_id_and_scope(tmp_path):
    targets = load_targets(write(tmp_path, PROJECT.format(api='["v1"]')))
    assert [t.id for t in targets] == ["project-key-gpt-4o@swedencentral", "project-entra-gpt-4o@swedencentral"]
    assert {t.kind for t in targets} == {"project"}
    assert targets[0].endpoint_path == "/api/projects/halcyon"
    assert targets[1].entra_scope == PROJECT_SCOPE == "https://ai.azure.com/.default"


def test_a_foundry_project_with_a_dated_api_version_names_the_fix(tmp_path):
    with pytest.raises(TargetsError, match=r"matrix\[0\]: api: a Foundry project endpoint .* serves the v1 API only"):
        load_targets(write(tmp_path, PROJECT.format(api='["v1", "2025-04-01-preview"]')))


def test_a_pasted_project_openai_path_names_the_base_url(tmp_path):
    text = PROJECT.format(api='["v1"]').replace("/api/projects/halcyon", "/api/projects/halcyon/openai/v1/")
    with pytest.raises(TargetsError, match=r"use the base URL 'https://acct.services.ai.azure.com/api/projects/halcyon'"):
        load_targets(write(tmp_path, text))


def test_openai_and_compatible_targets_default_their_endpoint_key_and_region(tmp_path):
    targets = load_targets(write(tmp_path, OTHERS.format(api='["v1"]', auth='["key"]')))
    oai, local = targets
    assert (oai.id, oai.kind, oai.endpoint, oai.key_env) == ("openai-key-gpt-4.1-mini@openai", "openai", OPENAI_BASE_URL, "OPENAI_API_KEY")
    assert (local.id, local.kind, local.endpoint, local.key_env) == ("compatible-key-qwen@local", "compatible", "http://127.0.0.1:8000/v1", "")
    assert key_for(local, environ={}) == NO_KEY, "a compatible server without key_env takes no key"
    with pytest.raises(CredentialError, match="OPENAI_API_KEY=sk-"):
        key_for(oai, environ={})


@pytest.mark.parametrize(("api", "auth", "fix"), [
    ('["2025-04-01-preview"]', '["key"]', r"provider 'compatible' has no api-version .* use api = \[\"v1\"\]"),
    ('["v1?api-version=preview"]', '["key"]', r"has no api-version"),
    ('["v1"]', '["entra"]', r"provider 'compatible' takes an API key only .* Entra ID is Azure's"),
])
def test_what_other_providers_cannot_be_asked_for_is_refused_with_the_fix(tmp_path, api, auth, fix):
    with pytest.raises(TargetsError, match=fix):
        load_targets(write(tmp_path, OTHERS.format(api=api, auth=auth)))


@pytest.mark.parametrize(("change", "message"), [
    (('endpoint = "http://127.0.0.1:8000/v1"\n', ""), r"provider 'compatible' needs an `endpoint`"),
    (('provider = "openai"\n', 'provider = "openai"\nendpoint = "https://example.com/v1"\n'), r"for another server use provider = \"compatible\""),
    (('endpoint = "http://127.0.0.1:8000/v1"', 'endpoint = "emulator://aoai-swc"'), r"emulator:// endpoints are Azure resources"),
])
def test_a_provider_endpoint_mistake_names_the_key(tmp_path, change, message):
    with pytest.raises(TargetsError, match=message):
        load_targets(write(tmp_path, OTHERS.format(api='["v1"]', auth='["key"]').replace(*change, 1)))


def test_an_azure_resource_without_a_region_is_refused(tmp_path):
    with pytest.raises(TargetsError, match=r"needs a `region`"):
        load_targets(write(tmp_path, PROJECT.format(api='["v1"]').replace('region = "swedencentral"\n', "")))


def test_other_providers_get_the_plain_openai_client_on_their_base_url(tmp_path):
    oai, local = load_targets(write(tmp_path, OTHERS.format(api='["v1"]', auth='["key"]')))
    for target, key in ((oai, "sk-test"), (local, NO_KEY)):
        client = build_client(target, Connection(target.endpoint, key))
        assert type(client) is openai.OpenAI
        assert str(client.base_url) == target.endpoint + "/"
        assert client.api_key == key and not client._custom_query, "no api-version on other servers"


def test_a_project_client_calls_below_the_project_path(tmp_path):
    key_target = load_targets(write(tmp_path, PROJECT.format(api='["v1"]')))[0]
    client = build_client(key_target, Connection(key_target.endpoint, "k" * 32))
    assert str(client.base_url) == "https://acct.services.ai.azure.com/api/projects/halcyon/openai/v1/"


def test_azure_only_features_are_not_applicable_elsewhere_and_conversations_not_on_resources():
    assert features.get("errors.api_version").applies_to("openai") is not None
    assert features.get("errors.api_version").applies_to("project") is None
    assert features.get("responses.create").applies_to("compatible") is None
    reason = features.get("conversations").applies_to("resource")
    assert reason is not None and "learn.microsoft.com/en-us/answers/a/12821516" in reason
    assert features.get("conversations").applies_to("project") is None


def test_a_deployment_name_with_a_slash_is_refused_with_the_fix(tmp_path):
    text = OTHERS.format(api='["v1"]', auth='["key"]').replace('name = "qwen"', 'name = "Qwen/Qwen3-8B"').replace(
        'deployment = ["qwen"]', 'deployment = ["Qwen/Qwen3-8B"]')
    with pytest.raises(TargetsError, match=r"a deployment name has no '/'.*serve a model such as"):
        load_targets(write(tmp_path, text))


def test_cleanup_reaches_other_kinds_with_their_own_client_and_key(tmp_path, monkeypatch):
    from conformance.live import cleanup
    from conformance.recording.scrub import Scrubber

    oai, local = load_targets(write(tmp_path, OTHERS.format(api='["v1"]', auth='["key"]')))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-proj-" + "x" * 40)
    secrets = Scrubber()
    oai_client = cleanup._client(oai, secrets)
    local_client = cleanup._client(local, secrets)
    assert str(oai_client.base_url) == "https://api.openai.com/v1/" and type(oai_client) is openai.OpenAI
    assert str(local_client.base_url) == "http://127.0.0.1:8000/v1/" and local_client.api_key == NO_KEY
    assert secrets.scrub_text("key sk-proj-" + "x" * 40) == "key <SECRET>", "the key it used is known to the scrubber"
