"""The compatibility report's data: what compat.json holds.

compat.schema.json is generated from these models (python -m conformance.report.schema) and
every report written is validated against it, so consumers of compat.json can rely on it.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 2
VerdictName = Literal["supported", "unsupported", "failed", "inconclusive", "skipped"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Environment(_Model):
    """Where and how the run happened: enough to reproduce it."""

    suite_version: str
    suite_commit: Optional[str] = None
    sdk: str = Field(description="the openai SDK version (a merged report lists them, oldest first)")
    python: str
    source: Literal["live", "replay"]
    targets_file: str
    started_at: str
    finished_at: str


class TargetInfo(_Model):
    """A target as published: no secrets, and no endpoint unless the run asked (--show-hosts)."""

    id: str
    provider: str
    #: resource, project (a Foundry project endpoint), openai or compatible
    kind: str = "resource"
    region: str
    api: str
    api_version_query: Optional[str] = None
    auth: str
    deployment: str
    model: str
    model_version: Optional[str] = None
    capabilities: list[str] = []
    source: str
    endpoint: Optional[str] = None


class FeatureInfo(_Model):
    id: str
    title: str
    seed: Optional[str] = None
    needs: list[str] = []
    min_sdk: str
    doc: str


class Row(_Model):
    """One cell: a feature on a target with one SDK."""

    feature: str
    target: str
    sdk: str
    verdict: VerdictName
    evidence: dict[str, Any] = {}
    tests: int
    duration: float
    usage: dict[str, int] = {}


class Shape(_Model):
    """What came back on the wire for a feature, normalised: drift shows as a set difference."""

    fields: list[str] = Field(default=[], description="JSON paths with types, e.g. `output[].content[].text: string`")
    events: list[str] = Field(default=[], description="SSE event types seen")
    notes: list[str] = Field(default=[], description="deviations from the OpenAPI file named by --openapi")


class SdkSupport(_Model):
    """For a merged report: per feature, the verdict under each SDK and the oldest that supports it."""

    feature: str
    verdicts: dict[str, VerdictName]
    oldest_supported: Optional[str] = Field(default=None, description="the oldest SDK with the feature supported on some target")
    oldest_everywhere: Optional[str] = Field(default=None, description="the oldest SDK with it supported on every target where any SDK has it")


class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    environment: Environment
    runs: list[Environment] = Field(default=[], description="a merged report: the environment of each run it joins")
    targets: list[TargetInfo]
    features: list[FeatureInfo] = Field(description="the feature registry")
    rows: list[Row]
    shapes: dict[str, Shape] = Field(default={}, description="per feature: the wire shape seen")
    sdk_support: list[SdkSupport] = []

    def cell(self, feature: str, target: str, sdk: Optional[str] = None) -> Optional[Row]:
        for row in self.rows:
            if row.feature == feature and row.target == target and (sdk is None or row.sdk == sdk):
                return row
        return None

    @property
    def sdks(self) -> list[str]:
        """The SDK versions of the rows, oldest first."""
        from conformance.model.sdk import version_tuple

        return sorted({r.sdk for r in self.rows}, key=version_tuple)

    def tested_features(self) -> list[FeatureInfo]:
        """The registry's features that have at least one row, in registry order."""
        used = {r.feature for r in self.rows}
        return [f for f in self.features if f.id in used]
