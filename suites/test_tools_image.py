"""The image generation tool, routed by Azure's image-deployment header.

Seed: responses-image-generate-aoai-v1.py: `tools=[{"type": "image_generation"}]` and the
header `x-ms-oai-image-generation-deployment: gpt-image-1` on the client (learn.microsoft.com/azure/foundry/openai/how-to/responses).
v1-only on Azure: on dated api-versions the verdict is `unsupported`, with the refusal.
"""

import openai
import pytest

from conformance.harness import contracts, expect, items
HEADER = "x-ms-oai-image-generation-deployment"
PROMPT = "Generate an image of a gray tabby cat hugging an otter with an orange scarf."


def image_client(make_client, target):
    if not target.image_deployment:
        pytest.skip(f"not applicable: the target's resource names no image_deployment (needed for the {HEADER} header)")
    return make_client(default_headers={HEADER: target.image_deployment})


def decoded(call):
    return contracts.whole_image(call.result)


@pytest.mark.feature("tools.image_generation")
def test_image_generation_call_returns_a_png_of_the_default_size(make_client, target, created):
    client = image_client(make_client, target)

    response = client.responses.create(model=target.deployment, input=PROMPT, tools=[{"type": "image_generation"}])

    calls = items(response, "image_generation_call")
    assert len(calls) == 1, f"expected one image_generation_call, got {[i.type for i in response.output]}"
    image = decoded(calls[0])
    assert image.format == "PNG"
    assert image.size[0] >= 256 and image.size[1] >= 256


@pytest.mark.feature("tools.image_generation")
def test_image_generation_honours_size_and_format(make_client, target, created):
    client = image_client(make_client, target)

    response = client.responses.create(
        model=target.deployment,
        input=PROMPT,
        tools=[{"type": "image_generation", "size": "1536x1024", "output_format": "jpeg", "quality": "low"}],
    )

    [call] = items(response, "image_generation_call")
    image = decoded(call)
    assert image.format == "JPEG"
    assert image.size == (1536, 1024)


@pytest.mark.feature("tools.image_generation")
def test_image_generation_without_the_deployment_header_is_refused(client, target):
    with pytest.raises(openai.APIStatusError) as refused:
        client.responses.create(model=target.deployment, input=PROMPT, tools=[{"type": "image_generation"}])

    error = expect.azure_error(refused.value, 400)
    if target.is_v1:
        assert HEADER in error["message"], f"the refusal should name the {HEADER} header: {error['message']}"


@pytest.mark.feature("tools.image_generation")
def test_image_generation_stream_is_refused_or_has_no_partial_images(make_client, target, created):
    # learn.microsoft.com/azure/foundry/openai/how-to/responses: "Streaming and partial images are not supported in the Azure Responses
    # tool". A refusal must be a clean 400; a stream, if any, must be conformant.
    client = image_client(make_client, target)
    try:
        events = list(client.responses.create(model=target.deployment, input=PROMPT, tools=[{"type": "image_generation"}],
                                              stream=True))
    except openai.BadRequestError as refused:
        if "stream" not in str(refused.message).lower():
            raise  # refused for another reason (e.g. the tool on this api-version): the verdict decides
        expect.azure_error(refused, 400)
        return
    partial = [e.type for e in events if e.type.endswith("partial_image")]
    assert not partial, f"the stream sent partial images, which Azure's Responses tool does not: {partial}"
