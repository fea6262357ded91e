"""Background-mode bugs: queueing, cancel and stream resume."""

from __future__ import annotations

from typing import Any

from emulator.mutations.base import Exchange, Mutant, ResponseFix, Seams, register
from emulator.mutations.state import Echoing

BACKGROUND = ("background",)
CANCEL = ("background.cancel",)
RESUME = ("background.stream_resume",)


@register("cancel-reports-but-completes", "background",
          "cancel answers status cancelled, but the job keeps running and the response completes", *CANCEL)
class CancelButCompletes(Mutant):
    def install(self, seams: Seams) -> None:
        from emulator.engine import background
        mutant = self

        async def cancel(job: Any) -> None:
            if job.done:
                return
            mutant.fire()
            job.record.response = background.pending(job.final, "cancelled")  # the task is not stopped
            await job._notify()

        seams.patch(background.Job, "cancel", cancel)


@register("background-runs-inline", "background", "background=true blocks and returns the finished response", *BACKGROUND,
          *CANCEL)
class BackgroundInline(Echoing):
    field = "background"

    def drop(self, ex: Exchange) -> bool:
        if ex.request.get("background") is not True or ex.request.get("store") is False:
            return False
        ex.request["background"] = False
        ex.request.pop("stream", None)
        return True


@register("background-flag-not-echoed", "background", "a background response says background: false", *BACKGROUND)
class BackgroundNotEchoed(ResponseFix):
    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        if response.get("background") is not True:
            return False
        response["background"] = False
        return True


@register("background-store-false-accepted", "background", "background=true with store=false is accepted", *BACKGROUND)
class BackgroundStoreFalse(Echoing):
    field = "store"

    def drop(self, ex: Exchange) -> bool:
        if ex.request.get("background") is not True or ex.request.get("store") is not False:
            return False
        ex.request["store"] = True
        return True


@register("resume-ignores-starting-after", "background", "a resumed stream restarts from the first event", *RESUME)
class ResumeFromStart(Mutant):
    def request(self, ex: Exchange) -> bool:
        return ex.route == "GET /responses/{id}" and ex.query.pop("starting_after", None) is not None


@register("resume-repeats-last-event", "background", "a resumed stream repeats the event at starting_after", *RESUME)
class ResumeRepeats(Mutant):
    def request(self, ex: Exchange) -> bool:
        raw = ex.query.get("starting_after")
        if ex.route != "GET /responses/{id}" or raw is None or not raw.lstrip("-").isdigit() or int(raw) < 0:
            return False
        ex.query["starting_after"] = str(int(raw) - 1)
        return True


@register("cancel-not-idempotent", "background", "cancelling an already cancelled response is refused with 400", *CANCEL)
class CancelNotIdempotent(Mutant):
    def __init__(self) -> None:
        super().__init__()
        self.cancelled: set[str] = set()

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        if ex.route != "POST /responses/{id}/cancel" or status != 200:
            return None
        if ex.ids[0] not in self.cancelled:
            self.cancelled.add(ex.ids[0])
            return None
        return 400, {"error": {"message": "Cannot cancel a response that is already cancelled.",
                               "type": "invalid_request_error", "param": None, "code": None}}
