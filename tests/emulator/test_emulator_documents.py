"""Documents: PDFs are parsed for file search and input_file; unknown file ids are refused;
a first turn past the context window is refused; output is bounded by the model's limit."""

from __future__ import annotations

import base64

import pytest
from emu_support import API_KEY, SWC, AppClient, create, error_of, image_bytes, text_of

from conformance.pytest_plugin.fixtures.pdf import HANDBOOK, make_pdf
from emulator.engine import context
from emulator.gateway.app import create_app
from emulator.gateway.process import EmulatorState
from emulator.state.profile import DEFAULT_PROFILE

QUESTION = "How many vacation days does every employee receive per year?"


def _upload(client, purpose, name, data, mime="application/pdf"):
    return client.post("/openai/v1/files", data={"purpose": purpose}, files={"file": (name, data, mime)})


def _ask_with(client, part, question=QUESTION):
    return create(client, input=[{"role": "user", "content": [part, {"type": "input_text", "text": question}]}])


def test_a_pdf_passed_as_file_data_is_read_and_answered_from(client):
    r = _ask_with(client, {"type": "input_file", "filename": HANDBOOK.filename, "file_data": HANDBOOK.data_url})
    assert r.status_code == 200, r.text
    assert "31 vacation days" in text_of(r.json())
    # The document's words are input tokens: far more than the question alone.
    assert r.json()["usage"]["input_tokens"] > 30


def test_a_pdf_uploaded_for_assistants_is_read_by_file_id(client):
    fid = _upload(client, "assistants", HANDBOOK.filename, HANDBOOK.data).json()["id"]
    r = _ask_with(client, {"type": "input_file", "file_id": fid}, "What colour is the parking badge?")
    assert r.status_code == 200, r.text
    assert "violet" in text_of(r.json())


def test_purpose_user_data_is_refused(client):
    r = _upload(client, "user_data", HANDBOOK.filename, HANDBOOK.data)
    assert r.status_code == 400 and error_of(r)["param"] == "purpose"


@pytest.mark.parametrize("part", [
    {"type": "input_file", "file_id": "assistant-doesnotexist0000000000"},
    {"type": "input_image", "file_id": "assistant-doesnotexist0000000000"},
], ids=["input_file", "input_image"])  # fmt: skip
def test_an_unknown_file_id_is_refused_not_ignored(client, part):
    r = _ask_with(client, part)
    assert r.status_code == 400, r.text
    error = error_of(r)
    assert error["type"] == "invalid_request_error" and error["param"] == "input[0].content[0].file_id"
    assert "assistant-doesnotexist" in error["message"]


@pytest.mark.parametrize("file_data", [
    "data:application/pdf;base64,not base64!",
    "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4 broken").decode(),
    "application/pdf," + base64.b64encode(HANDBOOK.data).decode(),
], ids=["not-base64", "broken-pdf", "not-a-data-url"])  # fmt: skip
def test_an_unreadable_file_is_a_400_on_its_part(client, file_data):
    r = _ask_with(client, {"type": "input_file", "filename": "x.pdf", "file_data": file_data})
    assert r.status_code == 400, r.text
    assert error_of(r)["param"] == "input[0].content[0].file_data"


def test_an_image_uploaded_for_vision_is_seen_by_file_id(client):
    fid = _upload(client, "vision", "pic.png", image_bytes("PNG", (9, 4)), "image/png").json()["id"]
    r = _ask_with(client, {"type": "input_image", "file_id": fid}, "Describe this image")
    assert r.status_code == 200, r.text
    assert "a 9x4 PNG image" in text_of(r.json())


def test_file_search_finds_the_text_of_a_pdf(client):
    fid = _upload(client, "assistants", HANDBOOK.filename, HANDBOOK.data).json()["id"]
    store = client.post("/openai/v1/vector_stores", json={"name": "handbook", "file_ids": [fid]}).json()
    body = create(client, input=QUESTION, tools=[{"type": "file_search", "vector_store_ids": [store["id"]]}]).json()
    assert "31 vacation days" in text_of(body)


def test_a_pdf_without_text_is_searchable_as_nothing_not_as_pdf_syntax(client):
    fid = _upload(client, "assistants", "blank.pdf", make_pdf([[]])).json()["id"]
    store = client.post("/openai/v1/vector_stores", json={"name": "blank", "file_ids": [fid]}).json()
    body = create(client, input="What is the Font BaseFont Helvetica?",
                  tools=[{"type": "file_search", "vector_store_ids": [store["id"]]}]).json()
    assert "could not find" in text_of(body)


def test_a_first_turn_larger_than_the_context_window_is_refused(client):
    # gpt-4o: 128,000 input tokens (profile); one word is one token of the emulator's tokenizer.
    r = create(client, input="word " * 130_000)
    assert r.status_code == 400, r.text[:300]
    assert error_of(r) == {
        "message": "Your input exceeds the context window of this model. Please adjust your input and try again.",
        "type": "invalid_request_error", "param": "input", "code": "context_length_exceeded"}


def test_a_first_turn_within_the_window_is_answered(client):
    assert create(client, input="word " * 1_000).status_code == 200


@pytest.fixture
def small_output_client(tmp_path):
    """A client whose gpt-4o deployments may generate at most 40 tokens."""
    text = DEFAULT_PROFILE.read_text().replace("max_output_tokens = 16384", "max_output_tokens = 40")
    assert "max_output_tokens = 40" in text
    (tmp_path / "p.toml").write_text(text)
    st = EmulatorState.create(str(tmp_path / "p.toml"), api_key=API_KEY)
    st.bind_ports({5001: "aoai-swc"})
    c = AppClient(create_app(st), SWC, {"api-key": API_KEY})
    yield c
    c.close()


@pytest.mark.parametrize("asked", [None, 1_000])
def test_output_is_bounded_by_the_model_limit_whatever_max_output_tokens_asks(small_output_client, asked):
    extra = {} if asked is None else {"max_output_tokens": asked}
    r = create(small_output_client, input="Write a 300 word essay about rivers.", **extra)
    body = r.json()
    assert r.status_code == 200, r.text[:300]
    assert body["status"] == "incomplete" and body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert body["usage"]["output_tokens"] == 40


@pytest.mark.parametrize(("asked", "limit", "budget"), [(None, None, None), (None, 50, 50), (10, 50, 10), (90, 50, 50)])
def test_output_budget(asked, limit, budget):
    assert context.output_budget(asked, limit) == budget


def test_check_window_passes_at_the_limit_and_refuses_past_it():
    context.check_window(100, 100)
    context.check_window(10**9, None)
    with pytest.raises(Exception, match="context window"):
        context.check_window(101, 100)
