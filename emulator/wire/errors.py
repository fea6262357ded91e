"""Every error body the emulator sends, in one place, so wording and shape match the service.

Two families exist on the wire (learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses, real recorded Azure traffic (docs/sources.md)):
Azure's gateway errors ``{"error": {"code", "message"}}`` (routing, api-version, auth,
deployment), and the OpenAI backend errors ``{"error": {"message", "type", "param", "code"}}``
(request validation, unknown ids). Handlers raise :class:`ApiError`; the app turns it into a
JSON response carrying the usual Azure headers.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An HTTP error response: status code, JSON body and optional extra headers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def _azure(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, {"error": {"code": code, "message": message}})


def _openai(
    status: int, message: str, param: str | None = None, code: str | None = None, type_: str = "invalid_request_error"
) -> ApiError:
    return ApiError(status, {"error": {"message": message, "type": type_, "param": param, "code": code}})


# --- gateway: routes and api-versions ---------------------------------------------------


def resource_not_found() -> ApiError:
    """Unknown path, or a dated path with a missing/unknown api-version.

    learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses: ``{"error":{"code":"404","message":"Resource not found"}}``
    (cherry-studio#8077); the legacy path 404s without api-version.
    """
    return _azure(404, "404", "Resource not found")


def responses_api_version_too_old() -> ApiError:
    """A known dated api-version older than Responses, on a Responses path.

    learn.microsoft.com/azure/foundry/openai/api-version-lifecycle (aider#4029). The code "BadRequest" is as the brief specifies; the
    notes quote only the message, relayed through LiteLLM.
    """
    return _azure(
        400,
        "BadRequest",
        "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later",
    )


def v1_api_version_not_supported() -> ApiError:
    """A v1 path called with an api-version other than absent/v1/preview.

    learn.microsoft.com/azure/foundry/openai/api-version-lifecycle (learn.microsoft.com Q&A 2286031). The notes list the exact body for a
    dated version sent to /openai/v1 as an open question; this is the nearest observed.
    """
    return _azure(400, "BadRequest", "API version not supported")


# --- gateway: auth ----------------------------------------------------------------------
# learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses says the exact 401 text was NOT verified. These are the strings
# commonly reported for Azure OpenAI / Azure API Management.


def invalid_key() -> ApiError:
    """A wrong api key (``api-key`` header or ``Authorization: Bearer <key>``)."""
    return _azure(
        401,
        "401",
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
        "valid key for an active subscription and use a correct regional API endpoint for your resource.",
    )


def missing_key() -> ApiError:
    """No credentials at all (API Management's wording; not verified for Azure OpenAI)."""
    return _azure(
        401,
        "401",
        "Access denied due to missing subscription key. Make sure to include subscription key when "
        "making requests to an API.",
    )


def invalid_token() -> ApiError:
    """A bearer token that is malformed, badly signed, expired or for another audience."""
    return _azure(
        401,
        "401",
        "Unauthorized. Access token is missing, invalid, audience is incorrect "
        "(https://cognitiveservices.azure.com), or have expired.",
    )


# --- gateway: deployments ----------------------------------------------------------------


def missed_model() -> ApiError:
    """``model`` absent: real recorded Azure traffic (docs/sources.md) — no type, code or param."""
    return ApiError(400, {"error": {"message": "Missed model deployment"}})


def deployment_not_found() -> ApiError:
    """``model`` names no deployment of this resource.

    learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses: the body seen on deployment-scoped paths; the exact v1 Responses body
    was not verified.
    """
    return _azure(
        404,
        "DeploymentNotFound",
        "The API deployment for this resource does not exist. If you created the deployment within "
        "the last 5 minutes, please wait a moment and try again.",
    )


def operation_not_supported(deployment: str) -> ApiError:
    """``model`` names a deployment that cannot serve Responses (e.g. an image model).

    Not in the notes: modelled on Azure's OperationNotSupported wording for chat/embeddings.
    """
    return _azure(
        400,
        "OperationNotSupported",
        f"The responses operation does not work with the specified model, {deployment}. Please choose "
        "different model and try again. You can learn more about which models can be used with each "
        "operation here: https://go.microsoft.com/fwlink/?linkid=2197993.",
    )


# --- backend: request validation (OpenAI wording) -----------------------------------------


def invalid_json() -> ApiError:
    """Body is not JSON (OpenAI's wording)."""
    return _openai(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
        "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
        "valid JSON. If you have trouble figuring out how to fix this, please contact us through our "
        "help center at help.openai.com.)",
    )


def invalid_body_type(got: str) -> ApiError:
    """Body is JSON but not an object."""
    return _openai(400, f"Invalid type for request body: expected an object, but got {got} instead.", None, "invalid_type")


def unknown_parameter(name: str) -> ApiError:
    return _openai(400, f"Unknown parameter: '{name}'.", name, "unknown_parameter")


def unsupported_parameter(name: str) -> ApiError:
    """Parameters a model does not accept, e.g. temperature on o-series: the real body in
    github.com/immersive-translate/immersive-translate/issues/2694 (learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses)."""
    return _openai(400, f"Unsupported parameter: '{name}' is not supported with this model.", name, "unsupported_parameter")


def missing_parameter(name: str) -> ApiError:
    return _openai(400, f"Missing required parameter: '{name}'.", name, "missing_required_parameter")


def invalid_type(name: str, expected: str, got: str) -> ApiError:
    return _openai(400, f"Invalid type for '{name}': expected {expected}, but got {got} instead.", name, "invalid_type")


def invalid_value(name: str, value: object, supported: list[str] | tuple[str, ...]) -> ApiError:
    quoted = [f"'{s}'" for s in supported]
    if len(quoted) > 1:
        listing = ", ".join(quoted[:-1]) + (", and " if len(quoted) > 2 else " and ") + quoted[-1]
    else:
        listing = "".join(quoted)
    return _openai(400, f"Invalid value: '{value}'. Supported values are: {listing}.", name, "invalid_value")


def out_of_range(name: str, value: object, bound: object, *, above: bool, integer: bool) -> ApiError:
    kind = "integer" if integer else "decimal"
    which = "above maximum" if above else "below minimum"
    op = "<=" if above else ">="
    code = f"{kind}_{'above_max' if above else 'below_min'}_value"
    return _openai(
        400, f"Invalid '{name}': {kind} {which} value. Expected a value {op} {bound}, but got {value} instead.", name, code
    )


def string_too_long(name: str, limit: int, got: int) -> ApiError:
    return _openai(
        400,
        f"Invalid '{name}': string too long. Expected a string with maximum length {limit}, but got a "
        f"string with length {got} instead.",
        name,
        "string_above_max_length",
    )


def too_many_keys(name: str, limit: int, got: int) -> ApiError:
    return _openai(
        400,
        f"Invalid '{name}': too many properties. Expected an object with at most {limit} properties, "
        f"but got an object with {got} properties instead.",
        name,
        "object_above_max_properties",
    )


def invalid_request(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    """Any other 400 ``invalid_request_error``."""
    return _openai(400, message, param, code)


def websocket_connection_limit_reached(seconds: float) -> ApiError:
    """A WebSocket connection past its lifetime: the turn is refused and the client reconnects
    (Open Responses specification 2026-04-24, "WebSocket Reconnects"). The status is not
    published; 400 like the other refused turns."""
    minutes = round(seconds / 60)
    return _openai(
        400, f"Responses WebSocket connection limit reached ({minutes} minutes). Create a new websocket connection to continue.",
        None, "websocket_connection_limit_reached",
    )


def no_tool_call_for_output(call_id: str) -> ApiError:
    """A ``function_call_output`` whose ``call_id`` answers no ``function_call`` of the conversation.

    OpenAI's body as relayed to users (vercel/ai#8216, microsoft/vscode#320060): 400
    ``invalid_request_error``, ``param: input``, ``code: null``.
    """
    return _openai(400, f"No tool call found for function call output with call_id {call_id}.", "input")


def invalid_json_schema(name: str, problem: str) -> ApiError:
    """A ``text.format`` json_schema that strict mode rejects (learn.microsoft.com/azure/foundry/openai/how-to/structured-outputs rules).

    OpenAI's wording and code; Azure relays the backend's body. The notes give no Azure sample.
    """
    return _openai(400, f"Invalid schema for response_format '{name}': {problem}", "text.format.schema", "invalid_json_schema")


def invalid_image(param: str) -> ApiError:
    """An ``input_image`` whose bytes are not a PNG, JPEG, WebP or non-animated GIF.

    Not in the notes: OpenAI's "invalid image" wording and an ``invalid_image_format`` code as
    seen for chat completions; the formats are learn.microsoft.com/azure/foundry/openai/how-to/responses.
    """
    return _openai(
        400,
        "Invalid image: the image data you provided does not represent a valid image. Supported "
        "formats are PNG, JPEG, WebP and non-animated GIF.",
        param,
        "invalid_image_format",
    )


def image_url_unreachable(url: str, param: str) -> ApiError:
    """An ``image_url`` the service could not download.

    Not in the notes: OpenAI's "Error while downloading <url>." wording with code
    ``invalid_image_url``. The emulator has no internet access, so every non-loopback URL
    gets this, as an unreachable URL does on Azure.
    """
    return _openai(400, f"Error while downloading {url}.", param, "invalid_image_url")


def encrypted_reasoning_unsupported() -> ApiError:
    """``include=["reasoning.encrypted_content"]`` on an api-version without it.

    learn.microsoft.com/azure/foundry/openai/api-version-lifecycle: encrypted reasoning items arrived with the v1 API. No real body is
    public; this is the shape of the documented ``unsupported_value`` refusals
    (github.com/microsoft/vscode/issues/253673) with ``param: include``, and the message quotes
    the refused value so a client can tell which of the values sent it was.
    """
    return _openai(
        400,
        "Unsupported value: 'include' does not support 'reasoning.encrypted_content' with this API version.",
        "include",
        "unsupported_value",
    )


def invalid_encrypted_content(item: str) -> ApiError:
    """A reasoning item passed back whose ``encrypted_content`` does not verify.

    Not in the notes: OpenAI's wording and code for tampered encrypted reasoning.
    """
    return _openai(400, f"The encrypted content for item {item} could not be verified.", None, "invalid_encrypted_content")


def streaming_unsupported_by_model() -> ApiError:
    """``stream: true`` to a model that does not stream (o3-pro, o1, gpt-5-pro in the feature
    matrix of learn.microsoft.com/azure/foundry/openai/how-to/reasoning). No real body is
    public: the shape of the other ``unsupported_value`` refusals, naming ``stream``."""
    return _openai(400, "Unsupported value: 'stream' does not support true with this model.", "stream", "unsupported_value")


def streaming_not_implemented() -> ApiError:
    """Placeholder until the SSE event generator is plugged in (emulator limitation)."""
    return invalid_request(
        "Streaming is not implemented in this emulator yet; send stream=false.", "stream", "unsupported_value"
    )


# --- backend: stored objects --------------------------------------------------------------


def response_not_found(response_id: str) -> ApiError:
    """real recorded Azure traffic (docs/sources.md): retrieve after delete (HTTP 404)."""
    return _openai(404, f"Response with id '{response_id}' not found.")


def conversation_not_found(conversation_id: str) -> ApiError:
    """A conversation id that names no conversation (retrieve, items, or ``conversation`` in a
    create): OpenAI's 404 wording for a missing object."""
    return _openai(404, f"Conversation with id '{conversation_id}' not found.")


def previous_response_not_found(response_id: str) -> ApiError:
    """``previous_response_id`` names no stored response.

    Not in the notes. OpenAI sends HTTP 400 with code ``previous_response_not_found`` and
    param ``previous_response_id`` (reported in maximhq/bifrost#2441, lmstudio bug-tracker
    #1188); Azure relays the OpenAI backend body, so the emulator does the same.
    """
    return _openai(
        400, f"Previous response with id '{response_id}' not found.", "previous_response_id", "previous_response_not_found"
    )


# --- server --------------------------------------------------------------------------------


def server_error() -> ApiError:
    """An unexpected exception (a bug in the emulator); logged by the app. OpenAI's wording."""
    return _openai(
        500,
        "The server had an error while processing your request. Sorry about that!",
        type_="server_error",
    )


# --- tools ----------------------------------------------------------------------------------


def tool_not_supported(tool_type: str, index: int, where: str) -> ApiError:
    """A tool type this api-version or region does not offer.

    Not quoted in the notes: learn.microsoft.com/azure/foundry/openai/how-to/web-search only says web search "isn't part of the
    2025-03-01-preview API", and the lifecycle page that MCP and image generation are v1-only. No real body
    is public, so it takes the shape of the documented parameter refusals
    (github.com/microsoft/vscode/issues/253673: code ``unsupported_value``, ``param`` naming
    what was refused): ``param`` points at ``tools[N].type``, which a client resolves to the
    type it sent; the wording is the emulator's own and decides nothing.
    """
    return _openai(
        400,
        f"Tool type '{tool_type}' is not supported {where}.",
        f"tools[{index}].type",
        "unsupported_value",
    )


def image_deployment_missing() -> ApiError:
    """The image tool without the ``x-ms-oai-image-generation-deployment`` header.

    learn.microsoft.com/azure/foundry/openai/how-to/responses documents the header as required but quotes no error; this wording is
    the emulator's own, modelled on OpenAI's missing-parameter errors and naming the header.
    """
    return _openai(
        400,
        "The image_generation tool requires the 'x-ms-oai-image-generation-deployment' header naming "
        "an image generation deployment (e.g. gpt-image-1).",
        "tools",
        "missing_required_parameter",
    )


def image_deployment_invalid(name: str) -> ApiError:
    """The header names no image deployment of this resource (emulator wording)."""
    return _openai(
        400,
        f"The image generation deployment '{name}' named in 'x-ms-oai-image-generation-deployment' "
        "does not exist or is not an image generation model.",
        "tools",
        "invalid_value",
    )


def mcp_list_failed(label: str, detail: str) -> ApiError:
    """The MCP server named in a tool could not be listed.

    OpenAI answers HTTP 424 with "Error retrieving tool list from MCP server: '<label>'"
    (the wording users report); the detail says why.
    """
    return _openai(
        424,
        f"Error retrieving tool list from MCP server: '{label}'. {detail}",
        "tools",
        "http_error",
        type_="external_connector_error",
    )


def approval_request_not_found(request_id: str) -> ApiError:
    """An ``mcp_approval_response`` naming no approval request of the conversation."""
    return _openai(
        400,
        f"No approval request with id '{request_id}' found in the previous response.",
        "input",
        "invalid_value",
    )


# --- files and vector stores (OpenAI backend wording) ------------------------------------


def file_not_found(file_id: str) -> ApiError:
    return _openai(404, f"No such File object: {file_id}", "id")


def vector_store_not_found(store_id: str) -> ApiError:
    return _openai(404, f"No vector store found with id '{store_id}'.")


def vector_store_file_not_found(store_id: str, file_id: str) -> ApiError:
    return _openai(404, f"No file found with id '{file_id}' in vector store '{store_id}'.")


def batch_not_found(store_id: str, batch: str) -> ApiError:
    return _openai(404, f"No file batch found with id '{batch}' in vector store '{store_id}'.")


def invalid_purpose(purpose: object) -> ApiError:
    """learn.microsoft.com/azure/foundry/openai/how-to/responses: Azure files accept purpose ``assistants`` and ``vision`` (not ``user_data``)."""
    return invalid_value("purpose", purpose, ("assistants", "vision", "batch", "fine-tune"))


def image_stream_not_supported() -> ApiError:
    """``stream=true`` with the image tool: learn.microsoft.com/azure/foundry/openai/how-to/responses says "Streaming and partial
    images are not supported in the Azure Responses tool" (use the Images API instead)."""
    return _openai(
        400,
        "Streaming is not supported with the 'image_generation' tool; use the Images API to stream partial images.",
        "stream",
        "unsupported_value",
    )


# --- throttling and outages (fault injection) ------------------------------------------------


def rate_limited(operation: str, api: str, retry_after_s: int) -> ApiError:
    """429 with ``retry-after`` and ``retry-after-ms`` (learn.microsoft.com/azure/foundry/openai/how-to/quota).

    The message is the wording commonly reported for Azure OpenAI 429s; the notes do not quote
    one, so it is not verified.
    """
    return _azure(
        429,
        "429",
        f"Requests to the {operation} Operation under Azure OpenAI API version {api} have exceeded "
        f"call rate limit of your current OpenAI S0 pricing tier. Please retry after {retry_after_s} "
        "second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase "
        "the default rate limit.",
    )


def service_unavailable() -> ApiError:
    """503 (learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses: "500/503: transient; retry with backoff"); wording not verified."""
    return _openai(
        503,
        "The service is temporarily unable to process your request. Please try again later.",
        type_="service_unavailable",
        code="service_unavailable",
    )


# --- documents and uploaded inputs (docs/documents.md "Documents") ----------------------


def input_file_not_found(file_id: str, param: str) -> ApiError:
    """An ``input_file`` or ``input_image`` naming a ``file_id`` this resource does not hold.

    The service reads the file to answer, so an unknown id is a 400 on the part, not ignored."""
    return _openai(400, f"The file '{file_id}' was not found. Upload it to /files first.", param, "invalid_value")


def invalid_input_file(param: str, detail: str) -> ApiError:
    """An ``input_file`` whose bytes cannot be read (bad base64, not a readable PDF or text)."""
    return _openai(400, f"The file in '{param}' could not be read: {detail}.", param, "invalid_value")
