"""What survives into a cassette: everything not listed here is dropped or redacted.

Allow-lists rather than deny-lists, because a new SDK or service header carrying a
secret must not leak just because nobody thought of it yet. Shared by the scrubber
(what is stored) and the matchers (what is compared).
"""

from __future__ import annotations

# Request headers a reviewer or a matcher may need. Auth, cookies, user agents,
# x-stainless-* and client request ids are deliberately absent.
REQUEST_HEADERS: frozenset[str] = frozenset(
    {
        "content-type",
        "accept",
        "openai-beta",
        "aoai-evals",
        "x-ms-oai-image-generation-deployment",
    }
)

# Response headers the SDK or the report reads. Content-Encoding is never kept: bodies
# are stored decoded (see compression.py), and Content-Length is recomputed on load.
RESPONSE_HEADERS: frozenset[str] = frozenset(
    {
        "content-type",
        "apim-request-id",
        "x-request-id",
        "x-ms-region",
        "x-ms-deployment-name",
        "x-ms-served-model",
        "retry-after",
        "retry-after-ms",
        "openai-processing-ms",
        "openai-version",
        "openai-poll-after-ms",
        "skip-error-remapping",
        "azureai-fe-is-streaming",
        "x-ms-is-spilled-over",
    }
)

RESPONSE_HEADER_PREFIXES: tuple[str, ...] = ("x-ratelimit-",)

# Query parameters whose values are kept (and matched); others become REDACTED.
QUERY_PARAMS: frozenset[str] = frozenset(
    {
        "api-version",
        "stream",
        "starting_after",
        "include",
        "include[]",
        "limit",
        "order",
        "after",
        "before",
        "filter",
        "purpose",
    }
)

REDACTED = "REDACTED"


def keeps_request_header(name: str) -> bool:
    """Whether a request header is stored."""
    return name.lower() in REQUEST_HEADERS


def keeps_response_header(name: str) -> bool:
    """Whether a response header is stored."""
    lowered = name.lower()
    return lowered in RESPONSE_HEADERS or lowered.startswith(RESPONSE_HEADER_PREFIXES)


def keeps_query_param(name: str) -> bool:
    """Whether a query parameter keeps its value."""
    return name in QUERY_PARAMS
