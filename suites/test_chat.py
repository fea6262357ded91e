"""scenario.chat: the seed's Gradio chat app, as a protocol scenario.

Seed: responses-conversation-stream-gradio*.py. Each user turn is one streamed create with
`input=[{role: user, content}]`, `previous_response_id` taken from `response.created`, an
optional uploaded image appended as a second user message (always labelled image/png), and
`reasoning={"effort": "high", "summary": "auto"}` on reasoning deployments. The app renders
`response.reasoning_summary_*` and `response.output_text.delta` events. The seed kept the
previous id in a module-level global, shared by every browser session; here two sessions are
interleaved, four turns each, and each must keep its own conversation: the fact its first turn
stated (a different one per session) is asked for in its last.
"""

from dataclasses import dataclass, field
from typing import Optional

import pytest

from conformance.harness import facts_for, FILLERS, PNG, recall_violation, recalls


@dataclass
class ChatSession:
    """One browser session of the app: its own previous_response_id."""

    client: object
    target: object
    previous_id: Optional[str] = None
    ids: list = field(default_factory=list)

    def send(self, prompt, image=None):
        """One turn, as the app sends it; returns (answer, reasoning summary parts)."""
        messages = [{"role": "user", "content": prompt}]
        if image is not None:
            messages.append({"role": "user", "content": [{"type": "input_image", "image_url": image}]})
        extra = {}
        if "reasoning_summary" in self.target.capabilities:
            extra["reasoning"] = {"effort": "high", "summary": "auto"}
        events = list(self.client.responses.create(
            model=self.target.deployment,
            input=messages,
            stream=True,
            previous_response_id=self.previous_id,
            max_output_tokens=256,
            **extra,
        ))
        answer, summary = "", []
        for event in events:
            if event.type == "response.created":
                self.previous_id = event.response.id
                self.ids.append(event.response.id)
            elif event.type == "response.reasoning_summary_part.added":
                summary.append("")
            elif event.type == "response.reasoning_summary_text.delta":
                summary[-1] += event.delta
            elif event.type == "response.output_text.delta":
                answer += event.delta
        assert events[-1].response.previous_response_id == (self.ids[-2] if len(self.ids) > 1 else None)
        return answer, summary


@pytest.mark.feature("scenario.chat")
def test_two_interleaved_chat_sessions_keep_their_own_history(client, target, created):
    alice, bob = ChatSession(client, target), ChatSession(client, target)
    alice_fact, bob_fact = facts_for(target.id, 2)

    alice.send(alice_fact.statement)
    bob.send(bob_fact.statement)
    seen, summary = alice.send("What is in this picture?", image=PNG.data_url)
    bob.send(FILLERS[0])
    alice.send(FILLERS[1])
    bob.send(FILLERS[2])
    alice_answer, _ = alice.send(alice_fact.question)
    bob_answer, _ = bob.send(bob_fact.question)

    assert seen.strip()
    recalls(alice_answer, alice_fact.value, alice_fact.question)
    recalls(bob_answer, bob_fact.value, bob_fact.question)
    assert recall_violation(alice_answer, bob_fact.value, "") is not None, "alice's session answered from bob's history"
    assert recall_violation(bob_answer, alice_fact.value, "") is not None, "bob's session answered from alice's history"
    if "reasoning_summary" in target.capabilities and target.on_emulator:
        assert summary and all(part.strip() for part in summary)
