"""A live test that fails with its credential everywhere pytest looks: the SDK's request
options in the traceback's locals, captured stdout and logs, and the assertion message.

Not collected by default (no test_ prefix); tests/conformance/test_terminal_secrets.py runs it
live with a distinctive key (or Entra token) and greps the whole output for it.
"""

import logging

import openai
import pytest


def _credential(client):
    """What the client sends: the key, or the Entra token its provider hands out."""
    key = client.api_key
    if callable(key):
        key = key()
    provider = getattr(client, "_azure_ad_token_provider", None)
    return provider() if provider is not None else key


@pytest.mark.feature("responses.create")
def test_fails_with_the_credential_in_view(client, target):
    credential = _credential(client)
    print(f"the credential is {credential}")
    logging.getLogger("leaky").warning("sending with %s", credential)
    try:
        client.responses.retrieve("resp_this_one_does_not_exist")
    except openai.NotFoundError as exc:
        assert exc.status_code == 200, f"{credential} could not fetch: {exc.request.headers}"
