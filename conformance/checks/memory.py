"""Did a conversation remember? The last answer must name the value stated turns earlier.

A whole-word, case-insensitive match: "7" is not found in "17", nor "teal" in "steal", so a
service that lost the first turn cannot pass by luck of wording.
"""

from __future__ import annotations

import re


def recall_violation(answer: str, value: str, question: str) -> str | None:
    """Why ``answer`` does not recall ``value`` (None when it does)."""
    if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", answer, re.I):
        return None
    return (f"asked {question!r}, the answer does not contain {value!r} (stated in the first turn): {answer!r}; "
            "the service lost earlier turns of the conversation")


def recalls(answer: str, value: str, question: str) -> None:
    """Assert that ``answer`` names ``value``."""
    violation = recall_violation(answer, value, question)
    assert violation is None, violation
