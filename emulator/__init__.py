"""A faithful, stateful Azure OpenAI Responses API emulator (see docs/architecture.md).

Run it with ``python -m emulator`` or from code with :class:`emulator.server.Emulator`.
This package never imports ``conformance``: the two check each other.
"""

__version__ = "0.1.0"
