"""The closed feature registry: every verdict in the report is about one of these ids.

Like test262's features list: a test that names an unknown feature fails at collection, so
the report's rows cannot drift from what the suites test.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    #: these (conformance/verdicts.py). Request parameters as dotted paths (`reasoning.effort`;
    #: a refused `reasoning.effort.x` names it too), `tool:<type>` for a tool type,
    #: `include:<value>` for an `include` value, `input:<type>` for an input item or content
    #: part type, `route:<METHOD> <path>` for an operation (`{id}` for an object id). Refusals
    #: of the target itself (its api-version) count for every feature and are not listed.
    subjects: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


def _f(id: str, title: str, seed: Optional[str] = None, needs: tuple[str, ...] = (), min_sdk: str = "1.68.2",
       doc: str = DOCS, subjects: tuple[str, ...] = ()) -> Feature:
    return Feature(id, title, seed, frozenset(needs), min_sdk, doc, subjects)


#: Subjects shared by features built on the same request.
_STREAM = ("stream",)
_BACKGROUND = ("background",)


_ALL = [
    # --- foundation: the basic round trips and their error contracts
    _f("responses.create", "Create a response (sync)", "responses-basic-aoai*.py, responses-basic-entra-aoai*.py"),
    _f("responses.create.async", "Create a response (async client)", "responses-stream-async-aoai*.py"),
    _f("responses.previous_response_id", "Multi-turn conversation with previous_response_id", "responses-conversation-aoai*.py", subjects=("previous_response_id",)),
    _f("responses.retrieve", "Retrieve a stored response", subjects=("route:GET /responses/{id}",)),
    _f("responses.delete", "Delete a stored response; retrieve after delete fails", subjects=("route:DELETE /responses/{id}",)),
    _f("responses.input_items", "List a response's input items", subjects=("route:GET /responses/{id}/input_items",)),
    _f("errors.auth", "401 for a bad key or token, in Azure's error shape"),
    _f("errors.deployment_not_found", "An unknown deployment is refused in Azure's error shape"),
    _f("errors.api_version", "An api-version the Responses API does not serve is refused"),
    _f("errors.response_not_found", "An unknown response id gives 404 in Azure's error shape"),
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
    _f("scenario.chat", "Chat app: streamed history, image upload, reasoning summary", "responses-conversation-stream-gradio*.py", subjects=(*_STREAM, "previous_response_id", "reasoning.effort", "reasoning.summary", "input:input_image")),
    # --- tools
    _f("tools.function", "Function calling", "responses-function-weather-aoai*.py", ("function_calling",), subjects=("tool:function", "tool_choice", "parallel_tool_calls", "input:function_call_output")),
    _f("tools.file_search", "File search over a vector store", "responses-filesearch-aoai*.py", ("file_search",), subjects=("tool:file_search", "include:file_search_call.results", "route:POST /files", "route:POST /vector_stores",
                                     "route:POST /vector_stores/{id}/files", "route:POST /vector_stores/{id}/file_batches")),
    _f("tools.mcp", "Remote MCP server", "responses-mcp-aoai-v1.py", ("mcp",), "1.80.0", subjects=("tool:mcp",)),
    _f("tools.mcp.approval", "Remote MCP approval flow", "responses-mcp-entra-aoai-v1.py", ("mcp",), "1.80.0", subjects=("tool:mcp", "input:mcp_approval_response")),
    _f("tools.image_generation", "Image generation tool (gpt-image-1)", "responses-image-generate-aoai-v1.py", ("image_generation",), "1.80.0", subjects=("tool:image_generation",)),
    _f("tools.web_search", "Web search tool (probe)", subjects=("tool:web_search", "tool:web_search_preview", "include:web_search_call.action.sources")),
    _f("tools.code_interpreter", "Code interpreter tool (probe)", None, (), "1.80.0", subjects=("tool:code_interpreter", "include:code_interpreter_call.outputs")),
    # --- background mode
    _f("background", "Background mode: queued, polled to completion", "responses-background-aoai-v1.py", ("background",), "1.80.0", subjects=_BACKGROUND),
    _f("background.cancel", "Background mode: cancel", None, ("background",), "1.80.0", subjects=(*_BACKGROUND, "route:POST /responses/{id}/cancel")),
    _f("background.stream_resume", "Background stream resumed with starting_after", None, ("background",), "1.82.0", subjects=(*_BACKGROUND, *_STREAM, "starting_after")),
]

FEATURES: dict[str, Feature] = {f.id: f for f in _ALL}


class UnknownFeatureError(KeyError):
    def __str__(self) -> str:
        return f"unknown feature {self.args[0]!r}: add it to conformance/features.py (the closed registry)"


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
    hint = f"; did you mean {close[0]!r}?" if close else "; the known ids are in conformance/features.py"
    return f"feature {pattern!r} matches no known feature{hint}"
