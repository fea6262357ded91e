"""File search: a vector store with uploaded documents, searched by the file_search tool.

Seed: responses-filesearch-aoai*.py: create a vector store, `file_batches.upload_and_poll`,
ask with `file_search` (`max_num_results`), delete the store. The suite also asks for
`file_search_call.results`, checks the citations point at the uploaded file, and deletes
the file too (the seed leaves it behind). The suite sends what `upload_and_poll` sends but
polls the batch itself, with a deadline (conformance/client/polling.py).
"""

import pytest

from conformance.harness import (
    contracts,
    HANDBOOK,
    items,
    sdk_lacks,
    text_of,
    vector_stores,
    wait_for_file_batch,
)

QUESTION = "What are the company values?"
#: A question both documents answer a part of, so a search that ignores max_num_results finds more than one.
BOTH = "What are the company values, and when does the cafeteria open?"


def stores_api(client):
    api = vector_stores(client)
    if api is None or not hasattr(api, "file_batches"):
        raise sdk_lacks("vector_stores.file_batches")
    return api


@pytest.fixture
def upload(client, target, created, documents, conformance_state):
    """Create a vector store and add the documents; ``upload(name)`` -> (store, {filename: file id}).

    Not the SDK's ``upload_and_poll``, which polls without a deadline: the project's own poll
    gives up after the target's ``poll_timeout`` with "still in_progress after N s".
    """
    stores = stores_api(client)
    interval = target.poll_interval if conformance_state.live else 0.0

    def upload(name):
        store = stores.create(name=name)
        # What upload_and_poll sends, one document per batch: the file, then a batch naming it.
        uploaded: list[str] = []
        for document in (documents["handbook"], documents["cafeteria"]):
            file = client.files.create(file=document.upload(), purpose="assistants")
            batch = stores.file_batches.create(vector_store_id=store.id, file_ids=[file.id])
            batch = wait_for_file_batch(stores, store.id, batch.id, interval=interval, timeout=target.poll_timeout)
            assert batch.status == "completed" and batch.file_counts.completed == 1, f"batch not processed: {batch}"
            uploaded.append(file.id)
        names = {client.files.retrieve(file_id).filename: file_id for file_id in uploaded}
        return store, names

    return upload


@pytest.mark.feature("tools.file_search")
def test_file_search_cites_the_uploaded_document(client, target, created, documents, upload):
    store, file_ids = upload("Employee Handbook")
    handbook = file_ids[documents["handbook"].filename]

    response = client.responses.create(
        model=target.deployment,
        input=QUESTION,
        tools=[{"type": "file_search", "vector_store_ids": [store.id], "max_num_results": 2}],
        include=["file_search_call.results"],
    )

    [search] = items(response, "file_search_call")
    assert search.results, "include=['file_search_call.results'] asks for the results"
    assert len(search.results) <= 2, "max_num_results caps the results"
    assert search.results[0].file_id == handbook, "the handbook answers the question best"
    citations = [a for item in response.output if item.type == "message" for part in item.content
                 for a in part.annotations if a.type == "file_citation"]
    assert citations and all(c.file_id in file_ids.values() for c in citations)
    assert any(c.file_id == handbook for c in citations)


@pytest.mark.feature("tools.file_search")
def test_max_num_results_caps_the_results(client, target, created, upload):
    store, _ = upload("Employee Handbook")

    response = client.responses.create(
        model=target.deployment,
        input=BOTH,
        tools=[{"type": "file_search", "vector_store_ids": [store.id], "max_num_results": 1}],
        include=["file_search_call.results"],
    )

    [search] = items(response, "file_search_call")
    contracts.results_capped(search.results, 1)


@pytest.mark.feature("tools.file_search")
def test_vector_store_and_file_delete_cleanly(client, target, created, upload):
    stores = stores_api(client)
    store, file_ids = upload("Delete me")

    deleted = stores.delete(store.id)
    assert deleted.deleted is True and deleted.id == store.id
    contracts.gone(lambda: stores.retrieve(store.id), f"vector store {store.id}")
    contracts.not_listed(stores.list(limit=100).data, store.id, "vector store")
    for file_id in file_ids.values():
        gone = client.files.delete(file_id)
        assert gone.deleted is True and gone.id == file_id
        contracts.gone(lambda: client.files.retrieve(file_id), f"file {file_id}")


@pytest.mark.feature("tools.file_search")
def test_streamed_file_search_reports_its_phases(client, target, created, upload):
    store, file_ids = upload("Employee Handbook")

    events = list(client.responses.create(
        model=target.deployment,
        input=QUESTION,
        tools=[{"type": "file_search", "vector_store_ids": [store.id], "max_num_results": 2}],
        stream=True,
    ))
    final = events[-1].response

    phases = [e.type for e in events if e.type.startswith("response.file_search_call.")]
    assert phases == ["response.file_search_call.in_progress", "response.file_search_call.searching",
                      "response.file_search_call.completed"]
    text = text_of(events)
    assert text == final.output_text


@pytest.mark.feature("tools.file_search")
def test_file_search_finds_the_text_inside_an_uploaded_pdf(client, target, created, conformance_state):
    # The seed uploads employee_handbook.pdf: a PDF's text sits in compressed content streams,
    # so only a service that parses it finds the answer.
    stores = stores_api(client)
    interval = target.poll_interval if conformance_state.live else 0.0
    store = stores.create(name=created.name("PDF Handbook"))
    file = client.files.create(file=(created.name(HANDBOOK.filename), HANDBOOK.data, "application/pdf"), purpose="assistants")
    batch = stores.file_batches.create(vector_store_id=store.id, file_ids=[file.id])
    batch = wait_for_file_batch(stores, store.id, batch.id, interval=interval, timeout=target.poll_timeout)
    assert batch.status == "completed", f"batch not processed: {batch}"

    response = client.responses.create(
        model=target.deployment,
        input="How many vacation days does every employee receive per year?",
        tools=[{"type": "file_search", "vector_store_ids": [store.id]}],
        include=["file_search_call.results"],
    )

    [search] = [item for item in response.output if item.type == "file_search_call"]
    assert search.results and search.results[0].file_id == file.id, "the PDF's text is searchable"
    contracts.states_fact(response.output_text, "31", HANDBOOK.filename)
