"""The conformance suites: one module per area of the Responses API (run: pytest --pyargs suites)."""
