"""``input_file`` parts: the document is really read, and the "model" answers from its text.

docs/documents.md "Documents": a PDF goes inline as ``file_data``
(``data:application/pdf;base64,...``) or by the ``file_id`` of a file uploaded with purpose
``assistants``; the model receives the extracted text. A ``file_id`` the resource does not
hold is refused with a 400, as is a part whose bytes cannot be read.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from emulator.engine.passages import answer_from
from emulator.state.bm25 import Chunk, Index, chunk_text
from emulator.state.documents import UnreadableDocument, is_pdf, pdf_text
from emulator.state.filedata import StoredFile
from emulator.wire import errors

MAX_BYTES = 50 * 1024 * 1024
"""learn.microsoft.com/azure/foundry/openai/how-to/responses: a 50 MB per-request total for file inputs."""


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    text: str


def key_of(part: Mapping[str, Any]) -> str:
    """How a part is looked up in :func:`resolve`'s result: its file_id, else its file_data."""
    return str(part.get("file_id") or part.get("file_data") or "")


def _read(data: bytes, param: str) -> str:
    if is_pdf(data):
        try:
            return pdf_text(data)
        except UnreadableDocument as exc:
            raise errors.invalid_input_file(param, f"not a readable PDF ({exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise errors.invalid_input_file(param, "neither a PDF nor UTF-8 text") from None


def _from_data(part: Mapping[str, Any], param: str) -> Document:
    header, sep, payload = str(part["file_data"]).partition(",")
    if not sep or not header.startswith("data:") or not header.endswith(";base64"):
        raise errors.invalid_input_file(param, "file_data must be a data URL, data:<mime>;base64,<data>")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise errors.invalid_input_file(param, "file_data is not valid base64") from None
    if len(data) > MAX_BYTES:
        raise errors.invalid_input_file(param, "larger than 50 MB")
    return Document(str(part.get("filename") or "document"), _read(data, param))


def _parts(items: Iterable[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], str]]:
    for i, item in enumerate(items):
        content = item.get("content")
        if item.get("type", "message") != "message" or not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") in ("input_file", "input_image"):
                yield part, f"input[{i}].content[{j}]"


def check_file_ids(items: Iterable[dict[str, Any]], files: Mapping[str, StoredFile]) -> None:
    """Refuse any ``input_file`` / ``input_image`` naming a file this resource does not hold."""
    for part, param in _parts(items):
        fid = part.get("file_id")
        if isinstance(fid, str) and fid not in files:
            raise errors.input_file_not_found(fid, f"{param}.file_id")


def resolve(items: Iterable[dict[str, Any]], files: Mapping[str, StoredFile]) -> dict[str, Document]:
    """Read every ``input_file`` of the input, keyed by :func:`key_of`."""
    found: dict[str, Document] = {}
    for part, param in _parts(items):
        if part.get("type") != "input_file" or key_of(part) in found:
            continue
        fid = part.get("file_id")
        if isinstance(fid, str):
            stored = files.get(fid)
            if stored is None:
                raise errors.input_file_not_found(fid, f"{param}.file_id")
            found[fid] = Document(stored.filename, _read(stored.data, f"{param}.file_id"))
        elif isinstance(part.get("file_data"), str):
            found[key_of(part)] = _from_data(part, f"{param}.file_data")
        elif isinstance(part.get("file_url"), str):
            raise errors.invalid_input_file(f"{param}.file_url", "file URLs are not fetched by this emulator")
        else:
            raise errors.missing_parameter(f"{param}.file_data")
    return found


def answer(question: str, documents: Iterable[Document]) -> str | None:
    """The passage of the documents that best answers ``question`` (None without documents)."""
    index = Index()
    for n, doc in enumerate(documents):
        for i, text in enumerate(chunk_text(doc.text, 200, 50)):
            index.add(Chunk(str(n), doc.filename, i, text))
    hits = index.search(question, 1)
    if not hits:
        return None
    best = hits[0][0]
    found = answer_from(best, question, index)
    return f"According to {best.filename}: {found}" if found else None
