"""One test's outcome as the report needs it: which cell, which verdict, on what evidence.

Plain data, made in the test's own process and (under xdist) shipped to the controller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from conformance.client.shapes import ShapeLog
from conformance.model.targets import Target
from conformance.outcome.verdicts import Evidence, Verdict


@dataclass
class TestResult:
    __test__ = False  # a record, not a pytest test class

    feature: str
    target: Target
    nodeid: str
    verdict: Verdict
    evidence: Evidence
    duration: float
    usage: dict[str, int] = field(default_factory=dict)
    shape: Optional[ShapeLog] = None
