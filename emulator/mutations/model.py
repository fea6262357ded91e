"""Model bugs: usage accounting, reasoning, structured output and vision input."""

from __future__ import annotations

import json
from typing import Any

from emulator.mutations.base import Exchange, ItemFix, Mutant, PayloadFix, ResponseFix, Seams, register


@register("reasoning-tokens-zero", "model", "usage.output_tokens_details.reasoning_tokens is always 0", "reasoning.effort",
          "reasoning.summary")
class ReasoningTokensZero(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        details = (response.get("usage") or {}).get("output_tokens_details")
        if not isinstance(details, dict) or not details.get("reasoning_tokens"):
            return False
        details["reasoning_tokens"] = 0
        return True


@register("reasoning-effort-not-echoed", "model", "reasoning.effort is echoed as medium whatever was asked",
          "reasoning.effort")
class ReasoningEffortNotEchoed(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        reasoning = response.get("reasoning")
        if not isinstance(reasoning, dict) or reasoning.get("effort") in (None, "medium"):
            return False
        reasoning["effort"] = "medium"
        return True


@register("reasoning-summary-dropped", "model", "reasoning items come back with an empty summary although one was asked",
          "reasoning.summary")
class ReasoningSummaryDropped(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        if item.get("type") != "reasoning" or not item.get("summary"):
            return False
        item["summary"] = []
        return True


@register("encrypted-content-missing", "model", "include=[reasoning.encrypted_content] is accepted but no blob is returned",
          "reasoning.encrypted_content")
class EncryptedContentMissing(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        return item.pop("encrypted_content", None) is not None


@register("structured-output-drops-a-field", "model", "strict json_schema output misses a required property",
          "text.format.json_schema")
class StructuredDropsField(PayloadFix):
    """The JSON text loses its first property, in replies and in the done events (deltas untouched)."""

    @staticmethod
    def _cut(text: str) -> str | None:
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if not isinstance(value, dict) or not value:
            return None
        value.pop(next(iter(value)))
        return json.dumps(value, separators=(",", ":"))

    def _parts(self, payload: Any) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        responses = [payload] if isinstance(payload, dict) and payload.get("object") == "response" else []
        if isinstance(payload, dict) and isinstance(payload.get("response"), dict):
            responses.append(payload["response"])
        items = [i for r in responses for i in r.get("output") or []]
        if isinstance(payload, dict) and isinstance(payload.get("item"), dict):
            items.append(payload["item"])
        for item in items:
            parts += [p for p in item.get("content") or [] if isinstance(p, dict) and p.get("type") == "output_text"]
        if isinstance(payload, dict) and isinstance(payload.get("part"), dict):
            parts.append(payload["part"])
        if isinstance(payload, dict) and payload.get("type") == "response.output_text.done":
            parts.append(payload)
        return parts

    def _edit(self, ex: Exchange, payload: Any) -> bool:
        fmt = ((ex.body("text") or {}).get("format") or {}) if isinstance(ex.body("text"), dict) else {}
        if fmt.get("type") != "json_schema":
            return False
        changed = False
        for part in self._parts(payload):
            cut = self._cut(str(part.get("text", "")))
            if cut is not None:
                part["text"], changed = cut, True
        return changed


@register("image-input-ignored", "model", "input_image parts are dropped before the model sees them",
          "input.image.base64", "input.image.url")
class ImageInputIgnored(Mutant):
    def request(self, ex: Exchange) -> bool:
        changed = False
        for item in ex.body("input") if isinstance(ex.body("input"), list) else []:
            content = item.get("content") if isinstance(item, dict) else None
            if isinstance(content, list):
                kept = [p for p in content if not (isinstance(p, dict) and p.get("type") == "input_image")]
                if len(kept) != len(content):
                    item["content"] = kept or [{"type": "input_text", "text": ""}]
                    changed = True
        return changed


@register("truncated-image-accepted", "model", "an input image is judged by its header only, so a truncated file is accepted",
          "input.image.base64", "input.image.url")
class TruncatedImageAccepted(Mutant):
    def install(self, seams: Seams) -> None:
        import io

        from PIL import Image, UnidentifiedImageError

        from emulator.wire import errors
        from emulator.engine import vision
        mutant = self
        full = vision.decode

        def decode(data: bytes, param: str) -> Any:
            try:
                return full(data, param)
            except errors.ApiError:
                try:
                    with Image.open(io.BytesIO(data)) as img:  # the header alone
                        info = vision.ImageInfo(str(img.format), img.size[0], img.size[1])
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                    raise errors.invalid_image(param) from None
                if info.format not in vision.FORMATS:
                    raise errors.invalid_image(param) from None
                mutant.fire()
                return info

        seams.patch(vision, "decode", decode)


@register("usage-missing", "model", "a completed non-streamed response has usage: null", "responses.create",
          "responses.retrieve")
class UsageMissing(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if status != 200 or not isinstance(body, dict) or body.get("object") != "response" or body.get("usage") is None:
            return None
        return status, {**body, "usage": None}
