"""Cassette hygiene: readable, secret-free cassettes that replay under any SDK version.

Wiring for the pytest plugin:

    def pytest_recording_configure(config, vcr):   # pytest-recording hook
        cassettes.register(vcr)

    @pytest.fixture
    def vcr_config(scrubber):
        return cassettes.vcr_config(scrubber)

and `set_provenance({...})` before each recorded test.
"""

from __future__ import annotations

from typing import Any

from vcr import VCR

from conformance.recording import serializer
from conformance.recording.matching import MATCH_ON, register_matchers
from conformance.recording.mismatch import describe_mismatch
from conformance.recording.patterns import find_secret_shaped
from conformance.recording.provenance import read_provenance, set_provenance
from conformance.recording.scrub import PLACEHOLDER_BASE, Scrubber, mark_loaded

SERIALIZER_NAME = "conformance"
CASSETTE_SUFFIX = ".yaml"

__all__ = [
    "CASSETTE_SUFFIX",
    "MATCH_ON",
    "PLACEHOLDER_BASE",
    "SERIALIZER_NAME",
    "Scrubber",
    "describe_mismatch",
    "find_secret_shaped",
    "read_provenance",
    "register",
    "set_provenance",
    "vcr_config",
]


def register(vcr: VCR) -> VCR:
    """Register the `conformance` serializer and matchers on a `vcr.VCR`; returns it."""
    vcr.register_serializer(SERIALIZER_NAME, serializer)
    register_matchers(vcr)
    return vcr


def vcr_config(scrubber: Scrubber, replay: bool = False) -> dict[str, Any]:
    """Keyword arguments for `use_cassette` (pytest-recording's `vcr_config` fixture).

    `path_transformer` keeps the `.yaml` suffix: pytest-recording would otherwise name
    files after the serializer (`.conformance`). Each recorded interaction plays once, in
    order (vcrpy's default `allow_playback_repeats=False`). In replay, interactions loaded
    from a cassette skip the scrubbing hooks (they were scrubbed when recorded).
    """
    config = {
        "serializer": SERIALIZER_NAME,
        "match_on": MATCH_ON,
        "decode_compressed_response": True,
        "before_record_request": scrubber.scrub_request,
        "before_record_response": scrubber.scrub_response,
        "path_transformer": VCR.ensure_suffix(CASSETTE_SUFFIX),
    }
    if replay:
        config["after_load_interaction"] = mark_loaded
    return config
