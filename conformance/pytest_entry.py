"""What the ``pytest11`` entry point loads: the conformance plugin and the suites' fixtures.

pytest loads entry-point plugins before it parses the command line, so the plugin's options
(``--live``, ``--targets``) are known in any directory, with or without this repository's
conftest.py (which therefore loads nothing itself: no double registration).
"""

pytest_plugins = [
    "conformance.plugin",
    "fixtures.cleanup",
    "fixtures.clients",
    "fixtures.documents",
    "fixtures.images",
    "fixtures.mcp_server",
]
