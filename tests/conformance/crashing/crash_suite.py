"""A suite that creates two stored responses and then hangs: the run under test gets killed.

Not collected by default (no test_ prefix); tests/conformance/test_cleanup.py runs it live.
"""

import time

import pytest


@pytest.mark.feature("responses.create")
def test_creates_then_hangs(client, target, created):
    for prompt in ("one", "two"):
        created.response(client.responses.create(model=target.deployment, input=prompt, max_output_tokens=16).id)
    time.sleep(120)
