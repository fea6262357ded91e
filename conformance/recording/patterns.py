"""Secret-shaped text, recognised without knowing the secret.

Catches what the run did not tell the scrubber about (a token minted by a library, a
resource name echoed in an error, a key pasted into an MCP header). Every replacement is a
fixed string, so scrubbing is deterministic and idempotent (scrubbing a scrubbed body changes
nothing); the scanner (`conformance scan`) reuses the same table through `find_secrets`.

Key shapes: Azure OpenAI / Cognitive Services keys are 32 hex characters (classic) or 84
base62 characters carrying Microsoft's identifiable-key signature `JQQJ9` at offset 52
(the newer form; Microsoft security-utilities SEC101/200).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ZERO_GUID = b"00000000-0000-0000-0000-000000000000"

# Azure resource host suffixes whose first labels name a customer resource.
RESOURCE_SUFFIXES: tuple[str, ...] = (
    "openai.azure.com",
    "cognitiveservices.azure.com",
    "services.ai.azure.com",
    "api.cognitive.microsoft.com",
    "openai.azure.us",
    "cognitiveservices.azure.us",
)

_SUFFIXES = b"|".join(re.escape(s).encode() for s in RESOURCE_SUFFIXES)
_B62 = rb"[A-Za-z0-9]"
_GUID = rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Text inside a JSON string may follow an escape (`\\n`, `\\t`, ...): that letter is no word.
_ESC = rb"(?<=\\[nrtbf])"
# A host label may follow a separator, or the URL-encoded `/`, `@` or `:` (`%2F%2Fres.openai…`).
_HOST_START = rb"(?:(?<![A-Za-z0-9.%\\-])|" + _ESC + rb"|(?<=%2F)|(?<=%2f)|(?<=%40)|(?<=%3A)|(?<=%3a))"


@dataclass(frozen=True)
class SecretPattern:
    """One shape: its kind (for scanner reports), the regex and the fixed replacement."""

    kind: str
    regex: re.Pattern[bytes]
    replacement: bytes


# In application order, on bytes.
PATTERNS: tuple[SecretPattern, ...] = (
    # JSON Web Tokens (Entra access tokens): header.payload.signature, base64url.
    SecretPattern("jwt", re.compile(rb"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), b"<TOKEN>"),
    # Whatever follows "Bearer" is a credential.
    SecretPattern("bearer", re.compile(rb"(?i)\b(Bearer)(\s+|%20|\+)(?!<TOKEN>)[A-Za-z0-9._~+/=-]+"), rb"\1\2<TOKEN>"),
    # SAS signatures (blob / file URLs), also URL-encoded inside another URL (`sig%3D…`).
    SecretPattern("sas", re.compile(rb"(?i)(?:(?<![A-Za-z])|" + _ESC + rb")(sig=)(?!REDACTED\b)[^&\s\"'<>\\]+"), rb"\1REDACTED"),
    SecretPattern("sas", re.compile(rb"(?i)(?:(?<![A-Za-z])|" + _ESC + rb")(sig%3D)(?!REDACTED\b)(?:(?!%26)%[0-9A-Fa-f]{2}|[^&%\s\"'<>\\])+"), rb"\1REDACTED"),
    # Newer Azure AI services keys: 84 base62 characters with the JQQJ9 signature.
    SecretPattern(
        "azure-key",
        re.compile(rb"(?:(?<![A-Za-z0-9])|" + _ESC + rb")" + _B62 + rb"{52}JQQJ9[9DH]" + _B62 + rb"[A-L]" + _B62 + rb"{16}[A-Za-z]" + _B62 + rb"{7}(?![A-Za-z0-9])"),
        b"<API_KEY>",
    ),
    # Entra client secrets (an app registration's password): 3 characters, a digit, `Q~`, 31-34 more.
    SecretPattern("entra-client-secret", re.compile(rb"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"), b"<CLIENT_SECRET>"),
    # Storage account keys in connection strings.
    SecretPattern("storage-key", re.compile(rb"(?i)(AccountKey=)(?!REDACTED)[A-Za-z0-9+/]+={0,2}"), rb"\1REDACTED"),
    # Classic Azure keys: 32 hex characters standing alone (not part of an id like resp_<hex>).
    SecretPattern("hex-key", re.compile(rb"(?:(?<![A-Za-z0-9_-])|" + _ESC + rb")[0-9a-fA-F]{32}(?![A-Za-z0-9_-])"), b"<API_KEY>"),
    # Subscription ids in ARM paths (also URL-encoded) and labelled ones (`"subscriptionId": "…"`).
    SecretPattern("subscription-id", re.compile(rb"(?i)(/subscriptions/|%2Fsubscriptions%2F)(?!" + ZERO_GUID + rb")" + _GUID), rb"\g<1>" + ZERO_GUID),
    SecretPattern(
        "subscription-id",
        re.compile(rb"(?i)(?:(?<![A-Za-z])|" + _ESC + rb")(subscription[ _-]?id[\"'\\]*\s*[:=]\s*[\"'\\]*)(?!" + ZERO_GUID + rb")" + _GUID),
        rb"\g<1>" + ZERO_GUID,
    ),
    # OpenAI API keys (sk-..., sk-proj-..., sk-svcacct-..., sk-admin-...), for provider = "openai"
    # and compatible servers that take OpenAI-style keys.
    SecretPattern("openai-key", re.compile(rb"(?:(?<![A-Za-z0-9_-])|" + _ESC + rb")sk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}"), b"<API_KEY>"),
    # Foundry project names in project endpoint paths (the resource host is scrubbed below).
    SecretPattern("project-name", re.compile(rb"(/api/projects/|%2Fapi%2Fprojects%2F)(?!PROJECT(?![A-Za-z0-9_.-]))[A-Za-z0-9_.-]+"), rb"\1PROJECT"),
    # Customer resource host names.
    SecretPattern(
        "resource-host",
        re.compile(rb"(?i)" + _HOST_START + rb"(?:[a-z0-9-]+\.)+?(" + _SUFFIXES + rb")\b"),
        rb"RESOURCE.\1",
    ),
)


# Every pattern above needs one of these substrings: one scan of this rules out all of them
# for the typical string (most header values and body fields), which keeps replay fast.
_MAYBE_SECRET = re.compile(
    rb"(?i)eyJ|bearer|sig(?:=|%3D)|JQQJ9|[0-9a-f]{32}|subscription|Q~|AccountKey|sk-|projects|" + _SUFFIXES.replace(rb"\.", rb"\.")
)


def scrub_patterns(data: bytes) -> bytes:
    """Replace every secret-shaped substring by its placeholder."""
    if _MAYBE_SECRET.search(data) is None:
        return data
    for pattern in PATTERNS:
        data = pattern.regex.sub(pattern.replacement, data)
    return data


def find_secrets(text: str) -> list[tuple[str, int, str]]:
    """(kind, character offset, match) of each secret-shaped substring still in text."""
    data = text.encode("utf-8")
    found: list[tuple[str, int, str]] = []
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(data):
            if match.expand(pattern.replacement) != match.group(0):
                offset = len(data[: match.start()].decode("utf-8", "replace"))
                found.append((pattern.kind, offset, match.group(0).decode("utf-8", "replace")))
    return sorted(found, key=lambda f: f[1])


def find_secret_shaped(text: str) -> list[str]:
    """Secret-shaped substrings still present in text (placeholders excluded), for scanners."""
    return [match for _, _, match in find_secrets(text)]
