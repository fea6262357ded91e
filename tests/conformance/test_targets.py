"""Loading targets: the default matrix, expansion, ids, and errors that name file and key."""

from pathlib import Path

import pytest

from conformance.model.targets import TargetsError, load_targets

GOOD = """
[[resources]]
name = "r1"
endpoint = "https://r1.openai.azure.com/"
region = "eastus"
  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"

[[matrix]]
resource = "r1"
api = ["2025-04-01-preview", "v1", "v1?api-version=preview"]
auth = ["key", "entra"]
deployment = ["gpt-4o"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


def test_the_default_matrix_covers_every_api_and_auth_pair_on_one_resource():
    targets = load_targets()
    pairs = {(t.api_label, t.auth) for t in targets if t.resource == "aoai-swc" and t.deployment == "gpt-4o"}
    apis = {"2025-03-01-preview", "2025-04-01-preview", "v1", "v1-preview"}
    assert pairs == {(api, auth) for api in apis for auth in ("key", "entra")}
    assert len({t.region for t in targets}) >= 2
    assert {"gpt-4o", "gpt-4.1", "o4-mini"} <= {t.deployment for t in targets}
    assert all(t.on_emulator for t in targets)


def test_a_matrix_expands_to_readable_unique_ids(tmp_path):
    targets = load_targets(write(tmp_path, GOOD))
    assert [t.id for t in targets] == [
        "2025-04-01-preview-key-gpt-4o@eastus",
        "2025-04-01-preview-entra-gpt-4o@eastus",
        "v1-key-gpt-4o@eastus",
        "v1-entra-gpt-4o@eastus",
        "v1-preview-key-gpt-4o@eastus",
        "v1-preview-entra-gpt-4o@eastus",
    ]
    assert targets[0].endpoint == "https://r1.openai.azure.com"
    assert targets[4].api == "v1" and targets[4].api_version_query == "preview"
    assert targets[0].key_env == "AZURE_OPENAI_API_KEY"


def test_describe_publishes_no_endpoint(tmp_path):
    described = load_targets(write(tmp_path, GOOD))[0].describe()
    assert "r1.openai.azure.com" not in repr(described)


@pytest.mark.parametrize(
    "broken, expected",
    [
        (GOOD.replace('auth = ["key", "entra"]', 'auth = ["key", "aad"]'), "matrix[0].auth[1]"),
        (GOOD.replace('region = "eastus"', 'regoin = "eastus"'), "resources[0].regoin (resource 'r1'): unknown key"),
        (GOOD.replace('"v1?api-version=preview"', '"v2"'), "'v2' is not an API flavour"),
        (GOOD.replace('endpoint = "https://r1.openai.azure.com/"', 'endpoint = "r1.openai.azure.com"'), "resources[0].endpoint"),
        (GOOD.replace('resource = "r1"', 'resource = "r2"'), "matrix[0].resource: no resource named 'r2'"),
        (GOOD.replace('deployment = ["gpt-4o"]', 'deployment = ["gpt-5"]'), "has no deployment 'gpt-5'"),
        (GOOD.replace("[[matrix]]", "[[matrix]"), "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(tmp_path, broken, expected):
    path = write(tmp_path, broken)
    with pytest.raises(TargetsError) as error:
        load_targets(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_a_missing_file_says_how_to_start_one(tmp_path):
    with pytest.raises(TargetsError, match="azure.example.toml"):
        load_targets(tmp_path / "nope.toml")


def test_image_url_is_optional_and_reaches_the_target(tmp_path):
    assert all(t.image_url is None for t in load_targets(write(tmp_path, GOOD)))
    with_url = GOOD.replace('region = "eastus"', 'region = "eastus"\nimage_url = "https://example.com/a.png"')
    assert {t.image_url for t in load_targets(write(tmp_path, with_url))} == {"https://example.com/a.png"}


def test_mcp_server_url_is_optional_and_reaches_the_target(tmp_path):
    assert all(t.mcp_server_url is None for t in load_targets(write(tmp_path, GOOD)))
    with_url = GOOD.replace('region = "eastus"', 'region = "eastus"\nmcp_server_url = "https://mcp.example.com/mcp"')
    assert {t.mcp_server_url for t in load_targets(write(tmp_path, with_url))} == {"https://mcp.example.com/mcp"}
