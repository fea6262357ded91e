"""File and vector store bugs: uploads, indexing, search limits, citations and deletes."""

from __future__ import annotations

from typing import Any

from emulator.mutations.base import Event, Exchange, Header, ItemFix, Mutant, register
from emulator.mutations.state import Echoing
from emulator.mutations.streaming import Renumbering

SEARCH = ("tools.file_search",)
BATCH = "GET /vector_stores/{id}/file_batches/{id}"


class DeleteNoop(Mutant):
    """A DELETE that answers deleted: true and removes nothing (served as a GET underneath)."""

    route: str
    object: str

    def request(self, ex: Exchange) -> bool:
        if ex.route != self.route:
            return False
        ex.method = "GET"
        ex.notes["deleted"] = True
        return True

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if not ex.notes.get("deleted") or status != 200:
            return None
        return 200, {"id": ex.ids[-1], "object": self.object, "deleted": True}


@register("max-num-results-ignored", "files", "file_search's max_num_results is echoed but not applied", *SEARCH)
class MaxNumResultsIgnored(Echoing):
    field = "tools"

    def drop(self, ex: Exchange) -> bool:
        tools = [t for t in ex.request.get("tools") or [] if isinstance(t, dict) and t.get("type") == "file_search"]
        return any(tool.pop("max_num_results", None) is not None for tool in tools)


@register("vector-store-delete-noop", "files", "DELETE /vector_stores/{id} answers deleted: true and keeps the store",
          *SEARCH)
class VectorStoreDeleteNoop(DeleteNoop):
    route = "DELETE /vector_stores/{id}"
    object = "vector_store.deleted"


@register("file-delete-noop", "files", "DELETE /files/{id} answers deleted: true and keeps the file", *SEARCH)
class FileDeleteNoop(DeleteNoop):
    route = "DELETE /files/{id}"
    object = "file"


@register("vector-store-files-stuck", "files", "vector store file batches stay in_progress for ever", *SEARCH)
class FilesStuck(Mutant):
    def headers(self, ex: Exchange, status: int, headers: list[Header]) -> list[Header] | None:
        if ex.route != BATCH:
            return None
        # Poll slowly: the SDK's upload_and_poll has no deadline, so this only costs the harness's timeout.
        return [(k, v) for k, v in headers if k.lower() != b"openai-poll-after-ms"] + [(b"openai-poll-after-ms", b"1000")]

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route not in (BATCH, "POST /vector_stores/{id}/file_batches") or status != 200:
            return None
        counts = dict(body.get("file_counts") or {})
        counts.update(in_progress=counts.get("total", 0), completed=0)
        return status, {**body, "status": "in_progress", "file_counts": counts}


@register("batch-counts-wrong", "files", "a completed file batch reports file_counts.completed: 0", *SEARCH)
class BatchCountsWrong(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route != BATCH or status != 200 or body.get("status") != "completed":
            return None
        return status, {**body, "file_counts": {**body["file_counts"], "completed": 0}}


@register("file-citation-wrong-file", "files", "file_citation annotations name a file id that was never uploaded", *SEARCH)
class CitationWrongFile(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        changed = False
        for part in item.get("content") or [] if item.get("type") == "message" else []:
            for note in part.get("annotations") or [] if isinstance(part, dict) else []:
                if isinstance(note, dict) and note.get("type") == "file_citation":
                    note["file_id"] = "assistant-" + "0" * 22
                    changed = True
        return changed


@register("file-search-results-omitted", "files", "include=[file_search_call.results] is accepted but results stay null",
          *SEARCH)
class ResultsOmitted(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        if item.get("type") != "file_search_call" or not item.get("results"):
            return False
        item["results"] = None
        return True


@register("file-search-ranking-reversed", "files", "file_search results come worst match first", *SEARCH)
class RankingReversed(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        results = item.get("results")
        if item.get("type") != "file_search_call" or not isinstance(results, list) or len(results) < 2:
            return False
        item["results"] = results[::-1]
        return True


@register("file-search-phase-missing", "files", "a streamed file search skips its response.file_search_call.searching event",
          *SEARCH)
class SearchPhaseMissing(Renumbering):
    def keep(self, ex: Exchange, event: Event) -> list[Event]:
        return [] if event.get("type") == "response.file_search_call.searching" else [event]


DOCUMENTS = ("input.file", "input.image.file_id")


def _input_parts(request: Any) -> list[list[Any]]:
    """The content lists of a create request's input messages (edited in place by mutants)."""
    items = request.get("input") if isinstance(request, dict) else None
    if not isinstance(items, list):
        return []
    return [item["content"] for item in items if isinstance(item, dict) and isinstance(item.get("content"), list)]


def _drop_parts(request: Any, drop: Any) -> bool:
    changed = False
    for content in _input_parts(request):
        kept = [part for part in content if not (isinstance(part, dict) and drop(part))]
        if len(kept) != len(content):
            content[:] = kept
            changed = True
    return changed


@register("input-file-ignored", "files", "input_file parts are accepted and dropped: the model never reads the document",
          "input.file")
class InputFileIgnored(Mutant):
    def request(self, ex: Exchange) -> bool:
        return ex.route == "POST /responses" and _drop_parts(ex.request, lambda p: p.get("type") == "input_file")


@register("unknown-file-id-ignored", "files", "an input_file or input_image naming an unknown file_id is ignored, not refused",
          *DOCUMENTS)
class UnknownFileIdIgnored(Mutant):
    def request(self, ex: Exchange) -> bool:
        if ex.route != "POST /responses" or self.seams is None:
            return False
        known = {fid for data in self.seams.state.file_data.values() for fid in data.files}
        return _drop_parts(ex.request, lambda p: isinstance(p.get("file_id"), str) and p["file_id"] not in known)


@register("pdf-read-as-utf8", "files", "uploaded and inline PDFs are decoded as UTF-8, not parsed", "input.file",
          "tools.file_search")
class PdfReadAsUtf8(Mutant):
    def install(self, seams: Any) -> None:
        from emulator.engine import documents
        from emulator.state import filedata

        mutant = self

        def as_utf8(data: bytes) -> str:
            if data.startswith(b"%PDF"):
                mutant.fire()  # a PDF the faithful emulator would have parsed
            return data.decode("utf-8", errors="replace")

        seams.patch(filedata, "text_of", as_utf8)
        seams.patch(documents, "_read", lambda data, param: as_utf8(data))
