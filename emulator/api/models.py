"""``GET /models``: the resource's deployments in OpenAI's list shape.

The Azure v1 spec answers ``OpenAI.ListModelsResponse`` (``{object: list, data: [{id,
object: model, created, owned_by}]}``). Which ids Azure lists is not in the notes; the
emulator lists deployment names, the values ``model`` accepts in Responses.
"""

from __future__ import annotations

from emulator.api.call import Call, Reply


async def list_models(call: Call) -> Reply:
    data = [
        {"id": d.name, "object": "model", "created": d.created, "owned_by": "system"}
        for d in call.resource.deployments
    ]
    return 200, {"object": "list", "data": data}
