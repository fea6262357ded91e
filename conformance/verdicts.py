"""Verdicts: what one test outcome says about one (feature, target) cell, decided once here.

`supported` (passed), `unsupported` (a clean refusal the service documents, or an SDK too old
to express the request), `failed` (the service answered but broke the contract),
`inconclusive` (throttling, quota, 5xx, timeouts, dropped connections: never a failure),
`skipped` (not applicable). The table of refusals that count as `unsupported` is
UNSUPPORTED_RULES; each row has a test.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any, Optional

import openai


class Verdict(str, enum.Enum):
    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"
    FAILED = "failed"
    INCONCLUSIVE = "inconclusive"
    SKIPPED = "skipped"


#: Worst first: the verdict of a cell with several tests is the worst of theirs.
SEVERITY = [Verdict.FAILED, Verdict.INCONCLUSIVE, Verdict.UNSUPPORTED, Verdict.SUPPORTED, Verdict.SKIPPED]


@dataclass
class Evidence:
    """Why a verdict is what it is: enough for a person to check it without rerunning."""

    status: Optional[int] = None
    code: Optional[str] = None
    message: Optional[str] = None
    request_id: Optional[str] = None
    by: Optional[str] = None  # "service" | "sdk" for unsupported
    detail: Optional[str] = None
    headers: dict[str, str] = field(default_factory=dict)
    """The telling headers of the last reply (retry-after, x-ratelimit-*, request ids)."""
    test_ids: list[str] = field(default_factory=list)
    cassettes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], {})}


#: Headers worth keeping as evidence: why a call was throttled or failed, and which call it was.
EVIDENCE_HEADERS = ("retry-after", "retry-after-ms", "apim-request-id", "x-request-id", "x-ms-region")
EVIDENCE_HEADER_PREFIXES = ("x-ratelimit-",)


def telling_headers(headers: Any) -> dict[str, str]:
    """The evidence-worthy subset of a reply's headers."""
    if headers is None:
        return {}
    return {
        k.lower(): str(v)
        for k, v in headers.items()
        if k.lower() in EVIDENCE_HEADERS or k.lower().startswith(EVIDENCE_HEADER_PREFIXES)
    }


@dataclass(frozen=True)
class Rule:
    """A documented refusal: HTTP status, and a pattern on the error code or message."""

    status: int
    pattern: str
    source: str
    #: a real error text (`code message`) this rule is written for; docs/verdicts.md shows it
    example: str = ""

    def matches(self, status: int, code: Optional[str], message: str) -> bool:
        if status != self.status:
            return False
        return bool(re.search(self.pattern, f"{code or ''} {message}", re.IGNORECASE))


UNSUPPORTED_RULES: tuple[Rule, ...] = (
    Rule(400, r"\bunsupported_parameter\b", "azure-facts §6.1: Unsupported parameter (400 unsupported_parameter)",
         "unsupported_parameter Unsupported parameter: 'temperature' is not supported with this model."),
    Rule(400, r"\bunsupported_value\b", "azure-facts §6.1: Unsupported value (400 unsupported_value)",
         "unsupported_value Unsupported value: 'temperature' does not support 0.0 with this model."),
    Rule(400, r"API version not supported", "azure-facts §1.2: v1 not available (400 BadRequest)",
         "BadRequest API version not supported"),
    Rule(400, r"enabled only for api-version", "azure-facts §1.1: Responses API is enabled only for api-version ...",
         "BadRequest Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later"),
    Rule(400, r"(tool|tools\[\d+\]\.type).*(not supported|unsupported|isn't supported)|not supported.*\btool", "azure-facts §4.10/§4.11: a tool type the service rejects",
         "Tool type 'web_search_preview' is not supported."),
    Rule(400, r"\b(background|mcp|image_generation)\b.*not supported|not supported.*\b(background|mcp|image_generation)\b", "azure-facts §1.1: v1-only features on dated api-versions",
         "background is not supported on this api-version."),
)

TRANSIENT_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


def classify_refusal(status: int, code: Optional[str], message: str) -> Optional[Rule]:
    for rule in UNSUPPORTED_RULES:
        if rule.matches(status, code, message):
            return rule
    return None


def _error_fields(exc: openai.APIStatusError) -> tuple[Optional[str], str]:
    body = exc.body
    error = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(error, dict):
        code = error.get("code")
        return (str(code) if code is not None else None), str(error.get("message") or exc.message)
    return None, str(exc.message)


def _root_cause(exc: BaseException) -> str:
    """` (ConnectError: [Errno 111] Connection refused)`: what the SDK's "Connection error." hides."""
    cause, seen = exc.__cause__ or exc.__context__, 0
    while cause is not None and (cause.__cause__ or cause.__context__) is not None and seen < 8:
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    if cause is None:
        return ""
    text = str(cause).strip().splitlines()
    return f" ({type(cause).__name__}: {text[0] if text else ''})"[:300]


def _transport_error(exc: BaseException) -> bool:
    """httpx's (or httpx2's, on newer SDKs) TransportError: a connection that broke mid-read."""
    return any(c.__name__ == "TransportError" and c.__module__.startswith("httpx") for c in type(exc).__mro__)


def from_exception(exc: BaseException) -> tuple[Verdict, Evidence]:
    """The verdict for a test that raised `exc` (assertion, SDK error, or anything else)."""
    if isinstance(exc, openai.APIStatusError):
        code, message = _error_fields(exc)
        evidence = Evidence(
            status=exc.status_code,
            code=code,
            message=message[:500],
            request_id=exc.response.headers.get("apim-request-id") or exc.response.headers.get("x-request-id"),
            headers=telling_headers(exc.response.headers),
        )
        if exc.status_code in TRANSIENT_STATUSES:
            return Verdict.INCONCLUSIVE, evidence
        rule = classify_refusal(exc.status_code, code, message)
        if rule is not None:
            evidence.by = "service"
            evidence.detail = rule.source
            return Verdict.UNSUPPORTED, evidence
        return Verdict.FAILED, evidence
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, TimeoutError)) or _transport_error(exc):
        # A connection dropped mid-stream surfaces as httpx's own error (the SDK wraps only
        # errors before the response); a poll that never finished is a timeout too.
        return Verdict.INCONCLUSIVE, Evidence(detail=f"{type(exc).__name__}: {exc}{_root_cause(exc)}"[:500])
    from .stream_errors import StreamErrorEvent

    if isinstance(exc, StreamErrorEvent):
        evidence = Evidence(code=exc.code, message=exc.message[:500], detail=f"stream error event at sequence_number {exc.sequence_number}")
        return (Verdict.INCONCLUSIVE if exc.transient else Verdict.FAILED), evidence
    from .auth import CredentialError

    if isinstance(exc, CredentialError):
        return Verdict.INCONCLUSIVE, Evidence(detail=f"setup: {exc}")
    from .clients import SdkCannotExpress

    if isinstance(exc, SdkCannotExpress):
        return Verdict.UNSUPPORTED, Evidence(by="sdk", detail=str(exc))
    text = str(exc).strip().splitlines()
    return Verdict.FAILED, Evidence(detail=f"{type(exc).__name__}: {text[0] if text else ''}"[:500])


def combine(verdicts: list[Verdict]) -> Verdict:
    """The verdict of a cell from those of its tests: the worst one wins."""
    present = set(verdicts)
    for verdict in SEVERITY:
        if verdict in present:
            return verdict
    return Verdict.SKIPPED
