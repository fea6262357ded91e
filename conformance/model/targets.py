"""Targets: what the suite runs against, loaded from a TOML matrix.

A targets file names resources (endpoint, region, deployments) and matrix blocks that expand
to targets (api x auth x deployment on one resource). Expansion keeps the file short and the
matrix representative instead of a full cartesian product. Secrets never live in the file:
a target names the environment variable that holds its key.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import ipaddress
import os
import re
import sys
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from conformance.model.features import pattern_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

#: The default matrix, the one the committed cassettes are recorded from.
DEFAULT_TARGETS = Path(__file__).resolve().parents[2] / "targets" / "emulator.toml"
#: Endpoints of this form are served by the embedded emulator (resource name after //).
EMULATOR_SCHEME = "emulator://"
DEFAULT_KEY_ENV = "AZURE_OPENAI_API_KEY"
DEFAULT_SCOPE = "https://cognitiveservices.azure.com/.default"
#: The scope Foundry quickstarts get project-endpoint tokens for (`az account get-access-token
#: --resource https://ai.azure.com`; learn.microsoft.com/azure/ai-foundry/quickstarts/get-started-code).
PROJECT_SCOPE = "https://ai.azure.com/.default"
#: provider = "openai": the public OpenAI API (its OpenAPI description's `servers`).
OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_KEY_ENV = "OPENAI_API_KEY"
#: Default regions of the providers that have none, so target ids stay readable.
DEFAULT_REGIONS = {"openai": "openai", "compatible": "local"}
#: The image input.image.url sends to live services (a Wikimedia image, as the later seed uses).
PUBLIC_IMAGE_URL = "https://upload.wikimedia.org/wikipedia/commons/thumb/4/47/PNG_transparency_demonstration_1.png/280px-PNG_transparency_demonstration_1.png"

Capability = Literal[
    "reasoning",
    "reasoning_summary",
    "vision",
    "image_generation",
    "function_calling",
    "structured_outputs",
    "file_search",
    "mcp",
    "background",
    "web_search",
    "code_interpreter",
]
Auth = Literal["key", "entra"]
Provider = Literal["azure", "openai", "compatible"]
#: What a target is, for the features that apply to some kinds only (Feature.kinds):
#: an Azure OpenAI resource, a Foundry project endpoint, api.openai.com, any other Responses server.
Kind = Literal["resource", "project", "openai", "compatible"]
KINDS: tuple[str, ...] = ("resource", "project", "openai", "compatible")
API_QUERY_VALUES = ("v1", "preview")


class TargetsError(Exception):
    """A targets file that cannot be used; the message names the file, the key and the fix."""


class _Strict(BaseModel):
    # strict: TOML has real numbers and booleans, so `max_retries = "3"` is a mistake to name,
    # not a string to coerce (pydantic's lax mode would take it, and "yes" for a bool).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DeploymentSpec(_Strict):
    name: str = Field(min_length=1)
    model: str = Field(min_length=1)
    version: Optional[str] = None
    capabilities: list[Capability] = []

    @field_validator("name")
    @classmethod
    def _name_fits_a_file_name(cls, value: str) -> str:
        # The name is part of the target id, hence of cassette file names.
        if "/" in value or "\\" in value or any(c.isspace() for c in value):
            raise ValueError(f"{value!r}: a deployment name has no '/', '\\' or spaces (it names cassette files); "
                             "serve a model such as 'Qwen/Qwen3-8B' under a plain name and give it as `model`")
        return value


class ResourceSpec(_Strict):
    name: str = Field(min_length=1)
    provider: Provider = "azure"  # before `endpoint`: its validator reads it
    #: azure: the resource's (or Foundry project's) base URL; compatible: the server's base URL
    #: including its version prefix (e.g. http://127.0.0.1:8000/v1); openai: optional.
    endpoint: Optional[str] = None
    region: Optional[str] = Field(default=None, min_length=1)
    key_env: Optional[str] = None
    entra_scope: Optional[str] = None
    image_deployment: Optional[str] = None
    #: the remote MCP server live tests name in `server_url` (emulator targets use a local one)
    mcp_server_url: Optional[str] = None
    image_url: Optional[str] = None
    """A public image the service can download, for input.image.url (default: PUBLIC_IMAGE_URL)."""
    deployments: list[DeploymentSpec] = Field(min_length=1)
    # Resilience, per resource: the SDK retries 429/5xx/connection errors honouring
    # retry-after(-ms) (learn.microsoft.com/azure/foundry/openai/how-to/quota) up to max_retries times; timeout is per request.
    max_retries: int = Field(default=2, ge=0, le=10)
    timeout: float = Field(default=60.0, gt=0)
    # Background polling (live only; replay never waits): seconds between retrieves and the
    # bound after which a still-running response is inconclusive.
    poll_interval: float = Field(default=1.0, ge=0)
    poll_timeout: float = Field(default=300.0, gt=0)

    @field_validator("endpoint")
    @classmethod
    def _endpoint_is_url(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        if value is None:
            return None
        if not value.startswith(("https://", "http://", EMULATOR_SCHEME)):
            raise ValueError(
                "must start with https:// (e.g. https://my-resource.openai.azure.com) "
                f"or {EMULATOR_SCHEME}<resource> for the embedded emulator"
            )
        if info.data.get("provider", "azure") == "azure" and not value.startswith(EMULATOR_SCHEME):
            check_base_url(value)
        return value.rstrip("/")

    @model_validator(mode="after")
    def _provider_endpoint(self) -> "ResourceSpec":
        """Each provider's endpoint rule: Azure's is a base URL below which the suite adds
        /openai/...; OpenAI's is fixed; a compatible server's is its own base URL, as given."""
        if self.endpoint is None:
            if self.provider == "openai":
                object.__setattr__(self, "endpoint", OPENAI_BASE_URL)
                return self
            example = ("https://my-resource.openai.azure.com" if self.provider == "azure"
                       else "http://127.0.0.1:8000/v1 (the server's base URL, with its /v1)")
            raise ValueError(f"provider {self.provider!r} needs an `endpoint`, e.g. {example}")
        if self.region is None and self.provider == "azure":
            raise ValueError("an Azure resource needs a `region` (shown in target ids and the report)")
        if self.provider != "azure" and self.endpoint.startswith(EMULATOR_SCHEME):
            raise ValueError(f"{EMULATOR_SCHEME} endpoints are Azure resources: use provider = \"azure\" (the default)")
        if self.provider == "openai" and self.endpoint != OPENAI_BASE_URL and not is_loopback(self.endpoint):
            raise ValueError(f"provider 'openai' is {OPENAI_BASE_URL}; for another server use provider = \"compatible\"")
        return self

    @model_validator(mode="after")
    def _azure_is_https(self) -> "ResourceSpec":
        assert self.endpoint is not None
        if self.provider == "azure" and self.endpoint.startswith("http://") and not is_loopback(self.endpoint):
            raise ValueError(
                f"endpoint {self.endpoint!r}: Azure OpenAI is served over https only; use "
                f"{'https://' + self.endpoint[len('http://'):]!r} (plain http is accepted for loopback "
                "servers such as a local emulator)"
            )
        return self

    @model_validator(mode="after")
    def _unique_deployments(self) -> "ResourceSpec":
        names = [d.name for d in self.deployments]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"deployment names must be unique, repeated: {', '.join(dupes)}")
        return self


class MatrixSpec(_Strict):
    resource: str
    api: list[str] = Field(min_length=1)
    auth: list[Auth] = Field(min_length=1)
    deployment: list[str] = Field(min_length=1)
    features: list[str] = ["*"]

    @field_validator("api")
    @classmethod
    def _api_values(cls, values: list[str]) -> list[str]:
        for value in values:
            parse_api(value)
        return values


class Defaults(_Strict):
    key_env: str = DEFAULT_KEY_ENV
    entra_scope: str = DEFAULT_SCOPE


class TargetsFile(_Strict):
    defaults: Defaults = Defaults()
    resources: list[ResourceSpec] = Field(min_length=1)
    matrix: list[MatrixSpec] = Field(min_length=1)


#: A dated api-version: a calendar date, optionally with Azure's `-preview` suffix.
DATED_API = re.compile(r"(\d{4})-(\d{2})-(\d{2})(-preview)?")
#: The one endpoint form with a path: a Foundry project, which serves /openai/v1 below it
#: (learn.microsoft.com/azure/ai-foundry/how-to/develop/sdk-overview).
PROJECT_PATH = re.compile(r"/api/projects/[^/]+")
_API_HINT = "use 'v1', 'v1?api-version=preview', 'v1?api-version=v1' or a dated version such as '2025-04-01-preview'"


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: Hosts of Azure resources, whose endpoint is "protocol and hostname" only (the v1 REST
#: reference, learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/models).
RESOURCE_HOSTS = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")


def check_base_url(value: str) -> None:
    """An endpoint is the base URL below which the suite adds /openai/v1/ or /openai/ itself.

    A pasted `.../openai/v1/` would otherwise become `.../openai/v1/openai/v1/responses`: a 404
    on every test, reported as the service's failure. A resource host takes no path (but a
    Foundry project's `/api/projects/<name>`); a gateway in front of one (API Management, a
    proxy) may have its own prefix, as long as it does not already end in the suite's part.
    """
    parts = urlsplit(value)
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host name (e.g. https://my-resource.openai.azure.com)")
    base = f"{parts.scheme}://{parts.netloc}"
    if parts.query or parts.fragment:
        raise ValueError(
            f"{value!r} has a query or fragment: use {base!r} and give the api-version in the matrix `api` list"
        )
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if "openai" in segments:
        fix = base + "/".join(segments[: segments.index("openai")])
    elif path and parts.hostname.endswith(RESOURCE_HOSTS) and not PROJECT_PATH.fullmatch(path):
        fix = base
    else:
        return
    raise ValueError(
        f"{value!r} has a path ({parts.path}): use the base URL {fix!r}; the suite adds /openai/v1/ "
        "(api = \"v1\") or /openai/ (dated api-versions) itself"
    )


def parse_api(value: str) -> tuple[str, Optional[str]]:
    """Split `v1`, `v1?api-version=preview` or a dated version into (api, api_version_query)."""
    if value == "v1":
        return "v1", None
    if value.startswith("v1?api-version="):
        query = value.split("=", 1)[1]
        if query not in API_QUERY_VALUES:
            raise ValueError(f"{value!r}: the v1 api-version query must be one of {API_QUERY_VALUES}")
        return "v1", query
    dated = DATED_API.fullmatch(value)
    if dated is None:
        raise ValueError(f"{value!r} is not an API flavour: {_API_HINT}")
    year, month, day = (int(dated.group(i)) for i in (1, 2, 3))
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc}): {_API_HINT}") from None
    return value, None


@dataclass(frozen=True)
class Target:
    """One cell column of the report: endpoint x api flavour x auth x deployment."""

    resource: str
    provider: Provider
    endpoint: str
    region: str
    api: str
    api_version_query: Optional[str]
    auth: Auth
    deployment: str
    model: str
    model_version: Optional[str]
    capabilities: frozenset[str]
    image_deployment: Optional[str]
    key_env: str
    entra_scope: str
    features: tuple[str, ...] = ("*",)
    mcp_server_url: Optional[str] = None
    max_retries: int = 2
    timeout: float = 60.0
    poll_interval: float = 1.0
    poll_timeout: float = 300.0
    image_url: Optional[str] = None

    @property
    def is_v1(self) -> bool:
        return self.api == "v1"

    @property
    def kind(self) -> Kind:
        """resource, project (a Foundry project endpoint), openai or compatible."""
        if self.provider != "azure":
            return self.provider
        return "project" if PROJECT_PATH.search(self.endpoint_path) else "resource"

    @property
    def endpoint_path(self) -> str:
        """The endpoint's path ('' for a resource, /api/projects/<p> for a project, /v1 for
        most compatible servers): kept when the host is replaced (emulator, replay)."""
        if self.on_emulator:
            rest = self.endpoint[len(EMULATOR_SCHEME):]
            return rest[rest.index("/"):] if "/" in rest else ""
        return urlsplit(self.endpoint).path.rstrip("/")

    @property
    def emulator_resource(self) -> str:
        """The emulator resource an emulator:// endpoint names (its first path segment)."""
        return self.endpoint[len(EMULATOR_SCHEME):].split("/", 1)[0]

    @property
    def api_label(self) -> str:
        return f"v1-{self.api_version_query}" if self.api_version_query else self.api

    @property
    def id(self) -> str:
        """Stable and readable: used in test ids, cassette names and the report. Targets other
        than Azure resources serve the v1 API only, so their kind stands in for the api label
        (`project-key-gpt-4o@swedencentral`), and `-k v1-key` still selects resources only."""
        api = self.api_label if self.kind == "resource" else self.kind
        return f"{api}-{self.auth}-{self.deployment}@{self.region}"

    @property
    def test_id(self) -> str:
        """The id in pytest's test ids: `id` with `.` for `@`, which `-k` does not accept
        (`-k "v1-key-gpt-4o.swedencentral"`). Regions have no dots, so it stays unique."""
        return self.id.replace("@", ".")

    @property
    def on_emulator(self) -> bool:
        return self.endpoint.startswith(EMULATOR_SCHEME)

    def runs(self, feature_id: str) -> bool:
        """Whether the matrix block that made this target asks for `feature_id`."""
        return any(fnmatch.fnmatchcase(feature_id, pattern) for pattern in self.features)

    def describe(self) -> dict[str, object]:
        """Everything about the target that is safe to publish (no endpoint, no secrets)."""
        return {
            "id": self.id,
            "provider": self.provider,
            "kind": self.kind,
            "region": self.region,
            "api": self.api,
            "api_version_query": self.api_version_query,
            "auth": self.auth,
            "deployment": self.deployment,
            "model": self.model,
            "model_version": self.model_version,
            "capabilities": sorted(self.capabilities),
            "source": "emulator" if self.on_emulator else self.provider,
        }


def _named(data: object, section: str, index: int) -> str:
    """` (resource 'my-resource')` after a key of resources[i] or matrix[i], so the user finds the block."""
    items = data.get(section) if isinstance(data, dict) else None
    item = items[index] if isinstance(items, list) and index < len(items) else None
    key = "name" if section == "resources" else "resource"
    name = item.get(key) if isinstance(item, dict) else None
    return f" (resource {name!r})" if isinstance(name, str) else ""


def _format_error(path: Path, error: ValidationError, data: object = None) -> str:
    lines = [f"{path}: invalid targets file"]
    for item in error.errors():
        loc = ""
        parts = list(item["loc"])
        for part in parts:
            loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
        if len(parts) > 1 and parts[0] in ("resources", "matrix") and isinstance(parts[1], int):
            loc += _named(data, str(parts[0]), parts[1])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see targets/azure.example.toml)"
        elif item["type"] == "literal_error" or item["type"].endswith("_type"):
            message = f"{message} (got {item.get('input')!r})"
        lines.append(f"  {loc or '<top>'}: {message}")
    return "\n".join(lines)


def _target(resource: ResourceSpec, deployment: Any, block: Any, api_value: str, auth: str,
            defaults: Any) -> Target:
    """One cell of a matrix block: a resource, deployment, api and auth made a Target."""
    api, query = parse_api(api_value)
    assert resource.endpoint is not None
    return Target(
        resource=resource.name,
        provider=resource.provider,
        endpoint=resource.endpoint,
        region=resource.region or DEFAULT_REGIONS[resource.provider],
        api=api,
        api_version_query=query,
        auth=auth,
        deployment=deployment.name,
        model=deployment.model,
        model_version=deployment.version,
        capabilities=frozenset(deployment.capabilities),
        image_deployment=resource.image_deployment,
        key_env=resource.key_env or _default_key_env(resource, defaults),
        entra_scope=resource.entra_scope or _default_scope(resource, defaults),
        features=tuple(block.features),
        mcp_server_url=resource.mcp_server_url,
        max_retries=resource.max_retries,
        timeout=resource.timeout,
        poll_interval=resource.poll_interval,
        poll_timeout=resource.poll_timeout,
        image_url=resource.image_url,
    )


def _expand(path: Path, spec: TargetsFile) -> list[Target]:
    """Every matrix block as its targets; every inconsistency reported at once, one line each."""
    resources = {r.name: r for r in spec.resources}
    targets: list[Target] = []
    problems: list[str] = []
    for index, block in enumerate(spec.matrix):
        where = f"{path}: matrix[{index}]"
        resource = resources.get(block.resource)
        if resource is None:
            problems.append(f"{where}.resource: no resource named {block.resource!r}; "
                            f"known: {', '.join(sorted(resources))}")
            continue
        problems.extend(f"{where}.features: {problem}" for problem in map(pattern_problem, block.features) if problem)
        deployments = {d.name: d for d in resource.deployments}
        for deployment_name in block.deployment:
            deployment = deployments.get(deployment_name)
            if deployment is None:
                problems.append(f"{where}.deployment: resource {resource.name!r} has no deployment "
                                f"{deployment_name!r}; known: {', '.join(sorted(deployments))}")
                continue
            problems.extend(f"{where}: {p}" for p in _kind_problems(resource, block))
            targets += [_target(resource, deployment, block, api_value, auth, spec.defaults)
                        for api_value in block.api for auth in block.auth]
    if problems:
        raise TargetsError("\n".join(problems))
    return _merge_duplicates(path, targets)


def _is_project(resource: ResourceSpec) -> bool:
    endpoint = resource.endpoint or ""
    path = endpoint[len(EMULATOR_SCHEME):].partition("/")[2] if endpoint.startswith(EMULATOR_SCHEME) else urlsplit(endpoint).path
    return resource.provider == "azure" and bool(PROJECT_PATH.search("/" + path.lstrip("/")))


def _kind_problems(resource: ResourceSpec, block: MatrixSpec) -> list[str]:
    """What a kind of target cannot be asked for, one line each with the fix."""
    problems: list[str] = []
    if resource.provider != "azure":
        if block.api != ["v1"]:
            problems.append(f"api: provider {resource.provider!r} has no api-version (it serves one API): "
                            f"use api = [\"v1\"] (got {block.api})")
        if block.auth != ["key"]:
            problems.append(f"auth: provider {resource.provider!r} takes an API key only (Bearer): "
                            f"use auth = [\"key\"] (got {block.auth}); Entra ID is Azure's")
    elif _is_project(resource) and block.api != ["v1"]:
        problems.append(f"api: a Foundry project endpoint ({resource.name!r}) serves the v1 API only "
                        f"(/api/projects/<project>/openai/v1/): use api = [\"v1\"] (got {block.api})")
    return problems


def _default_key_env(resource: ResourceSpec, defaults: "Defaults") -> str:
    if resource.provider == "openai":
        return OPENAI_KEY_ENV
    if resource.provider == "compatible":
        return ""  # a local server may take no key at all: key_env names one if it does
    return defaults.key_env


def _default_scope(resource: ResourceSpec, defaults: "Defaults") -> str:
    if _is_project(resource):
        return PROJECT_SCOPE  # a project's own audience; a resource's `entra_scope` overrides it
    return defaults.entra_scope


def _merge_duplicates(path: Path, targets: list[Target]) -> list[Target]:
    """Two blocks may name the same target (e.g. to add features); two resources may not."""
    merged: dict[str, Target] = {}
    for target in targets:
        seen = merged.get(target.id)
        if seen is None:
            merged[target.id] = target
        elif seen.resource != target.resource:
            raise TargetsError(
                f"{path}: resources {seen.resource!r} and {target.resource!r} both give the target id "
                f"{target.id!r}: give them distinct regions"
            )
        else:
            features = tuple(dict.fromkeys(seen.features + target.features))
            merged[target.id] = replace(seen, features=features)
    return list(merged.values())


def load_targets(path: Optional[os.PathLike[str] | str] = None) -> list[Target]:
    """Load and validate a targets file; any problem raises TargetsError naming file and key."""
    file = Path(path) if path is not None else DEFAULT_TARGETS
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise TargetsError(
            f"{file}: targets file not found (copy targets/azure.example.toml to start one)"
        ) from None
    except OSError as exc:
        raise TargetsError(f"{file}: cannot read targets file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TargetsError(f"{file}: not valid TOML: {exc}") from None
    try:
        spec = TargetsFile.model_validate(data)
    except ValidationError as exc:
        raise TargetsError(_format_error(file, exc, data)) from None
    return _expand(file, spec)
