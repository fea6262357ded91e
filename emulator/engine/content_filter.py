"""Deterministic Azure content filtering: trigger phrases in the profile stand in for the classifier.

Real Azure runs every prompt and every completion through its content filter (on by default,
blocking medium and high severity of hate, sexual, violence and self-harm, plus jailbreak
attempts on prompts and protected material on completions; public sources:
https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter and, for the
Responses API, the "Handle guardrails and content filtering" section of
https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses). The emulator has no
classifier, so the profile's ``[content_filter]`` table names phrases per category:

- a **prompt** phrase in any prompt text (instructions, or a user/system/developer turn of the
  conversation, earlier turns included) refuses the request with HTTP 400 ``content_filter``;
- an **output** phrase in the prompt makes the answer one the output filter blocks: the
  response ends ``incomplete`` with reason ``content_filter`` (openai-python's
  ``IncompleteDetails.reason`` names it), the message item ``incomplete`` with no text, usage
  all zeros, as public recordings of real Azure streams show.

Phrases match case-insensitively on word boundaries, so the suite's trigger prompts (ones
real Azure's default filter blocks) trip the emulator the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from emulator.wire import errors
from emulator.state.content_filter import ContentFilterSpec
from emulator.state.store import Turn
from emulator.wire.content_filters import annotations  # noqa: F401  (re-exported)

PROMPT_MESSAGE = (
    "The response was filtered due to the prompt triggering Azure OpenAI\u2019s content management policy. "
    "Please modify your prompt and retry. To learn more about our content filtering policies please read our "
    "documentation: https://go.microsoft.com/fwlink/?linkid=2198766"
)
"""The wording of real Azure's prompt-filter 400 (quoted in openai/openai-dotnet#55 for chat)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """Which category a trigger phrase belongs to, and where in the text it was found."""

    category: str
    start: int


def _find(phrases: Mapping[str, Iterable[str]], texts: Iterable[str]) -> Hit | None:
    for text in texts:
        for category, words in phrases.items():
            for phrase in words:
                found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
                if found:
                    return Hit(category, found.start())
    return None


def prompt_texts(conversation: Iterable[Turn], instructions: str | None) -> list[str]:
    """What the prompt filter reads: the instructions and every non-assistant turn."""
    return [*([instructions] if instructions else []), *(t.text for t in conversation if t.role != "assistant")]


def check_prompt(spec: ContentFilterSpec, texts: Iterable[str]) -> None:
    """Refuse a prompt that holds a prompt trigger, as Azure's Responses API does.

    The Responses flavour of the 400 has ``type``, ``param: "prompt"`` and ``code`` but, unlike
    chat completions, no ``innererror`` (public recordings of real Azure Responses traffic).
    """
    if _find(spec.prompt, texts) is not None:
        raise errors.invalid_request(PROMPT_MESSAGE, "prompt", "content_filter")


def output_hit(spec: ContentFilterSpec, texts: Iterable[str]) -> Hit | None:
    """The output trigger in the prompt, if any: its answer is one the output filter blocks."""
    return _find(spec.output, texts)
