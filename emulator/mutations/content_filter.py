"""Content-filter bugs: a filter that fires but says so in the wrong shape."""

from __future__ import annotations

from typing import Any

from emulator.mutations.base import Exchange, Mutant, ResponseFix, register


@register("content-filter-chat-code", "errors",
          "a filtered prompt's 400 carries chat completions' inner code and no param",
          "content_filter.prompt")
class ContentFilterChatCode(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        error = body.get("error") if isinstance(body, dict) else None
        if status != 400 or not isinstance(error, dict) or error.get("code") != "content_filter":
            return None
        return status, {"error": {**error, "code": "ResponsibleAIPolicyViolation", "param": None}}


@register("output-filter-as-length", "model",
          "an answer the output filter stopped says incomplete_details.reason max_output_tokens",
          "content_filter.output")
class OutputFilterAsLength(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        if response.get("incomplete_details") != {"reason": "content_filter"}:
            return False
        response["incomplete_details"] = {"reason": "max_output_tokens"}
        return True
