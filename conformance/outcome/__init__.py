"""Deciding verdicts: an exception or a refusal -> (verdict, evidence), and pinned expectations.
Pure: no pytest, no clients."""
