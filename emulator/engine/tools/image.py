"""The image generation tool: real, deterministic image bytes for an ``image_generation_call``.

Azure routes the tool to the gpt-image deployment named in the
``x-ms-oai-image-generation-deployment`` header (learn.microsoft.com/azure/foundry/openai/how-to/responses). The emulator draws
a few flat shapes whose colours derive from the prompt, so the same prompt gives the same
image, and flat colours keep the base64 small in cassettes.
"""

from __future__ import annotations

import base64
import io
import zlib
from typing import Any

from emulator.wire.ids import item_id

SIZES = ("1024x1024", "1024x1536", "1536x1024")
FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
HEADER = "x-ms-oai-image-generation-deployment"


def _size(asked: object) -> str:
    return asked if isinstance(asked, str) and asked in SIZES else SIZES[0]


def render(prompt: str, size: str, fmt: str, background: str) -> bytes:
    """Image bytes of ``size`` ("WxH") in ``fmt``; transparent background where asked and possible."""
    from PIL import Image, ImageDraw

    width, height = (int(v) for v in size.split("x"))
    seed = zlib.crc32(prompt.encode())
    colour = lambda shift: ((seed >> shift) & 0xFF, (seed >> (shift + 5)) & 0xFF, (seed >> (shift + 11)) & 0xFF)  # noqa: E731
    transparent = background == "transparent" and fmt in ("png", "webp")
    mode = "RGBA" if transparent else "RGB"
    image = Image.new(mode, (width, height), (0, 0, 0, 0) if transparent else colour(0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=colour(3))
    draw.rectangle((0, 7 * height // 8, width, height), fill=colour(7))
    out = io.BytesIO()
    image.save(out, format=FORMATS[fmt])
    return out.getvalue()


def call_item(tool: dict[str, Any], prompt: str) -> dict[str, Any]:
    """A completed ``image_generation_call`` whose ``result`` is the base64 image."""
    fmt = tool.get("output_format") if tool.get("output_format") in FORMATS else "png"
    size = _size(tool.get("size"))
    background = tool.get("background") if tool.get("background") in ("transparent", "opaque") else "opaque"
    quality = tool.get("quality") if tool.get("quality") in ("low", "medium", "high") else "high"
    data = render(prompt, size, fmt, background)
    return {
        "id": item_id("image_generation_call"),
        "type": "image_generation_call",
        "status": "completed",
        "background": background,
        "output_format": fmt,
        "quality": quality,
        "result": base64.b64encode(data).decode("ascii"),
        "revised_prompt": prompt,
        "size": size,
    }
