"""Undo Content-Encoding so cassettes only ever hold readable, scrubbable bytes.

vcrpy's `decode_compressed_response` covers responses recorded through a VCR; this
module is the safety net for the serializer and the scrubber, which must never store
(or fail to scrub) compressed bytes whatever the configuration.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from typing import Any


class UnsupportedEncodingError(ValueError):
    """A body is compressed with a coding we cannot decode, so it cannot be stored safely."""


def _gzip(body: bytes) -> bytes:
    return zlib.decompress(body, zlib.MAX_WBITS | 16)


def _deflate(body: bytes) -> bytes:
    try:
        return zlib.decompress(body)
    except zlib.error:  # raw deflate, as some servers send it
        return zlib.decompress(body, -zlib.MAX_WBITS)


def _optional_decoders() -> dict[str, Callable[[bytes], bytes]]:
    decoders: dict[str, Callable[[bytes], bytes]] = {}
    try:
        import brotli  # type: ignore[import-not-found]

        decoders["br"] = brotli.decompress
    except ImportError:
        pass
    try:
        import zstandard  # type: ignore[import-not-found]

        decoders["zstd"] = lambda body: zstandard.ZstdDecompressor().decompressobj().decompress(body)
    except ImportError:
        pass
    return decoders


DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "identity": lambda body: body,
    **_optional_decoders(),
}


def _codings(value: Any) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [c.strip().lower() for v in values for c in str(v).split(",") if c.strip()]


def decode_body(headers: Mapping[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
    """Return (headers without Content-Encoding, decoded body).

    Header values may be strings or vcrpy-style lists. A body that is not actually
    compressed although labelled so (vcrpy's filter already decoded it) is kept as is.
    Content-Length, if present, is set to the decoded length.
    """
    encoding_key = next((k for k in headers if k.lower() == "content-encoding"), None)
    if encoding_key is None:
        return dict(headers), body
    decoded = body
    for coding in reversed(_codings(headers[encoding_key])):
        decoder = DECODERS.get(coding)
        if decoder is None:
            raise UnsupportedEncodingError(
                f"cannot decode Content-Encoding {coding!r}; install its decoder "
                "(brotli / zstandard) or make the client not accept it"
            )
        try:
            decoded = decoder(decoded)
        except Exception:  # not compressed after all: already decoded upstream
            break
    out = {k: v for k, v in headers.items() if k != encoding_key}
    for key in out:
        if key.lower() == "content-length":
            length = str(len(decoded))
            out[key] = [length] if isinstance(out[key], list) else length
    return out, decoded
