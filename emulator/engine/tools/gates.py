"""Which tool types a request may use, decided by the profile per api-version and region.

Azure added tools over time (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle: MCP and image generation come with the v1
API; web search and code interpreter were long refused: learn.microsoft.com/azure/foundry/openai/how-to/web-search). The profile's
``[features]`` and ``[feature_regions]`` tables hold those facts as data.
"""

from __future__ import annotations

from typing import Any

from emulator.wire import errors
from emulator.state.profile import Profile, Resource
from emulator.wire.versions import Api

FEATURE_OF_TOOL = {
    "mcp": "mcp",
    "image_generation": "image_generation",
    "web_search": "web_search",
    "web_search_preview": "web_search",
    "code_interpreter": "code_interpreter",
    "file_search": "file_search",
}


def check_tools(tools: list[dict[str, Any]], api: Api, profile: Profile, resource: Resource, model: str | None = None) -> None:
    """Raise Azure's 400 for the first tool the api-version, region or model does not offer."""
    for index, tool in enumerate(tools):
        kind = str(tool.get("type"))
        if model is not None and not profile.tool_for_model(kind, model):
            raise errors.tool_not_supported(kind, index, f"with model {model}")
        feature = FEATURE_OF_TOOL.get(kind)
        if feature is None:
            continue
        if not profile.feature_enabled(feature, api.name):
            where = "on the v1 API only" if api.name != "v1" else "with this API version"
            raise errors.tool_not_supported(kind, index, f"for api-version {api.name}; it is available {where}")
        if not profile.feature_in_region(feature, resource.region):
            raise errors.tool_not_supported(kind, index, f"in region {resource.region}")
