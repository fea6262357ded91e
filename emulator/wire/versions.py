"""Which API a request speaks: the v1 path or a dated ``api-version``, and whether it may.

Errors split in two, because Azure's gateway treats them differently: a dated path without a
usable version does not match any operation (404, reported before auth), while a version that
exists but cannot serve the operation is a 400 reported after auth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from emulator.wire import errors
from emulator.wire.errors import ApiError
from emulator.state.profile import V1, ApiVersions

Flavour = Literal["v1", "dated"]


@dataclass(frozen=True, slots=True)
class Api:
    """The api flavour of one request and the ``api-version`` query it sent (None if absent)."""

    flavour: Flavour
    version: str | None

    @property
    def name(self) -> str:
        """``"v1"`` or the dated version: the key used by profile feature gates."""
        return V1 if self.flavour == "v1" else (self.version or "")

    @property
    def is_v1(self) -> bool:
        return self.flavour == "v1"


def resolve(flavour: Flavour, version: str | None, known: ApiVersions, *, responses: bool) -> tuple[Api, ApiError | None]:
    """The request's :class:`Api`, plus a 400 to raise once auth has passed (or None).

    Raises the 404 ``Resource not found`` directly for a dated path whose version is absent or
    unknown (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle and learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses). ``responses`` says the operation is a Responses one,
    which needs a Responses-capable dated version (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle); other operations (models) accept
    every known dated version.
    """
    api = Api(flavour, version)
    if flavour == "v1":
        # learn.microsoft.com/azure/foundry/openai/api-version-lifecycle: optional; v1 | preview. Anything else (a dated version,
        # "latest", garbage) -> 400 "API version not supported" (Q&A 2286031).
        if version is None or version in known.v1:
            return api, None
        return api, errors.v1_api_version_not_supported()
    if version is None:
        raise errors.resource_not_found()
    if version in known.responses:
        return api, None
    if version in known.older:
        return api, errors.responses_api_version_too_old() if responses else None
    raise errors.resource_not_found()
