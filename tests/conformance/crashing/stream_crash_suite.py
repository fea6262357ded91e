"""A test killed in the middle of its flow: a file and a vector store made but not registered,
and a stream cut off after its first event. Only the wire saw their ids.

Not collected by default (no test_ prefix); tests/conformance/test_cleanup_killed_stream.py runs
it live, waits for the marker file ($CRASH_MARKER), and kills the run with SIGKILL.
"""

import os
import time
from pathlib import Path

import pytest

from conformance.model.sdk import vector_stores


@pytest.mark.feature("responses.stream")
def test_streams_then_hangs(client, target, created):
    client.files.create(file=(created.name("killed.txt"), b"a document nobody registers"), purpose="assistants")
    vector_stores(client).create(name=created.name("killed-store"))
    stream = client.responses.create(model=target.deployment, input="a long story", max_output_tokens=64, stream=True)
    first = next(iter(stream))
    assert first.type == "response.created"
    Path(os.environ["CRASH_MARKER"]).write_text(first.response.id)
    time.sleep(120)
