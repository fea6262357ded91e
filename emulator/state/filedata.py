"""Uploaded files and vector stores of one resource: the state behind file search.

Kept in memory, per resource, like responses. A vector store indexes its files' text in
chunks (:mod:`emulator.state.bm25`) when a file is attached, so search ranks real text.
"""

from __future__ import annotations

import os
import string
import time
from dataclasses import dataclass, field
from typing import Any

from emulator.state.bm25 import Chunk, Index, chunk_text
from emulator.state.documents import text_of

_ALNUM = string.ascii_letters + string.digits


def _random(n: int) -> str:
    return "".join(_ALNUM[b % len(_ALNUM)] for b in os.urandom(n))


def file_id() -> str:
    """real recorded Azure traffic (docs/sources.md): Azure file ids are ``assistant-`` + 22 chars."""
    return "assistant-" + _random(22)


def vector_store_id() -> str:
    """real recorded Azure traffic (docs/sources.md): Azure vector-store ids are ``vs_`` + 24 alphanumerics."""
    return "vs_" + _random(24)


def batch_id() -> str:
    return "vsfb_" + os.urandom(16).hex()


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            # Present (null unless an expiry was set) on every real file object since 2025.
            "expires_at": None,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "status_details": None,
        }

    @property
    def text(self) -> str:
        """What file search indexes: a PDF's extracted text, other files as UTF-8."""
        return text_of(self.data)


@dataclass
class VectorStore:
    id: str
    name: str | None
    metadata: dict[str, str]
    created_at: int = field(default_factory=lambda: int(time.time()))
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """file id -> the vector_store.file object."""
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    index: Index = field(default_factory=Index)

    def counts(self) -> dict[str, int]:
        statuses = [f["status"] for f in self.files.values()]
        keys = ("in_progress", "completed", "failed", "cancelled")
        return {**{k: statuses.count(k) for k in keys}, "total": len(statuses)}

    def object(self) -> dict[str, Any]:
        usage = sum(f["usage_bytes"] for f in self.files.values())
        return {
            "id": self.id,
            "object": "vector_store",
            "created_at": self.created_at,
            "name": self.name,
            "usage_bytes": usage,
            "file_counts": self.counts(),
            "status": "in_progress" if self.counts()["in_progress"] else "completed",
            "expires_after": None,
            "expires_at": None,
            "last_active_at": self.created_at,
            "metadata": self.metadata,
        }

    def attach(self, stored: StoredFile, chunking: dict[str, Any], status: str) -> dict[str, Any]:
        """Index ``stored`` and return its vector_store.file object."""
        static = chunking.get("static") if chunking.get("type") == "static" else None
        size = int((static or {}).get("max_chunk_size_tokens", 800))
        overlap = int((static or {}).get("chunk_overlap_tokens", 400))
        self.index.remove(stored.id)
        for i, text in enumerate(chunk_text(stored.text, size, overlap)):
            self.index.add(Chunk(stored.id, stored.filename, i, text))
        entry = {
            "id": stored.id,
            "object": "vector_store.file",
            "usage_bytes": len(stored.data),
            "created_at": int(time.time()),
            "vector_store_id": self.id,
            "status": status,
            "last_error": None,
            "chunking_strategy": {
                "type": "static",
                "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap},
            },
            "attributes": {},
        }
        self.files[stored.id] = entry
        return entry

    def detach(self, file_id: str) -> bool:
        self.index.remove(file_id)
        return self.files.pop(file_id, None) is not None


@dataclass
class FileData:
    """One resource's files and vector stores."""

    files: dict[str, StoredFile] = field(default_factory=dict)
    vector_stores: dict[str, VectorStore] = field(default_factory=dict)
