"""The profile's ``[content_filter]`` table: which trigger phrases stand in for Azure's classifier.

The filtering itself is :mod:`emulator.engine.content_filter`; the annotations a response
carries are :mod:`emulator.wire.content_filters`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

HARM_CATEGORIES = ("hate", "sexual", "violence", "self_harm")
PROMPT_DETECTIONS = ("jailbreak",)
COMPLETION_DETECTIONS = ("protected_material_text", "protected_material_code")
PROMPT_CATEGORIES = HARM_CATEGORIES + PROMPT_DETECTIONS
OUTPUT_CATEGORIES = HARM_CATEGORIES + COMPLETION_DETECTIONS


class ContentFilterSpec(BaseModel):
    """The profile's ``[content_filter]`` table: trigger phrases per category."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Category -> phrases that make the prompt filter refuse the request."""
    output: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Category -> phrases (in the prompt) whose answer the output filter blocks."""

    @field_validator("prompt")
    @classmethod
    def _prompt_categories(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return _known(value, PROMPT_CATEGORIES, "prompt")

    @field_validator("output")
    @classmethod
    def _output_categories(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return _known(value, OUTPUT_CATEGORIES, "output")


def _known(value: dict[str, tuple[str, ...]], allowed: tuple[str, ...], side: str) -> dict[str, tuple[str, ...]]:
    for category, phrases in value.items():
        if category not in allowed:
            raise ValueError(f"unknown {side} filter category {category!r} (one of {', '.join(allowed)})")
        if any(not p.strip() for p in phrases):
            raise ValueError(f"empty trigger phrase in {side} filter category {category!r}")
    return value
