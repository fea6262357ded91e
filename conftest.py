"""Loads the conformance plugin and the suites' fixtures; nothing else."""

pytest_plugins = ["conformance.pytest_plugin.plugin", "conformance.pytest_plugin.fixtures.clients", "conformance.pytest_plugin.fixtures.cleanup", "conformance.pytest_plugin.fixtures.documents", "conformance.pytest_plugin.fixtures.images", "conformance.pytest_plugin.fixtures.mcp_server"]
