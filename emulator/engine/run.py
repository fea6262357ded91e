"""Executing one create request: conversation -> model -> Response object and store record.

Kept apart from the HTTP handlers so the same run can be serialised as one JSON body or,
later, replayed as an SSE event sequence.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.engine import context, documents as docs, model
from emulator.wire import objects
from emulator.engine import schema
from emulator.wire import sealed
from emulator.engine.conversation import normalize_input, turns_of
from emulator.wire.ids import response_id
from emulator.state.profile import Deployment, Profile
from emulator.wire.request import CreateRequest
from emulator.state.store import Record
from emulator.engine.tools.step import ToolStep
from emulator.wire.versions import Api
from emulator.engine.vision import ImageInfo
from emulator.engine import content_filter
from emulator.engine import compaction
from emulator.engine.logprobs import logprobs_for
from emulator.engine.options import LOGPROBS
from emulator.engine.prompt_cache import PromptCache, prompt_tokens
ENCRYPTED = "reasoning.encrypted_content"

# Reasoning tokens a reasoning deployment "spends" per effort level (deterministic).
REASONING_TOKENS = {"none": 0, "minimal": 4, "low": 8, "medium": 16, "high": 32, "xhigh": 48, "max": 64}
DEFAULT_EFFORT = "medium"


@dataclass(slots=True)
class Run:
    """The outcome of a create: the response object and the record to store."""

    response: dict[str, Any]
    record: Record
    text: str
    """The assistant's output text (empty when reasoning used the whole budget)."""


def _reasoning_echo(req: CreateRequest, deployment: Deployment) -> dict[str, Any]:
    if deployment.kind != "reasoning":
        return {"effort": None, "summary": None}
    asked = req.reasoning or {}
    return {
        "effort": asked.get("effort") or DEFAULT_EFFORT,
        "summary": asked.get("summary") or asked.get("generate_summary"),
    }


def _complete(req: CreateRequest, conversation: list[model.Turn], budget: int | None, seed: int) -> model.Completion:
    """Plain text, or JSON that fits ``text.format`` (learn.microsoft.com/azure/foundry/openai/how-to/structured-outputs)."""
    fmt = req.text.get("format") or {}
    latest = next((t.text for t in reversed(conversation) if t.role != "assistant"), "")
    if fmt.get("type") == "json_schema":
        prompt = " ".join(t.text for t in conversation if t.role != "assistant")
        value = schema.instance(fmt["schema"], prompt, latest)
        return model.truncate(json.dumps(value, separators=(",", ":")), budget)
    if fmt.get("type") == "json_object":
        answer = model.respond(conversation, req.instructions, seed)
        return model.truncate(json.dumps({"answer": answer, "question": latest}), budget)
    verbosity = req.text.get("verbosity")
    if verbosity in ("low", "high"):
        return model.truncate(_verbose(conversation, req.instructions, seed, verbosity), budget)
    return model.generate(conversation, req.instructions, budget, seed)


def _verbose(conversation: list[model.Turn], instructions: str | None, seed: int, verbosity: str) -> str:
    """``text.verbosity``: low keeps the answer's first sentence, high adds two more passes."""
    answer = model.respond(conversation, instructions, seed)
    if verbosity == "low":
        first, dot, _ = answer.partition(". ")
        return first + (dot.strip() if dot else "")
    more = [model.respond(conversation, instructions, seed + n) for n in (1, 2)]
    return " ".join([answer, "In more detail:", *more])


def _truncated_history(history: list[model.Turn], room: int) -> list[model.Turn]:
    """``truncation: "auto"``: drop the oldest turns until the rest fits in ``room`` tokens."""
    kept = list(history)
    while kept and sum(model.turn_tokens(t) for t in kept) > room:
        kept.pop(0)
    return kept


def _document_answer(
    req: CreateRequest, items: list[dict[str, Any]], documents: Mapping[str, docs.Document] | None
) -> str | None:
    """The answer a plain-text request about its ``input_file`` documents gets from their text."""
    if not documents or (req.text.get("format") or {}).get("type", "text") != "text":
        return None
    asked = [t.text for t in turns_of(items) if t.role == "user"]
    return docs.answer(asked[-1] if asked else "", documents.values())


@dataclass
class _Prompt:
    """What the model reads for one create: the conversation and what its tokens cost."""

    items: list[dict[str, Any]]
    new_turns: list[model.Turn]
    conversation: list[model.Turn]
    prior_tokens: int
    new_tokens: int
    input_tokens: int
    cached_tokens: int


def _prompt(req: CreateRequest, deployment: Deployment, parent: Record | None, images: Mapping[str, ImageInfo] | None,
            cache: PromptCache | None, context_limit: int | None,
            documents: Mapping[str, docs.Document] | None) -> _Prompt:
    """The conversation (truncated with ``truncation: auto``), its token counts and cache hits;
    a turn past the model's context window is refused here."""
    items = normalize_input(req.input)
    new_turns = turns_of(items, images, documents)
    history = parent.history() if parent is not None else []
    new_tokens = sum(model.turn_tokens(t) for t in new_turns)
    prior_tokens = parent.chain_tokens if parent is not None else 0
    instructions_tokens = model.count_tokens(req.instructions) if req.instructions else 0
    if req.truncation == "auto" and context_limit is not None and prior_tokens + new_tokens + instructions_tokens >= context_limit:
        history = _truncated_history(history, context_limit - new_tokens - instructions_tokens - 1)
        prior_tokens = sum(model.turn_tokens(t) for t in history)
    conversation = history + new_turns
    input_tokens = prior_tokens + new_tokens + instructions_tokens
    cached_tokens = 0
    if cache is not None:
        cached_tokens = min(cache.lookup_and_add(req.prompt_cache_key, prompt_tokens(req.instructions, conversation)),
                            input_tokens)
    context.check_window(input_tokens, deployment.context_window)
    return _Prompt(items, new_turns, conversation, prior_tokens, new_tokens, input_tokens, cached_tokens)


def _reason(req: CreateRequest, deployment: Deployment, api: Api, profile: Profile, conversation: list[model.Turn],
            seed: int, reasoning: dict[str, Any], budget: int | None) -> tuple[list[dict[str, Any]], int, int | None]:
    """A reasoning model's reasoning item (if any), the tokens it spent and the budget left."""
    if deployment.kind != "reasoning":
        return [], 0, budget
    reasoning_tokens = REASONING_TOKENS.get(reasoning["effort"], REASONING_TOKENS[DEFAULT_EFFORT])
    if budget is not None:
        reasoning_tokens = min(reasoning_tokens, budget // 2)
        budget -= reasoning_tokens
    summary = None
    if (
        reasoning["summary"] is not None
        and "reasoning_summary" in deployment.capabilities
        and profile.feature_enabled("reasoning_summary", api.name)
    ):
        summary = model.summarize(conversation, seed, reasoning["summary"])
    sealed_content = None
    if ENCRYPTED in req.include:
        sealed_content = sealed.seal({"effort": reasoning["effort"], "summary": summary or []})
    if reasoning["effort"] == "none":  # effort none: the model does not reason at all
        return [], reasoning_tokens, budget
    return [objects.reasoning_item(summary, sealed_content)], reasoning_tokens, budget


def _answer(req: CreateRequest, prompt: _Prompt, conversation: list[model.Turn], step: ToolStep | None,
            budget: int | None, seed: int, profile: Profile,
            documents: Mapping[str, docs.Document] | None) -> tuple[model.Completion, dict[str, Any], "content_filter.Hit | None"]:
    """The message the model answers with, and whether the output filter blocked it."""
    from_documents = _document_answer(req, prompt.items, documents) if step is None or step.answer is None else None
    if step is not None and step.answer is not None:
        completion = model.truncate(step.answer, budget)
    elif from_documents is not None:
        completion = model.truncate(from_documents, budget)
    else:
        completion = _complete(req, conversation, budget, seed)
    notes = [a for a in (step.annotations if step else []) if a.get("index", a.get("end_index", 0)) <= len(completion.text)]
    blocked = content_filter.output_hit(profile.content_filter, content_filter.prompt_texts(prompt.new_turns, req.instructions))
    if blocked is not None:
        # The output filter stops the answer: no text (and, in execute, usage all zeros).
        completion, notes = model.Completion("", 0, True), []
    message = objects.message_item(completion.text, complete=not completion.truncated, annotations=notes)
    if LOGPROBS in req.include:
        message["content"][0]["logprobs"] = logprobs_for(completion.text, req.top_logprobs or 0)
    return completion, message, blocked


def execute(
    req: CreateRequest,
    *,
    deployment: Deployment,
    api: Api,
    profile: Profile,
    parent: Record | None,
    seed: int = 0,
    now: float | None = None,
    images: Mapping[str, ImageInfo] | None = None,
    step: ToolStep | None = None,
    cache: PromptCache | None = None,
    context_limit: int | None = None,
    documents: Mapping[str, docs.Document] | None = None,
) -> Run:
    """Run the model over the conversation and build the finished Response.

    ``documents`` are the request's ``input_file`` parts, read: their text joins the turn
    and, when no tool answered, the answer comes from them."""
    created = int(time.time() if now is None else now)  # integer seconds: docs/azure-wire-details.md
    prompt = _prompt(req, deployment, parent, images, cache, context_limit, documents)
    reasoning = _reasoning_echo(req, deployment)
    budget = context.output_budget(req.max_output_tokens, deployment.max_output_tokens)
    output, reasoning_tokens, budget = _reason(req, deployment, api, profile, prompt.conversation, seed, reasoning, budget)
    input_tokens, cached_tokens = prompt.input_tokens, prompt.cached_tokens
    tool_turns = step.turns if step is not None else []
    conversation = prompt.conversation + tool_turns
    output.extend(step.items if step is not None else [])
    blocked: content_filter.Hit | None = None
    if step is not None and step.stop:
        # The turn ends with tool calls for the client: no message (learn.microsoft.com/azure/foundry/openai/how-to/responses).
        completion = model.Completion("", sum(model.count_tokens(t.text) for t in tool_turns), False)
    else:
        completion, message, blocked = _answer(req, prompt, conversation, step, budget, seed, profile, documents)
        if blocked is not None:
            input_tokens = reasoning_tokens = cached_tokens = 0  # a filtered answer bills nothing
        output.append(message)
    if compaction.over_threshold(req.context_management, input_tokens):
        # Server-side compaction (context_management): the conversation so far, as one opaque
        # item ahead of the answer, which a stateless client sends back instead of the history.
        # It stands for the whole conversation: a client may drop every item before it.
        output.insert(0, compaction.compaction_item(conversation))
    reason = None if not completion.truncated else "content_filter" if blocked is not None else "max_output_tokens"
    response = objects.response_object(
        response_id=response_id(),
        created_at=created,
        completed_at=None if completion.truncated else created,
        status="incomplete" if completion.truncated else "completed",
        model=deployment.name,
        output=output,
        usage_=objects.usage(input_tokens, completion.tokens + reasoning_tokens, reasoning_tokens, cached_tokens),
        filters=objects.content_filters(api.is_v1, sum(len(t.text) for t in conversation) + len(req.instructions or ""),
                                        len(completion.text), blocked.category if blocked is not None else None),
        incomplete_reason=reason,
        reasoning=reasoning,
        request=req,
    )
    own_turns = (*prompt.new_turns, *tool_turns, *([model.Turn("assistant", completion.text)] if completion.text else []))
    record = Record(response=response, input_items=prompt.items, turns=own_turns,
                    chain_tokens=prompt.prior_tokens + prompt.new_tokens + completion.tokens,
                    parent=parent, deployment=deployment.name)
    return Run(response=response, record=record, text=completion.text)
