"""The closed feature registry: every verdict in the report is about one of these ids.

Like test262's features list: a test that names an unknown feature fails at collection, so
the report's rows cannot drift from what the suites test.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

DOCS = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses"


@dataclass(frozen=True)
class Feature:
    id: str
    title: str
    seed: Optional[str] = None
    #: capabilities (see targets.Capability) a target's deployment needs for this feature
    needs: frozenset[str] = frozenset()
    #: the oldest `openai` SDK whose types can express the feature
    min_sdk: str = "1.68.2"
    doc: str = DOCS
    #: what the feature is about: a refusal counts as `unsupported` only when it names one of
    #: these (conformance/outcome/verdicts.py). Request parameters as dotted paths (`reasoning.effort`;
    #: a refused `reasoning.effort.x` names it too), `tool:<type>` for a tool type,
    #: `include:<value>` for an `include` value, `input:<type>` for an input item or content
    #: part type, `route:<METHOD> <path>` for an operation (`{id}` for an object id). Refusals
    #: of the target itself (its api-version) count for every feature and are not listed.
    subjects: tuple[str, ...] = ()
    #: the kinds of target (targets.KINDS) the feature exists on; others are `skipped` with
    #: `kinds_reason` (an Azure error contract means nothing on api.openai.com)
    kinds: tuple[str, ...] = ("resource", "project", "openai", "compatible")
    kinds_reason: str = ""

    def applies_to(self, kind: str) -> Optional[str]:
        """None when the feature exists on targets of `kind`, else why it does not."""
        return None if kind in self.kinds else f"not applicable on {kind} targets: {self.kinds_reason}"

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


def _f(id: str, title: str, seed: Optional[str] = None, needs: tuple[str, ...] = (), min_sdk: str = "1.68.2",
       doc: str = DOCS, subjects: tuple[str, ...] = (), kinds: Optional[tuple[str, ...]] = None,
       kinds_reason: str = "") -> Feature:
    feature = Feature(id, title, seed, frozenset(needs), min_sdk, doc, subjects)
    return replace(feature, kinds=kinds, kinds_reason=kinds_reason) if kinds is not None else feature


#: Azure's own contracts (its error bodies, api-versions, Entra): not a property of other servers.
_AZURE = ("resource", "project")
_AZURE_ONLY = "it checks an Azure contract (error body shape, api-version), which other Responses servers do not promise"
#: Azure serves /conversations on Foundry project endpoints only (learn.microsoft.com/en-us/answers/a/12821516:
#: 404 on Azure OpenAI and AIServices resources); OpenAI serves it too (platform.openai.com/docs/api-reference/conversations).
_CONVERSATIONS = ("project", "openai", "compatible")


#: Subjects shared by features built on the same request.
_STREAM = ("stream",)
_BACKGROUND = ("background",)
_WEB_SEARCH = ("tool:web_search", "tool:web_search_preview", "include:web_search_call.action.sources")
_CODE = ("tool:code_interpreter", "include:code_interpreter_call.outputs")
WEB_SEARCH_DOC = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/web-search"
REASONING_DOC = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reasoning"


_ALL = [
    # --- foundation: the basic round trips and their error contracts
    _f("responses.create", "Create a response (sync)", "responses-basic-aoai*.py, responses-basic-entra-aoai*.py"),
    _f("responses.create.async", "Create a response (async client)", "responses-stream-async-aoai*.py"),
    _f("responses.previous_response_id", "Multi-turn conversation with previous_response_id", "responses-conversation-aoai*.py", subjects=("previous_response_id",)),
    _f("responses.retrieve", "Retrieve a stored response", subjects=("route:GET /responses/{id}",)),
    _f("responses.delete", "Delete a stored response; retrieve after delete fails", subjects=("route:DELETE /responses/{id}",)),
    _f("responses.input_items", "List a response's input items", subjects=("route:GET /responses/{id}/input_items",)),
    _f("errors.auth", "401 for a bad key or token, in Azure's error shape", kinds=_AZURE, kinds_reason=_AZURE_ONLY),
    _f("errors.deployment_not_found", "An unknown deployment is refused in Azure's error shape", kinds=_AZURE, kinds_reason=_AZURE_ONLY),
    _f("errors.api_version", "An api-version the Responses API does not serve is refused", kinds=_AZURE, kinds_reason=_AZURE_ONLY),
    _f("errors.response_not_found", "An unknown response id gives 404 in Azure's error shape", kinds=_AZURE, kinds_reason=_AZURE_ONLY),
    # --- conversations (Foundry projects, OpenAI)
    _f("conversations", "Conversations API: create, add and list items, respond in a conversation, delete", None, (), "1.101.0",
       "https://learn.microsoft.com/en-us/rest/api/microsoft-foundry/azureopenai/conversations",
       subjects=("conversation", "route:POST /conversations", "route:GET /conversations/{id}", "route:DELETE /conversations/{id}",
                 "route:POST /conversations/{id}/items", "route:GET /conversations/{id}/items"),
       kinds=_CONVERSATIONS, kinds_reason="Azure serves /conversations on Foundry project endpoints only, not on a "
       "resource's /openai/v1 (learn.microsoft.com/en-us/answers/a/12821516)"),
    # --- streaming, structured outputs, reasoning, vision, chat
    _f("responses.stream", "SSE streaming (sync)", "responses-stream-sse-aoai*.py", subjects=_STREAM),
    _f("responses.stream.async", "SSE streaming (async)", "responses-stream-async-aoai*.py", subjects=_STREAM),
    _f("responses.stream.conversation", "Streamed conversation, id from response.created", "responses-conversation-stream-sse-aoai.py", subjects=(*_STREAM, "previous_response_id")),
    _f("text.format.json_schema", "Structured outputs (strict json_schema)", "responses-structured-aoai*.py", ("structured_outputs",), subjects=("text.format",)),
    _f("reasoning.effort", "Reasoning effort on a reasoning deployment", "responses-reasoning-aoai*.py", ("reasoning",), subjects=("reasoning.effort",)),
    _f("reasoning.summary", "Reasoning summaries (streamed and not)", "responses-basic-reasoning-summary-aoai.py", ("reasoning_summary",), subjects=("reasoning.summary",)),
    _f("reasoning.encrypted_content", "Stateless reasoning with encrypted content", None, ("reasoning",), subjects=("include:reasoning.encrypted_content",)),
    _f("input.image.base64", "Vision: image from a data URL", "responses-image-aoai*.py", ("vision",), subjects=("input:input_image",)),
    _f("input.image.url", "Vision: image from a URL", "responses-imageurl-aoai*.py", ("vision",), subjects=("input:input_image",)),
    _f("input.image.file_id", "Vision: image uploaded with purpose vision, referenced by file_id", None, ("vision",), subjects=("input:input_image", "route:POST /files")),
    _f("input.file", "PDF input by base64 file_data and by file_id (purpose assistants)", "responses-pdfupload*-aoai-v1.py", ("vision",), subjects=("input:input_file", "route:POST /files")),
    _f("scenario.chat", "Chat app: streamed history, image upload, reasoning summary", "responses-conversation-stream-gradio*.py", subjects=(*_STREAM, "previous_response_id", "reasoning.effort", "reasoning.summary", "input:input_image")),
    # --- tools
    _f("tools.function", "Function calling", "responses-function-weather-aoai*.py", ("function_calling",), subjects=("tool:function", "tool_choice", "parallel_tool_calls", "input:function_call_output")),
    _f("tools.file_search", "File search over a vector store", "responses-filesearch-aoai*.py", ("file_search",), subjects=("tool:file_search", "include:file_search_call.results", "route:POST /files", "route:POST /vector_stores",
                                     "route:POST /vector_stores/{id}/files", "route:POST /vector_stores/{id}/file_batches")),
    _f("tools.mcp", "Remote MCP server", "responses-mcp-aoai-v1.py", ("mcp",), "1.80.0", subjects=("tool:mcp",)),
    _f("tools.mcp.approval", "Remote MCP approval flow", "responses-mcp-entra-aoai-v1.py", ("mcp",), "1.80.0", subjects=("tool:mcp", "input:mcp_approval_response")),
    _f("tools.image_generation", "Image generation tool (gpt-image-1)", "responses-image-generate-aoai-v1.py", ("image_generation",), "1.80.0", subjects=("tool:image_generation",)),
    _f("tools.web_search", "Web search: web_search_call with a search action, sources included, url_citation annotations", doc=WEB_SEARCH_DOC, subjects=_WEB_SEARCH),
    _f("tools.web_search.stream", "Web search streamed: in_progress, searching, completed", None, (), "1.80.0", doc=WEB_SEARCH_DOC, subjects=(*_WEB_SEARCH, *_STREAM)),
    _f("tools.code_interpreter", "Code interpreter: code run in an auto container, logs included", None, (), "1.80.0", subjects=_CODE),
    _f("tools.code_interpreter.container", "Code interpreter: an explicit container id keeps its files; generated files cited", None, (), "1.80.0", subjects=_CODE),
    _f("tools.code_interpreter.stream", "Code interpreter streamed: in_progress, code deltas, interpreting, completed", None, (), "1.80.0", subjects=(*_CODE, *_STREAM)),
    _f("tools.tool_choice.required", "tool_choice required: the model must call a tool", None, ("function_calling",), subjects=("tool_choice", "tool:function")),
    _f("tools.tool_choice.none", "tool_choice none: no tool is called though tools are offered", None, ("function_calling",), subjects=("tool_choice", "tool:function")),
    _f("tools.tool_choice.allowed_tools", "tool_choice allowed_tools: only the listed tools are called", None, ("function_calling",), "1.99.0", subjects=("tool_choice", "tool:function")),
    _f("tools.max_tool_calls", "max_tool_calls caps the built-in tool calls of a response", None, (), "1.99.0", doc=WEB_SEARCH_DOC, subjects=("max_tool_calls", *_WEB_SEARCH)),
    _f("tools.custom", "Custom (free-form) tools: custom_tool_call input, custom_tool_call_output answered", None, ("function_calling",), "1.99.0",
       doc=REASONING_DOC, subjects=("tool:custom", "tool_choice", "input:custom_tool_call_output")),
    # --- Azure content filtering (the default filter blocks these; see suites/test_content_filter.py)
    _f("content_filter.prompt", "A prompt the default content filter blocks is refused (400 content_filter)",
       doc="https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter"),
    _f("content_filter.output", "An answer the output filter blocks ends incomplete (content_filter)",
       doc="https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter", subjects=_STREAM),
    # --- the 2026 request surface: compaction, WebSocket mode and per-model request options
    _f("responses.compact", "Compaction: POST /responses/compact, compacted output fed to the next turn", None, (), "2.9.0",
       "https://learn.microsoft.com/azure/foundry/openai/how-to/responses#compact-a-response",
       subjects=("route:POST /responses/compact", "input:compaction")),
    _f("responses.context_management", "Server-side compaction: context_management emits a compaction item", None, (), "2.9.0",
       subjects=("context_management", "input:compaction")),
    _f("responses.websocket", "WebSocket mode on /responses: response.create, the stream's events as frames", None, (), "3.57.0",
       "https://developers.openai.com/api/reference/resources/responses/websocket-events", subjects=("websocket",)),
    _f("responses.websocket.store_false", "WebSocket mode continues a store:false response on its own connection only",
       None, (), "3.57.0", "https://www.openresponses.org/specification#websocket-continuation",
       subjects=("websocket", "store")),
    _f("truncation.auto", "truncation auto: accepted, echoed, the conversation continues", subjects=("truncation",)),
    _f("service_tier.default", "service_tier default (Standard) is served and reported",
       doc="https://learn.microsoft.com/azure/foundry/openai/concepts/priority-processing", subjects=("service_tier",)),
    _f("service_tier.priority", "service_tier priority (priority processing) where the model has it",
       doc="https://learn.microsoft.com/azure/foundry/openai/concepts/priority-processing", subjects=("service_tier",)),
    _f("service_tier.flex", "service_tier flex (Flex processing) where the model has it",
       doc="https://learn.microsoft.com/azure/foundry/openai/how-to/flex-processing", subjects=("service_tier",)),
    _f("prompt_cache", "Prompt caching: prompt_cache_key, cached_tokens on a repeated long prefix",
       doc="https://learn.microsoft.com/azure/foundry/openai/how-to/prompt-caching", subjects=("prompt_cache_key",)),
    _f("include.logprobs", "include message.output_text.logprobs with top_logprobs (JSON and stream)",
       subjects=("include:message.output_text.logprobs", "top_logprobs")),
    _f("include.input_image_url", "include message.input_image.image_url: input images listed with their URL", None, ("vision",),
       subjects=("include:message.input_image.image_url", "input:input_image")),
    _f("text.verbosity", "text.verbosity low/medium/high changes the answer's length", None, (), "1.99.2",
       "https://learn.microsoft.com/azure/foundry/openai/how-to/reasoning", subjects=("text.verbosity",)),
    _f("reasoning.effort.minimal", "reasoning.effort minimal where the model takes it", None, ("reasoning",), "1.99.2",
       "https://learn.microsoft.com/azure/foundry/openai/how-to/reasoning", subjects=("reasoning.effort",)),
    _f("reasoning.effort.none", "reasoning.effort none where the model takes it", None, ("reasoning",), "2.8.0",
       "https://learn.microsoft.com/azure/foundry/openai/how-to/reasoning", subjects=("reasoning.effort",)),
    # --- background mode
    _f("background", "Background mode: queued, polled to completion", "responses-background-aoai-v1.py", ("background",), "1.80.0", subjects=_BACKGROUND),
    _f("background.cancel", "Background mode: cancel", None, ("background",), "1.80.0", subjects=(*_BACKGROUND, "route:POST /responses/{id}/cancel")),
    _f("background.stream_resume", "Background stream resumed with starting_after", None, ("background",), "1.82.0", subjects=(*_BACKGROUND, *_STREAM, "starting_after")),
]

FEATURES: dict[str, Feature] = {f.id: f for f in _ALL}


class UnknownFeatureError(KeyError):
    def __str__(self) -> str:
        return f"unknown feature {self.args[0]!r}: add it to conformance/model/features.py (the closed registry)"


def get(feature_id: str) -> Feature:
    try:
        return FEATURES[feature_id]
    except KeyError:
        raise UnknownFeatureError(feature_id) from None


def pattern_problem(pattern: str) -> Optional[str]:
    """Why a feature glob (``--feature``, a matrix block's ``features``) selects nothing, or None.

    A typo would otherwise run zero tests and name nothing; the closest known id is the fix.
    """
    import difflib
    import fnmatch

    if any(fnmatch.fnmatchcase(fid, pattern) for fid in FEATURES):
        return None
    candidates = list(FEATURES)
    if any(c in pattern for c in "*?["):
        candidates += sorted({f"{f.family}.*" for f in _ALL if "." in f.id})
    close = difflib.get_close_matches(pattern, candidates, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else "; the known ids are in conformance/model/features.py"
    return f"feature {pattern!r} matches no known feature{hint}"
