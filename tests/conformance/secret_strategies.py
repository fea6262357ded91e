"""Hypothesis strategies for the credentials and identifiers a cassette must never keep.

Shapes follow what Azure issues: 32-hex keys, 84-char identifiable keys (base62 with the
`JQQJ9` signature at offset 52), Entra JWTs, storage SAS query strings, subscription GUIDs
and customer resource host names.
"""

from __future__ import annotations

import base64
import json
import string
from dataclasses import dataclass
from urllib.parse import quote

from hypothesis import strategies as st

from conformance.recording.patterns import RESOURCE_SUFFIXES

BASE62 = string.ascii_letters + string.digits


def _b62(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=BASE62, min_size=n, max_size=n)


def _random_looking(value: str) -> bool:
    """Real keys are random: a run of one character would also match unrelated text."""
    return len(set(value)) >= 8


hex_keys = (
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
    | st.text(alphabet="0123456789ABCDEF", min_size=32, max_size=32)
).filter(_random_looking)
long_keys = st.builds(
    lambda a, sig, b, c, d, e, f: f"{a}JQQJ9{sig}{b}{c}{d}{e}{f}",
    _b62(52), st.sampled_from("9DH"), _b62(1), st.sampled_from("ABCDEFGHIJKL"), _b62(16),
    st.sampled_from(string.ascii_letters), _b62(7),
).filter(_random_looking)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


jwts = st.builds(
    lambda tenant, oid, sig: ".".join(
        (
            _b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "k1"}).encode()),
            _b64url(json.dumps({"aud": "https://cognitiveservices.azure.com", "tid": str(tenant), "oid": str(oid)}).encode()),
            _b64url(sig),
        )
    ),
    st.uuids(), st.uuids(), st.binary(min_size=32, max_size=64).filter(lambda b: len(set(b)) >= 8),
)
sas_signatures = st.binary(min_size=32, max_size=32).map(lambda b: base64.b64encode(b).decode()).filter(_random_looking)
subscription_ids = st.uuids().map(str)
resource_names = st.from_regex(r"\Azq[a-z0-9]{4,14}(-[a-z0-9]{2,6})?\Z")
resource_hosts = st.tuples(resource_names, st.sampled_from(RESOURCE_SUFFIXES)).map(lambda t: f"{t[0]}.{t[1]}")


@dataclass(frozen=True)
class Secrets:
    """One example's secrets, and the spellings of each that must not reach a cassette."""

    hex_key: str
    long_key: str
    jwt: str
    sas_sig: str
    subscription: str
    host: str

    @property
    def sas(self) -> str:
        return f"sv=2024-11-04&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A00Z&sig={quote(self.sas_sig, safe='')}"

    def forbidden(self) -> dict[str, str]:
        name = self.host.split(".", 1)[0]
        jwt_sig = self.jwt.rsplit(".", 1)[1]
        return {
            "hex key": self.hex_key,
            "long key": self.long_key,
            "jwt payload": self.jwt.split(".")[1],
            "jwt signature": jwt_sig[:24],
            "sas signature": self.sas_sig[:20],
            "sas signature (url-encoded)": quote(self.sas_sig, safe="")[:20],
            "subscription id": self.subscription,
            "resource name": f"{name}.",
        }


secrets_sets = st.builds(Secrets, hex_keys, long_keys, jwts, sas_signatures, subscription_ids, resource_hosts)
