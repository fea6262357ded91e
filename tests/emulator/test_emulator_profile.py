"""Profile loading and validation."""

from __future__ import annotations

import pytest

from emulator.state.profile import ProfileError, load_profile
from emulator.state.store import ResponseStore


def test_default_profile():
    p = load_profile()
    assert p.api_versions.responses == ("2025-03-01-preview", "2025-04-01-preview")
    assert {"2024-10-21", "2025-01-01-preview", "2025-02-01-preview"} <= set(p.api_versions.older)
    assert [(r.name, r.region, r.region_display) for r in p.resources] == [
        ("aoai-swc", "swedencentral", "Sweden Central"),
        ("aoai-eus2", "eastus2", "East US 2"),
    ]
    swc = p.resource("aoai-swc")
    assert swc is not None
    assert [d.name for d in swc.deployments] == ["gpt-4o", "gpt-4.1", "o4-mini", "gpt-5-mini", "gpt-5.6-sol", "o3-pro", "gpt-image-1"]
    o4 = swc.deployment("o4-mini")
    assert o4 is not None and o4.kind == "reasoning" and "reasoning_summary" in o4.capabilities
    assert swc.deployment("gpt-image-1").kind == "image"  # type: ignore[union-attr]
    for feature in ("background", "mcp", "image_generation"):
        assert p.feature_enabled(feature, "v1")
        assert not p.feature_enabled(feature, "2025-04-01-preview")
    assert p.feature_enabled("anything-unlisted", "2025-03-01-preview")


def test_bad_profile_names_the_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[api_versions]\nresponses = ["x"]\n[[resources]]\nname = "r"\nregion = "westus"\n')
    with pytest.raises(ProfileError, match=r"resources\.0\.region_display"):
        load_profile(path)


def test_unknown_key_rejected(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[api_versions]\nresponses = ["x"]\n[[resources]]\nname = "r"\nregion = "w"\nregion_display = "W"\ncolour = 1\n'
    )
    with pytest.raises(ProfileError, match="colour"):
        load_profile(path)


def test_missing_and_invalid_toml(tmp_path):
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[[")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)


def test_store_rejects_zero_bound():
    with pytest.raises(ValueError):
        ResponseStore(0)


def test_tool_gates_in_the_default_profile():
    from emulator.state.profile import load_profile

    profile = load_profile()
    assert profile.feature_enabled("web_search", "v1") and not profile.feature_enabled("web_search", "2025-04-01-preview")
    assert not profile.feature_enabled("mcp", "2025-04-01-preview") and profile.feature_enabled("mcp", "v1")
    assert profile.feature_in_region("code_interpreter", "eastus2")
    assert not profile.feature_in_region("code_interpreter", "swedencentral")
    assert profile.feature_in_region("file_search", "swedencentral")
