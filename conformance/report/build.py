"""From test results to the report: one row per (feature, target), the worst verdict wins."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .. import __version__
from ..features import FEATURES
from ..sdk import SDK_VERSION
from ..verdicts import SEVERITY, combine
from .model import Environment, FeatureInfo, Report, Row, Shape, TargetInfo

if TYPE_CHECKING:
    from ..results import TestResult
    from ..run import RunState


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(microsecond=0).isoformat()


def suite_commit(root: Path) -> Optional[str]:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _scrubbed(evidence: dict[str, Any], state: "RunState") -> dict[str, Any]:
    """Service messages can echo keys and resource hosts: reports get the cassettes' scrubbing."""
    scrubber = getattr(state, "scrubber", None)
    if scrubber is None:
        return evidence
    return {k: scrubber.scrub_text(v) if isinstance(v, str) else v for k, v in evidence.items()}


def build_report(state: "RunState", results: list["TestResult"], finished: float) -> Report:
    cells: dict[tuple[str, str], list["TestResult"]] = defaultdict(list)
    for result in results:
        cells[(result.feature, result.target.id)].append(result)
    rows = []
    for (feature, target_id), group in cells.items():
        group = sorted(group, key=lambda r: r.nodeid)  # the same report whatever order tests finished in (-n N)
        verdict = combine([r.verdict for r in group])
        # The evidence of the cell is that of the test that decided its verdict.
        decisive = min(group, key=lambda r: SEVERITY.index(r.verdict))
        evidence = _scrubbed(decisive.evidence.as_dict(), state)
        evidence["test_ids"] = [r.nodeid for r in group]
        evidence["cassettes"] = sorted({c for r in group for c in r.evidence.cassettes})
        usage: dict[str, int] = defaultdict(int)
        for r in group:
            for k, v in r.usage.items():
                usage[k] += v
        rows.append(Row(feature=feature, target=target_id, verdict=verdict.value, evidence=evidence,
                        sdk=SDK_VERSION, tests=len(group), duration=round(sum(r.duration for r in group), 4), usage=dict(usage)))
    order = {f: i for i, f in enumerate(FEATURES)}
    rows.sort(key=lambda r: (order.get(r.feature, 999), r.target))
    seen_targets = {r.target for r in rows}
    show_hosts = bool(state.config.getoption("--show-hosts", default=False))
    return Report(
        environment=Environment(
            suite_version=__version__,
            suite_commit=suite_commit(Path(__file__).resolve().parent.parent.parent),
            sdk=SDK_VERSION,
            python=platform.python_version(),
            source=state.source,
            targets_file=state.targets_label,
            started_at=_iso(state.started or finished),
            finished_at=_iso(finished),
        ),
        targets=[TargetInfo(**t.describe(), **({"endpoint": t.endpoint} if show_hosts else {}))
                 for t in state.targets if t.id in seen_targets],
        features=[FeatureInfo(id=f.id, title=f.title, seed=f.seed, needs=sorted(f.needs), min_sdk=f.min_sdk, doc=f.doc)
                  for f in FEATURES.values()],
        rows=rows,
        shapes=build_shapes(results, state.config.getoption("--openapi", default=None)),
    )


def build_shapes(results: list["TestResult"], openapi: Optional[str]) -> dict[str, Shape]:
    """Per feature, the union of what its tests saw; with an OpenAPI file, the deviations too."""
    fields: dict[str, set[str]] = defaultdict(set)
    events: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, list[object]] = defaultdict(list)
    for result in results:
        if result.shape is None:
            continue
        fields[result.feature] |= result.shape.fields
        events[result.feature] |= result.shape.events
        bodies[result.feature] += result.shape.bodies
    checker = None
    if openapi:
        from .openapi import OpenApiChecker

        checker = OpenApiChecker.load(Path(openapi))
    order = {f: i for i, f in enumerate(FEATURES)}
    shapes = {}
    for feature in sorted(set(fields) | set(events), key=lambda f: order.get(f, 999)):
        notes = checker.notes(bodies[feature]) if checker else []
        shapes[feature] = Shape(fields=sorted(fields[feature]), events=sorted(events[feature]), notes=notes)
    return shapes
