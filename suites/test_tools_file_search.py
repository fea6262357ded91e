"""File search: a vector store with uploaded documents, searched by the file_search tool.

Seed: responses-filesearch-aoai*.py: create a vector store, `file_batches.upload_and_poll`,
ask with `file_search` (`max_num_results`), delete the store. The suite also asks for
`file_search_call.results`, checks the citations point at the uploaded file, and deletes
the file too (the seed leaves it behind).
"""

import pytest

from conformance import expect
from conformance.sdk import SDK_VERSION, vector_stores

QUESTION = "What are the company values?"


def stores_api(client):
    api = vector_stores(client)
    if api is None or not hasattr(api, "file_batches"):
        pytest.skip(f"openai {SDK_VERSION} has no vector_stores.file_batches")
    return api


def upload_documents(client, created, documents, name):
    stores = stores_api(client)
    store = stores.create(name=name)
    created.vector_store(store.id)
    # One document per batch: the SDK collects a batch's uploads with `as_completed`, so with
    # several files the order of file_ids in the batch request (and the cassette) would vary.
    uploaded: list[str] = []
    for document in (documents["handbook"], documents["cafeteria"]):
        batch = stores.file_batches.upload_and_poll(vector_store_id=store.id, files=[document.upload()])
        in_batch = [f.id for f in stores.file_batches.list_files(batch_id=batch.id, vector_store_id=store.id)]
        for file_id in in_batch:
            created.file(file_id)
        uploaded += in_batch
        assert batch.status == "completed" and batch.file_counts.completed == 1, f"batch not processed: {batch}"
    names = {client.files.retrieve(file_id).filename: file_id for file_id in uploaded}
    return store, names


@pytest.mark.feature("tools.file_search")
def test_file_search_cites_the_uploaded_document(client, target, created, documents):
    store, file_ids = upload_documents(client, created, documents, "Employee Handbook")
    handbook = file_ids[documents["handbook"].filename]

    response = client.responses.create(
        model=target.deployment,
        input=QUESTION,
        tools=[{"type": "file_search", "vector_store_ids": [store.id], "max_num_results": 2}],
        include=["file_search_call.results"],
    )
    created.response(response.id)

    expect.conformant_response(response)
    [search] = [item for item in response.output if item.type == "file_search_call"]
    assert search.results, "include=['file_search_call.results'] asks for the results"
    assert len(search.results) <= 2, "max_num_results caps the results"
    assert search.results[0].file_id == handbook, "the handbook answers the question best"
    citations = [a for item in response.output if item.type == "message" for part in item.content
                 for a in part.annotations if a.type == "file_citation"]
    assert citations and all(c.file_id in file_ids.values() for c in citations)
    assert any(c.file_id == handbook for c in citations)


@pytest.mark.feature("tools.file_search")
def test_vector_store_and_file_delete_cleanly(client, target, created, documents):
    stores = stores_api(client)
    store, file_ids = upload_documents(client, created, documents, "Delete me")

    deleted = stores.delete(store.id)
    assert deleted.deleted is True and deleted.id == store.id
    for file_id in file_ids.values():
        gone = client.files.delete(file_id)
        assert gone.deleted is True and gone.id == file_id


@pytest.mark.feature("tools.file_search")
def test_streamed_file_search_reports_its_phases(client, target, created, documents):
    store, file_ids = upload_documents(client, created, documents, "Employee Handbook")

    events = list(client.responses.create(
        model=target.deployment,
        input=QUESTION,
        tools=[{"type": "file_search", "vector_store_ids": [store.id], "max_num_results": 2}],
        stream=True,
    ))
    final = events[-1].response
    created.response(final.id)

    expect.conformant_stream(events)
    phases = [e.type for e in events if e.type.startswith("response.file_search_call.")]
    assert phases == ["response.file_search_call.in_progress", "response.file_search_call.searching",
                      "response.file_search_call.completed"]
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == final.output_text
