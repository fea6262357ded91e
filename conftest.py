"""Loads the conformance plugin and the suites' fixtures; nothing else."""

pytest_plugins = ["conformance.plugin", "fixtures.cleanup", "fixtures.clients", "fixtures.documents", "fixtures.images", "fixtures.mcp_server"]
