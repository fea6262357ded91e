"""From test results to the report: one row per (feature, target), the worst verdict wins."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from collections import defaultdict
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Optional

from conformance import __version__
from conformance.model.features import FEATURES
from conformance.model.sdk import SDK_VERSION
from conformance.outcome.verdicts import SEVERITY, combine
from conformance.report.model import Environment, FeatureInfo, Report, Row, Shape, TargetInfo
from conformance.outcome.verdicts import Verdict

from conformance.model.targets import Target
from conformance.outcome.result import TestResult
from conformance.recording import Scrubber


@dataclass
class RunRecord:
    """What the report says about the run itself, besides its results (no pytest session needed)."""

    source: str
    targets_file: str
    started: float
    targets: list[Target]
    scrubber: Optional[Scrubber] = None
    show_hosts: bool = False
    openapi: Optional[str] = None


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(microsecond=0).isoformat()


def suite_commit(root: Path) -> Optional[str]:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _scrubbed(evidence: dict[str, Any], run: RunRecord) -> dict[str, Any]:
    """Service messages can echo keys and resource hosts: reports get the cassettes' scrubbing."""
    scrubber = run.scrubber
    if scrubber is None:
        return evidence
    return {k: scrubber.scrub_text(v) if isinstance(v, str) else v for k, v in evidence.items()}


def build_report(run: RunRecord, results: list[TestResult], finished: float) -> Report:
    cells: dict[tuple[str, str], list[TestResult]] = defaultdict(list)
    for result in results:
        cells[(result.feature, result.target.id)].append(result)
    rows = []
    for (feature, target_id), group in cells.items():
        group = sorted(group, key=lambda r: r.nodeid)  # the same report whatever order tests finished in (-n N)
        verdict = combine([r.verdict for r in group])
        # The evidence of the cell is that of the test that decided its verdict.
        decisive = min(group, key=lambda r: SEVERITY.index(r.verdict))
        evidence = _scrubbed(decisive.evidence.as_dict(), run)
        evidence["test_ids"] = [r.nodeid for r in group]
        root = Path(__file__).resolve().parent.parent.parent  # evidence paths are relative to the repository
        evidence["cassettes"] = sorted({c for r in group for c in r.evidence.cassettes if (root / c).exists()})
        usage: dict[str, int] = defaultdict(int)
        for r in group:
            for k, v in r.usage.items():
                usage[k] += v
        rows.append(Row(feature=feature, target=target_id, verdict=verdict.value, evidence=evidence,
                        sdk=SDK_VERSION, tests=len(group), duration=round(sum(r.duration for r in group), 4), usage=dict(usage)))
    order = {f: i for i, f in enumerate(FEATURES)}
    rows.sort(key=lambda r: (order.get(r.feature, 999), r.target))
    seen_targets = {r.target for r in rows}
    return Report(
        environment=Environment(
            suite_version=__version__,
            suite_commit=suite_commit(Path(__file__).resolve().parents[2]),
            sdk=SDK_VERSION,
            python=platform.python_version(),
            source=run.source,
            targets_file=run.targets_file,
            started_at=_iso(run.started or finished),
            finished_at=_iso(finished),
        ),
        targets=[TargetInfo(**t.describe(), **({"endpoint": t.endpoint} if run.show_hosts else {}))
                 for t in run.targets if t.id in seen_targets],
        features=[FeatureInfo(id=f.id, title=f.title, seed=f.seed, needs=sorted(f.needs), min_sdk=f.min_sdk, doc=f.doc)
                  for f in FEATURES.values()],
        rows=rows,
        shapes=build_shapes(results, run.openapi),
    )


def build_shapes(results: list[TestResult], openapi: Optional[str]) -> dict[str, Shape]:
    """Per feature, the union of what its tests saw; with an OpenAPI file, the deviations too."""
    fields: dict[str, set[str]] = defaultdict(set)
    events: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, list[object]] = defaultdict(list)
    for result in results:
        if result.shape is None:
            continue
        bodies[result.feature] += result.shape.bodies
        if result.verdict is Verdict.INCONCLUSIVE:
            continue  # throttled, dropped or cut short: what it saw is a fragment, not a shape
        fields[result.feature] |= result.shape.fields
        if result.feature.startswith("errors."):  # the error body is what these features test
            fields[result.feature] |= result.shape.error_fields
        events[result.feature] |= result.shape.events
    checker = None
    if openapi:
        from conformance.report.openapi import load

        checker = load(Path(openapi))
    order = {f: i for i, f in enumerate(FEATURES)}
    shapes = {}
    for feature in sorted(set(fields) | set(events), key=lambda f: order.get(f, 999)):
        notes = checker.notes(bodies[feature]) if checker else []
        shapes[feature] = Shape(fields=sorted(fields[feature]), events=sorted(events[feature]), notes=notes)
    return shapes
