"""Route handlers, one module per resource (`/responses`, `/files`, `/vector_stores`, `/models`)."""
