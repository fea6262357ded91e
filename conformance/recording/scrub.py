"""Scrubbing for vcrpy's `before_record_request` / `before_record_response`.

Allow-lists decide which headers and query values survive (allowlists.py); bodies,
paths and kept values lose every known secret, every real host/base URL and anything
secret-shaped (patterns.py). Requests to identity endpoints are not recorded at all.

vcrpy also runs these hooks on requests before matching and on interactions it loads,
so scrubbing is idempotent and matchers always compare scrubbed requests on both sides.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit

from vcr.request import Request

from conformance.recording.allowlists import REDACTED, keeps_query_param, keeps_request_header, keeps_response_header
from conformance.recording.bodies import header_value, multipart_boundary
from conformance.recording.compression import decode_body
from conformance.recording.identity import is_identity_request
from conformance.recording.jsonsecrets import redact_json
from conformance.recording.patterns import scrub_patterns

PLACEHOLDER_BASE = "https://RESOURCE.openai.azure.com"
API_KEY_PLACEHOLDER = "<API_KEY>"
TOKEN_PLACEHOLDER = "<TOKEN>"
SECRET_PLACEHOLDER = "<SECRET>"

# Shorter "secrets" (e.g. an emulator's key "test") would corrupt unrelated text.
MIN_SECRET_LENGTH = 8

# Fixed multipart boundary: httpx picks a random one, which would make every
# re-recording differ.
STABLE_BOUNDARY = b"conformance-boundary"


def _variants(value: str) -> set[str]:
    """The spellings a value can appear in: raw, URL-encoded, JSON-escaped slashes."""
    return {value, quote(value, safe=""), value.replace("/", "\\/")}


def _named_netloc(netloc: str) -> bool:
    """Whether a bare host[:port] is distinctive enough to replace wherever it appears.

    `127.0.0.1:54321` and `myres.openai.azure.com` are; a bare `localhost` is not.
    """
    parts = urlsplit(f"//{netloc}")
    host = parts.hostname or ""
    return parts.port is not None or ("." in host and any(c.isalpha() for c in host))


class Scrubber:
    """Removes secrets and real endpoints from what vcrpy records.

    Holds the secrets known this run; `add_token` takes tokens minted while a test runs.
    Copying returns the same instance (pytest-recording deep-copies `vcr_config`, and a
    copy would miss tokens added later).
    """

    def __init__(
        self,
        *,
        api_keys: tuple[str, ...] | list[str] = (),
        tokens: tuple[str, ...] | list[str] = (),
        base_urls: tuple[str, ...] | list[str] = (),
        secrets: tuple[str, ...] | list[str] = (),
        hosts: tuple[str, ...] | list[str] = (),
        placeholder_base: str = PLACEHOLDER_BASE,
    ) -> None:
        """`secrets` (placeholder chosen by shape, see add_secret) and `hosts` (same as
        base_urls) suit callers that don't tell keys from tokens."""
        self.placeholder_base = placeholder_base.rstrip("/")
        self._placeholder_netloc = urlsplit(self.placeholder_base).netloc
        self._literals: dict[bytes, bytes] = {}
        self._literal_re: re.Pattern[bytes] | None = None
        #: The last requests scrubbed, by content: vcrpy scrubs the same live request about four
        #: times (matching, playing, appending), each time a fresh deep copy of it.
        self._memo: dict[tuple[Any, ...], tuple[str, dict[str, str], Any]] = {}
        for key in api_keys:
            self.add_api_key(key)
        for token in tokens:
            self.add_token(token)
        for secret in secrets:
            self.add_secret(secret)
        for url in (*base_urls, *hosts):
            self.add_base_url(url)

    def __copy__(self) -> Scrubber:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Scrubber:
        return self

    # --- what is known -------------------------------------------------------

    def add_api_key(self, key: str | None) -> None:
        """An API key to replace by `<API_KEY>`."""
        self.add_secret(key, API_KEY_PLACEHOLDER)

    def add_token(self, token: str | None) -> None:
        """A token (e.g. an Entra access token minted mid-test) to replace by `<TOKEN>`."""
        self.add_secret(token, TOKEN_PLACEHOLDER)

    def add_secret(self, value: str | None, placeholder: str | None = None) -> None:
        """Any secret string; ignored if shorter than MIN_SECRET_LENGTH.

        Without a placeholder: `<TOKEN>` for a JWT, `<SECRET>` otherwise.
        """
        if not value or len(value) < MIN_SECRET_LENGTH:
            return
        if placeholder is None:
            placeholder = TOKEN_PLACEHOLDER if value.startswith("eyJ") else SECRET_PLACEHOLDER
        for variant in _variants(value):
            self._literals[variant.encode("utf-8")] = placeholder.encode("utf-8")
        self._compile()

    def add_base_url(self, url: str) -> None:
        """A real endpoint (e.g. `http://127.0.0.1:54321/openai/v1`): its origin becomes the placeholder base.

        A bare host name (`myres.openai.azure.com`) is accepted too.
        """
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if not parts.netloc:
            return
        origin = f"{parts.scheme}://{parts.netloc}"
        for variant in _variants(origin):
            self._literals[variant.encode()] = self.placeholder_base.encode()
        if _named_netloc(parts.netloc):
            self._literals[parts.netloc.encode()] = self._placeholder_netloc.encode()
        self._compile()

    add_host = add_base_url

    def _compile(self) -> None:
        self._memo.clear()  # a new secret changes what any request scrubs to
        # Longest first, so a base URL wins over the bare host inside it.
        literals = sorted(self._literals, key=lambda b: (-len(b), b))
        self._literal_re = re.compile(b"|".join(re.escape(lit) for lit in literals))

    # --- text ----------------------------------------------------------------

    def scrub_body(self, data: bytes) -> bytes:
        """A body: credential-named JSON values (jsonsecrets.py), then as scrub_bytes."""
        return self.scrub_bytes(redact_json(data))

    def scrub_bytes(self, data: bytes) -> bytes:
        """Known secrets and endpoints first, then secret-shaped patterns."""
        if self._literal_re is not None:
            data = self._literal_re.sub(lambda m: self._literals[m.group(0)], data)
        return scrub_patterns(data)

    def scrub_text(self, text: str) -> str:
        return self.scrub_bytes(text.encode("utf-8")).decode("utf-8")

    def scrub_uri(self, uri: str) -> str:
        """Placeholder origin, scrubbed path, query values outside the allow-list REDACTED."""
        parts = urlsplit(uri)
        query = "&".join(self._scrub_query_item(item) for item in parts.query.split("&") if item)
        return self.placeholder_base + self.scrub_text(parts.path) + (f"?{query}" if query else "")

    def _scrub_query_item(self, item: str) -> str:
        raw_key, sep, value = item.partition("=")
        key = self.scrub_text(raw_key)
        if keeps_query_param(unquote_plus(raw_key)):
            return f"{key}{sep}{self.scrub_text(value)}"
        return f"{key}={REDACTED}"

    # --- vcrpy hooks ---------------------------------------------------------

    def scrub_request(self, request: Request) -> Request | None:
        """`before_record_request`: None for identity endpoints, else the scrubbed request."""
        if getattr(request, LOADED, False):
            return request  # from a committed cassette: scrubbed when it was recorded
        if is_identity_request(request.uri):
            return None
        key = (request.method, request.uri, tuple(request.headers.items()), request.body)
        try:
            known = self._memo.get(key)
        except TypeError:  # a body vcrpy did not turn into bytes: scrub it every time
            return self._scrub_request(request)
        if known is not None:
            request.uri, headers, request.body = known
            request.headers = dict(headers)
            return request
        scrubbed = self._scrub_request(request)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = (scrubbed.uri, dict(scrubbed.headers), scrubbed.body)
        return scrubbed

    def _scrub_request(self, request: Request) -> Request:
        original = dict(request.headers.items())
        headers = {
            name.lower(): self.scrub_text(str(value))
            for name, value in original.items()
            if keeps_request_header(name)
        }
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        if isinstance(body, bytes):
            _, body = decode_body(original, body)
            body = self.scrub_body(body)
            body = _stabilize_boundary(headers, body)
            request.body = body
        request.uri = self.scrub_uri(request.uri)
        request.headers = headers
        return request

    def scrub_response(self, response: dict[str, Any]) -> dict[str, Any]:
        """`before_record_response`: decoded body, allow-listed headers, scrubbed text."""
        if response.pop(LOADED, False):
            body_dict = response.get("body") or {}
            if isinstance(body_dict.get("string"), str):
                body_dict["string"] = body_dict["string"].encode("utf-8")
            return response  # from a committed cassette: scrubbed when it was recorded
        headers = response.get("headers") or {}
        body_dict = response.get("body") or {}
        body = body_dict.get("string")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if isinstance(body, bytes):
            headers, body = decode_body(headers, body)
            body_dict["string"] = self.scrub_body(body)
            response["body"] = body_dict
        response["headers"] = {
            name.lower(): [self.scrub_text(str(v)) for v in (values if isinstance(values, list) else [values])]
            for name, values in headers.items()
            if keeps_response_header(name)
        }
        return response


#: Requests remembered by `Scrubber.scrub_request` (a test's requests in flight are a few).
_MEMO_SIZE = 32

#: Marks an interaction loaded from a cassette in replay (see `mark_loaded`).
LOADED = "_conformance_loaded"


def mark_loaded(request: Request, response: dict[str, Any], cassette: Any = None) -> tuple[Request, dict[str, Any]]:
    """vcrpy's `after_load_interaction` in replay: vcrpy runs `before_record_*` on every
    interaction it loads, but committed cassettes hold scrubbed interactions already (and
    scrubbing is idempotent: tests/cassettes check it), so the hooks skip marked ones.
    Requests the SDK sends are still scrubbed before they are matched."""
    setattr(request, LOADED, True)
    response[LOADED] = True
    return request, response


def _stabilize_boundary(headers: dict[str, str], body: bytes) -> bytes:
    """Rewrite a random multipart boundary to STABLE_BOUNDARY (in the header and the body)."""
    content_type = header_value(headers, "content-type")
    if not content_type or not content_type.lower().startswith("multipart/"):
        return body
    boundary = multipart_boundary(content_type, body)
    if not boundary or boundary == STABLE_BOUNDARY or STABLE_BOUNDARY in body:
        return body
    headers["content-type"] = content_type.replace(boundary.decode("latin-1"), STABLE_BOUNDARY.decode())
    return body.replace(b"--" + boundary, b"--" + STABLE_BOUNDARY)
