"""What the service computes: run a create (conversation -> text model -> tools -> Response),
background tasks, recall, lengths, vision and structured outputs."""
