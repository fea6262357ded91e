"""pytest-xdist: verdicts decided in worker processes, gathered by the controller for the report.

Each worker is its own pytest session (its own RunState, and live, its own embedded emulator),
so no two workers share emulator state or write one cassette (a cassette belongs to one test,
and a test runs in one worker). A worker attaches each verdict to its test report's
``user_properties``; xdist ships reports to the controller, which collects them here, so
``--report-dir`` and ``--matrix`` see the whole run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Optional

import pytest

from conformance.model.targets import Target
from conformance.outcome.result import TestResult
from conformance.outcome.verdicts import Evidence, Verdict
from conformance.client.shapes import ShapeLog

PROPERTY = "conformance.result"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def is_controller(config: pytest.Config) -> bool:
    """The xdist controller: it runs no tests, it receives the workers' reports."""
    return config.pluginmanager.getplugin("dsession") is not None


def _shape_payload(shape: Optional[ShapeLog], bodies: bool) -> Optional[dict[str, Any]]:
    """The wire shape as JSON: its fields and event types, and the bodies themselves only when
    the controller will check them (``--openapi``), since they can be large."""
    if shape is None:
        return None
    return {"fields": sorted(shape.fields), "events": sorted(shape.events), "bodies": shape.bodies if bodies else [],
            "error_fields": sorted(shape.error_fields)}


def _shape_of(data: Optional[dict[str, Any]]) -> Optional[ShapeLog]:
    if data is None:
        return None
    return ShapeLog(fields=set(data["fields"]), events=set(data["events"]), bodies=list(data["bodies"]),
                    error_fields=set(data.get("error_fields", ())))


def attach(report: pytest.TestReport, result: TestResult, *, bodies: bool = False) -> None:
    """In a worker: ride the result (its wire shape included) along with its report to the
    controller; ``bodies``: also the JSON bodies seen, for ``--openapi`` notes."""
    payload = {
        "feature": result.feature,
        "target": result.target.id,
        "nodeid": result.nodeid,
        "verdict": result.verdict.value,
        "evidence": result.evidence.__dict__,
        "duration": result.duration,
        "usage": result.usage,
        "shape": _shape_payload(result.shape, bodies),
    }
    report.user_properties.append((PROPERTY, json.dumps(payload)))


def detach(report: pytest.TestReport, targets: Sequence[Target]) -> Optional[TestResult]:
    """In the controller: the result a worker attached to ``report``, if any."""
    for name, value in report.user_properties:
        if name != PROPERTY:
            continue
        data: dict[str, Any] = json.loads(value)
        target = next(t for t in targets if t.id == data["target"])
        return TestResult(
            feature=data["feature"],
            target=target,
            nodeid=data["nodeid"],
            verdict=Verdict(data["verdict"]),
            evidence=Evidence(**data["evidence"]),
            duration=data["duration"],
            usage=data["usage"],
            shape=_shape_of(data.get("shape")),
        )
    return None


class _Gatherer:
    """Controller side of the hand-over (see the module docstring)."""

    def __init__(self, config: pytest.Config, targets: Sequence[Target], into: list[TestResult]) -> None:
        self.config = config
        self.targets = targets
        self.into = into

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not is_controller(self.config):
            return  # without xdist the result was recorded in this very process
        result = detach(report, self.targets)
        if result is not None:
            self.into.append(result)


def install_gatherer(config: pytest.Config, targets: Sequence[Target], into: list[TestResult]) -> None:
    """Called at configure time: outside a worker, gather the results workers send into `into`."""
    if not is_worker(config):
        config.pluginmanager.register(_Gatherer(config, targets, into), "conformance-gatherer")
