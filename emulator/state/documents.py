"""Text of an uploaded or inlined document: PDFs are really parsed (pypdf), other files read as UTF-8.

The service reads PDFs for file search and for ``input_file`` parts ("the model receives
extracted text and page images", docs/documents.md "Documents"), so a PDF that is only
UTF-8-decoded would be searched as binary noise and its content never found.
"""

from __future__ import annotations

import io
import logging

PDF_MAGIC = b"%PDF-"


class UnreadableDocument(ValueError):
    """The bytes claim to be a PDF but pypdf cannot read them."""


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == PDF_MAGIC


def pdf_text(data: bytes) -> str:
    """The text of every page, pages separated by blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about sloppy PDFs are not ours to log
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise UnreadableDocument(f"{type(exc).__name__}: {exc}"[:200]) from None


def text_of(data: bytes) -> str:
    """The searchable text of a file: a PDF's extracted text (empty if unreadable), else UTF-8."""
    if is_pdf(data):
        try:
            return pdf_text(data)
        except UnreadableDocument:
            return ""
    return data.decode("utf-8", errors="replace")
