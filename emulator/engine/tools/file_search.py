"""The file_search tool: BM25 over the vector stores a tool names, with citations.

OpenAI's shapes (learn.microsoft.com/azure/foundry/openai/how-to/responses): a ``file_search_call`` item with ``queries`` and,
when ``include=["file_search_call.results"]``, ``results`` ({file_id, filename, score,
text, attributes}); the answer's ``output_text`` carries ``file_citation`` annotations
({file_id, filename, index}).
"""

from __future__ import annotations

from typing import Any

from emulator.wire import errors
from emulator.state.filedata import FileData
from emulator.wire.ids import item_id
from emulator.engine.model import Turn
from emulator.state.bm25 import Chunk, Index
from emulator.engine.passages import answer_from
from emulator.engine.tools.step import ToolStep

DEFAULT_MAX_RESULTS = 10


def search(tool: dict[str, Any], query: str, data: FileData, include_results: bool) -> ToolStep:
    """Search the tool's vector stores for ``query`` and answer from the best chunk."""
    ids = tool.get("vector_store_ids") or []
    limit = tool.get("max_num_results") or DEFAULT_MAX_RESULTS
    hits: list[tuple[Chunk, float]] = []
    indexes: dict[str, Index] = {}
    for sid in ids:
        store = data.vector_stores.get(sid)
        if store is None:
            raise errors.invalid_request(f"Vector store with id '{sid}' not found.", "tools", "invalid_value")
        found = store.index.search(query, int(limit))
        indexes.update((chunk.file_id, store.index) for chunk, _ in found)
        hits += found
    hits.sort(key=lambda hs: -hs[1])
    hits = hits[: int(limit)]
    item: dict[str, Any] = {
        "id": item_id("file_search_call"),
        "type": "file_search_call",
        "status": "completed",
        "queries": [query],
        "results": None,
    }
    if include_results:
        item["results"] = [
            {"file_id": c.file_id, "filename": c.filename, "score": score, "text": c.text, "attributes": {}}
            for c, score in hits
        ]
    step = ToolStep(items=[item])
    if not hits:
        step.answer = "I could not find anything about that in the files."
        return step
    best = hits[0][0]
    step.answer = answer_from(best, query, indexes[best.file_id]) or best.text.strip()
    step.turns = [Turn("tool", step.answer)]
    step.annotations = [{"type": "file_citation", "file_id": best.file_id, "filename": best.filename, "index": len(step.answer)}]
    return step
