"""Loads the conformance plugin and the suites' fixtures; nothing else."""

pytest_plugins = ["conformance.plugin", "fixtures.clients", "fixtures.cleanup", "fixtures.images"]
