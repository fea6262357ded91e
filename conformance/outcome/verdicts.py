"""Verdicts: what one test outcome says about one (feature, target) cell, decided once here.

`supported` (passed), `unsupported` (a clean refusal the service documents, or an SDK too old
to express the request), `failed` (the service answered but broke the contract),
`inconclusive` (throttling, quota, 5xx, timeouts, dropped connections: never a failure),
`skipped` (not applicable). The table of refusals that count as `unsupported` is
UNSUPPORTED_RULES (each row has a test, and its source is a real body in public); a refusal
counts for a feature only when it refuses the target itself or names one of the feature's
subjects (conformance/model/features.py), so a refused `max_output_tokens` is `failed` everywhere.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

import openai

from conformance.model import features
class Verdict(str, enum.Enum):
    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"
    FAILED = "failed"
    INCONCLUSIVE = "inconclusive"
    SKIPPED = "skipped"


#: Worst first: the verdict of a cell with several tests is the worst of theirs.
SEVERITY = [Verdict.FAILED, Verdict.INCONCLUSIVE, Verdict.UNSUPPORTED, Verdict.SUPPORTED, Verdict.SKIPPED]


class NotOffered(Exception):
    """The service answered normally where the feature would have shown itself (e.g. a prompt
    Azure's default content filter blocks got a plain answer): it does not offer the feature
    here, so the cell is `unsupported` (by: service), not a broken contract."""


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
    """A documented refusal: HTTP status, error code and message wording, and its scope.

    ``scope="target"``: a refusal of the target itself (its api-version), which counts for
    every feature. ``scope="subject"``: a refusal of one request parameter, tool type,
    ``include`` value or route, which counts only for the features that name it as a subject.
    """

    status: int
    scope: Literal["target", "subject"]
    source: str
    #: a real error body this rule is written for (JSON); docs/verdicts.md shows it
    example: str
    #: the error codes it accepts (``None`` is a null or absent code); empty: any code
    codes: tuple[Optional[str], ...] = ()
    #: a regular expression on the message (case-insensitive); empty: any message
    pattern: str = ""
    #: what is and is not known about the wording
    note: str = ""

    def matches(self, status: int, code: Optional[str], message: str) -> bool:
        if status != self.status or (self.codes and code not in self.codes):
            return False
        return not self.pattern or bool(re.search(self.pattern, message, re.IGNORECASE))


_PARAMETER_NOTE = ("names its subject by `param`, else by the name quoted in the message; a tool "
                   "by `tools[N]...` (the type sent at N), an include value by `include`")

UNSUPPORTED_RULES: tuple[Rule, ...] = (
    Rule(400, "target", "https://learn.microsoft.com/en-us/answers/questions/2286031",
         '{"error":{"code":"BadRequest","message":"API version not supported"}}',
         pattern=r"\bAPI version not supported\b",
         note="the v1 API not available for the resource; counts for every feature"),
    Rule(400, "target", "https://github.com/Aider-AI/aider/issues/4029",
         '{"error":{"message":"Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later"}}',
         pattern=r"\bResponses API is enabled only for api-version\b",
         note="an api-version older than the Responses API; counts for every feature; "
              "the report quotes the message only (relayed by LiteLLM)"),
    Rule(400, "subject", "https://github.com/immersive-translate/immersive-translate/issues/2694",
         '{"error":{"message":"Unsupported parameter: \'temperature\' is not supported with this model.",'
         '"type":"invalid_request_error","param":"temperature","code":"unsupported_parameter"}}',
         codes=("unsupported_parameter",), note=_PARAMETER_NOTE),
    Rule(400, "subject", "https://github.com/microsoft/vscode/issues/253673",
         '{"error":{"message":"Unsupported value: \'temperature\' does not support 0.1 with this model. Only the '
         'default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}',
         codes=("unsupported_value",), note=_PARAMETER_NOTE),
    Rule(400, "subject", "https://github.com/BerriAI/litellm/issues/13407",
         '{"error":{"message":"Unsupported parameter: \'temperature\' is not supported with this model.",'
         '"type":"invalid_request_error","param":"temperature","code":null}}',
         codes=(None,), pattern=r"^\s*Unsupported (parameter|value): '",
         note="Azure gpt-5 on Responses sent code null; the message's opening words decide"),
)

#: Where no real wording is known, the rules above decide by status, code and param only.
UNKNOWN_WORDINGS = (
    "a tool type refused on an api-version or region (no real body is public): decided by "
    "code `unsupported_value`/`unsupported_parameter` and `param: tools[N].type`",
    "`background` on a dated api-version (no real body is public): decided by code "
    "`unsupported_parameter` and `param: background`",
    "`include` values refused on an api-version (no real body is public): decided by code and "
    "`param: include`, the value quoted in the message or the only one sent",
)

TRANSIENT_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


def classify_refusal(status: int, code: Optional[str], message: str) -> Optional[Rule]:
    """The first rule whose status, code and wording match: a refusal, not yet judged."""
    for rule in UNSUPPORTED_RULES:
        if rule.matches(status, code, message):
            return rule
    return None


@dataclass(frozen=True)
class Refused:
    """The request a refusal answered: what the error's `param` can point into."""

    method: str = "POST"
    path: str = "/responses"
    body: Optional[dict[str, Any]] = None


_ROUTE_WORDS = frozenset({"responses", "input_items", "cancel", "vector_stores", "files", "file_batches",
                          "content", "search", "compact", "models", "containers",
                          "conversations", "items"})
_QUOTED_NAME = re.compile(r"^\s*Unsupported (?:parameter|value): '([^']+)'", re.IGNORECASE)
_INDEXED = re.compile(r"^(tools|input|include)\[(\d+)\]")


def route_of(method: str, path: str) -> str:
    """`POST /responses/{id}/cancel` for `POST /openai/v1/responses/resp_1/cancel`."""
    _, found, rest = path.partition("/openai")
    rest = rest if found else path
    rest = rest[3:] if rest.startswith("/v1/") or rest == "/v1" else rest
    parts = [p if p in _ROUTE_WORDS else "{id}" for p in rest.strip("/").split("/") if p]
    return f"{method.upper()} /" + "/".join(parts)


def _typed(item: Any, kind: str) -> list[str]:
    return [f"{kind}:{item['type']}"] if isinstance(item, dict) and isinstance(item.get("type"), str) else []


def named_subjects(param: Optional[str], message: str, request: Optional[Refused]) -> tuple[str, ...]:
    """What a subject refusal names: the parameter, the tool type or input type it points at,
    the include value; the route when it names no parameter at all."""
    name = param or (_QUOTED_NAME.match(message) or [None, None])[1]
    body = request.body if request is not None else None
    if not name:
        return (f"route:{route_of(request.method, request.path)}",) if request is not None else ()
    names = [name]
    indexed = _INDEXED.match(name)
    if indexed and isinstance(body, dict) and isinstance(body.get(indexed[1]), list):
        items, index = body[indexed[1]], int(indexed[2])
        item = items[index] if index < len(items) else None
        if indexed[1] == "tools":
            names += _typed(item, "tool")
        elif indexed[1] == "include" and isinstance(item, str):
            names.append(f"include:{item}")
        else:  # input[N] or input[N].content[M]: the deepest typed item the path reaches
            names += _typed(item, "input")
            part = re.match(r"^input\[\d+\]\.content\[(\d+)\]", name)
            content = item.get("content") if isinstance(item, dict) else None
            if part and isinstance(content, list) and int(part[1]) < len(content):
                names += _typed(content[int(part[1])], "input")
    elif name == "include" and isinstance(body, dict) and isinstance(body.get("include"), list):
        sent = [v for v in body["include"] if isinstance(v, str)]
        quoted = [v for v in sent if f"'{v}'" in message]
        names += [f"include:{v}" for v in (quoted or (sent if len(sent) == 1 else []))]
    return tuple(names)


def _names_subject(named: str, subject: str) -> bool:
    if named == subject:
        return True
    # a refused `text.format.schema` or `reasoning.effort[0]` is about `text.format` / `reasoning.effort`
    return ":" not in subject and named.startswith((subject + ".", subject + "["))


def judge_refusal(rule: Rule, named: tuple[str, ...], feature_id: Optional[str]) -> tuple[bool, str]:
    """Whether a refusal counts as `unsupported` for `feature_id`, and why (the evidence)."""
    if rule.scope == "target":
        return True, f"{rule.source} (a refusal of the target itself: it counts for every feature)"
    shown = (named[0] + (f" ({', '.join(named[1:])})" if len(named) > 1 else "")) if named else "nothing"
    if feature_id is None:
        return False, f"refused {shown}, but no feature was given to judge it by: only refusals of the target count"
    subjects = features.get(feature_id).subjects
    if not named:
        return False, f"the refusal names no parameter, tool, include value or route, so it is not a refusal of {feature_id}"
    hit = next((n for n in named if any(_names_subject(n, s) for s in subjects)), None)
    if hit is None:
        about = ", ".join(subjects) or "nothing a refusal can name"
        return False, f"refused {shown}, which is not what {feature_id} is about (its subjects: {about})"
    return True, f"{rule.source} (refused {shown}, a subject of {feature_id})"


def _error_object(exc: openai.APIStatusError) -> dict[str, Any]:
    body = exc.body
    error = body.get("error", body) if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _error_fields(exc: openai.APIStatusError) -> tuple[Optional[str], str]:
    error = _error_object(exc)
    code = error.get("code")
    return (str(code) if code is not None else None), str(error.get("message") or exc.message)


def _error_param(exc: openai.APIStatusError) -> Optional[str]:
    param = _error_object(exc).get("param")
    return str(param) if param else None


def _refused(exc: openai.APIStatusError) -> Optional[Refused]:
    """The refused request, from the SDK's copy of it (its JSON body when it has one)."""
    request = getattr(exc, "request", None)
    if request is None:
        return None
    body: Optional[dict[str, Any]] = None
    try:
        decoded = json.loads(request.content or b"null")
        body = decoded if isinstance(decoded, dict) else None
    except Exception:  # a streamed or multipart upload, or not JSON: nothing to point into
        body = None
    return Refused(str(request.method), str(request.url.path), body)


def refusal_verdict(exc: openai.APIStatusError, feature_id: Optional[str]) -> Optional[tuple[bool, Rule, str]]:
    """None if `exc` is no documented refusal; else whether it counts for the feature, the
    rule, and why."""
    code, message = _error_fields(exc)
    rule = classify_refusal(exc.status_code, code, message)
    if rule is None:
        return None
    named = named_subjects(_error_param(exc), message, _refused(exc)) if rule.scope == "subject" else ()
    counts, why = judge_refusal(rule, named, feature_id)
    return counts, rule, why


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes (``__cause__``, else ``__context__``), outermost first."""
    seen: list[BaseException] = []
    current: Optional[BaseException] = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


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


def from_exception(exc: BaseException, feature_id: Optional[str] = None) -> tuple[Verdict, Evidence]:
    """The verdict for a test of `feature_id` that raised `exc` (assertion, SDK error, or
    anything else). Without a feature only refusals of the target itself are `unsupported`."""
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
        refusal = refusal_verdict(exc, feature_id)
        if refusal is not None:
            counts, _, evidence.detail = refusal
            if counts:
                evidence.by = "service"
                return Verdict.UNSUPPORTED, evidence
        return Verdict.FAILED, evidence
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, TimeoutError)) or _transport_error(exc):
        # A connection dropped mid-stream surfaces as httpx's own error (the SDK wraps only
        # errors before the response); a poll that never finished is a timeout too.
        return Verdict.INCONCLUSIVE, Evidence(detail=f"{type(exc).__name__}: {exc}{_root_cause(exc)}"[:500])
    from conformance.outcome.stream_errors import StreamErrorEvent

    if isinstance(exc, StreamErrorEvent):
        evidence = Evidence(code=exc.code, message=exc.message[:500], detail=f"stream error event at sequence_number {exc.sequence_number}")
        return (Verdict.INCONCLUSIVE if exc.transient else Verdict.FAILED), evidence
    from conformance.client.auth import CredentialError

    if isinstance(exc, CredentialError):
        return Verdict.INCONCLUSIVE, Evidence(detail=f"setup: {exc}")
    from conformance.client.factory import SdkCannotExpress
    if isinstance(exc, NotOffered):
        return Verdict.UNSUPPORTED, Evidence(by="service", detail=str(exc)[:500])

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
