"""How a text is cut into the deltas a stream sends (and logprobs count): word-sized chunks."""

from __future__ import annotations

import re

_CHUNK_RE = re.compile(r"\s*(?:\w+|[^\w\s])|\s+$")


def chunks(text: str) -> list[str]:
    """``text`` split into the deltas the stream sends; ``"".join(chunks(t)) == t``."""
    return [m.group(0) for m in _CHUNK_RE.finditer(text)] or ([text] if text else [])
