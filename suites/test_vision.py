"""input.image.*: an image from a data URL (PNG and JPEG, right MIME types) and from a URL.

Seeds: responses-image-aoai*.py (text, then an input_image data URL in a second user message)
and responses-imageurl-aoai*.py (input_text and input_image with a URL in one message).
The question asks for the image's dominant colour: only a service that decoded the pixels,
not just the header, can answer it; and an image cut short must be refused.
"""

import openai
import pytest

from conformance.harness import contracts, expect, PNG

QUESTION = "What is the dominant colour of this image? Answer with one word."


def _ask(client, target, content):
    return client.responses.create(
        model=target.deployment, input=[{"role": "user", "content": content}], max_output_tokens=128
    )


@pytest.mark.feature("input.image.base64")
def test_an_image_data_url_is_seen(client, target, created, image):
    response = _ask(client, target, [
        {"type": "input_text", "text": QUESTION},
        {"type": "input_image", "image_url": image.data_url},
    ])

    contracts.names_colour(response.output_text, image.colour)
    # An image costs input tokens: far more than the words of the question.
    assert response.usage.input_tokens > 20
    if target.on_emulator:  # the emulator says what it decoded
        assert f"{image.width}x{image.height} {image.format}" in response.output_text


@pytest.mark.feature("input.image.base64")
def test_a_truncated_image_is_refused(client, target, image):
    with pytest.raises(openai.BadRequestError) as refused:
        _ask(client, target, [
            {"type": "input_text", "text": QUESTION},
            {"type": "input_image", "image_url": image.truncated_data_url},
        ])

    expect.not_a_documented_refusal(refused.value, "input.image.base64")
    expect.azure_error(refused.value, 400)


@pytest.mark.feature("input.image.url")
def test_an_image_url_is_downloaded_and_seen(client, target, created, image_url):
    response = _ask(client, target, [
        {"type": "input_text", "text": QUESTION},
        {"type": "input_image", "image_url": image_url},
    ])

    assert response.output_text.strip()
    assert response.usage.input_tokens > 20
    if target.on_emulator:  # the suite's own PNG (a live target's image_url may show anything)
        assert "64x48 PNG" in response.output_text
        contracts.names_colour(response.output_text, PNG.colour)
