"""Profiles: the data that makes the emulator look like a given set of Azure resources.

A profile is a TOML file (see ``profiles/default.toml``) naming the api-versions that exist,
the resources (each served on its own port), their regions and deployments, and which api
flavours accept which features. Keeping this as data lets "unsupported" cells be realistic
without code changes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from emulator.state.content_filter import ContentFilterSpec

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "default.toml"

V1 = "v1"
"""The api flavour name of the v1 (next generation) API, as used in feature gates."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deployment(_Frozen):
    """One model deployment; its ``name`` is what clients send as ``model``."""

    name: str
    model: str
    version: str
    kind: Literal["chat", "reasoning", "image"] = "chat"
    capabilities: frozenset[str] = frozenset()
    tokens_per_minute: int | None = None
    requests_per_minute: int | None = None
    background_ms: int | None = Field(default=None, ge=0)
    """How long a background response of this deployment runs (default: the profile's)."""
    efforts: tuple[str, ...] | None = None
    """The ``reasoning.effort`` values the model takes (None: every value the API knows)."""
    service_tiers: tuple[str, ...] = ("default",)
    """The ``service_tier`` values the deployment serves (``auto`` always means ``default``)."""
    verbosities: tuple[str, ...] = ("medium",)
    """The ``text.verbosity`` values the model takes (only GPT-5 models take low and high)."""
    context_window: int | None = Field(default=None, gt=0)
    """Input tokens one turn may hold; more is refused with ``context_length_exceeded``."""
    max_output_tokens: int | None = Field(default=None, gt=0)
    """The model's output limit: no turn generates more, whatever ``max_output_tokens`` asks."""
    streaming: bool = True
    """Whether the model streams (o3-pro does not: ``stream: true`` is refused)."""

    @property
    def served_model(self) -> str:
        """The dated snapshot name Azure reports in ``x-ms-served-model``."""
        return f"{self.model}-{self.version}"

    @property
    def created(self) -> int:
        """Unix time of the model version date, for the models list."""
        try:
            day = datetime.strptime(self.version, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            return 0
        return int(day.timestamp())


class Resource(_Frozen):
    """An Azure OpenAI resource: one endpoint in one region."""

    name: str
    region: str
    region_display: str
    deployments: tuple[Deployment, ...] = ()
    _by_name: dict[str, Deployment] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_deployments(self) -> Resource:
        names = [d.name for d in self.deployments]
        if len(names) != len(set(names)):
            raise ValueError(f"resource {self.name!r} has duplicate deployment names")
        return self

    def model_post_init(self, context: object, /) -> None:
        self._by_name = {d.name: d for d in self.deployments}

    def deployment(self, name: str) -> Deployment | None:
        """The deployment called ``name``, or None."""
        return self._by_name.get(name)


class ApiVersions(_Frozen):
    """Which ``api-version`` values exist and which of them serve Responses."""

    responses: tuple[str, ...]
    older: tuple[str, ...] = ()
    v1: tuple[str, ...] = ("v1", "preview")


class Defaults(_Frozen):
    """Defaults applied to deployments that do not set their own limits."""

    tokens_per_minute: int = 150_000
    requests_per_minute: int = 900


class Background(_Frozen):
    """Background mode timing (learn.microsoft.com/azure/foundry/openai/how-to/responses: queued, then in_progress, then done)."""

    # Long enough that a client can cancel mid-flight on a busy machine, short enough for tests.
    queued_ms: int = Field(default=200, ge=0)
    running_ms: int = Field(default=1000, ge=0)


class FaultSpec(_Frozen):
    """The ``[faults]`` profile table: what :mod:`emulator.gateway.faults` injects (none by default)."""

    rate: float = Field(default=0.0, ge=0.0, le=1.0)
    """Share of API calls that get a fault."""
    seed: int = 0
    weights: dict[str, float] = Field(
        default_factory=lambda: {"429": 4, "500": 1, "503": 2, "slow": 1, "stream_error": 2, "drop": 1}
    )
    """Relative weight of each kind; a stream gets any kind, a JSON reply only the plain ones."""
    retry_after_ms: int = Field(default=50, ge=0)
    slow_ms: int = Field(default=300, ge=0)
    deployments: dict[str, float] = Field(default_factory=dict)
    """Per-deployment rate, overriding ``rate`` (e.g. ``{"o4-mini" = 0.5}``)."""


class Profile(_Frozen):
    """A whole emulator profile."""

    api_versions: ApiVersions
    resources: tuple[Resource, ...] = Field(min_length=1)
    features: dict[str, frozenset[str]] = Field(default_factory=dict)
    feature_regions: dict[str, frozenset[str]] = Field(default_factory=dict)
    """Features only some regions offer (region names as in resources); absent: everywhere."""
    tool_models: dict[str, frozenset[str]] = Field(default_factory=dict)
    """Tool types only some models take (model names as in deployments); absent: every model."""
    defaults: Defaults = Defaults()
    background: Background = Background()
    faults: FaultSpec = FaultSpec()
    content_filter: ContentFilterSpec = ContentFilterSpec()
    """Trigger phrases of the deterministic content filter (emulator/engine/content_filter.py)."""

    @model_validator(mode="after")
    def _unique_resources(self) -> Profile:
        names = [r.name for r in self.resources]
        if len(names) != len(set(names)):
            raise ValueError("duplicate resource names")
        return self

    def feature_enabled(self, feature: str, api: str) -> bool:
        """Whether ``feature`` is available on ``api`` ("v1" or a dated version).

        Features not listed are available everywhere.
        """
        allowed = self.features.get(feature)
        return allowed is None or api in allowed

    def feature_in_region(self, feature: str, region: str) -> bool:
        """Whether ``feature`` is offered in ``region`` (features not listed: everywhere)."""
        allowed = self.feature_regions.get(feature)
        return allowed is None or region in allowed

    def tool_for_model(self, tool_type: str, model: str) -> bool:
        """Whether deployments of ``model`` take tools of ``tool_type`` (types not listed: all)."""
        allowed = self.tool_models.get(tool_type)
        return allowed is None or model in allowed

    def resource(self, name: str) -> Resource | None:
        """The resource called ``name``, or None."""
        for r in self.resources:
            if r.name == name:
                return r
        return None


class ProfileError(ValueError):
    """A profile file is missing or invalid; the message names the file and the key."""


def load_profile(path: str | Path | None = None) -> Profile:
    """Load and validate a profile (the bundled default when ``path`` is None)."""
    p = Path(path) if path is not None else DEFAULT_PROFILE
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"cannot read profile {p}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {p} is not valid TOML: {exc}") from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise ProfileError(f"profile {p} is invalid: {problems}") from exc
