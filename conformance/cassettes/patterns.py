"""Secret-shaped text, recognised without knowing the secret.

Catches what the run did not tell the scrubber about (a token minted by a library, a
resource name echoed in an error). Every replacement is a fixed string, so scrubbing is
deterministic and idempotent (scrubbing a scrubbed body changes nothing); the CI scanner
can reuse `find_secret_shaped`.
"""

from __future__ import annotations

import re

ZERO_GUID = b"00000000-0000-0000-0000-000000000000"

# Azure resource host suffixes whose first labels name a customer resource.
RESOURCE_SUFFIXES: tuple[str, ...] = (
    "openai.azure.com",
    "cognitiveservices.azure.com",
    "services.ai.azure.com",
    "api.cognitive.microsoft.com",
)

_SUFFIXES = b"|".join(re.escape(s).encode() for s in RESOURCE_SUFFIXES)

# (pattern, replacement) in application order, on bytes.
PATTERNS: tuple[tuple[re.Pattern[bytes], bytes], ...] = (
    # JSON Web Tokens (Entra access tokens): header.payload.signature, base64url.
    (re.compile(rb"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), b"<TOKEN>"),
    # Whatever follows "Bearer" is a credential.
    (re.compile(rb"(?i)\b(Bearer)(\s+)[A-Za-z0-9._~+/=-]+"), rb"\1\2<TOKEN>"),
    # SAS signatures (blob / file URLs).
    (re.compile(rb"(?i)\b(sig=)(?!REDACTED\b)[^&\s\"'<>\\]+"), rb"\1REDACTED"),
    # Subscription ids in ARM paths.
    (
        re.compile(rb"(?i)(/subscriptions/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        rb"\g<1>" + ZERO_GUID,
    ),
    # Customer resource host names.
    (
        re.compile(rb"(?i)(?<![A-Za-z0-9.-])(?:[a-z0-9-]+\.)+?(" + _SUFFIXES + rb")\b"),
        rb"RESOURCE.\1",
    ),
)


def scrub_patterns(data: bytes) -> bytes:
    """Replace every secret-shaped substring by its placeholder."""
    for pattern, replacement in PATTERNS:
        data = pattern.sub(replacement, data)
    return data


def find_secret_shaped(text: str) -> list[str]:
    """Secret-shaped substrings still present in text (placeholders excluded), for scanners."""
    data = text.encode("utf-8")
    found: list[str] = []
    for pattern, replacement in PATTERNS:
        for match in pattern.finditer(data):
            if match.expand(replacement) != match.group(0):
                found.append(match.group(0).decode("utf-8", "replace"))
    return found
