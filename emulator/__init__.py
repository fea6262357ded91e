"""A faithful, stateful Azure OpenAI Responses API emulator (see DESIGN.md, "The emulator").

Run it with ``python -m emulator`` or from code with :class:`emulator.server.Emulator`.
This package never imports ``conformance``: the two check each other.
"""

__version__ = "0.1.0"
