"""responses.websocket: WebSocket mode on /openai/v1/responses, through the openai SDK's
`client.responses.connect()`. The client sends `response.create` events (the create fields,
no `stream`, no `background`); the server sends the same events the SSE stream carries.
A connection remembers its last response, so a `store: false` response continues there and
nowhere else, and a failed continuation forgets it (responses.websocket.store_false, from the
Open Responses specification's "WebSocket Continuation").

Live only: vcrpy records HTTP, not WebSocket frames, so there is no honest cassette to replay;
offline these tests are `skipped` with that reason, and `conformance run` (live against the
embedded emulator, or --targets for real services) gives the verdict.
"""

import pytest

from conformance.harness import expect

pytestmark = [pytest.mark.live_only("vcrpy records HTTP, not WebSocket frames"),
              pytest.mark.v1_only("WebSocket mode is served on the v1 path only")]

TERMINAL = ("response.completed", "response.incomplete", "response.failed", "error")
CODE = "Remember the code word: OSPREY-3. Reply with OK."
ASK = "What was the code word? Reply with the code word only."


def _turn(connection, **create):
    connection.response.create(**create)
    events = []
    for event in connection:
        events.append(event)
        if event.type in TERMINAL:
            return events
    raise AssertionError(f"the socket closed before a terminal event, after {[e.type for e in events]}")


@pytest.mark.feature("responses.websocket")
def test_response_create_streams_the_same_events_as_sse(client, target, created):
    with client.responses.connect() as connection:
        events = _turn(connection, model=target.deployment, input="Say hello in one sentence.", max_output_tokens=64)
    created.response(events[-1].response.id)

    expect.conformant_stream(events)
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas and deltas == events[-1].response.output_text


@pytest.mark.feature("responses.websocket")
def test_turns_chain_on_one_connection(client, target, created):
    with client.responses.connect() as connection:
        first = _turn(connection, model=target.deployment, input=CODE, max_output_tokens=64)
        created.response(first[-1].response.id)
        second = _turn(connection, model=target.deployment, input=ASK, max_output_tokens=64,
                       previous_response_id=first[-1].response.id)
    created.response(second[-1].response.id)

    expect.conformant_stream(second)
    assert "OSPREY-3" in second[-1].response.output_text.upper()


@pytest.mark.feature("responses.websocket")
def test_a_bad_request_is_an_error_event_and_the_connection_stays_open(client, target, created):
    with client.responses.connect() as connection:
        refused = _turn(connection, model=target.deployment, input="hi", max_output_tokens=1)
        after = _turn(connection, model=target.deployment, input="Say hello.", max_output_tokens=64)
    created.response(after[-1].response.id)

    assert [e.type for e in refused] == ["error"], [e.type for e in refused]
    assert refused[0].status == 400 and refused[0].error.message
    expect.conformant_stream(after)


@pytest.mark.feature("responses.websocket.store_false")
def test_a_store_false_response_continues_on_its_own_connection_only(client, target):
    with client.responses.connect() as connection:
        first = _turn(connection, model=target.deployment, input=CODE, store=False, max_output_tokens=64)
        second = _turn(connection, model=target.deployment, input=ASK, store=False, max_output_tokens=64,
                       previous_response_id=first[-1].response.id)
    with client.responses.connect() as elsewhere:
        stranger = _turn(elsewhere, model=target.deployment, input=ASK, store=False, max_output_tokens=64,
                         previous_response_id=first[-1].response.id)

    expect.continued_on_socket(second)
    assert "OSPREY-3" in second[-1].response.output_text.upper(), second[-1].response.output_text
    expect.socket_error(stranger, "previous_response_not_found")


@pytest.mark.feature("responses.websocket.store_false")
def test_a_failed_continuation_forgets_the_response_it_continued(client, target):
    orphan = {"type": "function_call_output", "call_id": "call_answers_nothing", "output": "42"}
    with client.responses.connect() as connection:
        first = _turn(connection, model=target.deployment, input=CODE, store=False, max_output_tokens=64)
        second = _turn(connection, model=target.deployment, input=ASK, store=False, max_output_tokens=64,
                       previous_response_id=first[-1].response.id)
        expect.continued_on_socket(second)
        failed = _turn(connection, model=target.deployment, input=[orphan], store=False,
                       previous_response_id=second[-1].response.id)
        retry = _turn(connection, model=target.deployment, input=ASK, store=False, max_output_tokens=64,
                      previous_response_id=second[-1].response.id)

    assert [e.type for e in failed] == ["error"] and failed[0].status == 400, [e.type for e in failed]
    expect.socket_error(retry, "previous_response_not_found")
