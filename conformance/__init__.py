"""Responses API conformance: the library behind the suites (targets, clients, checks, verdicts, report)."""

__version__ = "0.1.0"
