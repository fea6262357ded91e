"""No key of another provider (api.openai.com, a compatible server) and no Foundry project name
reaches a cassette: told to the scrubber or not, in headers, bodies, paths and error echoes."""

from __future__ import annotations

import json

from vcr.request import Request

from conformance.recording import Scrubber
from conformance.recording.patterns import find_secrets, scrub_patterns

OPENAI_KEYS = (
    "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGh",
    "sk-svcacct-0123456789abcdefghijABCDEFGHIJ",
    "sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
)


def test_openai_keys_are_caught_by_shape_without_being_told():
    for key in OPENAI_KEYS:
        text = json.dumps({"error": {"message": f"Incorrect API key provided: {key}."}}).encode()
        assert key.encode() not in scrub_patterns(text)
        assert b"<API_KEY>" in scrub_patterns(text)
        assert [kind for kind, _, _ in find_secrets(text.decode())] == ["openai-key"], "the scanner reports it too"


def test_words_that_merely_contain_sk_dash_are_left_alone():
    text = b"task-0123456789abcdefghijklmnop desk-abcdefghijklmnopqrstuvwxyz"
    assert scrub_patterns(text) == text


def test_a_compatible_servers_key_host_and_a_project_name_are_scrubbed_from_a_request():
    key = "local-server-key-0123456789"  # no known shape: the run tells the scrubber
    scrubber = Scrubber(secrets=[key], hosts=["http://127.0.0.1:8123/v1"])
    request = Request(
        "POST", "http://127.0.0.1:8123/v1/responses",
        json.dumps({"input": f"my key is {key} and {OPENAI_KEYS[0]}", "model": "m"}).encode(),
        {"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    scrubbed = scrubber.scrub_request(request)
    blob = scrubbed.uri + json.dumps(dict(scrubbed.headers)) + scrubbed.body.decode()
    assert key not in blob and OPENAI_KEYS[0] not in blob and "127.0.0.1:8123" not in blob
    project = Request("GET", "https://acct.services.ai.azure.com/api/projects/secret-proj/openai/v1/conversations/c1",
                      None, {})
    uri = scrubber.scrub_request(project).uri
    assert "secret-proj" not in uri and "acct" not in uri and uri.endswith("/api/projects/PROJECT/openai/v1/conversations/c1")
    assert scrub_patterns(uri.encode()) == uri.encode(), "scrubbing a scrubbed path changes nothing"


def test_conversations_the_suite_creates_carry_its_tag_and_cleanup_checks_it():
    from conformance.live.created import KINDS, created_by
    from conformance.live.tagging import METADATA_KEY, SUITE_TAG, tag_body

    tagged = json.loads(tag_body("POST", "/api/projects/p/openai/v1/conversations", b'{"metadata": {"a": "b"}}'))
    assert tagged["metadata"] == {"a": "b", METADATA_KEY: SUITE_TAG}
    kind, object_id = created_by("POST", "/conversations", 200, {"id": "conv_1", "object": "conversation"})
    assert (kind.name, object_id) == ("conversation", "conv_1")

    class Client:
        def __init__(self, metadata):
            self.metadata = metadata

        def get(self, path, cast_to):
            return {"id": path.rsplit("/", 1)[1], "metadata": self.metadata}

    assert KINDS["conversation"].is_ours(Client({METADATA_KEY: SUITE_TAG}), "conv_1")
    assert not KINDS["conversation"].is_ours(Client({}), "conv_1"), "a user's own conversation is left alone"
