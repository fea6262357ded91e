"""The error contracts: what a bad key, an unknown deployment, an api-version the Responses
API does not serve and an unknown response id get back, in Azure's error shape.

A refusal that is due must come back as itself: a 5xx in its place on every try is a
failure, not an outage (expect.refusal)."""

import pytest

from conformance.harness import contracts, expect, OTHER_AUDIENCE_SCOPE, with_bad_signature

UNSERVED_API_VERSION = "2024-10-21"  # the dated GA version before Responses existed


def _say_hello(client, model):
    return lambda: client.responses.create(model=model, input="Hello", max_output_tokens=16)


@pytest.mark.feature("errors.auth")
def test_a_wrong_credential_is_refused_with_401(make_client, target, conformance_state):
    if target.auth == "key":
        wrong = {"a wrong key": {"api_key": "0" * 32}}
    else:
        # Each is wrong in one way only. The other audience's token is genuinely signed by the
        # same issuer (Azure Resource Manager's scope): only a service that checks `aud` refuses
        # it. The forged one has a real token's header and claims (audience, issuer, expiry) and
        # a spoiled signature: only a service that verifies the signature refuses it.
        genuine = conformance_state.connection(target).token_provider()
        elsewhere = conformance_state.token_provider(target, scope=OTHER_AUDIENCE_SCOPE)()
        wrong = {"a real token for another audience": {"token": elsewhere},
                 "a real token with a forged signature": {"token": with_bad_signature(genuine)}}

    for what, credential in wrong.items():
        contracts.refused(_say_hello(make_client(**credential), target.deployment), 401, what)


@pytest.mark.feature("errors.deployment_not_found")
def test_an_unknown_deployment_is_refused(client, target):
    refused = expect.refusal(_say_hello(client, "no-such-deployment"), (400, 404))

    error = expect.azure_error(refused, (400, 404))
    assert error.get("code") in ("DeploymentNotFound", "unknown_model", "model_not_found"), error


@pytest.mark.feature("errors.api_version")
def test_an_api_version_without_responses_is_refused(make_client, target):
    client = make_client(api_version=UNSERVED_API_VERSION)

    refused = expect.refusal(_say_hello(client, target.deployment), (400, 404))

    error = expect.azure_error(refused, (400, 404))
    if target.is_v1:
        assert "api version" in error["message"].lower(), error
    else:
        assert refused.status_code == 404 or "api-version" in error["message"], error


@pytest.mark.feature("errors.response_not_found")
def test_an_unknown_response_id_is_404(client, target):
    missing = "resp_" + "0" * 48

    refused = expect.refusal(lambda: client.responses.retrieve(missing), 404)

    error = expect.azure_error(refused, 404)
    assert missing in error["message"], error
