"""The compatibility report's data: what compat.json holds (schema in compat.schema.json)."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1
VerdictName = Literal["supported", "unsupported", "failed", "inconclusive", "skipped"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Environment(_Model):
    suite_version: str
    suite_commit: Optional[str] = None
    sdk: str
    python: str
    source: Literal["live", "replay"]
    targets_file: str
    started_at: str
    finished_at: str


class FeatureInfo(_Model):
    id: str
    title: str
    seed: Optional[str] = None
    needs: list[str] = []
    min_sdk: str
    doc: str


class Row(_Model):
    feature: str
    target: str
    verdict: VerdictName
    evidence: dict[str, Any] = {}
    tests: int
    duration: float
    usage: dict[str, int] = {}


class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    environment: Environment
    targets: list[dict[str, Any]]
    features: list[FeatureInfo]
    rows: list[Row]

    def cell(self, feature: str, target: str) -> Optional[Row]:
        for row in self.rows:
            if row.feature == feature and row.target == target:
                return row
        return None
