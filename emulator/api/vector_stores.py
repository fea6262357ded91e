"""Route handlers for ``/vector_stores`` (+ ``/files``, ``/file_batches``).

GA on Azure's v1 API and on the dated paths the file-search seed uses (learn.microsoft.com/azure/foundry/openai/how-to/responses,
the seed's sample scripts (docs/sources.md)). A file batch is ``in_progress`` when created and
``completed`` from its first retrieve on, so ``upload_and_poll`` sees both statuses without
waiting; attached files are indexed at once.
"""

from __future__ import annotations

from typing import Any

from emulator.wire import errors
from emulator.api.call import Call, Reply
from emulator.state.filedata import VectorStore, batch_id, vector_store_id
from emulator.api.files import data_of, stored
from emulator.wire.request import decode_body

POLL_AFTER_MS = "20"


def _store(call: Call) -> VectorStore:
    sid = call.request.path_params["vector_store_id"]
    found = data_of(call).vector_stores.get(sid)
    if found is None:
        raise errors.vector_store_not_found(sid)
    return found


async def _body(call: Call) -> dict[str, Any]:
    raw = await call.request.body()
    body = decode_body(raw) if raw.strip() else {}
    if not isinstance(body, dict):
        raise errors.invalid_type("body", "an object", type(body).__name__)
    return body


def _metadata(body: dict[str, Any]) -> dict[str, str]:
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise errors.invalid_type("metadata", "an object of strings", "another type")
    return metadata


def _chunking(value: Any) -> dict[str, Any]:
    """OpenAI's chunking strategies: `auto`, or `static` with two bounded integers."""
    if value is None:
        return {"type": "auto"}
    if isinstance(value, dict) and value.get("type") == "auto":
        return value
    static = value.get("static") if isinstance(value, dict) and value.get("type") == "static" else None
    if isinstance(static, dict):
        size, overlap = static.get("max_chunk_size_tokens"), static.get("chunk_overlap_tokens")
        if (isinstance(size, int) and isinstance(overlap, int) and not isinstance(size, bool)
                and not isinstance(overlap, bool) and 100 <= size <= 4096 and 0 <= overlap <= size // 2):
            return value
    raise errors.invalid_request(
        "Invalid 'chunking_strategy': expected {'type': 'auto'} or {'type': 'static', 'static': "
        "{'max_chunk_size_tokens': 100..4096, 'chunk_overlap_tokens': 0..max/2}}.",
        "chunking_strategy", "invalid_value",
    )


def _file_ids(body: dict[str, Any]) -> list[str]:
    ids = body.get("file_ids") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise errors.invalid_type("file_ids", "an array of strings", "another type")
    return ids


def _attach(call: Call, store: VectorStore, ids: list[str], chunking: Any, status: str) -> None:
    chunking = _chunking(chunking)
    for fid in ids:
        store.attach(stored(call, fid), chunking, status)


async def create(call: Call) -> Reply:
    body = await _body(call)
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise errors.invalid_type("name", "a string", "another type")
    store = VectorStore(vector_store_id(), name, dict(_metadata(body)))
    _attach(call, store, _file_ids(body), body.get("chunking_strategy"), "completed")
    data_of(call).vector_stores[store.id] = store
    # Real recordings: a new vector store answers "in_progress" and is "completed" on the next
    # retrieve (docs/azure-wire-details.md), so clients must poll rather than trust the create.
    return 200, {**store.object(), "status": "in_progress"}


async def list_stores(call: Call) -> Reply:
    stores = sorted(data_of(call).vector_stores.values(), key=lambda s: s.created_at, reverse=True)
    return 200, {"object": "list", "data": [s.object() for s in stores], "first_id": None, "last_id": None, "has_more": False}


async def retrieve(call: Call) -> Reply:
    return 200, _store(call).object()


async def delete(call: Call) -> Reply:
    store = _store(call)
    del data_of(call).vector_stores[store.id]
    return 200, {"id": store.id, "object": "vector_store.deleted", "deleted": True}


async def add_file(call: Call) -> Reply:
    store = _store(call)
    body = await _body(call)
    fid = body.get("file_id")
    if not isinstance(fid, str):
        raise errors.missing_parameter("file_id")
    _attach(call, store, [fid], body.get("chunking_strategy"), "completed")
    return 200, store.files[fid]


async def list_files(call: Call) -> Reply:
    files = list(_store(call).files.values())
    return 200, {"object": "list", "data": files, "first_id": None, "last_id": None, "has_more": False}


async def get_file(call: Call) -> Reply:
    store = _store(call)
    fid = call.request.path_params["file_id"]
    if fid not in store.files:
        raise errors.vector_store_file_not_found(store.id, fid)
    return 200, store.files[fid]


async def remove_file(call: Call) -> Reply:
    store = _store(call)
    fid = call.request.path_params["file_id"]
    if not store.detach(fid):
        raise errors.vector_store_file_not_found(store.id, fid)
    return 200, {"id": fid, "object": "vector_store.file.deleted", "deleted": True}


def _batch_object(store: VectorStore, batch: dict[str, Any]) -> dict[str, Any]:
    files = [store.files[f] for f in batch["file_ids"] if f in store.files]
    statuses = [f["status"] for f in files]
    keys = ("in_progress", "completed", "failed", "cancelled")
    counts = {**{k: statuses.count(k) for k in keys}, "total": len(batch["file_ids"])}
    return {
        "id": batch["id"],
        "object": "vector_store.files_batch",
        "created_at": batch["created_at"],
        "vector_store_id": store.id,
        "status": "in_progress" if counts["in_progress"] else "completed",
        "file_counts": counts,
    }


async def create_batch(call: Call) -> Reply:
    store = _store(call)
    body = await _body(call)
    ids = _file_ids(body)
    if not ids:
        raise errors.missing_parameter("file_ids")
    _attach(call, store, ids, body.get("chunking_strategy"), "in_progress")
    batch = {"id": batch_id(), "created_at": store.files[ids[0]]["created_at"], "file_ids": ids}
    store.batches[batch["id"]] = batch
    return 200, _batch_object(store, batch)


def _batch(call: Call) -> tuple[VectorStore, dict[str, Any]]:
    store = _store(call)
    bid = call.request.path_params["batch_id"]
    batch = store.batches.get(bid)
    if batch is None:
        raise errors.batch_not_found(store.id, bid)
    return store, batch


async def get_batch(call: Call) -> Reply:
    """Retrieving a batch finishes its indexing: in_progress -> completed."""
    store, batch = _batch(call)
    for fid in batch["file_ids"]:
        if fid in store.files:
            store.files[fid]["status"] = "completed"
    call.meta.extra_headers = {"openai-poll-after-ms": POLL_AFTER_MS}
    return 200, _batch_object(store, batch)


async def batch_files(call: Call) -> Reply:
    store, batch = _batch(call)
    files = [store.files[f] for f in batch["file_ids"] if f in store.files]
    return 200, {"object": "list", "data": files, "first_id": None, "last_id": None, "has_more": False}


_VS = "/vector_stores/{vector_store_id}"
ROUTES = (
    ("/vector_stores", "POST", create, False),
    ("/vector_stores", "GET", list_stores, False),
    (_VS, "GET", retrieve, False),
    (_VS, "DELETE", delete, False),
    (_VS + "/files", "POST", add_file, False),
    (_VS + "/files", "GET", list_files, False),
    (_VS + "/files/{file_id}", "GET", get_file, False),
    (_VS + "/files/{file_id}", "DELETE", remove_file, False),
    (_VS + "/file_batches", "POST", create_batch, False),
    (_VS + "/file_batches/{batch_id}", "GET", get_batch, False),
    (_VS + "/file_batches/{batch_id}/files", "GET", batch_files, False),
)
