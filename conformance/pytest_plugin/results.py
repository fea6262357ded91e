"""Test outcomes -> verdicts, and the pytest report of each test rewritten to match.

A documented refusal (`unsupported`) shows as xfailed and an unreliable service
(`inconclusive`) as skipped, each with its evidence as the reason: neither is a broken
contract, so neither fails the run. Replay mismatches and contract breaks fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pytest

from conformance.client.shapes import ShapeLog
from conformance.outcome.stream_errors import StreamErrorEvent
from conformance.model.targets import Target
from conformance import recording
from conformance.recording import Scrubber
from conformance.recording.redact import Redactor, scrub
from conformance.outcome.result import TestResult
from conformance.outcome.verdicts import Evidence, Verdict, from_exception, telling_headers
from conformance.outcome.verdicts import exception_chain as _chain
from conformance.pytest_plugin.xdist import attach, is_worker


HTTP_LOG = pytest.StashKey["HttpLog"]()
SDK_SKIP = pytest.StashKey[str]()


@dataclass
class HttpLog:
    """What the test's clients saw on the wire: the last status and ids, and token usage."""

    last_status: Optional[int] = None
    last_request_id: Optional[str] = None
    region: Optional[str] = None
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    shape: ShapeLog = field(default_factory=ShapeLog)
    last_headers: dict[str, str] = field(default_factory=dict)
    stream_error: Optional[dict[str, Any]] = None
    """The first SSE ``error`` event any of the test's streams carried (see conformance.client.wiretap)."""

    wire_violations: list[str] = field(default_factory=list)
    """What the wire checks found (see conformance.client.wiretap.watch): any of it makes the test failed."""

    def observe_violations(self, exchange: str, violations: list[Any]) -> None:
        self.wire_violations += [f"{exchange}: {v}" for v in violations]

    def saw_stream_error(self, event: dict[str, Any]) -> None:
        self.stream_error = self.stream_error or event

    def _count_usage(self, body: Any) -> None:
        usage = body.get("usage") if isinstance(body, dict) else None
        if isinstance(usage, dict):
            self.input_tokens += int(usage.get("input_tokens") or 0)
            self.output_tokens += int(usage.get("output_tokens") or 0)

    def observe_event(self, event: dict[str, Any]) -> None:
        """One SSE event's data as the client read it (see conformance.client.wiretap)."""
        if isinstance(event.get("type"), str):
            self.shape.observe_event(event["type"])
        if event.get("type") == "error":
            self.saw_stream_error(event)
        elif event.get("type") in ("response.completed", "response.incomplete", "response.failed"):
            self._count_usage(event.get("response"))  # a stream's usage comes only at its end

    def observe(self, status: int, headers: Any, body: Any, billed: bool = True) -> None:
        """One exchange; `billed` is False for reads (a retrieve repeats usage already spent)."""
        self.requests += 1
        self.last_status = status
        self.last_request_id = headers.get("apim-request-id") or headers.get("x-request-id")
        self.region = headers.get("x-ms-region") or self.region
        self.shape.observe_body(body, success=200 <= status < 300)
        self.last_headers = telling_headers(headers)
        if billed:
            self._count_usage(body)


def _replay_mismatch(exc: BaseException) -> Optional[BaseException]:
    for link in _chain(exc):
        if type(link).__name__ == "CannotOverwriteExistingCassetteException":
            return link
    return None


class Results:
    """Every test's result of this process, decided as its report is made."""

    def __init__(self, root: Path, scrubber: Scrubber, live: bool = False, recording: bool = False) -> None:
        self.root = root
        self.scrubber = scrubber
        self.live = live
        self.recording = recording
        self.items: list[TestResult] = []

    def record(self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport,
               feature_id: str, target: Target, cassette: Path) -> pytest.TestReport:
        """Decide the verdict of one test phase and make the pytest report say the same."""
        if report.when == "teardown" and report.passed:
            return report
        if report.when == "setup" and report.passed:
            return report
        # A cassette is evidence only when this run read it (replay) or writes it (recording; it is
        # written at teardown, and the report keeps it only if it then exists). A plain live run
        # reads none: the committed file beside it is not what the run saw.
        used = self.recording or (not self.live and cassette.exists())
        evidence = Evidence(test_ids=[item.nodeid], cassettes=[_relative(cassette, self.root)] if used else [])
        verdict, evidence = _decide(item, call, report, feature_id, evidence)
        log = item.stash.get(HTTP_LOG, None)
        if log is not None and evidence.status is None:
            evidence.status = log.last_status
            evidence.request_id = evidence.request_id or log.last_request_id
        if log is not None and verdict in (Verdict.FAILED, Verdict.INCONCLUSIVE) and not evidence.headers:
            evidence.headers = log.last_headers
        evidence = scrub(evidence, Redactor(self.scrubber))  # the report files are shared: no secrets
        usage = {"input_tokens": log.input_tokens, "output_tokens": log.output_tokens, "requests": log.requests} if log else {}
        self.items.append(TestResult(feature_id, target, item.nodeid, verdict, evidence, report.duration, usage,
                                     log.shape.snapshot() if log else None))
        if is_worker(item.config):
            attach(report, self.items[-1], bodies=bool(item.config.getoption("--openapi", default=None)))
        return report


def _decide(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport, feature_id: str,
            evidence: Evidence) -> tuple[Verdict, Evidence]:
    """The verdict of one failed, skipped or passed phase, with its evidence; rewrites the
    report to match (a wire break fails it, a refusal becomes xfailed, unreliability skipped)."""
    verdict: Verdict
    broken = _wire_break(item, call, report)
    if broken is not None:
        # The service broke the contract on the wire: whatever the test made of it
        # (passed, or an error event it read as transient), the cell is failed.
        verdict, evidence.detail = Verdict.FAILED, broken.splitlines()[1].strip()[:500]
        report.outcome, report.longrepr = "failed", f"{item.nodeid}: {broken}"
        if hasattr(report, "wasxfail"):
            del report.wasxfail
    elif report.skipped and not hasattr(report, "wasxfail"):
        sdk_reason = item.stash.get(SDK_SKIP, None)
        verdict = Verdict.UNSUPPORTED if sdk_reason else Verdict.SKIPPED
        evidence.by = "sdk" if sdk_reason else None
        evidence.detail = sdk_reason or _skip_reason(report)
    elif report.passed:
        verdict = Verdict.SUPPORTED
    elif call.excinfo is not None:
        exc = call.excinfo.value
        mismatch = _replay_mismatch(exc)
        if mismatch is not None:
            verdict, evidence.detail = Verdict.FAILED, "replay: the request matches no recorded one"
            report.longrepr = f"{item.nodeid}: the request matches no recorded request in the cassette\n{_mismatch_text(mismatch)}\nRe-record it with: pytest --live --record-mode=rewrite '{item.nodeid}'"
        else:
            verdict, found = from_exception(exc, feature_id)
            seen = item.stash.get(HTTP_LOG, None)
            if verdict is Verdict.FAILED and seen is not None and seen.stream_error is not None:
                # The stream ended with an error event first: that, not the symptom, decides.
                verdict, found = from_exception(StreamErrorEvent(seen.stream_error), feature_id)
            found.test_ids, found.cassettes = evidence.test_ids, evidence.cassettes
            evidence = found
            _rewrite(report, verdict, evidence, item)
    else:
        verdict, evidence.detail = Verdict.FAILED, "failed without an exception"
    return verdict, evidence


def _wire_break(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> Optional[str]:
    """What the wire checks found during the test's call phase, as a failure message (or None).

    A replay mismatch keeps its own message: the recorded exchange was not even used.
    """
    log = item.stash.get(HTTP_LOG, None)
    if report.when != "call" or log is None or not log.wire_violations:
        return None
    if call.excinfo is not None and _replay_mismatch(call.excinfo.value) is not None:
        return None
    shown = log.wire_violations[:10]
    more = len(log.wire_violations) - len(shown)
    lines = ["the service broke the contract on the wire:", *(f"  - {v}" for v in shown)]
    return "\n".join(lines + ([f"  ... and {more} more"] if more > 0 else []))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _mismatch_text(exc: BaseException) -> str:
    cassette = getattr(exc, "cassette", None)
    request = getattr(exc, "failed_request", None)
    if cassette is not None and request is not None:
        return recording.describe_mismatch(request, cassette)
    return str(exc)


def quick_report(item: pytest.Item, call: pytest.CallInfo[None], feature_id: Optional[str] = None) -> Optional[pytest.TestReport]:
    """A cheap report for an exception whose verdict (for `feature_id`) is unsupported or
    inconclusive (the wrapper rewrites its outcome), or None to let pytest build the usual one."""
    excinfo = call.excinfo
    if excinfo is None or _replay_mismatch(excinfo.value) is not None:
        return None
    verdict, _ = from_exception(excinfo.value, feature_id)
    if verdict not in (Verdict.UNSUPPORTED, Verdict.INCONCLUSIVE):
        return None
    path, line, _ = item.location
    sections = [(f"Captured {key} {call.when}", content) for rwhen, key, content in item._report_sections if rwhen == call.when]
    return pytest.TestReport(
        item.nodeid, item.location, {name: 1 for name in item.keywords}, "failed",
        (path, (line or 0) + 1, f"{type(excinfo.value).__name__}: {excinfo.value}"), call.when,
        sections, call.duration, call.start, call.stop, item.user_properties,
    )


def _rewrite(report: pytest.TestReport, verdict: Verdict, evidence: Evidence, item: pytest.Item) -> None:
    """Unsupported -> xfailed, inconclusive -> skipped; the reason is the evidence. A refusal
    judged `failed` says why under the traceback (e.g. it refused another feature's subject)."""
    summary = " ".join(str(p) for p in (evidence.status, evidence.code, evidence.message or evidence.detail) if p)
    if verdict is Verdict.FAILED and evidence.status is not None and evidence.detail:
        report.sections.append(("conformance verdict", f"failed: {evidence.detail}"))
    if verdict is Verdict.UNSUPPORTED:
        report.outcome = "skipped"
        report.wasxfail = f"unsupported by {evidence.by or 'service'}: {summary}"
    elif verdict is Verdict.INCONCLUSIVE:
        report.outcome = "skipped"
        path, line, _ = item.location
        report.longrepr = (path, (line or 0) + 1, f"inconclusive: {summary}")
