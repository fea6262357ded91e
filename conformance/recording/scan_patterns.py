"""The scanner's own list of secret shapes, written apart from the scrubber's table.

`conformance scan` is the independent check of the scrubber (conformance/recording/patterns.py):
if both read one table, a shape missing from it would hide from both. So this list is kept on
its own (and tests/conformance/test_scan_properties.py generates secrets from the issuers'
formats, not from either table). It only finds; it never replaces.

Formats: Azure OpenAI keys (32 hex, or 84 base62 with Microsoft's `JQQJ9` signature at offset
52), Entra access tokens (JWTs) and client secrets (`xxxNQ~` + 31-34 characters), storage
account keys in connection strings (`AccountKey=`), SAS signatures (`sig=`), OpenAI keys
(`sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-`), subscription ids and customer resource hosts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

_ZERO = "00000000-0000-0000-0000-000000000000"
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_HOSTS = ("openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com",
          "api.cognitive.microsoft.com", "openai.azure.us", "cognitiveservices.azure.us")
#: The scrubber's placeholder host label, possibly right after a JSON escape (`\n`) or a
#: URL-encoded `/`, `@` or `:` (the scanner's regex starts the label there).
_PLACEHOLDER_LABELS = re.compile(r"(?i)(?:2f|40|3a|[nrtbf])?resource\.")


@dataclass(frozen=True)
class Shape:
    kind: str
    regex: re.Pattern[str]
    #: True when the match is a placeholder the scrubber wrote (None: no match ever is)
    placeholder: Optional[Callable[[re.Match[str]], bool]] = None


SHAPES: tuple[Shape, ...] = (
    Shape("jwt", re.compile(r"eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*")),
    # A credential after "Bearer": long, and with a digit (prose such as "Bearer authentication" is not one).
    Shape("bearer", re.compile(r"(?i)\bbearer(?:\s+|%20|\+)(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{16,}")),
    Shape("sas", re.compile(r"(?i)(?<![a-z])sig(?:=|%3D)(?!REDACTED)[A-Za-z0-9%+/=_-]{10,}")),
    Shape("azure-key", re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{27}(?![A-Za-z0-9])")),
    Shape("hex-key", re.compile(r"(?<![\w-])[0-9a-fA-F]{32}(?![\w-])")),
    Shape("entra-client-secret", re.compile(r"(?<![\w~.-])[\w~.-]{3}\dQ~[\w~.-]{31,34}")),
    Shape("storage-key", re.compile(r"(?i)AccountKey=[A-Za-z0-9+/]{20,}={0,2}")),
    Shape("openai-key", re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    Shape("subscription-id", re.compile(r"(?i)(?:/|%2F)subscriptions(?:/|%2F)(" + _GUID + ")"),
          lambda m: m.group(1) == _ZERO),
    Shape("subscription-id", re.compile(r"(?i)subscription[ _-]?id[\"'\\]*\s*[:=]\s*[\"'\\]*(" + _GUID + ")"),
          lambda m: m.group(1) == _ZERO),
    Shape("resource-host", re.compile(r"(?i)(?<![A-Za-z0-9.-])((?:[a-z0-9-]+\.)+)(?:"
                                      + "|".join(re.escape(h) for h in _HOSTS) + r")\b"),
          lambda m: _PLACEHOLDER_LABELS.fullmatch(m.group(1)) is not None),
)


def find(text: str) -> list[tuple[str, int, str]]:
    """(kind, character offset, match) of every secret-shaped substring, in text order."""
    found = [(shape.kind, m.start(), m.group(0)) for shape in SHAPES for m in shape.regex.finditer(text)
             if shape.placeholder is None or not shape.placeholder(m)]
    return sorted(found, key=lambda f: f[1])
