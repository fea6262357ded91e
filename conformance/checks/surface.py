"""Checks for the 2026 request surface: compacted conversations, logprobs, served tiers and
prompt-cache accounting. Each returns violations like every other check (empty: conformant).

Sources: the openai SDK's `CompactedResponse` ("all user messages, followed by a single
compaction item") and `ResponseCompactionItem` (`encrypted_content`), OpenAI's `Logprob`
(`token`, `logprob`, `bytes`, `top_logprobs`), and Azure's priority/flex docs (the response's
`service_tier` says which tier served it).
"""

from __future__ import annotations

import math
from typing import Any, Optional

from conformance.checks._base import Violation, is_int, join, json_type
from conformance.checks.response import _check_usage

__all__ = ["check_cached_tokens", "check_compacted", "check_logprobs", "check_service_tier"]


def check_compacted(body: Any, *, where: str = "") -> list[Violation]:
    """A `/responses/compact` result: its object, id, output (user messages, then exactly one
    compaction item with opaque content, last) and usage."""
    if not isinstance(body, dict):
        return [Violation(where, f"expected a JSON object, got {json_type(body)}", "compaction.shape")]
    found: list[Violation] = []
    if body.get("object") != "response.compaction":
        found.append(Violation(join(where, "object"), f"expected 'response.compaction', got {body.get('object')!r}", "compaction.shape"))
    if not isinstance(body.get("id"), str) or not body["id"]:
        found.append(Violation(join(where, "id"), "missing or empty id", "compaction.shape"))
    output = body.get("output")
    if not isinstance(output, list):
        return found + [Violation(join(where, "output"), f"expected an array, got {json_type(output)}", "compaction.shape")]
    kinds = [item.get("type", "message") if isinstance(item, dict) else None for item in output]
    if kinds.count("compaction") != 1 or kinds[-1:] != ["compaction"]:
        found.append(Violation(join(where, "output"), f"expected user messages then one compaction item last, got {kinds}", "compaction.item"))
    for i, item in enumerate(output):
        at = join(join(where, "output"), i)
        if not isinstance(item, dict):
            found.append(Violation(at, f"expected an object, got {json_type(item)}", "compaction.item"))
        elif item.get("type") == "compaction":
            found += check_compaction_item(item, where=at)
        elif item.get("type", "message") == "message" and item.get("role") != "user":
            found.append(Violation(join(at, "role"), f"compacted output keeps user messages only, got role {item.get('role')!r}", "compaction.item"))
    if not isinstance(body.get("usage"), dict):
        found.append(Violation(join(where, "usage"), "missing usage", "compaction.shape"))
    else:
        found += _check_usage(body, where)
    return found


def check_compaction_item(item: Any, *, where: str = "") -> list[Violation]:
    """One compaction item: type `compaction`, an id, and non-empty opaque `encrypted_content`."""
    if not isinstance(item, dict) or item.get("type") != "compaction":
        return [Violation(where, "expected an item of type 'compaction'", "compaction.item")]
    found: list[Violation] = []
    content = item.get("encrypted_content")
    if not isinstance(content, str) or not content:
        found.append(Violation(join(where, "encrypted_content"), "a compaction item carries non-empty encrypted_content", "compaction.item"))
    if not isinstance(item.get("id"), str) or not item["id"]:
        found.append(Violation(join(where, "id"), "missing or empty id", "compaction.item"))
    return found


def _check_logprob(entry: Any, where: str) -> list[Violation]:
    if not isinstance(entry, dict):
        return [Violation(where, f"expected an object, got {json_type(entry)}", "logprobs.shape")]
    found: list[Violation] = []
    token, value, raw = entry.get("token"), entry.get("logprob"), entry.get("bytes")
    if not isinstance(token, str):
        found.append(Violation(join(where, "token"), f"expected a string, got {json_type(token)}", "logprobs.shape"))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value > 0:
        found.append(Violation(join(where, "logprob"), f"a log probability is a finite number <= 0, got {value!r}", "logprobs.shape"))
    if raw is not None and (not isinstance(raw, list) or not all(is_int(b) and 0 <= b <= 255 for b in raw)):
        found.append(Violation(join(where, "bytes"), "bytes must be a list of byte values 0-255", "logprobs.shape"))
    elif isinstance(raw, list) and isinstance(token, str) and bytes(raw) != token.encode("utf-8"):
        found.append(Violation(join(where, "bytes"), f"bytes do not encode the token {token!r}", "logprobs.shape"))
    return found


def check_logprobs(body: Any, top_logprobs: int, *, where: str = "") -> list[Violation]:
    """Every output_text part carries logprobs whose tokens spell its text, each with
    `top_logprobs` alternatives (at most that many, at least one when asked for any)."""
    found: list[Violation] = []
    parts = [
        (join(join(join(where, "output"), i), f"content[{c}]"), part)
        for i, item in enumerate(body.get("output") or [] if isinstance(body, dict) else [])
        if isinstance(item, dict) and item.get("type") == "message"
        for c, part in enumerate(item.get("content") or [])
        if isinstance(part, dict) and part.get("type") == "output_text"
    ]
    if not parts:
        return [Violation(join(where, "output"), "no output_text part to carry logprobs", "logprobs.shape")]
    for at, part in parts:
        logprobs = part.get("logprobs")
        if not isinstance(logprobs, list) or (part.get("text") and not logprobs):
            found.append(Violation(join(at, "logprobs"), f"include asked for logprobs, got {logprobs!r:.60}", "logprobs.shape"))
            continue
        for n, entry in enumerate(logprobs):
            found += _check_logprob(entry, join(join(at, "logprobs"), n))
            alternatives = entry.get("top_logprobs") if isinstance(entry, dict) else None
            if top_logprobs and (not isinstance(alternatives, list) or not 1 <= len(alternatives) <= top_logprobs):
                found.append(Violation(join(join(join(at, "logprobs"), n), "top_logprobs"),
                                       f"expected 1 to {top_logprobs} alternatives, got {alternatives!r:.60}", "logprobs.top"))
            for k, alt in enumerate(alternatives if isinstance(alternatives, list) else []):
                found += _check_logprob(alt, join(join(join(join(at, "logprobs"), n), "top_logprobs"), k))
        tokens = [e.get("token") for e in logprobs if isinstance(e, dict)]
        if all(isinstance(t, str) for t in tokens) and "".join(tokens) != part.get("text"):
            found.append(Violation(join(at, "logprobs"), "the logprobs' tokens do not spell the part's text", "logprobs.text"))
    return found


def check_service_tier(body: Any, asked: Optional[str], *, where: str = "") -> list[Violation]:
    """The response says which tier served it: `default` for auto/default (Standard), the
    asked tier for priority and flex (Azure downgrades only >128k-token prompts)."""
    served = body.get("service_tier") if isinstance(body, dict) else None
    expected = "default" if asked in (None, "auto", "default") else asked
    if served != expected:
        return [Violation(join(where, "service_tier"), f"asked for {asked!r}, the response reports {served!r} (expected {expected!r})", "service_tier.served")]
    return []


def check_cached_tokens(body: Any, *, minimum: int = 1024, step: int = 128, where: str = "") -> list[Violation]:
    """A cache hit: cached_tokens of at least `minimum`, in `step` increments, below input_tokens."""
    usage = body.get("usage") if isinstance(body, dict) else None
    details = usage.get("input_tokens_details") if isinstance(usage, dict) else None
    cached = details.get("cached_tokens") if isinstance(details, dict) else None
    at = join(where, "usage.input_tokens_details.cached_tokens")
    if not is_int(cached) or cached <= 0:
        return [Violation(at, f"a repeated long prefix should be served from cache, got cached_tokens {cached!r}", "prompt_cache.hit")]
    found = []
    if cached < minimum or (cached - minimum) % step:
        found.append(Violation(at, f"cached_tokens {cached} is not {minimum} + a multiple of {step}", "prompt_cache.hit"))
    if is_int(usage.get("input_tokens")) and cached > usage["input_tokens"]:
        found.append(Violation(at, f"cached_tokens {cached} exceeds input_tokens {usage['input_tokens']}", "prompt_cache.hit"))
    return found
