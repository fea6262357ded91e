"""input.image.*: an image from a data URL (PNG and JPEG, right MIME types) and from a URL.

Seeds: responses-image-aoai*.py (text, then an input_image data URL in a second user message)
and responses-imageurl-aoai*.py (input_text and input_image with a URL in one message).
"""

import pytest

from conformance import expect


def _ask(client, target, content):
    return client.responses.create(
        model=target.deployment, input=[{"role": "user", "content": content}], max_output_tokens=128
    )


@pytest.mark.feature("input.image.base64")
def test_an_image_data_url_is_seen(client, target, created, image):
    response = _ask(client, target, [
        {"type": "input_text", "text": "Describe this image."},
        {"type": "input_image", "image_url": image.data_url},
    ])
    created.response(response.id)

    expect.conformant_response(response)
    assert response.output_text.strip()
    # An image costs input tokens: far more than the four words of text.
    assert response.usage.input_tokens > 20
    if target.on_emulator:  # the emulator really decodes it and says what it saw
        assert f"{image.width}x{image.height} {image.format}" in response.output_text


@pytest.mark.feature("input.image.url")
def test_an_image_url_is_downloaded_and_seen(client, target, created, image_url):
    response = _ask(client, target, [
        {"type": "input_text", "text": "Describe this image."},
        {"type": "input_image", "image_url": image_url},
    ])
    created.response(response.id)

    expect.conformant_response(response)
    assert response.output_text.strip()
    assert response.usage.input_tokens > 20
    if target.on_emulator:
        assert "64x48 PNG" in response.output_text
