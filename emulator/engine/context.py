"""A conversation's length is bounded, as a model's context window bounds it on the service.

Each stored turn keeps its whole chain alive (``Record.parent``) and replays it on the next
turn, so an unbounded ``previous_response_id`` chain would grow memory and per-request work
without limit. Past the window the emulator refuses the next turn with OpenAI's
``context_length_exceeded`` error, which Azure relays.
"""

from __future__ import annotations

from emulator.wire import errors
from emulator.state.store import Record

DEFAULT_CONTEXT_TOKENS = 128_000


def _exceeded() -> errors.ApiError:
    """OpenAI's body, which Azure relays: quoted from real traffic in public reports (see
    docs/documents.md "Context window")."""
    return errors.invalid_request(
        "Your input exceeds the context window of this model. Please adjust your input and try again.",
        "input",
        "context_length_exceeded",
    )


def check_window(input_tokens: int, window: int | None) -> None:
    """A turn whose input alone exceeds the model's context window is refused (400), not
    answered ``incomplete``: the service cannot start generating at all."""
    if window is not None and input_tokens > window:
        raise _exceeded()


def output_budget(asked: int | None, model_limit: int | None) -> int | None:
    """The tokens a turn may generate: ``max_output_tokens`` bounded by the model's output limit."""
    if model_limit is None:
        return asked
    return model_limit if asked is None else min(asked, model_limit)


def check_room(parent: Record | None, limit: int = DEFAULT_CONTEXT_TOKENS) -> None:
    """Raise the 400 a full context window gets; a conversation with room passes."""
    if parent is not None and parent.chain_tokens >= limit:
        raise _exceeded()
