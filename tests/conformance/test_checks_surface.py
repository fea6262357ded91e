"""The surface checks (conformance/checks/surface.py) catch each broken shape they are for,
and pass what the service sends."""

from __future__ import annotations

import copy

import pytest

from conformance import expect
from conformance.checks import (RULES, check_cached_tokens, check_compacted, check_logprobs,
                                check_service_tier)

COMPACTED = {
    "id": "cmp_1", "object": "response.compaction", "created_at": 1764800000,
    "output": [
        {"id": "msg_1", "type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"id": "cmp_2", "type": "compaction", "encrypted_content": "gAAAAAabc"},
    ],
    "usage": {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 2,
              "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 12},
}


def _lp(token, value=-0.1, alternatives=None):
    entry = {"token": token, "logprob": value, "bytes": list(token.encode())}
    if alternatives is not None:
        entry["top_logprobs"] = alternatives
    return entry


def _with_logprobs(logprobs, text="Hi there"):
    return {"output": [{"type": "message", "role": "assistant",
                        "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": logprobs}]}]}


GOOD_LOGPROBS = [_lp("Hi", -0.2, [_lp("Hi", -0.2), _lp("Hello", -1.9)]), _lp(" there", -0.1, [_lp(" there", -0.1)])]


def _rules(violations):
    found = {v.rule for v in violations}
    assert found <= set(RULES), found - set(RULES)
    return found


def test_a_well_formed_compaction_passes():
    assert check_compacted(COMPACTED) == []


def _broken(path_edit):
    body = copy.deepcopy(COMPACTED)
    path_edit(body)
    return body


COMPACTION_CASES = [
    (lambda b: b.update(object="response"), "compaction.shape"),
    (lambda b: b.update(id=""), "compaction.shape"),
    (lambda b: b.pop("usage"), "compaction.shape"),
    (lambda b: b["output"].pop(), "compaction.item"),                       # no compaction item
    (lambda b: b["output"].reverse(), "compaction.item"),                   # compaction not last
    (lambda b: b["output"].append(dict(b["output"][1])), "compaction.item"),  # two of them
    (lambda b: b["output"][1].update(encrypted_content=""), "compaction.item"),
    (lambda b: b["output"][0].update(role="assistant"), "compaction.item"),
    (lambda b: b["usage"].update(total_tokens=99), "response.usage"),
]


@pytest.mark.parametrize("edit, rule", COMPACTION_CASES)
def test_broken_compactions_are_caught(edit, rule):
    assert rule in _rules(check_compacted(_broken(edit)))


def test_not_an_object_is_caught():
    assert _rules(check_compacted([])) == {"compaction.shape"}


def test_expect_names_what_broke():
    with pytest.raises(AssertionError, match="compaction"):
        expect.conformant_compaction(_broken(lambda b: b["output"].pop()))
    with pytest.raises(AssertionError, match="one compaction item"):
        expect.compaction_item_in({"output": [{"type": "message"}]})


def test_good_logprobs_pass():
    assert check_logprobs(_with_logprobs(GOOD_LOGPROBS), 2) == []


LOGPROB_CASES = [
    ([], 2, "logprobs.shape"),                                             # asked for, none sent
    ([_lp("Hi", 0.5, [_lp("Hi")]), _lp(" there", -0.1, [_lp(" there")])], 2, "logprobs.shape"),  # positive
    ([{**_lp("Hi", -0.1, [_lp("Hi")]), "bytes": [1, 2]}, _lp(" there", -0.1, [_lp(" there")])], 2, "logprobs.shape"),
    ([_lp("Hi", -0.1, []), _lp(" there", -0.1, [_lp(" there")])], 2, "logprobs.top"),          # no alternatives
    ([_lp("Hi", -0.1, [_lp("a"), _lp("b"), _lp("c")]), _lp(" there", -0.1, [_lp(" there")])], 2, "logprobs.top"),
    ([_lp("Ho", -0.1, [_lp("Ho")]), _lp(" there", -0.1, [_lp(" there")])], 2, "logprobs.text"),
]


@pytest.mark.parametrize("logprobs, top, rule", LOGPROB_CASES)
def test_broken_logprobs_are_caught(logprobs, top, rule):
    assert rule in _rules(check_logprobs(_with_logprobs(logprobs), top))


def test_no_text_part_for_logprobs_is_caught():
    assert _rules(check_logprobs({"output": []}, 1)) == {"logprobs.shape"}


@pytest.mark.parametrize("asked, served, ok", [
    (None, "default", True), ("auto", "default", True), ("priority", "priority", True), ("flex", "flex", True),
    ("priority", "default", False), ("flex", None, False), ("default", "priority", False),
])
def test_the_served_tier_is_checked(asked, served, ok):
    assert (check_service_tier({"service_tier": served}, asked) == []) is ok


def _usage(cached, input_tokens=2000):
    return {"usage": {"input_tokens": input_tokens, "input_tokens_details": {"cached_tokens": cached}}}


@pytest.mark.parametrize("body, ok", [
    (_usage(1024), True), (_usage(1152), True), (_usage(0), False), (_usage(None), False),
    (_usage(1000), False), (_usage(1100), False), (_usage(2048, 1500), False), ({"usage": None}, False),
])
def test_cache_hits_follow_the_1024_plus_128_rule(body, ok):
    found = check_cached_tokens(body)
    assert (found == []) is ok and _rules(found) <= {"prompt_cache.hit"}


#: The rules these tests feed a broken shape (test_checks.test_every_rule_has_a_case).
TESTED_RULES = ({r for _, r in COMPACTION_CASES} | {r for _, _, r in LOGPROB_CASES}
                | {"service_tier.served", "prompt_cache.hit"})
