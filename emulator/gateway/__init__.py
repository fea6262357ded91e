"""The first stop of every request: the Starlette app, auth, api versions, limits, headers,
rate limits and faults, then the call handed to an API handler."""
