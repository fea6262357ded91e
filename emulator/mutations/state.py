"""State bugs: what a create stores, retrieves, chains, lists and deletes."""

from __future__ import annotations

import copy
from typing import Any

from emulator.mutations.base import Exchange, Mutant, ResponseFix, Seams, register

CREATE = "POST /responses"
RETRIEVE = "GET /responses/{id}"


class Echoing(ResponseFix):
    """A request field the service drops before doing the work but still echoes back as sent
    (remembered per response id, so retrieve echoes it too).

    For a flag served the other way round, set ``flipped`` to the value sent: it is then
    served as ``not flipped``; otherwise override :meth:`drop`."""

    field: str
    flipped: bool | None = None

    def __init__(self) -> None:
        super().__init__()
        self.sent: dict[str, Any] = {}

    def drop(self, ex: Exchange) -> bool:
        """Change ``ex.request``; True if the bug applies to this request."""
        if self.flipped is None:
            raise NotImplementedError
        if ex.request.get(self.field) is not self.flipped:
            return False
        ex.request[self.field] = not self.flipped
        return True

    def request(self, ex: Exchange) -> bool:
        if ex.route != CREATE or not isinstance(ex.request, dict):
            return False
        original = copy.deepcopy(ex.request.get(self.field))
        if not self.drop(ex):
            return False
        ex.notes["echo"] = original
        return True

    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        if "echo" in ex.notes and response.get("id"):
            self.sent[response["id"]] = ex.notes["echo"]
        if response.get("id") not in self.sent or response.get(self.field) == self.sent[response["id"]]:
            return False
        response[self.field] = self.sent[response["id"]]
        return True


@register("max-output-tokens-ignored", "state", "max_output_tokens is echoed but not enforced", "responses.create",
          "responses.stream")
class MaxOutputTokensIgnored(Echoing):
    field = "max_output_tokens"

    def drop(self, ex: Exchange) -> bool:
        return ex.request.pop("max_output_tokens", None) is not None


@register("timestamps-milliseconds", "state", "created_at and completed_at are unix milliseconds, not seconds",
          "responses.create", "responses.retrieve", "responses.stream")
class TimestampsMilliseconds(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        changed = False
        for key in ("created_at", "completed_at"):
            if isinstance(response.get(key), (int, float)):
                response[key] = float(response[key] * 1000)
                changed = True
        return changed


@register("store-false-retrievable", "state", "a response created with store=false is stored and retrievable anyway",
          "responses.retrieve", "responses.create.async", "responses.stream.async", "reasoning.encrypted_content")
class StoreFalseRetrievable(Echoing):
    field, flipped = "store", False


@register("history-last-two-turns", "state", "a previous_response_id chain replays only the last two turns to the model",
          "responses.previous_response_id", "responses.stream.conversation", "scenario.chat")
class HistoryLastTwoTurns(Mutant):
    def install(self, seams: Seams) -> None:
        from emulator.state import store
        mutant = self

        def history(record: Any) -> list[Any]:
            chain: list[Any] = []
            node = record
            while node is not None:
                chain.append(node.turns)
                node = node.parent
            if len(chain) > 2:
                mutant.fire()
            return [turn for turns in reversed(chain[:2]) for turn in turns]

        seams.patch(store.Record, "history", history)


@register("input-items-wrong-order", "state", "input_items lists oldest first although the default order is desc",
          "responses.input_items")
class InputItemsWrongOrder(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route != RETRIEVE + "/input_items" or status != 200 or len(body.get("data") or []) < 2:
            return None
        data = body["data"][::-1]
        return status, {**body, "data": data, "first_id": data[0]["id"], "last_id": data[-1]["id"]}


@register("input-items-include-instructions", "state", "input_items lists the instructions as an extra developer message",
          "responses.input_items")
class InputItemsIncludeInstructions(Mutant):
    def __init__(self) -> None:
        super().__init__()
        self.instructions: dict[str, str] = {}

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route == CREATE and status == 200 and isinstance(body, dict) and body.get("instructions"):
            self.instructions[str(body.get("id"))] = body["instructions"]
            return None
        if ex.route != RETRIEVE + "/input_items" or status != 200 or ex.ids[0] not in self.instructions:
            return None
        extra = {"id": "msg_" + "0" * 48, "type": "message", "role": "developer", "status": "completed",
                 "content": [{"type": "input_text", "text": self.instructions[ex.ids[0]]}]}
        data = [*body["data"], extra]
        return status, {**body, "data": data, "first_id": data[0]["id"], "last_id": data[-1]["id"]}


@register("previous-response-id-ignored", "state", "previous_response_id is echoed but its conversation is not used",
          "responses.previous_response_id", "responses.stream.conversation", "tools.function")
class PreviousResponseIgnored(Echoing):
    field = "previous_response_id"

    def drop(self, ex: Exchange) -> bool:
        return ex.request.pop("previous_response_id", None) is not None


@register("previous-response-id-not-echoed", "state", "a chained response says previous_response_id: null",
          "responses.previous_response_id", "responses.stream.conversation")
class PreviousResponseNotEchoed(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        if response.get("previous_response_id") is None:
            return False
        response["previous_response_id"] = None
        return True


@register("retrieve-output-empty", "state", "retrieving a stored response returns it with an empty output",
          "responses.retrieve")
class RetrieveOutputEmpty(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route != RETRIEVE or status != 200 or not body.get("output"):
            return None
        return status, {**body, "output": []}


@register("response-delete-noop", "state", "DELETE /responses/{id} answers deleted: true but keeps the response",
          "responses.delete")
class ResponseDeleteNoop(Mutant):
    def install(self, seams: Seams) -> None:
        from emulator.state import store
        mutant = self

        def delete(self: Any, response_id: str) -> bool:
            mutant.fire()
            return response_id in self._records

        seams.patch(store.ResponseStore, "delete", delete)


@register("usage-total-wrong", "state", "usage.total_tokens counts only the output tokens", "responses.create",
          "responses.stream")
class UsageTotalWrong(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        usage = response.get("usage")
        if not isinstance(usage, dict) or not usage.get("input_tokens"):
            return False
        usage["total_tokens"] = usage.get("output_tokens")
        return True


@register("retrieve-status-stale", "state", "a retrieved finished response still says in_progress", "responses.retrieve")
class RetrieveStatusStale(Mutant):
    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route != RETRIEVE or status != 200 or body.get("status") != "completed":
            return None
        return status, {**body, "status": "in_progress", "completed_at": None}


@register("websocket-continues-anywhere", "state", "a store=false response made on one WebSocket continues on any other",
          "responses.websocket.store_false")
class WebSocketContinuesAnywhere(Mutant):
    def install(self, seams: Seams) -> None:
        from emulator.gateway import websocket
        mutant, seen = self, {}
        recall = websocket.Connection.recall

        def anywhere(conn: Any, response_id: str) -> Any:
            if conn.latest is not None:
                seen[conn.latest.id] = conn.latest
            found = recall(conn, response_id)
            if found is None and response_id in seen:
                mutant.fire()
                return seen[response_id]
            return found

        seams.patch(websocket.Connection, "recall", anywhere)


@register("websocket-failure-kept", "state", "a failed WebSocket continuation keeps the response it named",
          "responses.websocket.store_false")
class WebSocketFailureKept(Mutant):
    def install(self, seams: Seams) -> None:
        from emulator.gateway import websocket
        mutant = self

        def keep(conn: Any, response_id: object) -> None:
            if conn.latest is not None and conn.latest.id == response_id:
                mutant.fire()

        seams.patch(websocket.Connection, "forget", keep)
