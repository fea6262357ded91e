"""What the ``pytest11`` entry point loads: the conformance plugin and the suites' fixtures.

pytest loads entry-point plugins before it parses the command line, so the plugin's options
(``--live``, ``--targets``) are known in any directory, with or without this repository's
conftest.py (which therefore loads nothing itself: no double registration).
"""

pytest_plugins = [
    "conformance.pytest_plugin.plugin",
    "conformance.pytest_plugin.fixtures.cleanup",
    "conformance.pytest_plugin.fixtures.clients",
    "conformance.pytest_plugin.fixtures.documents",
    "conformance.pytest_plugin.fixtures.images",
    "conformance.pytest_plugin.fixtures.mcp_server",
]
