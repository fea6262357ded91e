"""The service's wire formats: request validation, error bodies, JSON object shapes, SSE, ids."""
