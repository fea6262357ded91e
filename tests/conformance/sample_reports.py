"""Small synthetic reports for the report tests: built in memory, no suite run needed."""

from __future__ import annotations

from typing import Optional

from conformance.model.features import FEATURES
from conformance.report.model import Environment, FeatureInfo, Report, Row, Shape, TargetInfo

TARGETS = [
    TargetInfo(id="v1-key-gpt-4o@swedencentral", provider="azure", region="swedencentral", api="v1", auth="key",
               deployment="gpt-4o", model="gpt-4o", source="azure"),
    TargetInfo(id="v1-entra-gpt-4o@swedencentral", provider="azure", region="swedencentral", api="v1", auth="entra",
               deployment="gpt-4o", model="gpt-4o", source="azure"),
    TargetInfo(id="2025-04-01-preview-key-gpt-4o@swedencentral", provider="azure", region="swedencentral",
               api="2025-04-01-preview", auth="key", deployment="gpt-4o", model="gpt-4o", source="azure"),
    TargetInfo(id="v1-key-o4-mini@eastus2", provider="azure", region="eastus2", api="v1", auth="key",
               deployment="o4-mini", model="o4-mini", source="azure"),
]


def make_report(verdicts: dict[tuple[str, str], str], sdk: str = "1.99.0", finished: str = "2026-01-01T00:00:00+00:00",
                shapes: Optional[dict[str, Shape]] = None, targets: list[TargetInfo] = TARGETS) -> Report:
    """A report with one row per ((feature, target id) -> verdict)."""
    rows = [Row(feature=f, target=t, sdk=sdk, verdict=v, tests=1, duration=0.1, usage={"input_tokens": 3},
                evidence={"status": 400, "code": "unsupported_parameter", "message": "no", "by": "service"} if v == "unsupported" else {})
            for (f, t), v in verdicts.items()]
    return Report(
        environment=Environment(suite_version="0.1.0", suite_commit="abc1234", sdk=sdk, python="3.11.7", source="replay",
                                targets_file="emulator.toml", started_at=finished, finished_at=finished),
        targets=[t for t in targets if any(r.target == t.id for r in rows)],
        features=[FeatureInfo(id=f.id, title=f.title, needs=sorted(f.needs), min_sdk=f.min_sdk, doc=f.doc) for f in FEATURES.values()],
        rows=rows,
        shapes=shapes or {},
    )


def grid(verdict: str = "supported", features: tuple[str, ...] = ("responses.create", "errors.auth", "tools.mcp")) -> dict[tuple[str, str], str]:
    return {(f, t.id): verdict for f in features for t in TARGETS}
