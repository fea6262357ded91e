"""Route handlers for ``/files``: upload (multipart), list, retrieve, content, delete.

Azure's files API (learn.microsoft.com/azure/foundry/openai/how-to/responses): ``/openai/files`` and ``/openai/v1/files``, purpose
``assistants`` for file search; ids ``assistant-…`` (real recorded Azure traffic, docs/sources.md). These calls carry
the ``openai-*`` headers (real recorded Azure traffic, docs/sources.md).
"""

from __future__ import annotations

from starlette.responses import Response

from emulator.wire import errors
from emulator.api.call import Call, Reply
from emulator.state.filedata import FileData, StoredFile, file_id

PURPOSES = ("assistants", "vision", "batch", "fine-tune")
MAX_BYTES = 16 * 1024 * 1024


def data_of(call: Call) -> FileData:
    call.meta.openai_meta = True
    return call.state.file_data[call.resource.name]


def stored(call: Call, fid: str) -> StoredFile:
    found = data_of(call).files.get(fid)
    if found is None:
        raise errors.file_not_found(fid)
    return found


async def upload(call: Call) -> Reply:
    """``POST /files`` (multipart: ``file``, ``purpose``)."""
    data = data_of(call)
    if not call.request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise errors.invalid_request("Expected a multipart/form-data body with 'file' and 'purpose'.", "file")
    try:
        form = await call.request.form(max_part_size=MAX_BYTES)
    except Exception as exc:  # Starlette/python-multipart raise several types for a broken body
        raise errors.invalid_request(f"Could not parse the multipart/form-data body: {exc}.", "file") from None
    purpose = form.get("purpose")
    upload_ = form.get("file")
    if purpose is None:
        raise errors.missing_parameter("purpose")
    if purpose not in PURPOSES:
        raise errors.invalid_purpose(purpose)
    if upload_ is None or isinstance(upload_, str):
        raise errors.missing_parameter("file")
    content = await upload_.read()
    entry = StoredFile(file_id(), upload_.filename or "upload", str(purpose), content)
    data.files[entry.id] = entry
    return 200, entry.object()


async def list_files(call: Call) -> Reply:
    """``GET /files``, newest first."""
    files = sorted(data_of(call).files.values(), key=lambda f: f.created_at, reverse=True)
    purpose = call.request.query_params.get("purpose")
    listed = [f.object() for f in files if purpose is None or f.purpose == purpose]
    return 200, {"object": "list", "data": listed, "first_id": None, "last_id": None, "has_more": False}


async def retrieve(call: Call) -> Reply:
    return 200, stored(call, call.request.path_params["file_id"]).object()


async def content(call: Call) -> Reply:
    found = stored(call, call.request.path_params["file_id"])
    return Response(found.data, media_type="application/octet-stream")


async def delete(call: Call) -> Reply:
    """``DELETE /files/{id}``; the file also leaves every vector store (as on OpenAI)."""
    found = stored(call, call.request.path_params["file_id"])
    data = data_of(call)
    del data.files[found.id]
    for store in data.vector_stores.values():
        store.detach(found.id)
    return 200, {"id": found.id, "object": "file", "deleted": True}


ROUTES = (
    ("/files", "POST", upload, False),
    ("/files", "GET", list_files, False),
    ("/files/{file_id}", "GET", retrieve, False),
    ("/files/{file_id}", "DELETE", delete, False),
    ("/files/{file_id}/content", "GET", content, False),
)
