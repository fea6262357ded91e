"""input.file and input.image.file_id: documents and images the model reads, inline or uploaded.

Seeds: responses-pdfupload-base64[-entra]-aoai-v1.py (`input_file` with `filename` and a
`data:application/pdf;base64,...` `file_data`) and responses-pdfupload[-entra]-aoai-v1.py
(`files.create(purpose="assistants")`, then `input_file` by `file_id`). Azure documents
`purpose="user_data"` as unsupported for this (use `assistants`), and images uploaded with
`purpose="vision"` referenced by `input_image.file_id` (learn.microsoft.com, "Azure OpenAI
Responses API", file input and image input sections). The PDF is built in the test
(conformance/pytest_plugin/fixtures/pdf.py); its facts are made up, so only a service that
parsed the PDF can answer. Every uploaded file is deleted after the test.
"""

import openai
import pytest

from conformance.harness import contracts, expect, HANDBOOK, PNG

DAYS = "How many vacation days does every employee receive per year?"
BADGE = "What colour is the parking badge?"
COLOUR = "What is the dominant colour of this image? Answer with one word."
UNKNOWN_FILE = "assistant-conformanceNoSuchFile00"


def _ask(client, target, part, question):
    return client.responses.create(
        model=target.deployment,
        input=[{"role": "user", "content": [part, {"type": "input_text", "text": question}]}],
        max_output_tokens=256,
    )


def _upload(client, created, name, data, mime, purpose):
    return client.files.create(file=(created.name(name), data, mime), purpose=purpose)


@pytest.mark.feature("input.file")
def test_a_pdf_sent_as_base64_file_data_is_read(client, target, created):
    part = {"type": "input_file", "filename": HANDBOOK.filename, "file_data": HANDBOOK.data_url}
    response = _ask(client, target, part, DAYS)

    contracts.states_fact(response.output_text, "31", HANDBOOK.filename)
    # The document costs input tokens: far more than the words of the question.
    assert response.usage.input_tokens > 30


@pytest.mark.feature("input.file")
def test_a_pdf_uploaded_for_assistants_is_read_by_file_id(client, target, created):
    file = _upload(client, created, "input-file-handbook.pdf", HANDBOOK.data, "application/pdf", "assistants")
    response = _ask(client, target, {"type": "input_file", "file_id": file.id}, BADGE)

    contracts.states_fact(response.output_text, "violet", HANDBOOK.filename)


@pytest.mark.feature("input.file")
def test_a_file_upload_with_purpose_user_data_is_refused(client, created):
    try:
        client.files.create(  # an accepted upload is deleted at teardown like any the test made
            file=(created.name("input-file-user-data.pdf"), HANDBOOK.data, "application/pdf"), purpose="user_data"
        )
    except openai.APIStatusError as exc:
        error = expect.azure_error(exc, 400)
        assert error.get("param") in ("purpose", None), f"the refusal names another parameter: {error!r}"
        return
    pytest.fail("purpose user_data was accepted; Azure documents it as unsupported (use assistants)")


@pytest.mark.feature("input.file")
def test_an_input_file_with_an_unknown_file_id_is_refused(client, target):
    with pytest.raises(openai.APIStatusError) as refused:
        _ask(client, target, {"type": "input_file", "file_id": UNKNOWN_FILE}, DAYS)
    expect.not_a_documented_refusal(refused.value, "input.file")
    expect.azure_error(refused.value, (400, 404))


@pytest.mark.feature("input.image.file_id")
def test_an_image_uploaded_for_vision_is_seen_by_file_id(client, target, created):
    file = _upload(client, created, f"input-image-{PNG.name}", PNG.data, PNG.mime, "vision")
    response = _ask(client, target, {"type": "input_image", "file_id": file.id}, COLOUR)

    contracts.names_colour(response.output_text, PNG.colour)


@pytest.mark.feature("input.image.file_id")
def test_an_input_image_with_an_unknown_file_id_is_refused(client, target):
    with pytest.raises(openai.APIStatusError) as refused:
        _ask(client, target, {"type": "input_image", "file_id": UNKNOWN_FILE}, COLOUR)
    expect.not_a_documented_refusal(refused.value, "input.image.file_id")
    expect.azure_error(refused.value, (400, 404))
