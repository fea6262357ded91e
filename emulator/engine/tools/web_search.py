"""The web search tool over a local corpus: real ranking, no internet.

The emulator's "web" is ``emulator/state/profiles/web_corpus.toml``: a few documents with a URL, a title and
a text. Each question in the user message (sentences ending in ``?``; else the whole message)
is one search: one ``web_search_call`` whose ``action`` is ``{type: search, query}`` (plus
``sources`` when ``include=["web_search_call.action.sources"]``), ranked with the same BM25
as file search. The answer quotes the best document per search and cites it with a
``url_citation`` annotation whose indices span the quoted text (learn.microsoft.com/azure/foundry/openai/how-to/web-search: output
is ``web_search_call`` items plus ``url_citation`` annotations). ``filters.allowed_domains``
keeps only documents on those hosts (or their subdomains).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from emulator.wire import errors
from emulator.state.bm25 import Chunk, Index
from emulator.wire.ids import item_id
from emulator.engine.model import Turn
from emulator.engine.tools.step import ToolStep

CORPUS = Path(__file__).resolve().parents[2] / "state" / "profiles" / "web_corpus.toml"
SOURCES_INCLUDE = "web_search_call.action.sources"
_QUESTION_RE = re.compile(r"[^?.!\n]*\?")
_STOPWORDS = frozenset("a an and are as at be by for from how in is it of on or the to was what when where which who why with".split())
_PREFIX_RE = re.compile(r"^\s*(search the web|search|look up|find)( for)?\s*[:,]?\s*", re.I)


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    text: str

    @property
    def host(self) -> str:
        return urlparse(self.url).hostname or ""


@cache
def corpus(path: Path = CORPUS) -> tuple[Document, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(Document(str(d["url"]), str(d["title"]), str(d["text"])) for d in data.get("documents", []))


def queries(text: str) -> list[str]:
    """One query per question in ``text`` (its words, without "search the web:"), else the text."""
    found = [q.strip() for q in _QUESTION_RE.findall(text) if q.strip(" ?")]
    return [_PREFIX_RE.sub("", q).strip() or q for q in found] or [_PREFIX_RE.sub("", text.strip()) or text.strip()]


def _allowed(doc: Document, domains: list[str]) -> bool:
    return not domains or any(doc.host == d or doc.host.endswith("." + d) for d in domains)


def search(query: str, domains: list[str], limit: int = 3) -> list[Document]:
    """The best documents for ``query``, best first (empty when no word but stopwords matches)."""
    terms = " ".join(w for w in re.findall(r"\w+", query.lower()) if w not in _STOPWORDS)
    docs = [d for d in corpus() if _allowed(d, domains)]
    index = Index()
    for position, doc in enumerate(docs):
        index.add(Chunk(doc.url, doc.title, position, f"{doc.title} {doc.text}"))
    by_url = {d.url: d for d in docs}
    return [by_url[chunk.file_id] for chunk, score in index.search(terms, limit) if score >= 0.5]


def _domains(tool: dict[str, Any]) -> list[str]:
    filters = tool.get("filters")
    allowed = filters.get("allowed_domains") if isinstance(filters, dict) else None
    if allowed is not None and not (isinstance(allowed, list) and all(isinstance(d, str) for d in allowed)):
        raise errors.invalid_type("tools.filters.allowed_domains", "an array of strings", type(allowed).__name__)
    return [str(d).lower().removeprefix("https://").removeprefix("http://").strip("/") for d in allowed or []]


def run(tool: dict[str, Any], text: str, include: set[str], max_calls: int | None) -> ToolStep:
    """One web_search_call per question (at most ``max_calls``), and the cited answer."""
    step = ToolStep(answer="")
    answer = ""
    for query in queries(text)[: max_calls or None]:
        found = search(query, _domains(tool))
        action: dict[str, Any] = {"type": "search", "query": query}
        if SOURCES_INCLUDE in include:
            action["sources"] = [{"type": "url", "url": d.url} for d in found]
        step.items.append({"id": item_id("web_search_call"), "type": "web_search_call", "status": "completed", "action": action})
        if answer:
            answer += "\n\n"
        if not found:
            answer += f"I found nothing on the web about {query}."
            continue
        best = found[0]
        start = len(answer)
        answer += best.text
        step.annotations.append({"type": "url_citation", "start_index": start, "end_index": len(answer),
                                 "url": best.url, "title": best.title})
        step.turns.append(Turn("tool", best.text))
    step.answer = answer
    return step
