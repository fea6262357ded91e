"""The passage a retrieved text answers with, and JSON tool results read as prose."""

from __future__ import annotations

import pytest

from emulator.engine import passages
from emulator.state.outbound import BadRoute, Outbound

HANDBOOK = ("Welcome to Contoso. The company values are listed below. 1. Integrity in all we do. "
            "2. Customers first. 3. Learn every day. Our offices are in Seattle.")


def test_the_sentence_sharing_most_words_of_substance_wins_and_what_follows_is_kept():
    found = passages.passage(HANDBOOK, "What are the company values?")
    assert found is not None
    assert found.startswith("The company values are listed below.") and "Integrity" in found


def test_the_passage_stops_at_its_limit_without_a_dangling_list_number():
    found = passages.passage(HANDBOOK, "What are the company values?", limit=66)  # "2." fits, its item does not
    assert found == "The company values are listed below. 1. Integrity in all we do."


def test_the_passage_reads_on_into_the_next_chunk_past_their_overlap():
    after = passages.continuation("one two three four", "three four five six.")
    assert after == "five six."
    assert passages.passage("Alpha is here. The key fact is", "key fact", after) == "The key fact is five six."


def test_empty_text_has_no_passage():
    assert passages.passage("   ", "anything") is None


def test_a_json_tool_result_reads_as_sentences():
    assert passages.plain('{"title": "Quickstart", "items": ["See the docs", {"url": "x"}]}') == "Quickstart. See the docs. x."
    assert passages.plain("not json") == "not json"
    assert passages.plain("[1, 2]") == "[1, 2]"


def test_an_outbound_route_replaces_only_the_origin():
    routes = Outbound.parse(["https://learn.microsoft.com=http://127.0.0.1:8123"])
    assert routes.url("https://learn.microsoft.com/api/mcp?x=1") == "http://127.0.0.1:8123/api/mcp?x=1"
    assert routes.url("https://example.com/a") == "https://example.com/a"


@pytest.mark.parametrize("spec", ["https://a.example", "https://a.example/path=http://127.0.0.1:1", "ftp://a=http://b"])
def test_a_malformed_outbound_route_is_refused_by_name(spec):
    with pytest.raises(BadRoute, match="expected|not an origin"):
        Outbound.parse([spec])
