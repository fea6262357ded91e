"""The `openai` SDK doing the calling: one axis of the report."""

from __future__ import annotations

import re

import openai

SDK_VERSION: str = openai.__version__


def version_tuple(version: str) -> tuple[int, ...]:
    """`1.68.2` -> (1, 68, 2); pre-release suffixes are ignored."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def supports(min_version: str) -> bool:
    return version_tuple(SDK_VERSION) >= version_tuple(min_version)


def http_module():  # type: ignore[no-untyped-def]
    """The HTTP library the installed SDK is built on: httpx before openai 3.0, httpx2 after."""
    import importlib

    return importlib.import_module("httpx2" if version_tuple(SDK_VERSION) >= (3,) else "httpx")


def vector_stores(client):  # type: ignore[no-untyped-def]
    """`client.vector_stores`, or `client.beta.vector_stores` on SDKs before it left beta."""
    api = getattr(client, "vector_stores", None)
    if api is None:
        api = getattr(getattr(client, "beta", None), "vector_stores", None)
    return api
