"""Vision input: every ``input_image`` is really decoded, so a broken image is refused as on Azure.

learn.microsoft.com/azure/foundry/openai/how-to/responses: PNG, JPEG, WebP and non-animated GIF, each under 50 MB, from a data URL
or an image URL. The data URL's MIME type is not trusted (the seed sends ``image/png`` for a
JPEG and Azure answers), the bytes decide. URLs are fetched only on loopback: the emulator
runs without internet access, so any other host is answered as an unreachable URL.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from emulator.state import outbound
from emulator.wire import errors
MAX_BYTES = 50 * 1024 * 1024
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FETCH_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the "model" can truthfully say about an image."""

    format: str
    width: int
    height: int
    colour: str = ""
    """The name of the colour most of its pixels are nearest to (empty if unknown)."""

    def describe(self) -> str:
        mostly = f", mostly {self.colour}" if self.colour else ""
        return f"a {self.width}x{self.height} {self.format} image{mostly}"


#: Named colours the "model" can tell apart: nearest by RGB distance, counted per pixel.
PALETTE: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30), "orange": (240, 140, 20), "yellow": (240, 220, 40), "green": (40, 170, 60),
    "blue": (30, 80, 210), "purple": (130, 50, 170), "pink": (240, 150, 190), "brown": (120, 75, 35),
    "black": (10, 10, 10), "white": (245, 245, 245), "grey": (128, 128, 128),
}
_SAMPLE = 32  # pixels a side: enough to tell the dominant colour, cheap for a 50 MB image


def dominant_colour(img: Image.Image) -> str:
    """The palette colour most pixels are nearest to: it needs the decoded pixels, so a
    service that read only the header could not say it."""
    small = img.convert("RGB")
    small.thumbnail((_SAMPLE, _SAMPLE))
    counts: dict[str, int] = dict.fromkeys(PALETTE, 0)
    for count, (r, g, b) in small.getcolors(_SAMPLE * _SAMPLE) or []:
        name = min(PALETTE, key=lambda n: (PALETTE[n][0] - r) ** 2 + (PALETTE[n][1] - g) ** 2 + (PALETTE[n][2] - b) ** 2)
        counts[name] += count
    return max(counts, key=lambda n: counts[n])


def decode(data: bytes, param: str) -> ImageInfo:
    """Open and verify ``data`` with Pillow; the 400 for anything that is not a supported image."""
    if not data or len(data) > MAX_BYTES:
        raise errors.invalid_image(param)
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, size, frames = img.format, img.size, getattr(img, "n_frames", 1)
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # verify() misses truncated pixel data
            colour = dominant_colour(img)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise errors.invalid_image(param) from None
    if fmt not in FORMATS or (fmt == "GIF" and frames > 1):
        raise errors.invalid_image(param)
    return ImageInfo(fmt, size[0], size[1], colour)


def from_data_url(url: str, param: str) -> ImageInfo:
    header, sep, payload = url.partition(",")
    if not sep or not header.startswith("data:image/") or not header.endswith(";base64"):
        raise errors.invalid_image(param)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise errors.invalid_image(param) from None
    return decode(data, param)


def fetch(url: str, param: str) -> ImageInfo:
    """Download ``url`` (loopback only, or its stand-in: emulator.state.outbound) and decode it."""
    real = outbound.route(url)
    parts = urlsplit(real)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
        raise errors.image_url_unreachable(url, param)
    try:
        with urllib.request.urlopen(real, timeout=FETCH_TIMEOUT) as reply:  # noqa: S310 (loopback only)
            data = reply.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError):
        raise errors.image_url_unreachable(url, param) from None
    return decode(data, param)


def _image_parts(items: Iterable[dict[str, Any]]) -> Iterable[tuple[str, str, str]]:
    """(kind, url or file id, param) of every image part: ``image_url`` or an uploaded ``file_id``."""
    for i, item in enumerate(items):
        content = item.get("content")
        if item.get("type", "message") != "message" or not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") != "input_image":
                continue
            if isinstance(part.get("image_url"), str):
                yield "url", part["image_url"], f"input[{i}].content[{j}].image_url"
            elif isinstance(part.get("file_id"), str):
                yield "file", part["file_id"], f"input[{i}].content[{j}].file_id"


async def resolve(items: Iterable[dict[str, Any]], files: Mapping[str, Any] | None = None) -> dict[str, ImageInfo]:
    """Decode every image of the request's input, keyed by its ``image_url`` or ``file_id``.

    ``files`` maps file ids to uploaded files (``.data``): learn.microsoft.com/azure/foundry/openai/how-to/responses, an image
    uploaded with purpose ``vision`` is referenced by ``file_id``; an unknown id is a 400."""
    found: dict[str, ImageInfo] = {}
    for kind, ref, param in _image_parts(items):
        if ref in found:
            continue
        if kind == "file":
            stored = (files or {}).get(ref)
            if stored is None:
                raise errors.input_file_not_found(ref, param)
            found[ref] = decode(stored.data, param)
        elif ref.startswith("data:"):
            found[ref] = from_data_url(ref, param)
        else:
            found[ref] = await asyncio.to_thread(fetch, ref, param)
    return found
