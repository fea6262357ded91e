"""Per-model request options: reasoning effort, service tier, text verbosity, logprobs.

Which values a deployment takes is profile data (``efforts``, ``service_tiers``,
``verbosities`` in profiles/default.toml, each with its public source), so a refused value is
a realistic ``unsupported`` cell rather than a hard-coded rule. Refusals use OpenAI's
``unsupported_value`` wording (``Unsupported value: 'x' is not supported with the 'm' model.``).
"""

from __future__ import annotations

from emulator.wire import errors
from emulator.state.profile import Deployment
from emulator.wire.request import CreateRequest

LOGPROBS = "message.output_text.logprobs"


def _listing(values: tuple[str, ...]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + (", and " if len(quoted) > 2 else " and ") + quoted[-1]


def _refuse(param: str, value: str, deployment: Deployment, allowed: tuple[str, ...]) -> errors.ApiError:
    return errors.invalid_request(
        f"Unsupported value: '{value}' is not supported with the '{deployment.model}' model. "
        f"Supported values are: {_listing(allowed)}.",
        param,
        "unsupported_value",
    )


def effective_tier(req: CreateRequest) -> str:
    """The tier that serves the request: ``auto`` and absent mean Standard (``default``)."""
    return "default" if req.service_tier in (None, "auto") else req.service_tier


def check_options(req: CreateRequest, deployment: Deployment) -> None:
    """Raise the 400 for an option value this deployment's model does not take."""
    effort = (req.reasoning or {}).get("effort")
    if deployment.kind == "reasoning" and effort is not None and deployment.efforts is not None:
        if effort not in deployment.efforts:
            raise _refuse("reasoning.effort", effort, deployment, deployment.efforts)
    tier = effective_tier(req)
    if tier not in deployment.service_tiers:
        # Flex and priority: "an unsupported model returns HTTP 400 invalid_request_error with
        # no fallback" (learn.microsoft.com/azure/foundry/openai/how-to/flex-processing).
        raise _refuse("service_tier", tier, deployment, deployment.service_tiers)
    verbosity = req.text.get("verbosity")
    if verbosity is not None and verbosity not in deployment.verbosities:
        raise _refuse("text.verbosity", verbosity, deployment, deployment.verbosities)
    if deployment.kind == "reasoning":
        # Reasoning models take neither logprobs nor top_logprobs (how-to/reasoning).
        if "top_logprobs" in req.sent:
            raise errors.unsupported_parameter("top_logprobs")
        if LOGPROBS in req.include:
            raise errors.invalid_request(
                f"Unsupported value: '{LOGPROBS}' is not supported with the '{deployment.model}' model.",
                "include", "unsupported_value")
