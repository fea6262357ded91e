"""Error bugs: wrong statuses, bodies out of Azure's shape, refusals of the wrong thing."""

from __future__ import annotations

import re
from typing import Any

from emulator.wire import errors
from emulator.mutations.base import Exchange, Mutant, Seams, register

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
FIRST_RESPONSES_VERSION = "2025-03-01-preview"


@register("persistent-500-for-404", "errors", "every 404 (unknown response, deleted response) comes back as a 500",
          "errors.response_not_found", "responses.delete")
class Persistent500(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        return (500, errors.server_error().body) if status == 404 else None


@register("refuse-max-output-tokens", "errors",
          "max_output_tokens, which every test sends, is refused with 400 unsupported_parameter",
          "responses.create", "responses.retrieve", "responses.stream")
class RefuseMaxOutputTokens(Mutant):
    def request(self, ex: Exchange) -> bool:
        if ex.route != "POST /responses" or ex.body("max_output_tokens") is None:
            return False
        ex.request["max_output_tokens"] = "refused"  # the emulator answers a 400; reply() rewords it
        ex.notes["refused"] = True
        return True

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        return (400, errors.unsupported_parameter("max_output_tokens").body) if ex.notes.get("refused") else None


@register("error-body-unwrapped", "errors", "error bodies lack the {\"error\": {...}} envelope",
          "errors.deployment_not_found", "errors.response_not_found", "errors.auth")
class ErrorBodyUnwrapped(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if status < 400 or not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return None
        return status, body["error"]


@register("auth-failure-403", "errors", "a wrong credential gets 403 instead of 401", "errors.auth")
class AuthFailure403(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        return (403, body) if status == 401 else None


@register("unknown-deployment-served", "errors", "an unknown deployment name is served by the resource's first deployment",
          "errors.deployment_not_found")
class UnknownDeploymentServed(Mutant):
    def install(self, seams: Seams) -> None:
        self.names = {d.name for r in seams.state.profile.resources for d in r.deployments}
        self.fallback = next(d.name for r in seams.state.profile.resources for d in r.deployments if d.kind != "image")

    def request(self, ex: Exchange) -> bool:
        model = ex.body("model")
        if ex.route != "POST /responses" or not isinstance(model, str) or model in self.names:
            return False
        ex.request["model"] = self.fallback
        return True


@register("api-version-unchecked", "errors", "an api-version older than the Responses API is served anyway",
          "errors.api_version")
class ApiVersionUnchecked(Mutant):
    def request(self, ex: Exchange) -> bool:
        version = ex.query.get("api-version", "")
        if not _DATE.match(version) or version >= FIRST_RESPONSES_VERSION or "/responses" not in ex.route:
            return False
        if ex.v1:
            del ex.query["api-version"]
        else:
            ex.query["api-version"] = FIRST_RESPONSES_VERSION
        return True


@register("not-found-without-id", "errors", "a 404 for a response id does not name the id", "errors.response_not_found",
          "responses.delete")
class NotFoundWithoutId(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if status != 404 or not ex.ids or not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return None
        return status, {"error": {**body["error"], "message": "Response not found."}}


@register("error-code-dropped", "errors", "error bodies carry code: null", "errors.deployment_not_found")
class ErrorCodeDropped(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        error = body.get("error") if isinstance(body, dict) else None
        if status < 400 or not isinstance(error, dict) or error.get("code") is None:
            return None
        return status, {"error": {**error, "code": None}}
